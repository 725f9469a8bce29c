#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/ResolveWorker.h"
#include "core/text/UrlReference.h"

namespace arhttp::addon {

namespace {

// Backend::ResolveLocal of many identifiers on libuv's thread pool; a URL is
// its own answer, with no server (as Resolve's localOnly has it).
class ResolveLocalManyWorker : public ResolveWorker {
public:
    ResolveLocalManyWorker(Napi::Env env, std::vector<std::string> identifiers)
        : ResolveWorker(env, "ar-http:resolveLocalMany", std::string(), ServerContext()),
          _identifiers(std::move(identifiers)) {}

private:
    void Run() override {
        _resolved.reserve(_identifiers.size());
        for (const std::string& identifier : _identifiers) {
            _resolved.push_back(IsContentUrl(identifier) ? identifier : _backend->ResolveLocal(identifier));
        }
    }

    void OnOK() override { _deferred.Resolve(StringArray(Env(), _resolved)); }

    const std::vector<std::string> _identifiers;
    std::vector<std::string> _resolved;
};

}  // namespace

Napi::Value ResolveLocalMany(const Napi::CallbackInfo& info) {
    return (new ResolveLocalManyWorker(info.Env(), StringsArgument(info, 0, "identifiers")))->Start();
}

}  // namespace arhttp::addon
