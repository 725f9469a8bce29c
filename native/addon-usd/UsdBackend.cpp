// The backend of the USD-linked binding: resolution goes through OpenUSD's
// own Ar (ArGetResolver), with ArHttpResolver registered for the process.
#include "addon/Backend.h"
#include "addon/WarningListeners.h"
#include "plugin/ArHttpContext.h"
#include "plugin/ArHttpResolver.h"

#include "pxr/base/arch/demangle.h"
#include "pxr/base/plug/registry.h"
#include "pxr/base/tf/debug.h"
#include "pxr/usd/ar/resolvedPath.h"
#include "pxr/usd/ar/resolver.h"
#include "pxr/usd/ar/resolverContextBinder.h"

#include <dlfcn.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

PXR_NAMESPACE_USING_DIRECTIVE

namespace arhttp::addon {

namespace {

// The plugin folder sits beside this addon's: build-usd/Release/ -> build-usd/plugin/.
std::string PluginFolder() {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void*>(&PluginFolder), &info) || !info.dli_fname) {
        throw std::runtime_error("cannot locate the USD-linked binding on disk");
    }
    const std::string self(info.dli_fname);
    return self.substr(0, self.rfind('/')) + "/../plugin";
}

// Before the first ArGetResolver(): Ar picks its primary resolver only once.
void RegisterPlugin() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Node programs print their results on stdout: debug lines go to stderr,
        // as the standalone binding's do.
        TfDebug::SetOutputFile(stderr);
        PlugRegistry::GetInstance().RegisterPlugins(PluginFolder());
        // TfType names the plugin's type as Arch demangles it.
        ArSetPreferredResolver(ArchGetDemangled<ArHttpResolver>());
    });
}

ArHttpResolver& Plugin() {
    auto* resolver = dynamic_cast<ArHttpResolver*>(&ArGetUnderlyingResolver());
    if (!resolver) {
        throw std::runtime_error(
            "OpenUSD's primary resolver is not ArHttpResolver "
            "(is PXR_AR_DISABLE_PLUGIN_RESOLVER set?)");
    }
    return *resolver;
}

// `resolve()` with `context` bound on this thread, as a USD application binds
// a stage's; an empty context binds nothing (the environment's server).
template <class Resolve>
auto WithContext(const ServerContext& context, const Resolve& resolve) {
    if (context.IsEmpty()) return resolve();
    const ArResolverContextBinder binder{ArResolverContext(ArHttpContext(context))};
    return resolve();
}

class UsdBackend : public Backend {
public:
    std::string CreateIdentifier(const std::string& assetPath,
                                 const std::string& anchor) const override {
        return ArGetResolver().CreateIdentifier(assetPath, ArResolvedPath(anchor));
    }
    std::string Resolve(const std::string& identifier,
                        const ServerContext& context) const override {
        return WithContext(context, [&] { return ArGetResolver().Resolve(identifier).GetPathString(); });
    }
    std::string ResolveLocal(const std::string& identifier) const override {
        return Plugin().ResolveLocal(identifier);
    }
    // Ar resolves one asset path at a time: ArHttpResolver's engine does many.
    std::vector<std::string> ResolveMany(const std::vector<std::string>& identifiers,
                                         const ServerContext& context) const override {
        return WithContext(context, [&] { return Plugin().ResolveMany(identifiers); });
    }
    ResolutionEngine::Resolution ResolveDetailed(const std::string& identifier,
                                                 const ServerContext& context) const override {
        return WithContext(context, [&] { return Plugin().ResolveDetailed(identifier); });
    }
    std::vector<ResolutionEngine::Resolution> ResolveManyDetailed(
        const std::vector<std::string>& identifiers, const ServerContext& context) const override {
        return WithContext(context, [&] { return Plugin().ResolveManyDetailed(identifiers); });
    }
    std::vector<std::string> ResolveManyAfresh(const std::vector<std::string>& identifiers,
                                               const ServerContext& context,
                                               uint64_t* warnings) const override {
        return Plugin().ResolveManyAfresh(identifiers, context, warnings);
    }
    // The plugin's engine: usdcat and Node share its content cache folder.
    ContentFile FetchContent(const std::string& url) const override { return Plugin().FetchContent(url); }
    Config GetConfig() const override { return Plugin().GetHttpConfig(); }
    // Through Ar, as a USD application would: ArHttpResolver clears its
    // answers and sends ArNotice::ResolverChanged.
    void ClearCache() const override {
        ArGetResolver().RefreshContext(ArGetResolver().CreateDefaultContext());
    }
    // ArHttpResolver's engine: with AR_HTTP_WATCH=1 it follows the feed already
    // and sends ArNotice::ResolverChanged.
    void Watch(ChangeWatcher::OnChanges listener) const override { Plugin().Watch(std::move(listener)); }
};

}  // namespace

const char* const kBackendName = "usd";

// ar-http's warnings to Node instead of TfWarn; USD's own keep printing.
void RouteWarningsToNode() {
    ArHttpResolver::SetWarningListener(DeliverWarning);
}

// Whether CurrentBackend made the backend: ArHttpResolver then exists.
std::atomic<bool> gMade{false};

std::shared_ptr<const Backend> CurrentBackend() {
    RegisterPlugin();
    static const auto backend = std::make_shared<const UsdBackend>();
    gMade = true;
    return backend;
}

// The plugin's engine, as its own exit stop does; the process's atexit
// handlers run only after Node has joined libuv's pool.
void StopBackgroundWork() {
    static std::once_flag once;
    if (!gMade) return;
    std::call_once(once, [] {
        try {
            Plugin().StopBackgroundWork();
        } catch (const std::exception&) {
            // Another resolver is primary: no engine of ours runs.
        }
    });
}

std::shared_ptr<const Backend> ReloadBackend(const Environment& environment) {
    auto backend = CurrentBackend();
    const Config config = Plugin().Reconfigure(environment);
    // Node's process.env, not the environment USD saw at start, is what counts here.
    ArDefaultResolver::SetDefaultSearchPath(config.searchPaths);
    return backend;
}

}  // namespace arhttp::addon
