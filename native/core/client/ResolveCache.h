// Remembered answers with single-flight: concurrent resolves of one asset
// path make one request, and the others wait for its answer.
#ifndef AR_HTTP_CORE_RESOLVE_CACHE_H
#define AR_HTTP_CORE_RESOLVE_CACHE_H

#include "core/client/Unresolved.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <list>
#include <memory>
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
        // The number of the change that set the answer, when the server said
        // it (a GET's ETag, a batch's versioned lines); -1 when it did not.
        std::int64_t version = -1;
        // Why there is no resolved path; nothing when there is one.
        Unresolved why = Unresolved::NotFound;
    };

private:
    // One answer, to come or come. Waited for under the cache's lock, and
    // signalled only when someone waits: most answers are settled before
    // anybody asks, and a wake-up nobody needs costs a system call.
    struct Pending {
        std::condition_variable settled;
        size_t waiters = 0;
        bool done = false;
        Answer answer;
        std::exception_ptr error;
    };

public:
    // A resolve of one key that its holder promised to finish: until it is
    // settled, lookups of the key wait for it (GetOrResolve, FindOrWait). A
    // claim dropped unsettled settles as unknown, so nobody waits forever.
    class Claim {
    public:
        Claim(Claim&& other) noexcept;
        Claim& operator=(Claim&&) = delete;
        ~Claim();
        void Settle(const Answer& answer);

    private:
        friend class ResolveCache;
        Claim(ResolveCache* cache, std::string key, std::shared_ptr<Pending> pending, std::uint64_t ticket,
              size_t generation);
        // Hands `error` to every waiter and keeps nothing.
        void Fail(std::exception_ptr error);
        ResolveCache* _cache;
        std::string _key;
        std::shared_ptr<Pending> _pending;
        std::uint64_t _ticket;
        size_t _generation;
        bool _settled = false;
    };

    // `timeToLive` zero keeps nothing: only concurrent callers share an
    // answer. At most `maxEntries` answers are kept; the oldest go first.
    ResolveCache(std::chrono::milliseconds timeToLive, size_t maxEntries);

    // The kept answer for `key`, the answer of a resolve of `key` already
    // under way, or that of `resolve()`, run here. If `resolve` throws, so
    // does every caller waiting for it.
    Answer GetOrResolve(const std::string& key, const std::function<Answer()>& resolve);

    // A claim on `key`, unless an answer is kept or a resolve is under way:
    // for answers about to be learnt ahead of time, in a batch.
    std::optional<Claim> TryClaim(const std::string& key);

    // Keeps `answer` for `key` unless one is kept or under way already: for
    // answers learnt ahead of time. Nothing is kept with zero time to live.
    void Offer(const std::string& key, const Answer& answer);

    void Clear();
    // Forgets the answer kept for `key`; one under way is not kept when it comes.
    void Forget(const std::string& key);
    // The answer kept for `key`, if any; never waits, never resolves.
    std::optional<Answer> Find(const std::string& key) const;
    // The answer kept for `key`, or that of a resolve under way, waited for;
    // never resolves.
    std::optional<Answer> FindOrWait(const std::string& key);

private:
    struct Entry {
        std::shared_ptr<Pending> pending;
        Clock::time_point expiry;
        std::uint64_t ticket = 0;
        std::list<std::string>::iterator age;
    };
    // Under one lock: the answer kept, or that of a resolve under way when
    // `wait` is set (waited for, rethrowing its error), or else, when `claim`
    // is set and none is under way, a new claim on `key`.
    struct Acquired {
        std::optional<Answer> answer;
        std::optional<Claim> claim;
    };
    Acquired Acquire(const std::string& key, bool claim, bool wait);
    // Ends the claim `ticket` on `key`: wakes its waiters, then keeps `answer`
    // or forgets the entry (always when `error` is set).
    void Finish(const Claim& claim, const Answer& answer, std::exception_ptr error);
    // Keeps `answer` in the claim's entry, or forgets the entry.
    void FinishEntryLocked(const Claim& claim, const Answer& answer, bool failed);
    void EraseLocked(std::unordered_map<std::string, Entry>::iterator entry);

    const std::chrono::milliseconds _timeToLive;
    const size_t _maxEntries;
    mutable std::mutex _mutex;
    std::unordered_map<std::string, Entry> _entries;
    std::list<std::string> _ages;  // oldest first
    size_t _generation = 0;        // bumped by Clear, so late answers are not kept
    std::uint64_t _tickets = 0;    // one per claim, so a claim ends only its own entry
};

}  // namespace arhttp

#endif
