#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/Backend.h"
#include "addon/ChangeSubscribers.h"

namespace arhttp::addon {

namespace {

// Header values that are secrets come out redacted.
Napi::Object HeadersObject(Napi::Env env, const HeaderList& list, const SecretHeaderNames& secret) {
    Napi::Object headers = Napi::Object::New(env);
    for (const auto& [name, value] : list) headers.Set(name, PrintableHeaderValue(name, value, secret));
    return headers;
}

Napi::Object ConfigObject(Napi::Env env, const Config& config) {
    const Napi::Object headers = HeadersObject(env, config.headers, config.secretHeaders);
    Napi::Object object = Napi::Object::New(env);
    // A refused URL names no server: its placeholder must not read as the one asked.
    object.Set("serverUrl", config.serverRefusal.empty() ? config.server.Text() : std::string());
    object.Set("pathFormat", config.pathFormat.Text());
    object.Set("headers", headers);
    object.Set("secretHeaders", StringArray(env, config.secretHeaders));
    object.Set("timeoutMs", static_cast<double>(config.timeout.count()));
    object.Set("maxConnections", static_cast<double>(config.maxConnections));
    object.Set("cacheTtlMs", static_cast<double>(config.cacheTimeToLive.count()));
    object.Set("cacheMaxEntries", static_cast<double>(config.cacheMaxEntries));
    object.Set("batchPath", config.batchPath);
    object.Set("retries", static_cast<double>(config.retries));
    object.Set("retryDelayMs", static_cast<double>(config.retryDelay.count()));
    object.Set("failFastMs", static_cast<double>(config.failFast.count()));
    object.Set("maxRedirects", static_cast<double>(config.maxRedirects));
    Napi::Object tls = Napi::Object::New(env);
    tls.Set("caFile", config.tls.caFile);
    tls.Set("caDir", config.tls.caDir);
    tls.Set("verify", config.tls.verify);
    object.Set("tls", tls);
    object.Set("debug", config.debug);
    object.Set("watch", config.watch);
    object.Set("searchPaths", StringArray(env, config.searchPaths));
    object.Set("snapshot", config.snapshot);
    object.Set("pinFile", config.pinFile);
    object.Set("pinFallback", config.pinFallbackServer ? "server" : "none");
    Napi::Array pathMap = Napi::Array::New(env, config.pathMap.Pairs().size());
    for (size_t i = 0; i < config.pathMap.Pairs().size(); ++i) {
        Napi::Object pair = Napi::Object::New(env);
        pair.Set("from", config.pathMap.Pairs()[i].first);
        pair.Set("to", config.pathMap.Pairs()[i].second);
        pathMap.Set(i, pair);
    }
    object.Set("pathMap", pathMap);
    // Why no server is asked: a refused URL names none.
    object.Set("remoteRefusal", config.remoteRefusal.empty() ? config.serverRefusal : config.remoteRefusal);
    object.Set("contentCacheDir", config.contentCacheDir);
    object.Set("contentCacheMaxBytes", static_cast<double>(config.contentCacheMaxBytes));
    object.Set("maxContentBytes", static_cast<double>(config.maxContentBytes));
    object.Set("contentHeaders", HeadersObject(env, config.contentHeaders, config.secretHeaders));
    object.Set("warnings", StringArray(env, config.warnings));
    return object;
}

}  // namespace

Napi::Value GetConfig(const Napi::CallbackInfo& info) {
    return ConfigObject(info.Env(), CurrentBackend()->GetConfig());
}

Napi::Value ReloadConfig(const Napi::CallbackInfo& info) {
    if (!info[0].IsObject()) {
        throw Napi::TypeError::New(info.Env(), "environment must be an object");
    }
    const Napi::Object object = info[0].As<Napi::Object>();
    const Napi::Array names = object.GetPropertyNames();
    Environment environment;
    for (uint32_t i = 0; i < names.Length(); ++i) {
        const Napi::Value name = names.Get(i);
        const Napi::Value value = object.Get(name);
        if (name.IsString() && value.IsString()) {
            environment.emplace(name.As<Napi::String>().Utf8Value(),
                                value.As<Napi::String>().Utf8Value());
        }
    }
    const Config config = ReloadBackend(environment)->GetConfig();
    FollowWithCurrentBackend();
    return ConfigObject(info.Env(), config);
}

}  // namespace arhttp::addon
