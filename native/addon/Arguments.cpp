#include "Arguments.h"

namespace arhttp::addon {

std::string StringArgument(const Napi::CallbackInfo& info, size_t index,
                           const char* name, bool optional) {
    const Napi::Value value = info[index];
    if (optional && value.IsUndefined()) return std::string();
    if (!value.IsString()) {
        throw Napi::TypeError::New(info.Env(), std::string("ar-http: ") + name +
                                                   " must be a string");
    }
    std::string text = value.As<Napi::String>().Utf8Value();
    if (text.find('\0') != std::string::npos) {
        throw Napi::TypeError::New(info.Env(), std::string("ar-http: ") + name +
                                                   " must not contain NUL characters");
    }
    return text;
}

}  // namespace arhttp::addon
