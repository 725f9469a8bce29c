#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/FetchedAsset.h"
#include "addon/ResolveWorker.h"

namespace arhttp::addon {

namespace {

class FetchAssetWorker : public ResolveWorker {
public:
    FetchAssetWorker(Napi::Env env, std::string resolvedPath)
        : ResolveWorker(env, "ar-http:fetchAsset", std::string(), ServerContext()),
          _resolvedPath(std::move(resolvedPath)) {}

private:
    void Run() override { _file = FetchAsset(*_backend, _resolvedPath); }
    void OnOK() override { _deferred.Resolve(FetchedAssetValue(Env(), _file)); }

    const std::string _resolvedPath;
    ContentFile _file;
};

}  // namespace

Napi::Value FetchAssetAsync(const Napi::CallbackInfo& info) {
    return (new FetchAssetWorker(info.Env(), StringArgument(info, 0, "resolvedPath")))->Start();
}

}  // namespace arhttp::addon
