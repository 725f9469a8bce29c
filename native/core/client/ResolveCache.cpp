#include "core/client/ResolveCache.h"

namespace arhttp {

ResolveCache::Claim::Claim(ResolveCache* cache, std::string key, std::shared_ptr<Pending> pending,
                           std::uint64_t ticket, size_t generation)
    : _cache(cache), _key(std::move(key)), _pending(std::move(pending)), _ticket(ticket), _generation(generation) {}

ResolveCache::Claim::Claim(Claim&& other) noexcept
    : _cache(other._cache),
      _key(std::move(other._key)),
      _pending(std::move(other._pending)),
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
        // Only allocation can fail, copying the empty answer.
    }
}

void ResolveCache::Claim::Settle(const Answer& answer) {
    _settled = true;
    _cache->Finish(*this, answer, nullptr);
}

void ResolveCache::Claim::Fail(std::exception_ptr error) {
    _settled = true;
    _cache->Finish(*this, Answer(), error);
}

ResolveCache::ResolveCache(std::chrono::milliseconds timeToLive, size_t maxEntries)
    : _timeToLive(timeToLive), _maxEntries(maxEntries) {}

void ResolveCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator entry) {
    _ages.erase(entry->second.age);
    _entries.erase(entry);
}

ResolveCache::Acquired ResolveCache::Acquire(const std::string& key, bool claim, bool wait) {
    Acquired acquired;
    std::unique_lock<std::mutex> lock(_mutex);
    auto found = _entries.find(key);
    if (found != _entries.end()) {
        // Held here: the entry may go (evicted, forgotten) while this waits.
        const std::shared_ptr<Pending> pending = found->second.pending;
        if (!pending->done) {
            if (!wait) return acquired;
            ++pending->waiters;
            pending->settled.wait(lock, [&] { return pending->done; });
            --pending->waiters;
            if (pending->error) std::rethrow_exception(pending->error);
            acquired.answer = pending->answer;
            return acquired;
        }
        if (Clock::now() < found->second.expiry) {
            acquired.answer = pending->answer;
            return acquired;
        }
        EraseLocked(found);
    }
    if (!claim) return acquired;
    // Made only on a miss: a hit costs no allocation.
    Claim made(this, key, std::make_shared<Pending>(), ++_tickets, _generation);
    Entry entry;
    entry.pending = made._pending;
    entry.ticket = made._ticket;
    entry.age = _ages.insert(_ages.end(), key);
    _entries.emplace(key, std::move(entry));
    acquired.claim.emplace(std::move(made));
    return acquired;
}

void ResolveCache::Finish(const Claim& claim, const Answer& answer, std::exception_ptr error) {
    Pending& pending = *claim._pending;
    std::unique_lock<std::mutex> lock(_mutex);
    if (error) {
        pending.error = error;
    } else {
        pending.answer = answer;
    }
    pending.done = true;
    // Woken once the lock is free, so that they need not wait for it again.
    const bool awaited = pending.waiters != 0;
    FinishEntryLocked(claim, answer, error != nullptr);
    lock.unlock();
    if (awaited) pending.settled.notify_all();
}

void ResolveCache::FinishEntryLocked(const Claim& claim, const Answer& answer, bool failed) {
    auto found = _entries.find(claim._key);
    // Evicted or cleared meanwhile, and perhaps claimed again by another.
    if (found == _entries.end() || found->second.ticket != claim._ticket) return;
    if (failed || !answer.keep || _timeToLive.count() == 0 || claim._generation != _generation) {
        EraseLocked(found);
        return;
    }
    found->second.expiry = Clock::now() + _timeToLive;
    while (_entries.size() > _maxEntries) {
        auto oldest = _entries.find(_ages.front());
        if (oldest == found) break;
        // An entry under way may go too: its waiters hold its state.
        EraseLocked(oldest);
    }
}

ResolveCache::Answer ResolveCache::GetOrResolve(const std::string& key,
                                                const std::function<Answer()>& resolve) {
    Acquired acquired = Acquire(key, true, true);
    if (acquired.answer) return std::move(*acquired.answer);
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
    return std::move(Acquire(key, true, false).claim);
}

std::optional<ResolveCache::Answer> ResolveCache::FindOrWait(const std::string& key) {
    return std::move(Acquire(key, false, true).answer);
}

void ResolveCache::Offer(const std::string& key, const Answer& answer) {
    if (!answer.keep || _timeToLive.count() == 0) return;
    std::lock_guard<std::mutex> lock(_mutex);
    auto found = _entries.find(key);
    if (found != _entries.end() && (!found->second.pending->done || Clock::now() < found->second.expiry)) {
        return;
    }
    if (found != _entries.end()) EraseLocked(found);
    Entry entry;
    entry.pending = std::make_shared<Pending>();
    entry.pending->done = true;
    entry.pending->answer = answer;
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
        if (entry->second.pending->done) EraseLocked(entry);
        entry = next;
    }
    ++_generation;
}

void ResolveCache::Forget(const std::string& key) {
    std::lock_guard<std::mutex> lock(_mutex);
    // Waiters of a resolve under way hold its state; its claim finds no entry and keeps nothing.
    const auto found = _entries.find(key);
    if (found != _entries.end()) EraseLocked(found);
}

std::optional<ResolveCache::Answer> ResolveCache::Find(const std::string& key) const {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _entries.find(key);
    if (found == _entries.end() || !found->second.pending->done || Clock::now() >= found->second.expiry) {
        return std::nullopt;
    }
    return found->second.pending->answer;
}

}  // namespace arhttp
