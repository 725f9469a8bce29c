#include "ArHttpResolver.h"

#include "ArHttpDebugCodes.h"
#include "TfLogSink.h"

#include "core/DebugSwitch.h"
#include "core/HttpResolverSet.h"
#include "core/PrintableText.h"

#include "pxr/base/js/value.h"
#include "pxr/base/plug/registry.h"
#include "pxr/base/tf/diagnostic.h"
#include "pxr/base/tf/pathUtils.h"
#include "pxr/base/tf/stringUtils.h"
#include "pxr/base/tf/type.h"
#include "pxr/usd/ar/asset.h"
#include "pxr/usd/ar/defineResolver.h"
#include "pxr/usd/ar/notice.h"

#include <cstring>
#include <set>
#include <vector>

PXR_NAMESPACE_OPEN_SCOPE

AR_DEFINE_RESOLVER(ArHttpResolver, ArDefaultResolver);

struct ArHttpResolver::_Remote {
    explicit _Remote(arhttp::Config settings)
        : config(std::move(settings)), servers(config, std::make_shared<ArHttpTfLogSink>()) {}
    const arhttp::Config config;
    const arhttp::HttpResolverSet servers;
};

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

// The asset paths a text layer names: every @path@ and @@@path@@@ outside
// comments is taken, a few too many (asset-valued attributes) doing no harm.
std::vector<std::string> AssetPathsIn(const char* text, size_t size) {
    std::vector<std::string> paths;
    const char* const end = text + size;
    for (const char* at = text; at < end; ++at) {
        if (*at == '#') {  // a comment runs to the end of its line
            at = static_cast<const char*>(std::memchr(at, '\n', end - at));
            if (!at) break;
        } else if (*at == '"' || *at == '\'') {  // text in a string names no asset
            const char quote = *at;
            for (++at; at < end && *at != quote && *at != '\n'; ++at) {
                if (*at == '\\' && at + 1 < end) ++at;
            }
            if (at == end) break;
        } else if (*at == '@') {
            const bool triple = end - at >= 3 && at[1] == '@' && at[2] == '@';
            const char* begin = at + (triple ? 3 : 1);
            const char* close = nullptr;
            for (const char* c = begin; c < end && *c != '\n'; ++c) {
                if (*c == '@' && (!triple || (end - c >= 3 && c[1] == '@' && c[2] == '@'))) {
                    close = c;
                    break;
                }
            }
            if (!close) continue;
            if (close > begin) paths.emplace_back(begin, close);
            at = close + (triple ? 2 : 0);
        }
    }
    return paths;
}


}  // namespace

// Settings refused in the environment are reported once, when read.
std::shared_ptr<const ArHttpResolver::_Remote>
ArHttpResolver::_MakeRemote(const arhttp::Environment& environment) {
    arhttp::Config config = arhttp::Config::FromEnvironment(environment);
    // TfDebug may also be switched on by code, not only by TF_DEBUG.
    config.debug = TfDebug::IsEnabled(AR_HTTP);
    for (const std::string& warning : config.warnings) {
        TF_WARN("ArHttpResolver: %s", warning.c_str());
    }
    return std::make_shared<const _Remote>(std::move(config));
}

ArHttpResolver::ArHttpResolver() : _remote(_MakeRemote(arhttp::ProcessEnvironment())) {}

ArHttpResolver::~ArHttpResolver() = default;

std::shared_ptr<const ArHttpResolver::_Remote> ArHttpResolver::_GetRemote() const {
    std::lock_guard<std::mutex> lock(_remoteMutex);
    return _remote;
}

arhttp::Config ArHttpResolver::GetHttpConfig() const {
    return _GetRemote()->config;
}

arhttp::Config ArHttpResolver::Reconfigure(const arhttp::Environment& environment) {
    // Here `environment` is authoritative, TF_DEBUG included.
    const auto tfDebug = environment.find("TF_DEBUG");
    TfDebug::SetDebugSymbolsByName(
        arhttp::kDebugSymbol,
        tfDebug != environment.end() &&
            arhttp::IsDebugSymbolEnabled(tfDebug->second, arhttp::kDebugSymbol));
    auto remote = _MakeRemote(environment);
    std::lock_guard<std::mutex> lock(_remoteMutex);
    _remote = remote;
    return remote->config;
}

std::string ArHttpResolver::_CreateIdentifier(const std::string& assetPath,
                                              const ArResolvedPath& anchorAssetPath) const {
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

const arhttp::ServerContext* ArHttpResolver::_CurrentServerContext() const {
    static const arhttp::ServerContext environment;
    const ArHttpContext* bound = _GetCurrentContextObject<ArHttpContext>();
    if (!bound) return &environment;
    if (bound->IsValid()) return &bound->GetServerContext();
    std::lock_guard<std::mutex> lock(_remoteMutex);
    if (_refusedContexts.insert(bound->GetError()).second) {
        TF_WARN("ArHttpResolver: the bound ArHttpContext is refused (%s): assets the "
                "filesystem lacks stay unresolved while it is bound",
                bound->GetError().c_str());
    }
    return nullptr;
}

ArResolvedPath ArHttpResolver::_Resolve(const std::string& assetPath) const {
    if (assetPath.empty()) return ArResolvedPath();
    if (tLocalOnly) return ArDefaultResolver::_Resolve(assetPath);

    // USD expects no exception from a resolver; only allocation can throw here.
    try {
        const arhttp::ServerContext* context = _CurrentServerContext();
        if (!context) return ArDefaultResolver::_Resolve(assetPath);
        const std::string key = context->KeyFor(assetPath);
        auto resolve = [&]() -> arhttp::ResolveCache::Answer {
            ArResolvedPath resolved = ArDefaultResolver::_Resolve(assetPath);
            if (resolved) return {resolved.GetPathString(), true};
            if (auto known = _ahead.Find(key)) return *known;
            return _GetRemote()->servers.For(*context)->Lookup(assetPath);
        };
        if (const auto cache = _cache.GetCurrentCache()) {
            return ArResolvedPath(cache->GetOrResolve(key, resolve).resolvedPath);
        }
        return ArResolvedPath(resolve().resolvedPath);
    } catch (const std::exception& error) {
        TF_WARN("ArHttpResolver: resolving %s failed: %s", arhttp::Quoted(assetPath).c_str(),
                error.what());
        return ArResolvedPath();
    }
}

ArResolverContext ArHttpResolver::_CreateContextFromString(const std::string& contextStr) const {
    if (contextStr.compare(0, 7, "http://") != 0 && contextStr.compare(0, 8, "https://") != 0 &&
        contextStr.compare(0, 1, ";") != 0) {
        return ArDefaultResolver::_CreateContextFromString(contextStr);
    }
    const ArHttpContext context = ArHttpContext::FromString(contextStr);
    if (!context.IsValid()) {
        std::lock_guard<std::mutex> lock(_remoteMutex);
        // Said here, so not again when it is bound.
        if (_refusedContexts.insert(context.GetError()).second) {
            TF_WARN("ArHttpResolver: %s: the context resolves nothing through HTTP",
                    context.GetError().c_str());
        }
    }
    return ArResolverContext(context);
}

bool ArHttpResolver::_IsContextDependentPath(const std::string& assetPath) const {
    if (ArDefaultResolver::_IsContextDependentPath(assetPath)) return true;
    return !assetPath.empty() && !ArDefaultResolver::_Resolve(assetPath);
}

std::string ArHttpResolver::_GetExtension(const std::string& assetPath) const {
    std::string extension = TfGetExtension(assetPath);
    // A layer named by an id ("id0x01") takes its format from what it resolves to.
    if (extension.empty() && !assetPath.empty() && !IsFileFormatExtension(assetPath)) {
        const ArResolvedPath resolved = _Resolve(assetPath);
        if (resolved && resolved.GetPathString() != assetPath) {
            extension = TfGetExtension(resolved.GetPathString());
        }
    }
    return extension;
}

std::shared_ptr<ArAsset> ArHttpResolver::_OpenAsset(const ArResolvedPath& resolvedPath) const {
    std::shared_ptr<ArAsset> asset = ArDefaultResolver::_OpenAsset(resolvedPath);
    if (asset && TfGetExtension(resolvedPath.GetPathString()) == "usda") {
        try {
            _AskAhead(resolvedPath, *asset);
        } catch (const std::exception& error) {
            TF_WARN("ArHttpResolver: looking ahead in %s failed: %s",
                    arhttp::Quoted(resolvedPath.GetPathString()).c_str(), error.what());
        }
    }
    return asset;
}

// Composition will soon resolve, one by one and from several threads, the
// asset paths this layer names: resolve those the filesystem lacks now, in one
// request, where those resolves will look.
void ArHttpResolver::_AskAhead(const ArResolvedPath& layerPath, const ArAsset& layer) const {
    const arhttp::ServerContext* context = _CurrentServerContext();
    if (!context) return;
    const auto cache = _cache.GetCurrentCache();
    const std::shared_ptr<const char> text = layer.GetBuffer();
    if (!text) return;
    std::vector<std::string> wanted;
    std::set<std::string> seen;
    for (const std::string& assetPath : AssetPathsIn(text.get(), layer.GetSize())) {
        const std::string identifier = _CreateIdentifier(assetPath, layerPath);
        if (identifier.empty() || !seen.insert(identifier).second ||
            (cache && cache->Find(context->KeyFor(identifier))) ||
            _ahead.Find(context->KeyFor(identifier)) || ArDefaultResolver::_Resolve(identifier)) {
            continue;
        }
        wanted.push_back(identifier);
    }
    if (wanted.size() < 2) return;  // one path is as cheap asked when needed
    const auto answers = _GetRemote()->servers.For(*context)->ResolveBatch(wanted);
    if (!answers) return;
    for (size_t i = 0; i < wanted.size(); ++i) {
        _ahead.Offer(context->KeyFor(wanted[i]), {(*answers)[i], true});
    }
}

void ArHttpResolver::ClearCache() {
    _ahead.Clear();
    _GetRemote()->servers.ClearCache();
}

void ArHttpResolver::_RefreshContext(const ArResolverContext&) {
    ClearCache();
    ArNotice::ResolverChanged().Send();
}

void ArHttpResolver::_BeginCacheScope(VtValue* cacheScopeData) {
    _cache.BeginCacheScope(cacheScopeData);
}

void ArHttpResolver::_EndCacheScope(VtValue* cacheScopeData) {
    _cache.EndCacheScope(cacheScopeData);
}

PXR_NAMESPACE_CLOSE_SCOPE
