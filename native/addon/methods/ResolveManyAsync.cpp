#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/ResolveWorker.h"

namespace arhttp::addon {

namespace {

// ResolutionEngine::ResolveMany on libuv's thread pool.
class ResolveManyWorker : public ResolveWorker {
public:
    ResolveManyWorker(Napi::Env env, std::vector<std::string> assetPaths, std::string anchor,
                      ServerContext context)
        : ResolveWorker(env, "ar-http:resolveMany", std::move(anchor), std::move(context)),
          _assetPaths(std::move(assetPaths)) {}

private:
    void Run() override {
        std::vector<std::string> identifiers;
        for (const std::string& assetPath : _assetPaths) {
            identifiers.push_back(_backend->CreateIdentifier(assetPath, _anchor));
        }
        _resolved = _backend->ResolveMany(identifiers, _context);
    }

    void OnOK() override { _deferred.Resolve(StringArray(Env(), _resolved)); }

    const std::vector<std::string> _assetPaths;
    std::vector<std::string> _resolved;
};

}  // namespace

Napi::Value ResolveManyAsync(const Napi::CallbackInfo& info) {
    return (new ResolveManyWorker(info.Env(), StringsArgument(info, 0, "assetPaths"),
                                  StringArgument(info, 1, "anchor", true), ContextArgument(info, 2)))
        ->Start();
}

}  // namespace arhttp::addon
