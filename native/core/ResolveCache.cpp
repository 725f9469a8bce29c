#include "ResolveCache.h"

namespace arhttp {

ResolveCache::ResolveCache(std::chrono::milliseconds timeToLive, size_t maxEntries)
    : _timeToLive(timeToLive), _maxEntries(maxEntries) {}

void ResolveCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator entry) {
    _ages.erase(entry->second.age);
    _entries.erase(entry);
}

ResolveCache::Answer ResolveCache::GetOrResolve(const std::string& key,
                                       const std::function<Answer()>& resolve) {
    // Made only on a miss: a hit costs no allocation.
    std::optional<std::promise<Answer>> promise;
    size_t generation;
    {
        std::unique_lock<std::mutex> lock(_mutex);
        auto found = _entries.find(key);
        if (found != _entries.end()) {
            if (!found->second.done || Clock::now() < found->second.expiry) {
                std::shared_future<Answer> answer = found->second.answer;
                lock.unlock();
                return answer.get();
            }
            EraseLocked(found);
        }
        promise.emplace();
        Entry entry;
        entry.answer = promise->get_future().share();
        entry.age = _ages.insert(_ages.end(), key);
        _entries.emplace(key, std::move(entry));
        generation = _generation;
    }

    Answer answer;
    try {
        answer = resolve();
    } catch (...) {
        promise->set_exception(std::current_exception());
        std::lock_guard<std::mutex> lock(_mutex);
        auto found = _entries.find(key);
        if (found != _entries.end()) EraseLocked(found);
        throw;
    }
    promise->set_value(answer);

    std::lock_guard<std::mutex> lock(_mutex);
    auto found = _entries.find(key);
    if (found == _entries.end()) return answer;
    if (!answer.keep || _timeToLive.count() == 0 || generation != _generation) {
        EraseLocked(found);
    } else {
        found->second.done = true;
        found->second.expiry = Clock::now() + _timeToLive;
        while (_entries.size() > _maxEntries) {
            auto oldest = _entries.find(_ages.front());
            if (oldest == found) break;
            // An entry under way may go too: its waiters hold its future.
            EraseLocked(oldest);
        }
    }
    return answer;
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

std::optional<ResolveCache::Answer> ResolveCache::Find(const std::string& key) const {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _entries.find(key);
    if (found == _entries.end() || !found->second.done || Clock::now() >= found->second.expiry) {
        return std::nullopt;
    }
    return found->second.answer.get();
}


}  // namespace arhttp
