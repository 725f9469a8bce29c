#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/Backend.h"

namespace arhttp::addon {

Napi::Value Resolve(const Napi::CallbackInfo& info) {
    const std::string assetPath = StringArgument(info, 0, "assetPath");
    const std::string anchor = StringArgument(info, 1, "anchor", true);
    const ServerContext context = ContextArgument(info, 2);
    const auto backend = CurrentBackend();
    return Napi::String::New(
        info.Env(), backend->Resolve(backend->CreateIdentifier(assetPath, anchor), context));
}

}  // namespace arhttp::addon
