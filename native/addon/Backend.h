// What the Node functions resolve with. The standalone binding uses the core
// directly (StandaloneBackend.cpp); the USD-linked one goes through OpenUSD's
// Ar and ArHttpResolver (native/addon-usd/UsdBackend.cpp). Each build links one.
#ifndef AR_HTTP_ADDON_BACKEND_H
#define AR_HTTP_ADDON_BACKEND_H

#include "core/content/ContentFile.h"
#include "core/engine/ChangeWatcher.h"
#include "core/settings/Config.h"
#include "core/engine/ResolutionEngine.h"
#include "core/settings/ServerContext.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace arhttp::addon {

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string CreateIdentifier(const std::string& assetPath,
                                         const std::string& anchor) const = 0;
    // The resolved path or "", through the server `context` names (the
    // environment's when empty). Safe from any thread.
    virtual std::string Resolve(const std::string& identifier,
                                const ServerContext& context) const = 0;
    // What the filesystem alone answers ("" for nothing): the engine's local
    // side, never a server. Safe from any thread.
    virtual std::string ResolveLocal(const std::string& identifier) const = 0;
    // Many at once: ResolutionEngine::ResolveMany.
    virtual std::vector<std::string> ResolveMany(const std::vector<std::string>& identifiers,
                                                 const ServerContext& context) const = 0;
    // As Resolve and ResolveMany, with where each answer came from.
    virtual ResolutionEngine::Resolution ResolveDetailed(const std::string& identifier,
                                                         const ServerContext& context) const = 0;
    virtual std::vector<ResolutionEngine::Resolution> ResolveManyDetailed(
        const std::vector<std::string>& identifiers, const ServerContext& context) const = 0;
    // Many at once by an engine of their own, made for the call from the
    // settings in force: no answer kept from before, no failure remembered
    // (fail-fast), and `*warnings` the warnings it gave: "" is both a failed
    // server and an unknown asset, and pin() must tell them apart.
    virtual std::vector<std::string> ResolveManyAfresh(const std::vector<std::string>& identifiers,
                                                       const ServerContext& context,
                                                       uint64_t* warnings) const = 0;
    // The local file of content URL `url` (ResolutionEngine::FetchContent).
    virtual ContentFile FetchContent(const std::string& url) const = 0;
    virtual Config GetConfig() const = 0;
    virtual void ClearCache() const = 0;
    // Follows the environment's server's change feed and tells `listener`
    // (ResolutionEngine::Watch), each call adding one.
    virtual void Watch(ChangeWatcher::OnChanges listener) const = 0;
};

// "standalone" or "usd".
extern const char* const kBackendName;

// In-flight async resolves keep the backend they started with alive.
std::shared_ptr<const Backend> CurrentBackend();
// Ends the background work of each backend made and still alive (asking
// ahead, downloads ahead, transfers under way: ResolutionEngine::
// StopBackgroundWork), once each: the Node process is ending, and would
// otherwise wait for that work (its exit joins libuv's pool) or run it among
// static destructors. Makes no backend.
void StopBackgroundWork();
// Applies settings read from `environment` (Node's process.env).
std::shared_ptr<const Backend> ReloadBackend(const Environment& environment);

}  // namespace arhttp::addon

#endif
