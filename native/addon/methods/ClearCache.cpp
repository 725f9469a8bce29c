#include "Methods.h"

#include "addon/Backend.h"

namespace arhttp::addon {

Napi::Value ClearCache(const Napi::CallbackInfo& info) {
    CurrentBackend()->ClearCache();
    return info.Env().Undefined();
}

}  // namespace arhttp::addon
