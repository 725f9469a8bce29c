#include "HttpConnectionPool.h"

#include <httplib.h>

namespace arhttp {

HttpConnectionPool::HttpConnectionPool(const ServerUrl& server, const HeaderList& headers,
                                       std::chrono::milliseconds timeout,
                                       size_t maxConnections, const TlsSettings& tls)
    : _origin(server.Origin()),
      _headers(headers),
      _timeout(timeout),
      _maxConnections(maxConnections),
      _tls(tls) {}

HttpConnectionPool::~HttpConnectionPool() = default;

HttpConnectionPool::Lease::Lease(HttpConnectionPool* pool,
                                 std::unique_ptr<httplib::Client> client)
    : _pool(pool), _client(std::move(client)) {}

HttpConnectionPool::Lease::Lease(Lease&& other) noexcept
    : _pool(other._pool), _client(std::move(other._client)) {}

HttpConnectionPool::Lease::~Lease() {
    if (_client) _pool->Release(std::move(_client));
}

std::unique_ptr<httplib::Client> HttpConnectionPool::NewClient(const std::string& origin,
                                                               const HeaderList& headerList,
                                                               std::chrono::milliseconds timeout,
                                                               const TlsSettings& tls) {
    auto client = std::make_unique<httplib::Client>(origin);
    if (origin.compare(0, 8, "https://") == 0) {
        client->enable_server_certificate_verification(tls.verify);
        if (!tls.caFile.empty() || !tls.caDir.empty()) client->set_ca_cert_path(tls.caFile, tls.caDir);
    }
    client->set_keep_alive(true);
    // A request must leave at once, not wait on Nagle's algorithm for an ACK.
    client->set_tcp_nodelay(true);
    // The path format already percent-encoded the asset path.
    client->set_url_encode(false);
    // HttpResolver follows redirects itself, within its rules.
    client->set_follow_location(false);
    client->set_connection_timeout(timeout);
    client->set_read_timeout(timeout);
    client->set_write_timeout(timeout);
    httplib::Headers headers;
    for (const auto& [name, value] : headerList) headers.emplace(name, value);
    client->set_default_headers(std::move(headers));
    return client;
}

HttpConnectionPool::Lease HttpConnectionPool::Acquire() {
    std::unique_lock<std::mutex> lock(_mutex);
    const bool available = _released.wait_for(lock, _timeout, [this] {
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
        return Lease(this, NewClient(_origin, _headers, _timeout, _tls));
    } catch (...) {
        std::lock_guard<std::mutex> relock(_mutex);
        --_created;
        throw;
    }
}

void HttpConnectionPool::Release(std::unique_ptr<httplib::Client> client) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _idle.push_back(std::move(client));
    }
    _released.notify_one();
}

}  // namespace arhttp
