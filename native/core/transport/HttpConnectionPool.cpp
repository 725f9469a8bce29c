#include "core/transport/HttpConnectionPool.h"

namespace arhttp {

HttpConnectionPool::HttpConnectionPool(const ServerUrl& server, const HeaderList& headers,
                                       size_t maxConnections, const TlsSettings& tls)
    : _server(server),
      _headers(headers),
      _maxConnections(maxConnections),
      _tls(tls) {}

HttpConnectionPool::~HttpConnectionPool() = default;

HttpConnectionPool::Lease::Lease(HttpConnectionPool* pool,
                                 std::unique_ptr<GuardedClient> client)
    : _pool(pool), _client(std::move(client)) {}

HttpConnectionPool::Lease::Lease(Lease&& other) noexcept
    : _pool(other._pool), _client(std::move(other._client)) {}

HttpConnectionPool::Lease::~Lease() {
    if (_client) _pool->Release(std::move(_client));
}

HttpConnectionPool::Lease HttpConnectionPool::Acquire(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(_mutex);
    const bool available = _released.wait_until(lock, deadline, [this] {
        return !_idle.empty() || _created < _maxConnections;
    });
    if (!available) return Lease(this, nullptr);
    if (!_idle.empty()) {
        auto client = std::move(_idle.back());
        _idle.pop_back();
        return Lease(this, std::move(client));
    }
    ++_created;
    lock.unlock();
    try {
        return Lease(this, GuardedClient::Make(_server, _headers, _tls));
    } catch (...) {
        std::lock_guard<std::mutex> relock(_mutex);
        --_created;
        throw;
    }
}

void HttpConnectionPool::Release(std::unique_ptr<GuardedClient> client) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _idle.push_back(std::move(client));
    }
    _released.notify_one();
}

}  // namespace arhttp
