// The JavaScript callbacks of watch(): every change the backend's watcher
// reads reaches each of them on the JavaScript thread.
#ifndef AR_HTTP_ADDON_CHANGE_SUBSCRIBERS_H
#define AR_HTTP_ADDON_CHANGE_SUBSCRIBERS_H

#include <napi.h>

#include <cstdint>

namespace arhttp::addon {

// Adds `callback(changes, everything)` and makes sure the current backend
// follows the feed; returns the id for Unsubscribe.
std::uint64_t Subscribe(Napi::Env env, Napi::Function callback);
void Unsubscribe(std::uint64_t id);
// After a reload: the new engine follows the feed too, if anyone listens.
void FollowWithCurrentBackend();

}  // namespace arhttp::addon

#endif
