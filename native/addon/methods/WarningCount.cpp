#include "Methods.h"

#include "addon/Backend.h"

namespace arhttp::addon {

Napi::Value WarningCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(CurrentBackend()->WarningCount()));
}

}  // namespace arhttp::addon
