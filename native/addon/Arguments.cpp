#include "Arguments.h"

namespace arhttp::addon {

std::string StringValue(Napi::Env env, const Napi::Value& value, const char* name) {
    if (!value.IsString()) {
        throw Napi::TypeError::New(env, std::string(name) + " must be a string");
    }
    std::string text = value.As<Napi::String>().Utf8Value();
    if (text.find('\0') != std::string::npos) {
        throw Napi::TypeError::New(env, std::string(name) +
                                            " must not contain NUL characters");
    }
    return text;
}

std::string StringArgument(const Napi::CallbackInfo& info, size_t index,
                           const char* name, bool optional) {
    const Napi::Value value = info[index];
    if (optional && value.IsUndefined()) return std::string();
    return StringValue(info.Env(), value, name);
}

bool BooleanArgument(const Napi::CallbackInfo& info, size_t index, const char* name) {
    const Napi::Value value = info[index];
    if (value.IsUndefined()) return false;
    if (!value.IsBoolean()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a boolean");
    return value.As<Napi::Boolean>().Value();
}

std::vector<std::string> StringsArgument(const Napi::CallbackInfo& info, size_t index,
                                         const char* name) {
    if (!info[index].IsArray()) {
        throw Napi::TypeError::New(info.Env(), std::string(name) + " must be an array of strings");
    }
    const Napi::Array array = info[index].As<Napi::Array>();
    const std::string each = std::string(name) + "[i]";
    std::vector<std::string> strings;
    strings.reserve(array.Length());
    for (uint32_t i = 0; i < array.Length(); ++i) {
        strings.push_back(StringValue(info.Env(), array.Get(i), each.c_str()));
    }
    return strings;
}

Napi::Array StringArray(Napi::Env env, const std::vector<std::string>& strings) {
    Napi::Array array = Napi::Array::New(env, strings.size());
    for (size_t i = 0; i < strings.size(); ++i) array.Set(i, strings[i]);
    return array;
}

ServerContext ContextArgument(const Napi::CallbackInfo& info, size_t index) {
    const Napi::Env env = info.Env();
    const Napi::Value value = info[index];
    if (value.IsUndefined()) return ServerContext();
    if (!value.IsObject() || value.IsArray()) {
        throw Napi::TypeError::New(env, "context must be an object");
    }
    const Napi::Object object = value.As<Napi::Object>();
    auto part = [&](const char* name) {
        const Napi::Value given = object.Get(name);
        return given.IsUndefined() ? std::string()
                                   : StringValue(env, given, (std::string("context.") + name).c_str());
    };
    const std::string serverUrl = part("serverUrl");
    const std::string pathFormat = part("pathFormat");
    const std::string snapshot = part("snapshot");
    const std::string pins = part("pins");
    HeaderList headers;
    const Napi::Value given = object.Get("headers");
    if (!given.IsUndefined()) {
        if (!given.IsObject() || given.IsArray()) {
            throw Napi::TypeError::New(env, "context.headers must be an object of strings");
        }
        const Napi::Object headerObject = given.As<Napi::Object>();
        const Napi::Array names = headerObject.GetPropertyNames();
        for (uint32_t i = 0; i < names.Length(); ++i) {
            const std::string name = names.Get(i).ToString().Utf8Value();
            headers.emplace_back(name, StringValue(env, headerObject.Get(name),
                                                   "each value of context.headers"));
        }
    }
    std::string error;
    auto context = ServerContext::Make(serverUrl, pathFormat, headers, &error, snapshot, pins);
    if (!context) throw Napi::TypeError::New(env, "context " + error);
    return *context;
}

}  // namespace arhttp::addon
