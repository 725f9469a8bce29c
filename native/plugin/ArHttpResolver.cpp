#include "ArHttpResolver.h"

#include "ArHttpDebugCodes.h"
#include "ArHttpUriSchemes.h"
#include "ServerTransport.h"
#include "TfLogSink.h"

#include "core/log/CountingLogSink.h"
#include "core/settings/DebugSwitch.h"
#include "core/layers/LayerScanner.h"
#include "core/text/PrintableText.h"
#include "core/text/UrlReference.h"

#include "pxr/base/js/value.h"
#include "pxr/base/plug/plugin.h"
#include "pxr/base/plug/registry.h"
#include "pxr/base/tf/diagnostic.h"
#include "pxr/base/tf/pathUtils.h"
#include "pxr/base/tf/stringUtils.h"
#include "pxr/base/tf/type.h"
#include "pxr/base/vt/dictionary.h"
#include "pxr/usd/ar/asset.h"
#include "pxr/usd/ar/filesystemAsset.h"
#include "pxr/usd/ar/assetInfo.h"
#include "pxr/usd/ar/defineResolver.h"
#include "pxr/usd/ar/notice.h"
#include "pxr/usd/ar/packageUtils.h"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <vector>

PXR_NAMESPACE_USING_DIRECTIVE

AR_DEFINE_RESOLVER(arhttp::ArHttpResolver, ArDefaultResolver);

namespace arhttp {

namespace {

// Set while ArDefaultResolver::_CreateIdentifier probes the anchored form of
// a search-path-style asset path: that probe must look at the filesystem
// only, or every id would cost a request for a path no server knows.
thread_local bool tLocalOnly = false;

// Sdf asks GetExtension() of bare extensions too ("usda"): those are words,
// not asset ids, and must never become requests. Read from the plugins'
// metadata, as Sdf's own file format registry does.
bool IsFileFormatExtension(const std::string& word) {
    static const std::set<std::string> extensions = [] {
        std::set<std::string> found;
        std::set<TfType> formats;
        PlugRegistry::GetAllDerivedTypes(TfType::FindByName("SdfFileFormat"), &formats);
        for (const TfType& format : formats) {
            const JsValue value =
                PlugRegistry::GetInstance().GetDataFromPluginMetaData(format, "extensions");
            if (value.IsArrayOf<std::string>()) {
                for (const std::string& extension : value.GetArrayOf<std::string>()) {
                    found.insert(TfStringToLower(extension));
                }
            }
        }
        return found;
    }();
    return extensions.count(TfStringToLower(word)) != 0;
}

// A URL's extension is its path's: a query or fragment is no part of it.
std::string ExtensionOf(const std::string& path) {
    return IsContentUrl(path) ? UrlPathExtension(path) : TfGetExtension(path);
}

}  // namespace

// ArDefaultResolver keeps its resolves for the length of a cache scope; the
// scope is ours, so that is done here: an id the filesystem lacks is probed
// once per stage open, not at each of its resolves (asked ahead, composed,
// its extension and context dependence).
class ArHttpResolver::_DefaultResolve : public LocalResolver {
public:
    explicit _DefaultResolve(const ArHttpResolver* owner) : _owner(owner) {}
    std::string Resolve(const std::string& identifier) const override {
        const std::shared_ptr<_Scope> scope = _owner->_scopes.GetCurrentCache();
        if (!scope) return _owner->ArDefaultResolver::_Resolve(identifier).GetPathString();
        if (std::optional<std::string> known = scope->local.Find(identifier)) return std::move(*known);
        std::string resolved = _owner->ArDefaultResolver::_Resolve(identifier).GetPathString();
        scope->local.Keep(identifier, resolved);
        return resolved;
    }

private:
    const ArHttpResolver* const _owner;
};

// Settings refused in the environment are reported once, when read (by the
// Node binding from the config, when it listens).
std::shared_ptr<const ResolutionEngine> ArHttpResolver::_MakeEngine(
    const Environment& environment) const {
    Config config = Config::FromEnvironment(environment);
    // TfDebug may also be switched on by code, not only by TF_DEBUG.
    config.debug = TfDebug::IsEnabled(AR_HTTP);
    if (!ArHttpTfLogSink::HasListener()) {
        for (const std::string& warning : config.warnings) {
            TF_WARN("ArHttpResolver: %s", warning.c_str());
        }
    }
    auto engine = std::make_shared<const ResolutionEngine>(std::move(config), _local,
                                                           std::make_shared<ArHttpTfLogSink>(),
                                                           LoadedTransport(), LoadedContentTransport());
    if (engine->GetConfig().watch) {
        // Sent on the watcher's thread, once the changed answers are dropped:
        // stages bound to the environment's server re-resolve and recompose
        // what resolves differently now (UsdStage handles the notice).
        engine->Watch([](const std::vector<FeedEvent>& changes, bool everything) {
            TF_DEBUG(AR_HTTP).Msg("ArHttpResolver: %zu changes from the change feed%s: ArNotice::ResolverChanged\n",
                                  changes.size(), everything ? " (some may be lost)" : "");
            ArNotice::ResolverChanged([](const ArResolverContext& context) {
                const ArHttpContext* http = context.Get<ArHttpContext>();
                return !http || http->GetServerContext().IsEmpty();
            }).Send();
        });
    }
    return engine;
}

void ArHttpResolver::SetWarningListener(std::function<bool(WarningCode, const std::string&)> listener) {
    ArHttpTfLogSink::SetListener(std::move(listener));
}

void ArHttpResolver::Watch(ChangeWatcher::OnChanges listener) const {
    _GetEngine()->Watch(std::move(listener));
}

namespace {
// The resolver whose engine's background work stops at exit (_StopAtExit).
std::atomic<const ArHttpResolver*> gExiting{nullptr};
}  // namespace

ArHttpResolver::ArHttpResolver(Role role)
    : _local(std::make_shared<const _DefaultResolve>(this)),
      _engine(_MakeEngine(ProcessEnvironment())) {
    gExiting = this;
    SetTransportExitStop(&ArHttpResolver::_StopAtExit);
    if (TfDebug::IsEnabled(AR_HTTP)) _SayLoaded(role);
}

void ArHttpResolver::_SayLoaded(Role role) const {
    const PlugPluginPtr plugin = PlugRegistry::GetInstance().GetPluginForType(TfType::Find<ArHttpResolver>());
    const std::vector<std::string>& schemes = ArHttpUriSchemes::Get().GetSchemes();
    const std::string quotedSchemes = "\"" + TfStringJoin(schemes, "\", \"") + "\"";
    std::string as;
    if (role == Role::Primary) {
        as = "the primary resolver" + (schemes.empty() ? std::string() : " (and of URI schemes " + quotedSchemes + ")");
    } else {
        as = "the resolver of URI schemes " + quotedSchemes + " beside another primary resolver";
    }
    const Config config = _GetEngine()->GetConfig();
    std::string answers = config.serverRefusal.empty() ? "server " + config.server.Text()
                                                       : "no server (" + config.serverRefusal + ")";
    if (!config.pinFile.empty()) answers = "pin file " + config.pinFile + (config.pinFallbackServer ? ", then " + answers : "");
    std::string transport;
    const bool loads = TransportLoads(&transport);
    TF_DEBUG(AR_HTTP).Msg("ArHttpResolver: loaded from %s as %s; %s; transport %s %s\n",
                          plugin ? plugin->GetPath().c_str() : "an unregistered library", as.c_str(),
                          answers.c_str(), transport.c_str(), loads ? "loads" : "cannot be loaded (see the warning)");
}

ArHttpResolver::~ArHttpResolver() {
    const ArHttpResolver* self = this;
    gExiting.compare_exchange_strong(self, nullptr);
}

void ArHttpResolver::_StopAtExit() {
    // Downloads ahead may still run when the process ends: they stop before
    // the transport library's statics and OpenSSL's go.
    if (const ArHttpResolver* resolver = gExiting.load()) resolver->StopBackgroundWork();
}

void ArHttpResolver::StopBackgroundWork() const {
    _GetEngine()->StopBackgroundWork();
}

std::shared_ptr<const ResolutionEngine> ArHttpResolver::_GetEngine() const {
    std::lock_guard<std::mutex> lock(_engineMutex);
    return _engine;
}

Config ArHttpResolver::GetHttpConfig() const {
    return _GetEngine()->GetConfig();
}

ContentFile ArHttpResolver::FetchContent(const std::string& url) const {
    return _GetEngine()->FetchContent(url);
}

Config ArHttpResolver::Reconfigure(const Environment& environment) {
    // Here `environment` is authoritative, TF_DEBUG included.
    const auto tfDebug = environment.find("TF_DEBUG");
    TfDebug::SetDebugSymbolsByName(
        kDebugSymbol,
        tfDebug != environment.end() && IsDebugSymbolEnabled(tfDebug->second, kDebugSymbol));
    auto engine = _MakeEngine(environment);
    std::lock_guard<std::mutex> lock(_engineMutex);
    _engine = engine;
    return engine->GetConfig();
}

std::string ArHttpResolver::_CreateIdentifier(const std::string& assetPath,
                                              const ArResolvedPath& anchorAssetPath) const {
    // A URL, or a file next to a remote layer: anchored as on the web, with
    // no probe (a request per asset path).
    std::string url = UrlIdentifier(assetPath, anchorAssetPath.GetPathString());
    if (!url.empty()) return url;
    const bool outer = tLocalOnly;
    tLocalOnly = true;
    std::string identifier;
    try {
        identifier = ArDefaultResolver::_CreateIdentifier(assetPath, anchorAssetPath);
    } catch (...) {
        tLocalOnly = outer;
        throw;
    }
    tLocalOnly = outer;
    return identifier;
}

const ServerContext* ArHttpResolver::_CurrentServerContext() const {
    static const ServerContext environment;
    const ArHttpContext* bound = _GetCurrentContextObject<ArHttpContext>();
    if (!bound) return &environment;
    if (bound->IsValid()) return &bound->GetServerContext();
    std::lock_guard<std::mutex> lock(_engineMutex);
    if (_refusedContexts.insert(bound->GetError()).second) {
        ArHttpTfLogSink().Warn(WarningCode::Config, "the bound ArHttpContext is refused (" + bound->GetError() +
                                                        "): assets the filesystem lacks stay unresolved while it is bound");
    }
    return nullptr;
}

ArResolvedPath ArHttpResolver::_Resolve(const std::string& assetPath) const {
    return ArResolvedPath(std::move(ResolveDetailed(assetPath).resolvedPath));
}

ResolutionEngine::Resolution ArHttpResolver::ResolveDetailed(const std::string& assetPath) const {
    ResolutionEngine::Resolution resolution;
    if (assetPath.empty()) return resolution;
    if (tLocalOnly) {
        resolution.resolvedPath = _local->Resolve(assetPath);
        return resolution;
    }

    // USD expects no exception from a resolver; only allocation can throw here.
    try {
        std::shared_ptr<_Scope> scope;
        return _GetEngine()->ResolveDetailed(assetPath, [&] {
            scope = _scopes.GetCurrentCache();
            return ResolutionEngine::Where{_CurrentServerContext(), scope.get()};
        });
    } catch (const std::exception& error) {
        ArHttpTfLogSink().Warn(WarningCode::ResolveFailed,
                               "resolving " + Quoted(assetPath) + " failed: " + error.what());
        return resolution;
    }
}

std::string ArHttpResolver::ResolveLocal(const std::string& identifier) const {
    return _local->Resolve(identifier);
}

std::vector<std::string> ArHttpResolver::ResolveManyAfresh(
    const std::vector<std::string>& identifiers, const ServerContext& context,
    uint64_t* warnings) const {
    Config config = _GetEngine()->GetConfig();
    config.watch = false;
    const auto log = std::make_shared<CountingLogSink>(std::make_shared<ArHttpTfLogSink>());
    const ResolutionEngine engine(std::move(config), _local, log, LoadedTransport());
    std::vector<std::string> resolved = engine.ResolveMany(identifiers, context);
    *warnings = log->Warnings();
    return resolved;
}

std::vector<std::string> ArHttpResolver::ResolveMany(
    const std::vector<std::string>& identifiers) const {
    std::vector<ResolutionEngine::Resolution> detailed = ResolveManyDetailed(identifiers);
    std::vector<std::string> resolved;
    resolved.reserve(detailed.size());
    for (ResolutionEngine::Resolution& resolution : detailed) resolved.push_back(std::move(resolution.resolvedPath));
    return resolved;
}

std::vector<ResolutionEngine::Resolution> ArHttpResolver::ResolveManyDetailed(
    const std::vector<std::string>& identifiers) const {
    const ServerContext* context = _CurrentServerContext();
    if (!context) {
        std::vector<ResolutionEngine::Resolution> resolved(identifiers.size());
        for (size_t i = 0; i < identifiers.size(); ++i) {
            resolved[i].resolvedPath = _local->Resolve(identifiers[i]);
        }
        return resolved;
    }
    const auto scope = _scopes.GetCurrentCache();
    return _GetEngine()->ResolveManyDetailed(identifiers, *context, scope.get());
}

ArAssetInfo ArHttpResolver::_GetAssetInfo(const std::string& assetPath,
                                          const ArResolvedPath& resolvedPath) const {
    ArAssetInfo info = ArDefaultResolver::_GetAssetInfo(assetPath, resolvedPath);
    const ServerContext* context = tLocalOnly || assetPath.empty() ? nullptr : _CurrentServerContext();
    if (!context) return info;
    const std::shared_ptr<const ResolutionEngine> engine = _GetEngine();
    const std::string& resolved = resolvedPath.GetPathString();
    // What the caches hold of the answer (a stage's scope always does while it
    // composes; snapshots' for ever) and of its content: asset info never
    // costs a request.
    const auto scope = _scopes.GetCurrentCache();
    const std::optional<ResolutionEngine::Resolution> recalled = engine->Recall(assetPath, *context, scope.get());
    if (!recalled || recalled->resolvedPath.empty() || recalled->resolvedPath != resolved) return info;
    const ResolutionEngine::Resolution& resolution = *recalled;
    VtDictionary resolverInfo;
    resolverInfo["via"] = VtValue(std::string(ResolutionEngine::ViaName(resolution.via)));
    if (resolution.version >= 0) {
        info.version = std::to_string(resolution.version);
        resolverInfo["version"] = VtValue(static_cast<int64_t>(resolution.version));
    }
    if (!resolution.snapshot.empty()) resolverInfo["snapshot"] = VtValue(resolution.snapshot);
    if (IsContentUrl(resolved)) {
        if (const std::optional<ContentFile> content = engine->RecallContent(resolved)) {
            // The bytes' own version: the mapping's change says which URL, the ETag which content.
            if (!content->etag.empty()) info.version = content->etag;
            resolverInfo["url"] = VtValue(resolved);
            resolverInfo["etag"] = VtValue(content->etag);
            resolverInfo["lastModified"] = VtValue(content->lastModified);
            resolverInfo["localPath"] = VtValue(content->localPath);
        }
    }
    info.resolverInfo = VtValue(resolverInfo);
    TF_DEBUG(AR_HTTP).Msg("ArHttpResolver: asset info of %s: %s, version %s%s\n", Quoted(assetPath).c_str(),
                          ResolutionEngine::ViaName(resolution.via),
                          info.version.empty() ? "unknown" : info.version.c_str(),
                          resolution.snapshot.empty() ? "" : (", snapshot " + resolution.snapshot).c_str());
    return info;
}

ArTimestamp ArHttpResolver::_GetModificationTimestamp(const std::string& assetPath,
                                                      const ArResolvedPath& resolvedPath) const {
    const std::string& resolved = resolvedPath.GetPathString();
    if (!IsContentUrl(resolved)) return ArDefaultResolver::_GetModificationTimestamp(assetPath, resolvedPath);
    const ContentFile content = _FetchContent(resolved);
    return content.localPath.empty() ? ArTimestamp() : ArTimestamp(content.timestamp);
}

ArResolverContext ArHttpResolver::_CreateContextFromString(const std::string& contextStr) const {
    if (contextStr.compare(0, 7, "http://") != 0 && contextStr.compare(0, 8, "https://") != 0 &&
        contextStr.compare(0, 1, ";") != 0) {
        return ArDefaultResolver::_CreateContextFromString(contextStr);
    }
    const ArHttpContext context = ArHttpContext::FromString(contextStr);
    if (!context.IsValid()) {
        std::lock_guard<std::mutex> lock(_engineMutex);
        // Said here, so not again when it is bound.
        if (_refusedContexts.insert(context.GetError()).second) {
            ArHttpTfLogSink().Warn(WarningCode::Config,
                                   context.GetError() + ": the context resolves nothing through HTTP");
        }
    }
    return ArResolverContext(context);
}

bool ArHttpResolver::_IsContextDependentPath(const std::string& assetPath) const {
    // A URL names the same content whatever the context.
    if (IsContentUrl(assetPath)) return false;
    if (ArDefaultResolver::_IsContextDependentPath(assetPath)) return true;
    return !assetPath.empty() && _local->Resolve(assetPath).empty();
}

std::string ArHttpResolver::_GetExtension(const std::string& assetPath) const {
    std::string extension = ExtensionOf(assetPath);
    // A layer named by an id ("id0x01") takes its format from what it resolves to.
    if (extension.empty() && !assetPath.empty() && !IsFileFormatExtension(assetPath)) {
        const ArResolvedPath resolved = _Resolve(assetPath);
        if (resolved && resolved.GetPathString() != assetPath) {
            extension = ExtensionOf(resolved.GetPathString());
        }
    }
    return extension;
}

std::shared_ptr<ArAsset> ArHttpResolver::_OpenAsset(const ArResolvedPath& resolvedPath) const {
    const std::string& path = resolvedPath.GetPathString();
    const std::shared_ptr<ArAsset> asset =
        IsContentUrl(path) ? _OpenContent(path) : ArDefaultResolver::_OpenAsset(resolvedPath);
    if (asset && IsLayerFileExtension(ExtensionOf(path))) {
        try {
            _AskAhead(resolvedPath, *asset);
        } catch (const std::exception& error) {
            ArHttpTfLogSink().Warn(WarningCode::ResolveFailed, "looking ahead in " +
                                                                   Quoted(resolvedPath.GetPathString()) +
                                                                   " failed: " + error.what());
        }
    }
    return asset;
}

ContentFile ArHttpResolver::_FetchContent(const std::string& url) const {
    const std::shared_ptr<_Scope> scope = _scopes.GetCurrentCache();
    if (scope) {
        if (std::optional<ContentFile> fetched = scope->content.Find(url)) return std::move(*fetched);
    }
    ContentFile content = _GetEngine()->FetchContent(url);
    if (scope && !content.localPath.empty()) scope->content.Keep(url, content);
    return content;
}

std::shared_ptr<ArAsset> ArHttpResolver::_OpenContent(const std::string& url) const {
    // A real file, so that GetFileUnsafe, mmap and every reader needing a path work.
    // Another process may evict it between download and open: fetched again once.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const ContentFile content = attempt == 0 ? _FetchContent(url) : _GetEngine()->FetchContent(url);
        // The engine warned, naming the URL: USD reports the layer missing.
        if (content.localPath.empty()) return nullptr;
        if (std::shared_ptr<ArAsset> asset = ArFilesystemAsset::Open(ArResolvedPath(content.localPath))) return asset;
    }
    ArHttpTfLogSink().Warn(WarningCode::ContentFailed, "the cached content of " + Quoted(url) + " could not be opened");
    return nullptr;
}

// Composition will soon resolve, one by one and from several threads, the
// asset paths this layer (or, for a package, each layer in it) names: the
// engine resolves those nothing answered yet now, in one request, where
// those resolves will look.
void ArHttpResolver::_AskAhead(const ArResolvedPath& layerPath, const ArAsset& layer) const {
    const ServerContext* context = _CurrentServerContext();
    if (!context) return;
    // A small layer is read, a large one mapped: mapping and unmapping cost
    // more than reading a few pages, and Sdf maps it too.
    constexpr size_t kReadUpTo = 256 * 1024;
    const size_t size = layer.GetSize();
    std::shared_ptr<const char> bytes;
    if (size <= kReadUpTo) {
        std::shared_ptr<char> read(new char[size ? size : 1], std::default_delete<char[]>());
        if (layer.Read(read.get(), size, 0) != size) return;
        bytes = read;
    } else {
        bytes = layer.GetBuffer();
    }
    if (!bytes) return;
    std::vector<std::string> identifiers;
    const ArHttpUriSchemes& schemes = ArHttpUriSchemes::Get();
    const std::string& path = layerPath.GetPathString();
    for (const LayerAssetPaths& named : AssetPathsInLayerFile(bytes.get(), size)) {
        std::vector<std::string> anchorParts{path};
        anchorParts.insert(anchorParts.end(), named.packagedPath.begin(), named.packagedPath.end());
        const ArResolvedPath anchor(ArJoinPackageRelativePath(anchorParts));
        // In a remote package, what a relative path names is in the package
        // (Sdf anchors it there): nothing to download nor ask.
        const bool remotePackage = !named.packagedPath.empty() && IsContentUrl(path);
        for (const std::string& assetPath : named.assetPaths) {
            if (remotePackage && StaysInRemotePackage(assetPath, path)) continue;
            // Another resolver's URI is not ours to ask; ours ("arhttp:a")
            // is absolute, and asked for what it stands for ("a").
            if (schemes.IsOtherResolvers(assetPath)) continue;
            const std::string stripped = schemes.AssetPathOf(assetPath);
            std::string identifier = stripped != assetPath ? stripped : _CreateIdentifier(assetPath, anchor);
            // Inside a package: the package is what may need resolving.
            if (ArIsPackageRelativePath(identifier)) {
                identifier = ArSplitPackageRelativePathOuter(identifier).first;
            }
            identifiers.push_back(std::move(identifier));
        }
    }
    const auto scope = _scopes.GetCurrentCache();
    _GetEngine()->AskAhead(identifiers, *context, scope.get());
}

void ArHttpResolver::_RefreshContext(const ArResolverContext&) {
    _GetEngine()->ClearCache();
    ArNotice::ResolverChanged().Send();
}

void ArHttpResolver::_BeginCacheScope(VtValue* cacheScopeData) {
    _scopes.BeginCacheScope(cacheScopeData);
}

void ArHttpResolver::_EndCacheScope(VtValue* cacheScopeData) {
    _scopes.EndCacheScope(cacheScopeData);
}

}  // namespace arhttp
