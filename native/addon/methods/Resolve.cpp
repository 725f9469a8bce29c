#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/Engine.h"

namespace arhttp::addon {

Napi::Value Resolve(const Napi::CallbackInfo& info) {
    const std::string assetPath = StringArgument(info, 0, "assetPath");
    const std::string anchor = StringArgument(info, 1, "anchor", true);
    const auto engine = CurrentEngine();
    return Napi::String::New(info.Env(),
                             engine->Resolve(engine->CreateIdentifier(assetPath, anchor)));
}

}  // namespace arhttp::addon
