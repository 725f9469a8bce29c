// Remembered answers with single-flight: concurrent resolves of one asset
// path make one request, and the others wait for its answer.
#ifndef AR_HTTP_CORE_RESOLVE_CACHE_H
#define AR_HTTP_CORE_RESOLVE_CACHE_H

#include <chrono>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace arhttp {

class ResolveCache {
public:
    using Clock = std::chrono::steady_clock;
    // A time to live that outlasts any process.
    static constexpr std::chrono::milliseconds kForever = std::chrono::hours(24 * 365 * 100);
    // What a resolve answered, and whether the answer may be kept (a
    // connection error or timeout says nothing about the asset).
    struct Answer {
        std::string resolvedPath;
        bool keep = true;
    };

    // `timeToLive` zero keeps nothing: only concurrent callers share an
    // answer. At most `maxEntries` answers are kept; the oldest go first.
    ResolveCache(std::chrono::milliseconds timeToLive, size_t maxEntries);

    // The kept answer for `key`, the answer of a resolve of `key` already
    // under way, or that of `resolve()`, run here. If `resolve` throws, so
    // does every caller waiting for it.
    Answer GetOrResolve(const std::string& key, const std::function<Answer()>& resolve);

    // Keeps `answer` for `key` unless one is kept or under way already: for
    // answers learnt ahead of time. Nothing is kept with zero time to live.
    void Offer(const std::string& key, const Answer& answer);

    void Clear();
    // The answer kept for `key`, if any; never waits, never resolves.
    std::optional<Answer> Find(const std::string& key) const;

private:
    struct Entry {
        std::shared_future<Answer> answer;
        Clock::time_point expiry;
        bool done = false;
        std::list<std::string>::iterator age;
    };
    void EraseLocked(std::unordered_map<std::string, Entry>::iterator entry);

    const std::chrono::milliseconds _timeToLive;
    const size_t _maxEntries;
    mutable std::mutex _mutex;
    std::unordered_map<std::string, Entry> _entries;
    std::list<std::string> _ages;  // oldest first
    size_t _generation = 0;        // bumped by Clear, so late answers are not kept
};

}  // namespace arhttp

#endif
