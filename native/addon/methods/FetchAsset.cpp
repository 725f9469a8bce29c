#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/FetchedAsset.h"

namespace arhttp::addon {

Napi::Value FetchAsset(const Napi::CallbackInfo& info) {
    const std::string resolvedPath = StringArgument(info, 0, "resolvedPath");
    return FetchedAssetValue(info.Env(), FetchAsset(*CurrentBackend(), resolvedPath));
}

}  // namespace arhttp::addon
