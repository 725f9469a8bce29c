#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/ResolveWorker.h"

namespace arhttp::addon {

namespace {

// Backend::ResolveManyAfresh on libuv's thread pool.
class ResolveManyAfreshWorker : public ResolveWorker {
public:
    ResolveManyAfreshWorker(Napi::Env env, std::vector<std::string> identifiers, ServerContext context)
        : ResolveWorker(env, "ar-http:resolveManyAfresh", std::string(), std::move(context)),
          _identifiers(std::move(identifiers)) {}

private:
    void Run() override { _resolved = _backend->ResolveManyAfresh(_identifiers, _context, &_warnings); }

    void OnOK() override {
        Napi::Object result = Napi::Object::New(Env());
        result.Set("resolved", StringArray(Env(), _resolved));
        result.Set("warnings", static_cast<double>(_warnings));
        _deferred.Resolve(result);
    }

    const std::vector<std::string> _identifiers;
    std::vector<std::string> _resolved;
    uint64_t _warnings = 0;
};

}  // namespace

Napi::Value ResolveManyAfresh(const Napi::CallbackInfo& info) {
    return (new ResolveManyAfreshWorker(info.Env(), StringsArgument(info, 0, "identifiers"),
                                        ContextArgument(info, 1)))
        ->Start();
}

}  // namespace arhttp::addon
