#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/ResolveWorker.h"

namespace arhttp::addon {

namespace {

class ResolveOneWorker : public ResolveWorker {
public:
    ResolveOneWorker(Napi::Env env, std::string assetPath, std::string anchor,
                     ServerContext context)
        : ResolveWorker(env, "ar-http:resolve", std::move(anchor), std::move(context)),
          _assetPath(std::move(assetPath)) {}

private:
    void Run() override {
        _resolved = _backend->Resolve(_backend->CreateIdentifier(_assetPath, _anchor), _context);
    }
    void OnOK() override { _deferred.Resolve(Napi::String::New(Env(), _resolved)); }

    const std::string _assetPath;
    std::string _resolved;
};

}  // namespace

Napi::Value ResolveAsync(const Napi::CallbackInfo& info) {
    return (new ResolveOneWorker(info.Env(), StringArgument(info, 0, "assetPath"),
                                 StringArgument(info, 1, "anchor", true), ContextArgument(info, 2)))
        ->Start();
}

}  // namespace arhttp::addon
