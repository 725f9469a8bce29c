#include "Methods.h"

#include "addon/WarningListeners.h"

namespace arhttp::addon {

Napi::Value OnWarning(const Napi::CallbackInfo& info) {
    if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "listener must be a function");
    ListenForWarnings(info.Env(), info[0].As<Napi::Function>());
    RouteWarningsToNode();
    return info.Env().Undefined();
}

}  // namespace arhttp::addon
