// A bounded set of keep-alive connections to one server, shared by threads.
#ifndef AR_HTTP_CORE_HTTP_CONNECTION_POOL_H
#define AR_HTTP_CORE_HTTP_CONNECTION_POOL_H

#include "core/settings/Config.h"
#include "core/transport/GuardedClient.h"
#include "core/settings/RequestHeaders.h"
#include "core/settings/ServerUrl.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace arhttp {

class HttpConnectionPool {
public:
    HttpConnectionPool(const ServerUrl& server, const HeaderList& headers,
                       size_t maxConnections, const TlsSettings& tls);
    ~HttpConnectionPool();
    HttpConnectionPool(const HttpConnectionPool&) = delete;
    HttpConnectionPool& operator=(const HttpConnectionPool&) = delete;

    // Exclusive use of one connection until destroyed. Empty when every
    // connection stayed busy until the deadline.
    class Lease {
    public:
        Lease(HttpConnectionPool* pool, std::unique_ptr<GuardedClient> client);
        Lease(Lease&& other) noexcept;
        ~Lease();
        explicit operator bool() const { return _client != nullptr; }
        GuardedClient& operator*() const { return *_client; }

    private:
        HttpConnectionPool* _pool;
        std::unique_ptr<GuardedClient> _client;
    };

    Lease Acquire(std::chrono::steady_clock::time_point deadline);

private:
    void Release(std::unique_ptr<GuardedClient> client);

    const ServerUrl _server;
    const HeaderList _headers;
    const size_t _maxConnections;
    const TlsSettings _tls;

    std::mutex _mutex;
    std::condition_variable _released;
    std::vector<std::unique_ptr<GuardedClient>> _idle;
    size_t _created = 0;
};

}  // namespace arhttp

#endif
