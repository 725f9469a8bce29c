#include "Arguments.h"

namespace arhttp::addon {

std::string StringValue(Napi::Env env, const Napi::Value& value, const char* name) {
    if (!value.IsString()) {
        throw Napi::TypeError::New(env, std::string("ar-http: ") + name + " must be a string");
    }
    std::string text = value.As<Napi::String>().Utf8Value();
    if (text.find('\0') != std::string::npos) {
        throw Napi::TypeError::New(env, std::string("ar-http: ") + name +
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

}  // namespace arhttp::addon
