#include "core/client/ResolveCache.h"

namespace arhttp {

ResolveCache::Claim::Claim(ResolveCache* cache, std::string key, std::uint64_t ticket,
                           size_t generation)
    : _cache(cache), _key(std::move(key)), _ticket(ticket), _generation(generation) {}

ResolveCache::Claim::Claim(Claim&& other) noexcept
    : _cache(other._cache),
      _key(std::move(other._key)),
      _promise(std::move(other._promise)),
      _ticket(other._ticket),
      _generation(other._generation),
      _settled(other._settled) {
    other._settled = true;
}

ResolveCache::Claim::~Claim() {
    if (_settled) return;
    try {
        Settle({std::string(), false});
    } catch (...) {
        // Only allocation can fail: the waiters' future breaks instead.
    }
}

void ResolveCache::Claim::Settle(const Answer& answer) {
    _settled = true;
    _promise.set_value(answer);
    _cache->Finish(_key, _ticket, _generation, answer, false);
}

void ResolveCache::Claim::Fail(std::exception_ptr error) {
    _settled = true;
    _promise.set_exception(error);
    _cache->Finish(_key, _ticket, _generation, Answer(), true);
}

ResolveCache::ResolveCache(std::chrono::milliseconds timeToLive, size_t maxEntries)
    : _timeToLive(timeToLive), _maxEntries(maxEntries) {}

void ResolveCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator entry) {
    _ages.erase(entry->second.age);
    _entries.erase(entry);
}

ResolveCache::Acquired ResolveCache::Acquire(const std::string& key, bool claim) {
    Acquired acquired;
    std::lock_guard<std::mutex> lock(_mutex);
    auto found = _entries.find(key);
    if (found != _entries.end()) {
        if (!found->second.done || Clock::now() < found->second.expiry) {
            acquired.answer = found->second.answer;
            return acquired;
        }
        EraseLocked(found);
    }
    if (!claim) return acquired;
    // Made only on a miss: a hit costs no allocation.
    Claim made(this, key, ++_tickets, _generation);
    Entry entry;
    entry.answer = made._promise.get_future().share();
    entry.ticket = made._ticket;
    entry.age = _ages.insert(_ages.end(), key);
    _entries.emplace(key, std::move(entry));
    acquired.claim.emplace(std::move(made));
    return acquired;
}

void ResolveCache::Finish(const std::string& key, std::uint64_t ticket, size_t generation,
                          const Answer& answer, bool failed) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto found = _entries.find(key);
    // Evicted or cleared meanwhile, and perhaps claimed again by another.
    if (found == _entries.end() || found->second.ticket != ticket) return;
    if (failed || !answer.keep || _timeToLive.count() == 0 || generation != _generation) {
        EraseLocked(found);
        return;
    }
    found->second.done = true;
    found->second.expiry = Clock::now() + _timeToLive;
    while (_entries.size() > _maxEntries) {
        auto oldest = _entries.find(_ages.front());
        if (oldest == found) break;
        // An entry under way may go too: its waiters hold its future.
        EraseLocked(oldest);
    }
}

ResolveCache::Answer ResolveCache::GetOrResolve(const std::string& key,
                                                const std::function<Answer()>& resolve) {
    Acquired acquired = Acquire(key, true);
    if (acquired.answer) return acquired.answer->get();
    Answer answer;
    try {
        answer = resolve();
    } catch (...) {
        acquired.claim->Fail(std::current_exception());
        throw;
    }
    acquired.claim->Settle(answer);
    return answer;
}

std::optional<ResolveCache::Claim> ResolveCache::TryClaim(const std::string& key) {
    return std::move(Acquire(key, true).claim);
}

std::optional<ResolveCache::Answer> ResolveCache::FindOrWait(const std::string& key) {
    Acquired acquired = Acquire(key, false);
    if (!acquired.answer) return std::nullopt;
    return acquired.answer->get();
}

void ResolveCache::Offer(const std::string& key, const Answer& answer) {
    if (!answer.keep || _timeToLive.count() == 0) return;
    std::lock_guard<std::mutex> lock(_mutex);
    auto found = _entries.find(key);
    if (found != _entries.end() && (!found->second.done || Clock::now() < found->second.expiry)) {
        return;
    }
    if (found != _entries.end()) EraseLocked(found);
    std::promise<Answer> promise;
    promise.set_value(answer);
    Entry entry;
    entry.answer = promise.get_future().share();
    entry.done = true;
    entry.expiry = Clock::now() + _timeToLive;
    entry.age = _ages.insert(_ages.end(), key);
    _entries.emplace(key, std::move(entry));
    while (_entries.size() > _maxEntries) EraseLocked(_entries.find(_ages.front()));
}

void ResolveCache::Clear() {
    std::lock_guard<std::mutex> lock(_mutex);
    // Entries under way stay so their waiters still share one request; the
    // new generation keeps their answers from being stored.
    for (auto entry = _entries.begin(); entry != _entries.end();) {
        auto next = std::next(entry);
        if (entry->second.done) EraseLocked(entry);
        entry = next;
    }
    ++_generation;
}

void ResolveCache::Forget(const std::string& key) {
    std::lock_guard<std::mutex> lock(_mutex);
    // Waiters of a resolve under way hold its future; its claim finds no entry and keeps nothing.
    const auto found = _entries.find(key);
    if (found != _entries.end()) EraseLocked(found);
}

std::optional<ResolveCache::Answer> ResolveCache::Find(const std::string& key) const {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _entries.find(key);
    if (found == _entries.end() || !found->second.done || Clock::now() >= found->second.expiry) {
        return std::nullopt;
    }
    return found->second.answer.get();
}

}  // namespace arhttp
