// The shared half of the async resolves: work on libuv's thread pool, so the
// JavaScript thread stays free to serve an HTTP server living in the same
// process, settling a promise with the result or the error.
#ifndef AR_HTTP_ADDON_RESOLVE_WORKER_H
#define AR_HTTP_ADDON_RESOLVE_WORKER_H

#include "Backend.h"

#include <napi.h>

#include <memory>
#include <string>

namespace arhttp::addon {

class ResolveWorker : public Napi::AsyncWorker {
public:
    ResolveWorker(Napi::Env env, const char* name, std::string anchor, ServerContext context)
        : Napi::AsyncWorker(env, name),
          _deferred(Napi::Promise::Deferred::New(env)),
          _backend(CurrentBackend()),
          _anchor(std::move(anchor)),
          _context(std::move(context)) {}

    // Queues the work and returns its promise.
    Napi::Promise Start() {
        const Napi::Promise promise = _deferred.Promise();
        Queue();
        return promise;
    }

protected:
    // Runs on the thread pool; a thrown exception rejects the promise.
    virtual void Run() = 0;

    void Execute() final {
        try {
            Run();
        } catch (const std::exception& error) {
            SetError(error.what());
        }
    }
    void OnError(const Napi::Error& error) final { _deferred.Reject(error.Value()); }

    Napi::Promise::Deferred _deferred;
    // In-flight resolves keep the backend they started with.
    const std::shared_ptr<const Backend> _backend;
    const std::string _anchor;
    const ServerContext _context;
};

}  // namespace arhttp::addon

#endif
