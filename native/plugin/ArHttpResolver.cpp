#include "ArHttpResolver.h"

#include "ArHttpDebugCodes.h"
#include "TfLogSink.h"

#include "core/DebugSwitch.h"
#include "core/HttpResolver.h"

#include "pxr/base/js/value.h"
#include "pxr/base/plug/registry.h"
#include "pxr/base/tf/diagnostic.h"
#include "pxr/base/tf/pathUtils.h"
#include "pxr/base/tf/stringUtils.h"
#include "pxr/base/tf/type.h"
#include "pxr/usd/ar/defineResolver.h"
#include "pxr/usd/ar/notice.h"

#include <set>

PXR_NAMESPACE_OPEN_SCOPE

AR_DEFINE_RESOLVER(ArHttpResolver, ArDefaultResolver);

struct ArHttpResolver::_Remote {
    explicit _Remote(arhttp::Config settings)
        : config(std::move(settings)), http(config, std::make_shared<ArHttpTfLogSink>()) {}
    const arhttp::Config config;
    const arhttp::HttpResolver http;
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

ArResolvedPath ArHttpResolver::_Resolve(const std::string& assetPath) const {
    if (assetPath.empty()) return ArResolvedPath();
    if (tLocalOnly) return ArDefaultResolver::_Resolve(assetPath);

    auto resolve = [&]() {
        ArResolvedPath resolved = ArDefaultResolver::_Resolve(assetPath);
        return resolved ? resolved.GetPathString() : _GetRemote()->http.Resolve(assetPath);
    };
    // USD expects no exception from a resolver; only allocation can throw here.
    try {
        if (const auto cache = _cache.GetCurrentCache()) {
            return ArResolvedPath(cache->GetOrResolve(assetPath, [&] {
                return arhttp::ResolveCache::Answer{resolve(), true};
            }).resolvedPath);
        }
        return ArResolvedPath(resolve());
    } catch (const std::exception& error) {
        TF_WARN("ArHttpResolver: resolving @%s@ failed: %s", assetPath.c_str(), error.what());
        return ArResolvedPath();
    }
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

void ArHttpResolver::ClearCache() {
    _GetRemote()->http.ClearCache();
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
