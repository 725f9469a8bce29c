// ResolveCache: time to live, answers not kept, eviction, Find, Offer,
// Clear, single-flight, exceptions and claims.
#include "check.h"

#include "core/client/ResolveCache.h"

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

namespace units {

namespace {

using arhttp::ResolveCache;
using Answer = ResolveCache::Answer;
using std::chrono::milliseconds;

// A resolve that counts its calls and answers `path`.
struct Counting {
    std::atomic<int> calls{0};
    std::function<Answer()> Answering(const std::string& path, bool keep = true) {
        return [this, path, keep] {
            ++calls;
            return Answer{path, keep};
        };
    }
};

std::optional<std::string> Kept(const ResolveCache& cache, const std::string& key) {
    const auto answer = cache.Find(key);
    if (answer) return answer->resolvedPath;
    return std::nullopt;
}

// Waits (at most 10 s) until `count` reaches `expected`.
void WaitFor(const std::atomic<int>& count, int expected) {
    for (int i = 0; i < 10000 && count.load() < expected; ++i) std::this_thread::sleep_for(milliseconds(1));
}

// A resolve that blocks until released, on another thread.
struct Blocked {
    std::atomic<int> started{0};
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::function<Answer()> Answering(const std::string& path) {
        return [this, path] {
            ++started;
            released.wait();
            return Answer{path, true};
        };
    }
};

void TimeToLive() {
    ResolveCache cache(milliseconds(3600 * 1000), 100);
    Counting counting;
    CHECK_EQ(Kept(cache, "k"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("k", counting.Answering("/r1")).resolvedPath, "/r1");
    CHECK_EQ(cache.GetOrResolve("k", counting.Answering("/r2")).resolvedPath, "/r1");
    CHECK_EQ(counting.calls.load(), 1);
    CHECK_EQ(Kept(cache, "k"), "/r1");
    CHECK(cache.Find("k") && cache.Find("k")->keep);
    CHECK_EQ(cache.GetOrResolve("other", counting.Answering("/o")).resolvedPath, "/o");
    CHECK_EQ(counting.calls.load(), 2);
    // A not-found answer ("") is an answer too.
    CHECK_EQ(cache.GetOrResolve("absent", counting.Answering("")).resolvedPath, "");
    CHECK_EQ(cache.GetOrResolve("absent", counting.Answering("/late")).resolvedPath, "");
    CHECK_EQ(counting.calls.load(), 3);

    ResolveCache forever(ResolveCache::kForever, 10);
    forever.GetOrResolve("k", counting.Answering("/f"));
    CHECK_EQ(Kept(forever, "k"), "/f");

    ResolveCache brief(milliseconds(150), 100);
    Counting again;
    CHECK_EQ(brief.GetOrResolve("k", again.Answering("/first")).resolvedPath, "/first");
    CHECK_EQ(Kept(brief, "k"), "/first");
    std::this_thread::sleep_for(milliseconds(300));
    CHECK_EQ(Kept(brief, "k"), std::nullopt);
    CHECK_EQ(brief.GetOrResolve("k", again.Answering("/second")).resolvedPath, "/second");
    CHECK_EQ(again.calls.load(), 2);
    CHECK_EQ(Kept(brief, "k"), "/second");
}

void NotKept() {
    ResolveCache cache(milliseconds(3600 * 1000), 100);
    Counting counting;
    const Answer failed = cache.GetOrResolve("k", counting.Answering("", false));
    CHECK_EQ(failed.resolvedPath, "");
    CHECK_EQ(failed.keep, false);
    CHECK_EQ(Kept(cache, "k"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("k", counting.Answering("/now")).resolvedPath, "/now");
    CHECK_EQ(counting.calls.load(), 2);
    CHECK_EQ(Kept(cache, "k"), "/now");

    ResolveCache zero(milliseconds(0), 100);
    Counting zeroCounting;
    CHECK_EQ(zero.GetOrResolve("k", zeroCounting.Answering("/a")).resolvedPath, "/a");
    CHECK_EQ(zero.GetOrResolve("k", zeroCounting.Answering("/b")).resolvedPath, "/b");
    CHECK_EQ(zeroCounting.calls.load(), 2);
    CHECK_EQ(Kept(zero, "k"), std::nullopt);
    zero.Offer("o", Answer{"/offered", true});
    CHECK_EQ(Kept(zero, "o"), std::nullopt);
    CHECK_EQ(zero.GetOrResolve("o", zeroCounting.Answering("/resolved")).resolvedPath, "/resolved");
}

void Eviction() {
    ResolveCache cache(milliseconds(3600 * 1000), 2);
    Counting counting;
    cache.GetOrResolve("a", counting.Answering("/a"));
    cache.GetOrResolve("b", counting.Answering("/b"));
    CHECK_EQ(Kept(cache, "a"), "/a");
    cache.GetOrResolve("c", counting.Answering("/c"));
    CHECK_EQ(Kept(cache, "a"), std::nullopt);
    CHECK_EQ(Kept(cache, "b"), "/b");
    CHECK_EQ(Kept(cache, "c"), "/c");
    CHECK_EQ(cache.GetOrResolve("a", counting.Answering("/a2")).resolvedPath, "/a2");
    CHECK_EQ(counting.calls.load(), 4);
    CHECK_EQ(Kept(cache, "b"), std::nullopt);  // now the oldest
    CHECK_EQ(Kept(cache, "c"), "/c");
    CHECK_EQ(Kept(cache, "a"), "/a2");

    ResolveCache offered(milliseconds(3600 * 1000), 2);
    offered.Offer("x", Answer{"/x", true});
    offered.Offer("y", Answer{"/y", true});
    offered.Offer("z", Answer{"/z", true});
    CHECK_EQ(Kept(offered, "x"), std::nullopt);
    CHECK_EQ(Kept(offered, "y"), "/y");
    CHECK_EQ(Kept(offered, "z"), "/z");
}

void FindAndOffer() {
    ResolveCache cache(milliseconds(3600 * 1000), 100);
    Counting counting;
    // Find never resolves, nor leaves an entry behind.
    CHECK_EQ(Kept(cache, "unknown"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("unknown", counting.Answering("/u")).resolvedPath, "/u");
    CHECK_EQ(counting.calls.load(), 1);

    cache.Offer("o", Answer{"/offered", true});
    CHECK_EQ(Kept(cache, "o"), "/offered");
    CHECK_EQ(cache.GetOrResolve("o", counting.Answering("/resolved")).resolvedPath, "/offered");
    CHECK_EQ(counting.calls.load(), 1);
    cache.Offer("o", Answer{"/second", true});
    CHECK_EQ(Kept(cache, "o"), "/offered");
    cache.Offer("unknown", Answer{"/second", true});
    CHECK_EQ(Kept(cache, "unknown"), "/u");
    cache.Offer("n", Answer{"/not-kept", false});
    CHECK_EQ(Kept(cache, "n"), std::nullopt);

    // A resolve under way: Find does not wait for it, Offer does not replace it.
    Blocked blocked;
    std::string result;
    std::thread resolving([&] { result = cache.GetOrResolve("w", blocked.Answering("/resolved")).resolvedPath; });
    WaitFor(blocked.started, 1);
    CHECK_EQ(blocked.started.load(), 1);
    auto found = std::async(std::launch::async, [&] { return Kept(cache, "w"); });
    const bool returned = found.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    CHECK(returned);
    cache.Offer("w", Answer{"/offered", true});
    blocked.release.set_value();
    resolving.join();
    CHECK_EQ(found.get(), std::nullopt);
    CHECK_EQ(result, "/resolved");
    CHECK_EQ(Kept(cache, "w"), "/resolved");

    // An expired answer is replaced by an offer.
    ResolveCache brief(milliseconds(100), 100);
    brief.Offer("e", Answer{"/old", true});
    CHECK_EQ(Kept(brief, "e"), "/old");
    std::this_thread::sleep_for(milliseconds(250));
    brief.Offer("e", Answer{"/new", true});
    CHECK_EQ(Kept(brief, "e"), "/new");
}

void Clearing() {
    ResolveCache cache(milliseconds(3600 * 1000), 100);
    Counting counting;
    cache.GetOrResolve("k", counting.Answering("/before"));
    cache.Offer("o", Answer{"/offered", true});
    cache.Clear();
    CHECK_EQ(Kept(cache, "k"), std::nullopt);
    CHECK_EQ(Kept(cache, "o"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("k", counting.Answering("/after")).resolvedPath, "/after");
    CHECK_EQ(counting.calls.load(), 2);
    CHECK_EQ(Kept(cache, "k"), "/after");

    // An answer under way when Clear is called is given, not kept.
    Blocked blocked;
    std::string result;
    std::thread resolving([&] { result = cache.GetOrResolve("late", blocked.Answering("/late")).resolvedPath; });
    WaitFor(blocked.started, 1);
    cache.Clear();
    blocked.release.set_value();
    resolving.join();
    CHECK_EQ(result, "/late");
    CHECK_EQ(Kept(cache, "late"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("late", counting.Answering("/fresh")).resolvedPath, "/fresh");
}

void SingleFlight() {
    constexpr int kThreads = 8;
    // Zero time to live: only callers at the same time can share an answer.
    ResolveCache cache(milliseconds(0), 100);
    std::atomic<int> arrived{0};
    std::atomic<int> calls{0};
    std::vector<std::string> results(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            ++arrived;
            WaitFor(arrived, kThreads);
            results[i] = cache.GetOrResolve("one", [&] {
                const int call = ++calls;
                WaitFor(arrived, kThreads);
                std::this_thread::sleep_for(milliseconds(50));
                return Answer{"/answer-" + std::to_string(call), true};
            }).resolvedPath;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK_EQ(calls.load(), 1);
    CHECK_EQ(results, std::vector<std::string>(kThreads, "/answer-1"));
    CHECK_EQ(Kept(cache, "one"), std::nullopt);
}

void Exceptions() {
    ResolveCache cache(milliseconds(3600 * 1000), 100);
    std::string message;
    try {
        cache.GetOrResolve("k", []() -> Answer { throw std::runtime_error("boom"); });
    } catch (const std::runtime_error& error) {
        message = error.what();
    }
    CHECK_EQ(message, "boom");
    CHECK_EQ(Kept(cache, "k"), std::nullopt);
    Counting counting;
    CHECK_EQ(cache.GetOrResolve("k", counting.Answering("/k")).resolvedPath, "/k");
    CHECK_EQ(counting.calls.load(), 1);

    // Every caller waiting for a resolve that throws gets its exception.
    constexpr int kThreads = 4;
    std::atomic<int> arrived{0};
    std::atomic<int> thrown{0};
    std::atomic<int> calls{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            ++arrived;
            WaitFor(arrived, kThreads);
            try {
                cache.GetOrResolve("shared", [&]() -> Answer {
                    ++calls;
                    std::this_thread::sleep_for(milliseconds(50));
                    throw std::runtime_error("shared boom");
                });
            } catch (const std::runtime_error& error) {
                if (std::string(error.what()) == "shared boom") ++thrown;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK_EQ(thrown.load(), kThreads);
    CHECK(calls.load() >= 1);
    CHECK_EQ(Kept(cache, "shared"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("shared", counting.Answering("/shared")).resolvedPath, "/shared");
    CHECK_EQ(counting.calls.load(), 2);
}

// Claims: answers promised by a batch under way; lookups wait for them.
void Claims() {
    ResolveCache cache(milliseconds(3600 * 1000), 100);
    Counting counting;
    auto claim = cache.TryClaim("k");
    CHECK(claim.has_value());
    // Claimed once only; a kept answer is not claimed again.
    CHECK(!cache.TryClaim("k").has_value());
    CHECK_EQ(Kept(cache, "k"), std::nullopt);
    auto waiting = std::async(std::launch::async, [&] { return cache.FindOrWait("k"); });
    auto resolving = std::async(std::launch::async, [&] {
        return cache.GetOrResolve("k", counting.Answering("/asked")).resolvedPath;
    });
    // Both wait for the claim, not returning and not resolving.
    CHECK(waiting.wait_for(milliseconds(100)) == std::future_status::timeout);
    CHECK(resolving.wait_for(milliseconds(0)) == std::future_status::timeout);
    claim->Settle(Answer{"/claimed", true});
    CHECK_EQ(waiting.get()->resolvedPath, "/claimed");
    CHECK_EQ(resolving.get(), "/claimed");
    CHECK_EQ(counting.calls.load(), 0);
    CHECK_EQ(Kept(cache, "k"), "/claimed");
    CHECK(!cache.TryClaim("k").has_value());
    CHECK(!cache.FindOrWait("absent").has_value());

    // A claim dropped unsettled answers "" to its waiters, keeps nothing, and
    // the key can be claimed or resolved again.
    std::optional<std::future<std::optional<Answer>>> dropped;
    {
        auto abandoned = cache.TryClaim("d");
        CHECK(abandoned.has_value());
        dropped.emplace(std::async(std::launch::async, [&] { return cache.FindOrWait("d"); }));
        CHECK(dropped->wait_for(milliseconds(50)) == std::future_status::timeout);
        // Moved from: only the new holder settles it.
        ResolveCache::Claim moved(std::move(*abandoned));
    }
    const auto answer = dropped->get();
    CHECK(answer && answer->resolvedPath.empty() && !answer->keep);
    CHECK_EQ(Kept(cache, "d"), std::nullopt);
    CHECK_EQ(cache.GetOrResolve("d", counting.Answering("/d")).resolvedPath, "/d");

    // Cleared while claimed: the answer reaches its waiters but is not kept.
    auto late = cache.TryClaim("late");
    cache.Clear();
    auto lateWaiter = std::async(std::launch::async, [&] { return cache.FindOrWait("late"); });
    CHECK(lateWaiter.wait_for(milliseconds(100)) == std::future_status::timeout);
    late->Settle(Answer{"/late", true});
    const auto lateAnswer = lateWaiter.get();
    CHECK(lateAnswer && lateAnswer->resolvedPath == "/late");
    CHECK_EQ(Kept(cache, "late"), std::nullopt);

    // Evicted while claimed: a new claim of the key is not ended by the old one.
    ResolveCache small(milliseconds(3600 * 1000), 1);
    auto first = small.TryClaim("a");
    small.Offer("b", Answer{"/b", true});
    auto second = small.TryClaim("a");
    CHECK(second.has_value());
    first->Settle(Answer{"/first", true});
    CHECK_EQ(Kept(small, "a"), std::nullopt);
    second->Settle(Answer{"/second", true});
    CHECK_EQ(Kept(small, "a"), "/second");

    // Waited for, then evicted or forgotten: the waiters still get the answer
    // (a waiter that came only after, on a loaded machine, finds nothing; one
    // left waiting would hang here).
    ResolveCache tiny(milliseconds(3600 * 1000), 1);
    auto evicted = tiny.TryClaim("e");
    auto evictedWaiter = std::async(std::launch::async, [&] { return tiny.FindOrWait("e"); });
    CHECK(evictedWaiter.wait_for(milliseconds(100)) == std::future_status::timeout);
    tiny.Offer("other", Answer{"/other", true});
    CHECK(evictedWaiter.wait_for(milliseconds(50)) == std::future_status::timeout);
    evicted->Settle(Answer{"/evicted", true});
    const auto evictedAnswer = evictedWaiter.get();
    CHECK(!evictedAnswer || evictedAnswer->resolvedPath == "/evicted");
    auto forgotten = cache.TryClaim("f");
    auto forgottenWaiter = std::async(std::launch::async, [&] { return cache.FindOrWait("f"); });
    CHECK(forgottenWaiter.wait_for(milliseconds(100)) == std::future_status::timeout);
    cache.Forget("f");
    forgotten->Settle(Answer{"/forgotten", true});
    const auto forgottenAnswer = forgottenWaiter.get();
    CHECK(!forgottenAnswer || forgottenAnswer->resolvedPath == "/forgotten");
    CHECK_EQ(Kept(cache, "f"), std::nullopt);
}

}  // namespace

void Cache() {
    TimeToLive();
    NotKept();
    Eviction();
    FindAndOffer();
    Clearing();
    SingleFlight();
    Exceptions();
    Claims();
}

}  // namespace units
