// A bounded set of keep-alive connections to one server, shared by threads.
#ifndef AR_HTTP_CORE_HTTP_CONNECTION_POOL_H
#define AR_HTTP_CORE_HTTP_CONNECTION_POOL_H

#include "Config.h"
#include "RequestHeaders.h"
#include "ServerUrl.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace httplib {
class Client;
}

namespace arhttp {

class HttpConnectionPool {
public:
    HttpConnectionPool(const ServerUrl& server, const HeaderList& headers,
                       std::chrono::milliseconds timeout, size_t maxConnections,
                       const TlsSettings& tls);
    ~HttpConnectionPool();
    HttpConnectionPool(const HttpConnectionPool&) = delete;
    HttpConnectionPool& operator=(const HttpConnectionPool&) = delete;

    // Exclusive use of one connection until destroyed. Empty when every
    // connection stayed busy for the whole timeout.
    class Lease {
    public:
        Lease(HttpConnectionPool* pool, std::unique_ptr<httplib::Client> client);
        Lease(Lease&& other) noexcept;
        ~Lease();
        explicit operator bool() const { return _client != nullptr; }
        httplib::Client& operator*() const { return *_client; }
        httplib::Client* operator->() const { return _client.get(); }

    private:
        HttpConnectionPool* _pool;
        std::unique_ptr<httplib::Client> _client;
    };

    Lease Acquire();

    // A connection to `origin` ("scheme://host:port") set up as the pooled
    // ones are, sending `headers`: for a redirect to another server.
    static std::unique_ptr<httplib::Client> NewClient(const std::string& origin,
                                                      const HeaderList& headers,
                                                      std::chrono::milliseconds timeout,
                                                      const TlsSettings& tls);

private:
    void Release(std::unique_ptr<httplib::Client> client);

    const std::string _origin;
    const HeaderList _headers;
    const std::chrono::milliseconds _timeout;
    const size_t _maxConnections;
    const TlsSettings _tls;

    std::mutex _mutex;
    std::condition_variable _released;
    std::vector<std::unique_ptr<httplib::Client>> _idle;
    size_t _created = 0;
};

}  // namespace arhttp

#endif
