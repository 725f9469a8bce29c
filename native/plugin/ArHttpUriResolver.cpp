#include "ArHttpUriResolver.h"

#include "ArHttpUriSchemes.h"
#include "TfLogSink.h"

#include "core/text/PrintableText.h"
#include "core/text/UrlReference.h"

#include "pxr/usd/ar/asset.h"
#include "pxr/usd/ar/assetInfo.h"
#include "pxr/usd/ar/defineResolver.h"
#include "pxr/usd/ar/writableAsset.h"

PXR_NAMESPACE_USING_DIRECTIVE

AR_DEFINE_RESOLVER(arhttp::ArHttpUriResolver, ArResolver);

namespace arhttp {

namespace {
ArHttpResolver* PrimaryArHttpResolver() {
    // Ar makes URI resolvers on first use, long after the primary one.
    return dynamic_cast<ArHttpResolver*>(&ArGetUnderlyingResolver());
}
}  // namespace

ArHttpUriResolver::ArHttpUriResolver() : _resolver(PrimaryArHttpResolver()) {
    if (!_resolver) {
        _owned = std::make_unique<ArHttpResolver>(ArHttpResolver::Role::BesideAnotherPrimary);
        _resolver = _owned.get();
    }
}

ArHttpUriResolver::~ArHttpUriResolver() = default;

std::string ArHttpUriResolver::_AssetPath(const std::string& uri) {
    return ArHttpUriSchemes::Get().AssetPathOf(uri);
}

std::string ArHttpUriResolver::_CreateIdentifier(const std::string& assetPath,
                                                 const ArResolvedPath& anchorAssetPath) const {
    if (_AssetPath(assetPath) != assetPath) return assetPath;
    // A URL, or a path anchored on one (Ar asks the anchor's resolver).
    return _resolver->CreateIdentifier(assetPath, anchorAssetPath);
}

std::string ArHttpUriResolver::_CreateIdentifierForNewAsset(const std::string& assetPath,
                                                            const ArResolvedPath& anchorAssetPath) const {
    return _CreateIdentifier(assetPath, anchorAssetPath);
}

ArResolvedPath ArHttpUriResolver::_Resolve(const std::string& assetPath) const {
    ArResolvedPath resolved = _resolver->Resolve(_AssetPath(assetPath));
    // Ar opens an answer with the resolver of its scheme: a URL is ours to
    // open only when "http" and "https" are among our schemes.
    const std::string& url = resolved.GetPathString();
    if (_owned && IsContentUrl(url) && !ArHttpUriSchemes::Get().Has(ArHttpUriSchemes::SchemeOf(url)) &&
        !_urlAnswerWarned.exchange(true)) {
        ArHttpTfLogSink().Warn(WarningCode::Config,
                               Quoted(assetPath) + " resolved to the URL " + Quoted(url) +
                                   ", which the primary resolver (not ar-http) opens: to open URL answers "
                                   "beside another primary resolver, build the plugin with "
                                   "AR_HTTP_URI_SCHEMES=\"arhttp;http;https\"");
    }
    return resolved;
}

ArResolvedPath ArHttpUriResolver::_ResolveForNewAsset(const std::string&) const {
    return ArResolvedPath();
}

ArResolverContext ArHttpUriResolver::_CreateContextFromString(const std::string& contextStr) const {
    return _resolver->CreateContextFromString(contextStr);
}

bool ArHttpUriResolver::_IsContextDependentPath(const std::string& assetPath) const {
    return _resolver->IsContextDependentPath(_AssetPath(assetPath));
}

std::string ArHttpUriResolver::_GetExtension(const std::string& assetPath) const {
    return _resolver->GetExtension(_AssetPath(assetPath));
}

ArAssetInfo ArHttpUriResolver::_GetAssetInfo(const std::string& assetPath,
                                             const ArResolvedPath& resolvedPath) const {
    return _resolver->GetAssetInfo(_AssetPath(assetPath), resolvedPath);
}

ArTimestamp ArHttpUriResolver::_GetModificationTimestamp(const std::string& assetPath,
                                                         const ArResolvedPath& resolvedPath) const {
    return _resolver->GetModificationTimestamp(_AssetPath(assetPath), resolvedPath);
}

std::shared_ptr<ArAsset> ArHttpUriResolver::_OpenAsset(const ArResolvedPath& resolvedPath) const {
    return _resolver->OpenAsset(resolvedPath);
}

std::shared_ptr<ArWritableAsset> ArHttpUriResolver::_OpenAssetForWrite(const ArResolvedPath&, WriteMode) const {
    return nullptr;
}

bool ArHttpUriResolver::_CanWriteAssetToPath(const ArResolvedPath& resolvedPath, std::string* whyNot) const {
    if (whyNot) {
        *whyNot = "ar-http resolves through a server and writes nothing: " + resolvedPath.GetPathString() +
                  " cannot be written through it";
    }
    return false;
}

void ArHttpUriResolver::_BeginCacheScope(VtValue* cacheScopeData) {
    if (_owned) _owned->BeginCacheScope(cacheScopeData);
}

void ArHttpUriResolver::_EndCacheScope(VtValue* cacheScopeData) {
    if (_owned) _owned->EndCacheScope(cacheScopeData);
}

void ArHttpUriResolver::_RefreshContext(const ArResolverContext& context) {
    if (_owned) _owned->RefreshContext(context);
}

}  // namespace arhttp
