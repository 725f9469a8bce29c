// The process-wide resolution engine behind the Node functions, built from
// the environment at load and rebuilt by reloadConfig().
#ifndef AR_HTTP_ADDON_ENGINE_H
#define AR_HTTP_ADDON_ENGINE_H

#include "core/ResolutionEngine.h"

#include <memory>

namespace arhttp::addon {

// In-flight async resolves keep the engine they started with alive. Before
// any reload, the engine is built from the process environment.
std::shared_ptr<const ResolutionEngine> CurrentEngine();
// Replaces the engine with one built from `environment`.
std::shared_ptr<const ResolutionEngine> ReloadEngine(const Environment& environment);

}  // namespace arhttp::addon

#endif
