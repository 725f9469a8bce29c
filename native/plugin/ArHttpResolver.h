// ArHttpResolver: OpenUSD's default resolver first; what it does not find is
// asked of an HTTP server. A thin adapter: the native core's
// ResolutionEngine resolves, with ArDefaultResolver as its local side.
#ifndef AR_HTTP_PLUGIN_AR_HTTP_RESOLVER_H
#define AR_HTTP_PLUGIN_AR_HTTP_RESOLVER_H

#include "Api.h"
#include "ArHttpContext.h"

#include "core/settings/Config.h"
#include "core/local/LocalResolver.h"
#include "core/engine/ResolutionEngine.h"

#include "pxr/pxr.h"
#include "pxr/usd/ar/defaultResolver.h"
#include "pxr/usd/ar/threadLocalScopedCache.h"

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace arhttp {

class AR_HTTP_API ArHttpResolver final : public PXR_NS::ArDefaultResolver {
public:
    // Where Ar put it: the primary resolver, or the one ArHttpUriResolver
    // makes when another resolver is primary. TF_DEBUG=AR_HTTP says which.
    enum class Role { Primary, BesideAnotherPrimary };
    explicit ArHttpResolver(Role role = Role::Primary);
    ~ArHttpResolver() override;

    // The HTTP settings in force (for the Node binding's config()).
    Config GetHttpConfig() const;
    // The local file of content URL `url`, from the engine's content cache
    // (ResolutionEngine::FetchContent): for the Node binding's fetchAsset().
    ContentFile FetchContent(const std::string& url) const;
    // Rebuilds the engine from `environment` (for reloadConfig()).
    Config Reconfigure(const Environment& environment);
    // Resolves many identifiers through the bound context at once
    // (ResolutionEngine::ResolveMany), for the Node binding's resolveMany().
    std::vector<std::string> ResolveMany(const std::vector<std::string>& identifiers) const;
    // What _Resolve and ResolveMany answer, with where each answer came from,
    // its change number and snapshot, for the Node binding's detailed resolves.
    ResolutionEngine::Resolution ResolveDetailed(const std::string& assetPath) const;
    std::vector<ResolutionEngine::Resolution> ResolveManyDetailed(
        const std::vector<std::string>& identifiers) const;
    // What ArDefaultResolver alone answers ("" for nothing), never a server:
    // for the Node binding's resolveLocalMany().
    std::string ResolveLocal(const std::string& identifier) const;
    // Resolves many identifiers through `context` with an engine of their
    // own, made for the call from the settings in force (no answer kept, no
    // failure remembered), counting its warnings into `*warnings`: for the
    // Node binding's pin(), which must tell a failure from an unknown asset.
    std::vector<std::string> ResolveManyAfresh(const std::vector<std::string>& identifiers,
                                               const ServerContext& context,
                                               uint64_t* warnings) const;
    // The warnings of ar-http (the engine's, refused settings and contexts)
    // reach `listener` instead of TfWarn while it is set and takes them (the
    // USD-linked Node binding hands them to process.emitWarning); settings
    // refused are then left to the listener's owner, who reads them from
    // GetHttpConfig(). USD's own warnings are not touched.
    static void SetWarningListener(std::function<bool(WarningCode, const std::string&)> listener);
    // Adds `listener` to the engine's followers of the change feed (starting
    // it), for the Node binding's watch(). A later Reconfigure drops it.
    void Watch(ChangeWatcher::OnChanges listener) const;
    // Ends the engine's background work (ResolutionEngine::StopBackgroundWork)
    // as the process's exit does: for the Node binding, whose exit joins
    // libuv's pool before any atexit handler runs.
    void StopBackgroundWork() const;

protected:
    std::string _CreateIdentifier(const std::string& assetPath,
                                  const PXR_NS::ArResolvedPath& anchorAssetPath) const override;
    PXR_NS::ArResolvedPath _Resolve(const std::string& assetPath) const override;
    // A server URL (or a string starting with one, or ';') makes an
    // ArHttpContext; anything else a search path, as ArDefaultResolver does.
    PXR_NS::ArResolverContext _CreateContextFromString(const std::string& contextStr) const override;
    // What the filesystem lacks may be resolved by a server: which one
    // depends on the bound context.
    bool _IsContextDependentPath(const std::string& assetPath) const override;
    std::string _GetExtension(const std::string& assetPath) const override;
    // For an asset the server answered: `version` is the change number that
    // set it, and resolverInfo a dictionary of "version" (when the server said
    // it), "snapshot" (when resolved as of one) and "via". For remote content
    // the cache holds: `version` is its ETag, and resolverInfo adds "url",
    // "etag", "lastModified" and "localPath" (the cached file).
    PXR_NS::ArAssetInfo _GetAssetInfo(const std::string& assetPath,
                                      const PXR_NS::ArResolvedPath& resolvedPath) const override;
    void _BeginCacheScope(PXR_NS::VtValue* cacheScopeData) override;
    void _EndCacheScope(PXR_NS::VtValue* cacheScopeData) override;
    // Clears the kept answers and sends ArNotice::ResolverChanged.
    void _RefreshContext(const PXR_NS::ArResolverContext& context) override;
    // Opens as the default resolver does, remote content (an http(s) URL) as
    // the file of the content cache holding it (downloaded if need be; null,
    // after the engine's warning, when it cannot be had); a layer (text,
    // crate, or the layers of a .usdz) also has the asset paths it names
    // resolved ahead.
    std::shared_ptr<PXR_NS::ArAsset> _OpenAsset(
        const PXR_NS::ArResolvedPath& resolvedPath) const override;
    // Remote content's: its Last-Modified, else a number stable for its ETag
    // (ContentFile::timestamp); it is revalidated as the cache's time to live
    // says, so a reload sees new content.
    PXR_NS::ArTimestamp _GetModificationTimestamp(
        const std::string& assetPath, const PXR_NS::ArResolvedPath& resolvedPath) const override;

private:
    // The engine's local side: ArDefaultResolver's own resolve, once per
    // asset path per cache scope.
    class _DefaultResolve;
    std::shared_ptr<const ResolutionEngine> _MakeEngine(const Environment& environment) const;
    // TF_DEBUG=AR_HTTP's one line at load: where from, as what, which
    // server, and whether the transport loads.
    void _SayLoaded(Role role) const;
    // Replaced whole by Reconfigure while resolves go on.
    std::shared_ptr<const ResolutionEngine> _GetEngine() const;
    // Stops the background work of the current resolver's engine: at exit.
    static void _StopAtExit();
    void _AskAhead(const PXR_NS::ArResolvedPath& layerPath, const PXR_NS::ArAsset& layer) const;
    // The asset over the content cache's file of `url`; null when it cannot be had.
    std::shared_ptr<PXR_NS::ArAsset> _OpenContent(const std::string& url) const;
    // The bound ArHttpContext's settings (kept alive by the binding): empty
    // for none, null (after one warning) for a refused one.
    const ServerContext* _CurrentServerContext() const;

    // What a cache scope learnt of each key, from any thread.
    template <class Value>
    class _Memo {
    public:
        std::optional<Value> Find(const std::string& key) {
            std::lock_guard<std::mutex> lock(_mutex);
            const auto found = _values.find(key);
            if (found == _values.end()) return std::nullopt;
            return found->second;
        }
        void Keep(const std::string& key, const Value& value) {
            std::lock_guard<std::mutex> lock(_mutex);
            _values.emplace(key, value);
        }

    private:
        std::mutex _mutex;
        std::unordered_map<std::string, Value> _values;
    };
    // A cache scope: the server's answers, what the filesystem said, and the
    // content fetched in it.
    struct _Scope : ResolutionEngine::ScopeCache {
        _Memo<std::string> local;
        _Memo<ContentFile> content;
    };
    // Content as the engine fetches it (FetchContent), once per URL per
    // cache scope: a stage's open or reload asks each URL's freshness once,
    // whatever the time to live, and a reload's new scope asks again.
    ContentFile _FetchContent(const std::string& url) const;

    mutable PXR_NS::ArThreadLocalScopedCache<_Scope> _scopes;
    const std::shared_ptr<const LocalResolver> _local;
    mutable std::mutex _engineMutex;
    std::shared_ptr<const ResolutionEngine> _engine;
    // Refused contexts already warned about.
    mutable std::set<std::string> _refusedContexts;
};

}  // namespace arhttp

#endif
