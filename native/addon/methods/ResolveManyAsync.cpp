#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/ResolutionValue.h"
#include "addon/ResolveWorker.h"

namespace arhttp::addon {

namespace {

// ResolutionEngine::ResolveMany on libuv's thread pool.
class ResolveManyWorker : public ResolveWorker {
public:
    ResolveManyWorker(Napi::Env env, std::vector<std::string> assetPaths, std::string anchor,
                      ServerContext context, bool detailed)
        : ResolveWorker(env, "ar-http:resolveMany", std::move(anchor), std::move(context)),
          _assetPaths(std::move(assetPaths)),
          _detailed(detailed) {}

private:
    void Run() override {
        std::vector<std::string> identifiers;
        for (const std::string& assetPath : _assetPaths) {
            identifiers.push_back(_backend->CreateIdentifier(assetPath, _anchor));
        }
        if (_detailed) {
            _resolutions = _backend->ResolveManyDetailed(identifiers, _context);
        } else {
            _resolved = _backend->ResolveMany(identifiers, _context);
        }
    }

    void OnOK() override {
        if (!_detailed) return _deferred.Resolve(StringArray(Env(), _resolved));
        Napi::Array array = Napi::Array::New(Env(), _resolutions.size());
        for (size_t i = 0; i < _resolutions.size(); ++i) array.Set(i, ResolutionValue(Env(), _resolutions[i]));
        _deferred.Resolve(array);
    }

    const std::vector<std::string> _assetPaths;
    const bool _detailed;
    std::vector<std::string> _resolved;
    std::vector<ResolutionEngine::Resolution> _resolutions;
};

}  // namespace

Napi::Value ResolveManyAsync(const Napi::CallbackInfo& info) {
    return (new ResolveManyWorker(info.Env(), StringsArgument(info, 0, "assetPaths"),
                                  StringArgument(info, 1, "anchor", true), ContextArgument(info, 2),
                                  BooleanArgument(info, 3, "detailed")))
        ->Start();
}

}  // namespace arhttp::addon
