#include "Methods.h"

#include "addon/ChangeSubscribers.h"

namespace arhttp::addon {

Napi::Value WatchChanges(const Napi::CallbackInfo& info) {
    if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "listener must be a function");
    const std::uint64_t id = Subscribe(info.Env(), info[0].As<Napi::Function>());
    return Napi::Function::New(info.Env(), [id](const Napi::CallbackInfo& stop) {
        Unsubscribe(id);
        return stop.Env().Undefined();
    }, "stop");
}

}  // namespace arhttp::addon
