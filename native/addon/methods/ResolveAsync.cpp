#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/ResolutionValue.h"
#include "addon/ResolveWorker.h"

namespace arhttp::addon {

namespace {

class ResolveOneWorker : public ResolveWorker {
public:
    ResolveOneWorker(Napi::Env env, std::string assetPath, std::string anchor,
                     ServerContext context, bool detailed)
        : ResolveWorker(env, "ar-http:resolve", std::move(anchor), std::move(context)),
          _assetPath(std::move(assetPath)),
          _detailed(detailed) {}

private:
    void Run() override {
        const std::string identifier = _backend->CreateIdentifier(_assetPath, _anchor);
        if (_detailed) {
            _resolution = _backend->ResolveDetailed(identifier, _context);
        } else {
            _resolution.resolvedPath = _backend->Resolve(identifier, _context);
        }
    }
    void OnOK() override {
        _deferred.Resolve(_detailed ? Napi::Value(ResolutionValue(Env(), _resolution))
                                    : Napi::Value(Napi::String::New(Env(), _resolution.resolvedPath)));
    }

    const std::string _assetPath;
    const bool _detailed;
    ResolutionEngine::Resolution _resolution;
};

}  // namespace

Napi::Value ResolveAsync(const Napi::CallbackInfo& info) {
    return (new ResolveOneWorker(info.Env(), StringArgument(info, 0, "assetPath"),
                                 StringArgument(info, 1, "anchor", true), ContextArgument(info, 2),
                                 BooleanArgument(info, 3, "detailed")))
        ->Start();
}

}  // namespace arhttp::addon
