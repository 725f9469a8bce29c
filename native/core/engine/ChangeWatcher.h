// Follows a resolution server's change feed on a thread of its own, for as
// long as it lives: reconnecting with Last-Event-ID after 250 ms, then twice
// as long each time up to 30 s, so a server that is away costs a connection
// attempt now and then, never a busy loop.
#ifndef AR_HTTP_CORE_CHANGE_WATCHER_H
#define AR_HTTP_CORE_CHANGE_WATCHER_H

#include "core/feed/FeedParser.h"
#include "core/log/LogSink.h"
#include "core/client/ServerClient.h"

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace arhttp {

class ChangeWatcher {
public:
    // Called on the watcher's thread with the changes of each chunk read, or
    // with `everything` set (and no changes) when changes may have been
    // missed: the feed came back after it broke.
    using OnChanges = std::function<void(const std::vector<FeedEvent>& changes, bool everything)>;

    // `server` names the server in messages.
    ChangeWatcher(std::shared_ptr<const ServerClient> client, std::string server, OnChanges onChanges,
                  std::shared_ptr<LogSink> log);
    // Stops at once: `onChanges` is not called once this returns.
    ~ChangeWatcher();
    ChangeWatcher(const ChangeWatcher&) = delete;
    ChangeWatcher& operator=(const ChangeWatcher&) = delete;

private:
    struct Shared;
    std::shared_ptr<Shared> _shared;
    std::thread _thread;
};

}  // namespace arhttp

#endif
