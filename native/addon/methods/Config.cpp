#include "Methods.h"

#include "addon/Engine.h"

namespace arhttp::addon {

namespace {

Napi::Array StringArray(Napi::Env env, const std::vector<std::string>& items) {
    Napi::Array array = Napi::Array::New(env, items.size());
    for (size_t i = 0; i < items.size(); ++i) array.Set(i, items[i]);
    return array;
}

// Header values that are secrets come out redacted.
Napi::Object ConfigObject(Napi::Env env, const Config& config) {
    Napi::Object headers = Napi::Object::New(env);
    for (const auto& [name, value] : config.headers) {
        headers.Set(name, PrintableHeaderValue(name, value));
    }
    Napi::Object object = Napi::Object::New(env);
    object.Set("serverUrl", config.server.Text());
    object.Set("pathFormat", config.pathFormat.Text());
    object.Set("headers", headers);
    object.Set("timeoutMs", static_cast<double>(config.timeout.count()));
    object.Set("maxConnections", static_cast<double>(config.maxConnections));
    object.Set("debug", config.debug);
    object.Set("searchPaths", StringArray(env, config.searchPaths));
    object.Set("warnings", StringArray(env, config.warnings));
    return object;
}

}  // namespace

Napi::Value GetConfig(const Napi::CallbackInfo& info) {
    return ConfigObject(info.Env(), CurrentEngine()->GetConfig());
}

Napi::Value ReloadConfig(const Napi::CallbackInfo& info) {
    return ConfigObject(info.Env(), ReloadEngine()->GetConfig());
}

}  // namespace arhttp::addon
