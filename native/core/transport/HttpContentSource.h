// The content cache's downloads over HTTP(S), through the transport's guards
// (GuardedClient, GuardedStream, HttpConnectionPool): kept-alive connections
// per content origin, every byte bounded in time and size.
#ifndef AR_HTTP_CORE_HTTP_CONTENT_SOURCE_H
#define AR_HTTP_CORE_HTTP_CONTENT_SOURCE_H

#include "core/content/ContentSource.h"
#include "core/settings/Config.h"
#include "core/transport/HttpConnectionPool.h"

#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

namespace arhttp {

class HttpContentSource final : public ContentSource {
public:
    explicit HttpContentSource(const Config& config);

    // Makes HttpContentSources: the factory of the Node binding and of tests.
    static ContentSourceFactory Factory();

    // See ContentSource::Get. Headers: every AR_HTTP_CONTENT_HEADER_* to the
    // URL's own origin, only those not secret (IsSecretHeader) to another
    // one a redirect leads to; AR_HTTP_HEADER_* only to the resolution
    // server's origin, as the resolver sends them.
    Answer Get(const std::string& url, const std::string& etag, const Sink& sink) const noexcept override;
    void Stop() const noexcept override;

private:
    struct Exchange;
    class Alarm;
    using Deadline = std::chrono::steady_clock::time_point;
    // One GET of `target` on `server`, no redirect followed.
    Exchange GetOnce(const ServerUrl& server, const std::string& target, const HeaderList& headers,
                     const std::string& etag, const Sink& sink, Deadline start) const;
    // The pool of `server`'s origin, made when first needed.
    std::shared_ptr<HttpConnectionPool> PoolFor(const ServerUrl& server) const;
    // The headers a request to `origin` carries, the content URL's origin being `first`.
    HeaderList HeadersFor(const std::string& origin, const std::string& first) const;

    const ServerUrl _idServer;
    const HeaderList _idHeaders;
    const HeaderList _contentHeaders;
    const SecretHeaderNames _secretHeaders;
    const std::chrono::milliseconds _timeout;
    const std::uint64_t _maxBytes;
    const long _maxRedirects;
    const size_t _maxConnections;
    const TlsSettings _tls;

    // Pools of the origins used lately; at most kMaxOrigins, the least recently used dropped.
    static constexpr size_t kMaxOrigins = 32;
    mutable std::mutex _poolsMutex;
    mutable std::list<std::pair<std::string, std::shared_ptr<HttpConnectionPool>>> _pools;

    // Set by Stop, which fires the alarms of the transfers under way.
    mutable std::atomic<bool> _stopping{false};
    mutable std::mutex _alarmsMutex;
    mutable std::unordered_set<Alarm*> _alarms;
};

}  // namespace arhttp

#endif
