#include "core/engine/ChangeWatcher.h"

#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <unistd.h>

namespace arhttp {

namespace {

constexpr std::chrono::milliseconds kFirstDelay{250};
constexpr std::chrono::milliseconds kMaxDelay{30000};
constexpr std::chrono::seconds kSteadyStream{10};
// How long the destructor waits for the thread before leaving it to end by
// itself: only a connection attempt can take that long.
constexpr std::chrono::milliseconds kJoinWait{500};

}  // namespace

struct ChangeWatcher::Shared {
    std::mutex mutex;
    std::condition_variable ended;
    bool alive = true;
    bool finished = false;
    OnChanges onChanges;
    // Written to once, to wake the thread out of any wait.
    int wake[2] = {-1, -1};

    ~Shared() {
        for (const int fd : wake) {
            if (fd >= 0) close(fd);
        }
    }
    bool Alive() {
        std::lock_guard<std::mutex> lock(mutex);
        return alive;
    }
    void Deliver(const std::vector<FeedEvent>& changes, bool everything) {
        // Under the lock: the destructor waits for a delivery under way.
        std::lock_guard<std::mutex> lock(mutex);
        if (alive) onChanges(changes, everything);
    }
};

ChangeWatcher::ChangeWatcher(std::shared_ptr<const ServerClient> client, std::string server,
                             OnChanges onChanges, std::shared_ptr<LogSink> log)
    : _shared(std::make_shared<Shared>()) {
    _shared->onChanges = std::move(onChanges);
    if (pipe2(_shared->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        log->Warn(WarningCode::ChangeFeed, "the change feed of " + server + " is not followed: no pipe for its thread");
        return;
    }
    // The thread holds what it uses: it may outlive this object (see kJoinWait).
    _thread = std::thread([shared = _shared, client = std::move(client), server = std::move(server),
                           log = std::move(log)] {
        FeedParser parser;
        auto delay = kFirstDelay;
        bool broken = false;
        bool connected = false;
        // Called with the first bytes of a stream after a break.
        const auto back = [&] {
            connected = true;
            if (!broken) return;
            broken = false;
            // What happened meanwhile may be lost.
            shared->Deliver({}, true);
            log->Warn(WarningCode::ChangeFeed, "following the change feed of " + server + " again");
        };
        while (shared->Alive()) {
            const auto started = std::chrono::steady_clock::now();
            const ServerClient::FeedEnd end = client->FollowChanges(
                parser,
                [&](std::vector<FeedEvent>&& changes) {
                    back();
                    if (!changes.empty()) shared->Deliver(changes, false);
                },
                shared->wake[0]);
            if (!shared->Alive()) break;
            // A stream that reached its planned end is followed again at once.
            if (end.planned) continue;
            // Only a stream that lasted starts the waits over: one that a server
            // closes as soon as it opens is tried ever less often.
            if (end.received && std::chrono::steady_clock::now() - started > kSteadyStream) delay = kFirstDelay;
            if (!broken) {
                log->Warn(WarningCode::ChangeFeed, "the change feed of " + server +
                          (connected ? " broke (" : " cannot be followed (") + end.why +
                          "); trying again, waiting up to " + std::to_string(kMaxDelay.count() / 1000) +
                          " s between attempts");
                broken = true;
            }
            pollfd entry{shared->wake[0], POLLIN, 0};
            poll(&entry, 1, static_cast<int>(delay.count()));
            delay = std::min(delay * 2, kMaxDelay);
        }
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->finished = true;
        shared->ended.notify_all();
    });
}

ChangeWatcher::~ChangeWatcher() {
    if (!_thread.joinable()) return;
    {
        std::unique_lock<std::mutex> lock(_shared->mutex);
        _shared->alive = false;
        const char byte = 1;
        [[maybe_unused]] const ssize_t written = write(_shared->wake[1], &byte, 1);
        _shared->ended.wait_for(lock, kJoinWait, [this] { return _shared->finished; });
    }
    if (_shared->finished) _thread.join();
    else _thread.detach();
}

}  // namespace arhttp
