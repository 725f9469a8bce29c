// ArHttpResolver: OpenUSD's default resolver first; what it does not find is
// asked of an HTTP server through the native core.
#ifndef AR_HTTP_PLUGIN_AR_HTTP_RESOLVER_H
#define AR_HTTP_PLUGIN_AR_HTTP_RESOLVER_H

#include "ArHttpContext.h"

#include "core/Config.h"
#include "core/ResolveCache.h"

#include "pxr/pxr.h"
#include "pxr/usd/ar/defaultResolver.h"
#include "pxr/usd/ar/threadLocalScopedCache.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>

PXR_NAMESPACE_OPEN_SCOPE

class ArHttpResolver : public ArDefaultResolver {
public:
    ArHttpResolver();
    ~ArHttpResolver() override;

    // The HTTP settings in force (for the Node binding's config()).
    arhttp::Config GetHttpConfig() const;
    // Rebuilds the HTTP half from `environment` (for reloadConfig()).
    arhttp::Config Reconfigure(const arhttp::Environment& environment);
    // Forgets the answers kept process-wide (AR_HTTP_CACHE_TTL_MS).
    void ClearCache();

protected:
    std::string _CreateIdentifier(const std::string& assetPath,
                                  const ArResolvedPath& anchorAssetPath) const override;
    ArResolvedPath _Resolve(const std::string& assetPath) const override;
    // A server URL (or a string starting with one, or ';') makes an
    // ArHttpContext; anything else a search path, as ArDefaultResolver does.
    ArResolverContext _CreateContextFromString(const std::string& contextStr) const override;
    // What the filesystem lacks may be resolved by a server: which one
    // depends on the bound context.
    bool _IsContextDependentPath(const std::string& assetPath) const override;
    std::string _GetExtension(const std::string& assetPath) const override;
    void _BeginCacheScope(VtValue* cacheScopeData) override;
    void _EndCacheScope(VtValue* cacheScopeData) override;
    // Clears the kept answers and sends ArNotice::ResolverChanged.
    void _RefreshContext(const ArResolverContext& context) override;
    // Opens as the default resolver does; a text layer also has the asset
    // paths it names resolved ahead, in one batch request.
    std::shared_ptr<ArAsset> _OpenAsset(const ArResolvedPath& resolvedPath) const override;

private:
    // The HTTP half, replaced whole by Reconfigure while resolves go on.
    struct _Remote;
    static std::shared_ptr<const _Remote> _MakeRemote(const arhttp::Environment& environment);
    std::shared_ptr<const _Remote> _GetRemote() const;
    void _AskAhead(const ArResolvedPath& layerPath, const ArAsset& layer) const;
    // The bound ArHttpContext's settings (kept alive by the binding): empty
    // for none, null (after one warning) for a refused one.
    const arhttp::ServerContext* _CurrentServerContext() const;

    // Within a cache scope every answer is kept, and concurrent resolves of
    // one path share one resolve.
    struct _ScopeCache : arhttp::ResolveCache {
        _ScopeCache() : arhttp::ResolveCache(kForever, SIZE_MAX) {}
    };
    mutable ArThreadLocalScopedCache<_ScopeCache> _cache;
    // Answers learnt ahead of need: kept briefly, for the composition that
    // follows the opening of a layer (a root layer opens outside any scope).
    mutable arhttp::ResolveCache _ahead{std::chrono::seconds(10), 1000000};

    mutable std::mutex _remoteMutex;
    std::shared_ptr<const _Remote> _remote;
    // Refused contexts already warned about.
    mutable std::set<std::string> _refusedContexts;
};

PXR_NAMESPACE_CLOSE_SCOPE

#endif
