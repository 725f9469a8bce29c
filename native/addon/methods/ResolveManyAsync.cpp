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
        const size_t count = _detailed ? _resolutions.size() : _resolved.size();
        Napi::Array array = Napi::Array::New(Env(), count);
        for (size_t i = 0; i < count; ++i) {
            if (_detailed) {
                array.Set(i, ResolutionValue(Env(), _resolutions[i]));
            } else {
                array.Set(i, _resolved[i]);
            }
        }
        _deferred.Resolve(array);
    }

    const std::vector<std::string> _assetPaths;
    const bool _detailed;
    std::vector<std::string> _resolved;
    std::vector<ResolutionEngine::Resolution> _resolutions;
};

}  // namespace

Napi::Value ResolveManyAsync(const Napi::CallbackInfo& info) {
    if (!info[0].IsArray()) {
        throw Napi::TypeError::New(info.Env(), "assetPaths must be an array of strings");
    }
    const Napi::Array array = info[0].As<Napi::Array>();
    std::vector<std::string> assetPaths;
    for (uint32_t i = 0; i < array.Length(); ++i) {
        assetPaths.push_back(StringValue(info.Env(), array.Get(i), "assetPaths[i]"));
    }
    return (new ResolveManyWorker(info.Env(), std::move(assetPaths),
                                  StringArgument(info, 1, "anchor", true), ContextArgument(info, 2),
                                  BooleanArgument(info, 3, "detailed")))
        ->Start();
}

}  // namespace arhttp::addon
