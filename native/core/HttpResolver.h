// The HTTP half of resolution: one GET per asset path, answered by the
// protocol's rules (200 and a path in the body, or nothing).
#ifndef AR_HTTP_CORE_HTTP_RESOLVER_H
#define AR_HTTP_CORE_HTTP_RESOLVER_H

#include "Config.h"
#include "HttpConnectionPool.h"
#include "LogSink.h"
#include "ResolveCache.h"

#include <atomic>
#include <memory>
#include <string>

namespace arhttp {

class HttpResolver {
public:
    HttpResolver(const Config& config, std::shared_ptr<LogSink> log);

    // The resolved path, or "" for any status but 200, a refused body, a
    // connection error or a timeout. Concurrent resolves of one path make
    // one request; answers are kept as AR_HTTP_CACHE_TTL_MS says (errors of
    // the connection never are). Never throws.
    std::string Resolve(const std::string& assetPath) const noexcept;
    // Resolve, with whether the answer may be kept by a cache of the caller's.
    ResolveCache::Answer Lookup(const std::string& assetPath) const noexcept;

    // Forgets every kept answer.
    void ClearCache() const;

    // The full URL a resolve of `assetPath` requests.
    std::string UrlFor(const std::string& assetPath) const;

private:
    struct Exchange;
    // The request target: base path of the server URL, then the path format.
    std::string TargetFor(const std::string& assetPath) const;
    Exchange Get(const std::string& target) const;
    ResolveCache::Answer Fetch(const std::string& assetPath) const noexcept;
    void ReportOutage(const std::string& url, const std::string& error) const;

    const ServerUrl _server;
    const PathFormat _pathFormat;
    const std::chrono::milliseconds _timeout;
    const bool _debug;
    const std::shared_ptr<LogSink> _log;
    mutable HttpConnectionPool _pool;
    mutable ResolveCache _cache;
    // Set while the server is unreachable, so an outage is reported once.
    mutable std::atomic<bool> _unreachable{false};
};

}  // namespace arhttp

#endif
