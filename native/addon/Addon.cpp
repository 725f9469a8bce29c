// Entry point of the standalone Node binding.
#include "Backend.h"
#include "ExitStop.h"
#include "methods/Methods.h"

#include <napi.h>

namespace arhttp::addon {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
    exports.Set("backend", Napi::String::New(env, kBackendName));
    exports.Set("resolve", Napi::Function::New(env, Resolve, "resolve"));
    exports.Set("resolveAsync", Napi::Function::New(env, ResolveAsync, "resolveAsync"));
    exports.Set("resolveManyAsync", Napi::Function::New(env, ResolveManyAsync, "resolveManyAsync"));
    exports.Set("resolveLocalMany", Napi::Function::New(env, ResolveLocalMany, "resolveLocalMany"));
    exports.Set("layerAssetPaths", Napi::Function::New(env, LayerAssetPaths, "layerAssetPaths"));
    exports.Set("createIdentifier", Napi::Function::New(env, CreateIdentifier, "createIdentifier"));
    exports.Set("resolveManyAfresh", Napi::Function::New(env, ResolveManyAfresh, "resolveManyAfresh"));
    exports.Set("fetchAsset", Napi::Function::New(env, FetchAsset, "fetchAsset"));
    exports.Set("fetchAssetAsync", Napi::Function::New(env, FetchAssetAsync, "fetchAssetAsync"));
    exports.Set("clearCache", Napi::Function::New(env, ClearCache, "clearCache"));
    exports.Set("config", Napi::Function::New(env, GetConfig, "config"));
    exports.Set("reloadConfig", Napi::Function::New(env, ReloadConfig, "reloadConfig"));
    exports.Set("onWarning", Napi::Function::New(env, OnWarning, "onWarning"));
    exports.Set("watchChanges", Napi::Function::New(env, WatchChanges, "watchChanges"));
    exports.Set("stopBackgroundWork", Napi::Function::New(env, StopAllBackgroundWork, "stopBackgroundWork"));
    StopAtCleanup(env);
    return exports;
}

NODE_API_MODULE(ar_http, Init)

}  // namespace arhttp::addon
