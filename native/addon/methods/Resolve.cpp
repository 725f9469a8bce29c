#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/Backend.h"
#include "addon/ResolutionValue.h"

namespace arhttp::addon {

Napi::Value Resolve(const Napi::CallbackInfo& info) {
    const std::string assetPath = StringArgument(info, 0, "assetPath");
    const std::string anchor = StringArgument(info, 1, "anchor", true);
    const ServerContext context = ContextArgument(info, 2);
    const bool detailed = BooleanArgument(info, 3, "detailed");
    const auto backend = CurrentBackend();
    const std::string identifier = backend->CreateIdentifier(assetPath, anchor);
    if (detailed) return ResolutionValue(info.Env(), backend->ResolveDetailed(identifier, context));
    return Napi::String::New(info.Env(), backend->Resolve(identifier, context));
}

}  // namespace arhttp::addon
