#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/Backend.h"

namespace arhttp::addon {

namespace {

// Runs on libuv's thread pool, so the JavaScript thread stays free to serve
// an HTTP server living in the same process.
class ResolveWorker : public Napi::AsyncWorker {
public:
    ResolveWorker(Napi::Env env, std::string assetPath, std::string anchor,
                  ServerContext context)
        : Napi::AsyncWorker(env, "ar-http:resolve"),
          _deferred(Napi::Promise::Deferred::New(env)),
          _backend(CurrentBackend()),
          _assetPath(std::move(assetPath)),
          _anchor(std::move(anchor)),
          _context(std::move(context)) {}

    Napi::Promise Promise() const { return _deferred.Promise(); }

    void Execute() override {
        try {
            _resolved = _backend->Resolve(_backend->CreateIdentifier(_assetPath, _anchor), _context);
        } catch (const std::exception& error) {
            SetError(error.what());
        }
    }

    void OnOK() override { _deferred.Resolve(Napi::String::New(Env(), _resolved)); }
    void OnError(const Napi::Error& error) override { _deferred.Reject(error.Value()); }

private:
    Napi::Promise::Deferred _deferred;
    std::shared_ptr<const Backend> _backend;
    std::string _assetPath;
    std::string _anchor;
    ServerContext _context;
    std::string _resolved;
};

}  // namespace

Napi::Value ResolveAsync(const Napi::CallbackInfo& info) {
    auto* worker = new ResolveWorker(info.Env(), StringArgument(info, 0, "assetPath"),
                                     StringArgument(info, 1, "anchor", true),
                                     ContextArgument(info, 2));
    const Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

}  // namespace arhttp::addon
