#include "Methods.h"

#include "addon/Backend.h"

namespace arhttp::addon {

Napi::Value StopAllBackgroundWork(const Napi::CallbackInfo& info) {
    StopBackgroundWork();
    return info.Env().Undefined();
}

}  // namespace arhttp::addon
