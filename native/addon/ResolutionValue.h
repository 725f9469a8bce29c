// A detailed resolve as JavaScript sees it (lib/native/binding.ts Resolution).
#ifndef AR_HTTP_ADDON_RESOLUTION_VALUE_H
#define AR_HTTP_ADDON_RESOLUTION_VALUE_H

#include "core/engine/ResolutionEngine.h"

#include <napi.h>

namespace arhttp::addon {

// { resolvedPath, via, version?, snapshot?, error? }: version when the server
// said it, snapshot when the answer is as of one, error when unresolved.
Napi::Object ResolutionValue(Napi::Env env, const ResolutionEngine::Resolution& resolution);

}  // namespace arhttp::addon

#endif
