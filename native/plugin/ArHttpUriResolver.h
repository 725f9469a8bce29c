// ArHttpUriResolver: ar-http beside another primary resolver, for the URI
// schemes plugInfo.json gives it (ArHttpUriSchemes): "@arhttp:chess/Bishop@"
// resolves "chess/Bishop" as ArHttpResolver does, and, when "http" and
// "https" are among the schemes, URL answers open from the content cache.
// An adapter over the one ArHttpResolver of the process: the primary resolver
// when ar-http is primary, else one of its own.
#ifndef AR_HTTP_PLUGIN_AR_HTTP_URI_RESOLVER_H
#define AR_HTTP_PLUGIN_AR_HTTP_URI_RESOLVER_H

#include "Api.h"
#include "ArHttpResolver.h"

#include "pxr/pxr.h"
#include "pxr/usd/ar/resolver.h"

#include <atomic>
#include <memory>
#include <string>

namespace arhttp {

class AR_HTTP_API ArHttpUriResolver final : public PXR_NS::ArResolver {
public:
    ArHttpUriResolver();
    ~ArHttpUriResolver() override;

protected:
    // "arhttp:..." is absolute (RFC 3986 sec 4.3): it names the same asset
    // from any layer, and stays as written.
    std::string _CreateIdentifier(const std::string& assetPath,
                                  const PXR_NS::ArResolvedPath& anchorAssetPath) const override;
    std::string _CreateIdentifierForNewAsset(const std::string& assetPath,
                                             const PXR_NS::ArResolvedPath& anchorAssetPath) const override;
    PXR_NS::ArResolvedPath _Resolve(const std::string& assetPath) const override;
    // A server's answers are read, never written.
    PXR_NS::ArResolvedPath _ResolveForNewAsset(const std::string& assetPath) const override;
    PXR_NS::ArResolverContext _CreateContextFromString(const std::string& contextStr) const override;
    bool _IsContextDependentPath(const std::string& assetPath) const override;
    std::string _GetExtension(const std::string& assetPath) const override;
    PXR_NS::ArAssetInfo _GetAssetInfo(const std::string& assetPath,
                                      const PXR_NS::ArResolvedPath& resolvedPath) const override;
    PXR_NS::ArTimestamp _GetModificationTimestamp(const std::string& assetPath,
                                                  const PXR_NS::ArResolvedPath& resolvedPath) const override;
    std::shared_ptr<PXR_NS::ArAsset> _OpenAsset(const PXR_NS::ArResolvedPath& resolvedPath) const override;
    std::shared_ptr<PXR_NS::ArWritableAsset> _OpenAssetForWrite(const PXR_NS::ArResolvedPath& resolvedPath,
                                                                WriteMode writeMode) const override;
    bool _CanWriteAssetToPath(const PXR_NS::ArResolvedPath& resolvedPath, std::string* whyNot) const override;
    // Passed on only to a resolver of our own: a primary ArHttpResolver has
    // them from Ar already.
    void _BeginCacheScope(PXR_NS::VtValue* cacheScopeData) override;
    void _EndCacheScope(PXR_NS::VtValue* cacheScopeData) override;
    void _RefreshContext(const PXR_NS::ArResolverContext& context) override;

private:
    // The asset path a URI stands for ("arhttp:a/b" -> "a/b").
    static std::string _AssetPath(const std::string& uri);

    std::unique_ptr<ArHttpResolver> _owned;
    mutable std::atomic<bool> _urlAnswerWarned{false};
    ArHttpResolver* _resolver;
};

}  // namespace arhttp

#endif
