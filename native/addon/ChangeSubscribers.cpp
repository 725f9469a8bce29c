#include "ChangeSubscribers.h"

#include "Backend.h"

#include <map>
#include <memory>
#include <mutex>

namespace arhttp::addon {

namespace {

struct Batch {
    std::vector<FeedEvent> changes;
    bool everything;
};

void CallJs(Napi::Env env, Napi::Function callback, void*, Batch* batch) {
    std::unique_ptr<Batch> owned(batch);
    if (!env || !callback) return;
    Napi::Array changes = Napi::Array::New(env, owned->changes.size());
    for (size_t i = 0; i < owned->changes.size(); ++i) {
        const FeedEvent& event = owned->changes[i];
        Napi::Object change = Napi::Object::New(env);
        change.Set("id", static_cast<double>(event.id));
        change.Set("assetPath", event.assetPath);
        change.Set("resolvedPath", event.resolvedPath ? Napi::Value(Napi::String::New(env, *event.resolvedPath))
                                                      : env.Null());
        changes.Set(i, change);
    }
    callback.Call({changes, Napi::Boolean::New(env, owned->everything)});
}

using Tsfn = Napi::TypedThreadSafeFunction<void, Batch, CallJs>;

// Batches waiting for a busy JavaScript thread, per subscriber, at most: past
// that, batches are dropped and the next one says changes were missed.
constexpr size_t kMaxQueuedBatches = 10000;

struct Subscriber {
    Tsfn tsfn;
    bool missed = false;
};

std::mutex gMutex;
std::map<std::uint64_t, Subscriber> gSubscribers;
std::uint64_t gNextId = 0;
// The backend whose engine forwards to the subscribers: each engine once.
std::weak_ptr<const Backend> gFollowing;

void Forward(const std::vector<FeedEvent>& changes, bool everything) {
    std::lock_guard<std::mutex> lock(gMutex);
    for (auto& [id, subscriber] : gSubscribers) {
        auto* batch = new Batch{changes, everything || subscriber.missed};
        subscriber.missed = subscriber.tsfn.NonBlockingCall(batch) != napi_ok;
        if (subscriber.missed) delete batch;
    }
}

void FollowLocked() {
    const std::shared_ptr<const Backend> backend = CurrentBackend();
    if (gFollowing.lock() == backend) return;
    gFollowing = backend;
    backend->Watch(Forward);
}

}  // namespace

std::uint64_t Subscribe(Napi::Env env, Napi::Function callback) {
    Tsfn tsfn = Tsfn::New(env, callback, "ar-http:watch", kMaxQueuedBatches, 1);
    // A watch does not keep the process alive on its own.
    tsfn.Unref(env);
    std::lock_guard<std::mutex> lock(gMutex);
    const std::uint64_t id = ++gNextId;
    gSubscribers.emplace(id, Subscriber{std::move(tsfn)});
    FollowLocked();
    return id;
}

void Unsubscribe(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(gMutex);
    const auto found = gSubscribers.find(id);
    if (found == gSubscribers.end()) return;
    found->second.tsfn.Release();
    gSubscribers.erase(found);
}

void FollowWithCurrentBackend() {
    std::lock_guard<std::mutex> lock(gMutex);
    // A reload made a new engine, in a new backend or (USD) in the same one.
    gFollowing.reset();
    if (!gSubscribers.empty()) FollowLocked();
}

}  // namespace arhttp::addon
