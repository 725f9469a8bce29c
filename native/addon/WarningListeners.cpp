#include "WarningListeners.h"

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace arhttp::addon {

namespace {

struct Warning {
    WarningCode code;
    std::string message;
};

void Call(Napi::Env env, const Napi::Function& listener, const Warning& warning) {
    try {
        listener.Call({Napi::String::New(env, WarningCodeName(warning.code)), Napi::String::New(env, warning.message)});
    } catch (const Napi::Error&) {
        // Warnings still queued as the thread ends cannot run JavaScript any
        // more; nothing else may throw out of here.
    }
}

void CallJs(Napi::Env env, Napi::Function listener, void*, Warning* warning) {
    std::unique_ptr<Warning> owned(warning);
    if (env && listener) Call(env, listener, *owned);
}

using Tsfn = Napi::TypedThreadSafeFunction<void, Warning, CallJs>;

// Warnings waiting for a busy JavaScript thread, at most: past that, stderr.
constexpr size_t kMaxQueued = 10000;

struct Listener {
    std::uint64_t id;
    napi_env env;
    Tsfn tsfn;
    // For warnings of a synchronous call on the listener's own thread.
    std::thread::id thread;
    Napi::FunctionReference direct;
};

std::mutex gMutex;
// Oldest first. An entry goes when its function is finalized (its thread
// ending) or replaced, under the lock, so no call reaches a freed one.
std::list<Listener> gListeners;
std::uint64_t gNextId = 0;

void Forget(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(gMutex);
    gListeners.remove_if([id](const Listener& listener) { return listener.id == id; });
}

}  // namespace

void ListenForWarnings(Napi::Env env, Napi::Function listener) {
    std::lock_guard<std::mutex> lock(gMutex);
    const std::uint64_t id = ++gNextId;
    Tsfn tsfn = Tsfn::New(env, listener, "ar-http:warning", kMaxQueued, 1, nullptr,
                          [id](Napi::Env, void*, void*) { Forget(id); });
    // Warnings never keep the process alive.
    tsfn.Unref(env);
    for (Listener& known : gListeners) {
        if (known.env == env) {
            known.tsfn.Release();
            known = Listener{id, env, std::move(tsfn), std::this_thread::get_id(), Napi::Persistent(listener)};
            return;
        }
    }
    gListeners.push_back(Listener{id, env, std::move(tsfn), std::this_thread::get_id(), Napi::Persistent(listener)});
}

bool DeliverWarning(WarningCode code, const std::string& message) {
    std::unique_lock<std::mutex> lock(gMutex);
    if (gListeners.empty()) return false;
    Listener& first = gListeners.front();
    if (first.thread == std::this_thread::get_id()) {
        // A synchronous call on the listener's own thread: called now, not
        // when the loop turns, which a script ending at once never sees.
        // Only this thread removes its entry, so it outlives the call.
        const Napi::Env env(first.env);
        const Napi::FunctionReference& direct = first.direct;
        lock.unlock();
        const Napi::HandleScope scope(env);
        Call(env, direct.Value(), Warning{code, message});
        return true;
    }
    auto* warning = new Warning{code, message};
    if (first.tsfn.NonBlockingCall(warning) == napi_ok) return true;
    delete warning;
    return false;
}

void NodeLogSink::Warn(WarningCode code, const std::string& message) {
    if (!DeliverWarning(code, message)) StderrLogSink::Warn(code, message);
}

}  // namespace arhttp::addon
