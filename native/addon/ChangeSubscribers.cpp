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

std::mutex gMutex;
std::map<std::uint64_t, Tsfn> gSubscribers;
std::uint64_t gNextId = 0;
// The backend whose engine forwards to the subscribers: each engine once.
std::weak_ptr<const Backend> gFollowing;

void Forward(const std::vector<FeedEvent>& changes, bool everything) {
    std::lock_guard<std::mutex> lock(gMutex);
    for (auto& [id, tsfn] : gSubscribers) {
        auto* batch = new Batch{changes, everything};
        if (tsfn.NonBlockingCall(batch) != napi_ok) delete batch;
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
    Tsfn tsfn = Tsfn::New(env, callback, "ar-http:watch", 0, 1);
    // A watch does not keep the process alive on its own.
    tsfn.Unref(env);
    std::lock_guard<std::mutex> lock(gMutex);
    const std::uint64_t id = ++gNextId;
    gSubscribers.emplace(id, std::move(tsfn));
    FollowLocked();
    return id;
}

void Unsubscribe(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(gMutex);
    const auto found = gSubscribers.find(id);
    if (found == gSubscribers.end()) return;
    found->second.Release();
    gSubscribers.erase(found);
}

void FollowWithCurrentBackend() {
    std::lock_guard<std::mutex> lock(gMutex);
    // A reload made a new engine, in a new backend or (USD) in the same one.
    gFollowing.reset();
    if (!gSubscribers.empty()) FollowLocked();
}

}  // namespace arhttp::addon
