// The HTTP half of resolution: one GET per asset path, answered by the
// protocol's rules (200 and a path in the body, or nothing).
#ifndef AR_HTTP_CORE_HTTP_RESOLVER_H
#define AR_HTTP_CORE_HTTP_RESOLVER_H

#include "core/settings/Config.h"
#include "core/transport/HttpConnectionPool.h"
#include "core/log/LogSink.h"
#include "core/client/ResolveCache.h"
#include "core/client/ServerClient.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace arhttp {

class HttpResolver final : public ServerClient {
public:
    HttpResolver(const Config& config, std::shared_ptr<LogSink> log);

    // Makes HttpResolvers: the factory of the Node binding and of tests.
    static ServerClientFactory Factory();

    // The resolved path, or "" for any status but 200, a refused body, a
    // connection error or a timeout, with whether the answer says anything
    // about the asset (a connection error or timeout does not). Concurrent
    // lookups of one path make one request; nothing is kept after it (the
    // caller's caches do that). Connection errors and 502/503/504 are tried
    // again with backoff; if they persist, every lookup answers "" at once
    // for AR_HTTP_FAIL_FAST_MS, then the server is asked again. Redirects are
    // followed up to AR_HTTP_MAX_REDIRECTS times, never from https to http.
    // Asset paths over protocol::kMaxAssetPathBytes are never sent: each is
    // answered "" at once, with a warning, and counts as no failure of the
    // server. Never throws.
    ResolveCache::Answer Lookup(const std::string& assetPath) const noexcept override;

    // Resolves many asset paths by POSTs to AR_HTTP_BATCH_PATH, split as the
    // protocol says (protocol::kMaxBatchPaths lines, kMaxBatchBodyBytes):
    // one answer per path, in order. Nothing when batches are off, the server
    // has no batch endpoint (then it is not asked again) or a batch failed:
    // the caller resolves one by one.
    std::optional<std::vector<ResolveCache::Answer>> ResolveBatch(
        const std::vector<std::string>& assetPaths) const noexcept override;
    // On a connection of its own, never pooled: a stream holds it for minutes.
    FeedEnd FollowChanges(FeedParser& parser,
                          const std::function<void(std::vector<FeedEvent>&&)>& onChunk,
                          int wakeFd) const noexcept override;

private:
    struct Exchange;
    using Deadline = std::chrono::steady_clock::time_point;
    // The request target: base path of the server URL, then the path format,
    // and the snapshot asked for, if any.
    std::string TargetFor(const std::string& assetPath) const;
    // A GET, or a text/plain POST of `postBody`, with retries and redirects,
    // all within the timeout.
    Exchange Send(const std::string& target, const std::string* postBody, size_t maxBody) const;
    Exchange SendWithRetries(const ServerUrl& server, const std::string& target,
                             const std::string* postBody, size_t maxBody,
                             Deadline deadline) const;
    // One request: on a pooled connection for the server's own origin.
    Exchange SendOnce(const ServerUrl& server, const std::string& target,
                      const std::string* postBody, size_t maxBody, Deadline deadline) const;
    // False, with a warning, for an asset path never to be sent.
    bool IsSendable(const std::string& assetPath) const;
    // Whether resolves answer "" at once, the server having failed lately.
    bool FailingFast() const;
    // Why `exchange` resolved nothing, by its transport alone (a 200's body is judged by the caller).
    static Unresolved WhyUnresolved(const Exchange& exchange);
    // Notes how an exchange went, for failing fast and for the warnings.
    void NoteOutcome(const Exchange& exchange, const std::string& url) const;
    ResolveCache::Answer Fetch(const std::string& assetPath) const noexcept;
    // One POST of `body`, `lineCount` percent-encoded asset paths.
    std::optional<std::vector<ResolveCache::Answer>> FetchBatch(const std::string& body,
                                                                size_t lineCount) const;
    // Whether `exchange` is the server's word that the snapshot is unknown;
    // the first such answer is warned about, naming the snapshot.
    bool IsUnknownSnapshot(const Exchange& exchange) const;

    const ServerUrl _server;
    const PathFormat _pathFormat;
    const std::chrono::milliseconds _timeout;
    const long _retries;
    const std::chrono::milliseconds _retryDelay;
    const std::chrono::milliseconds _failFast;
    const long _maxRedirects;
    const HeaderList _headers;
    const SecretHeaderNames _secretHeaders;
    const TlsSettings _tls;
    const bool _debug;
    const std::string _batchPath;
    // AR_HTTP_SNAPSHOT (or a context's): resolves are asked as of it.
    const std::string _snapshot;
    const std::shared_ptr<LogSink> _log;
    mutable HttpConnectionPool _pool;
    // Lookups under way, shared by concurrent callers; answers are not kept.
    mutable ResolveCache _inFlight{std::chrono::milliseconds(0), SIZE_MAX};
    // Set while the server is unreachable, so an outage is reported once.
    mutable std::atomic<bool> _unreachable{false};
    // Until when resolves fail fast (steady clock ticks).
    mutable std::atomic<Deadline::rep> _failFastUntil{0};
    // Set once a refused redirect was reported.
    mutable std::atomic<bool> _redirectReported{false};
    // Set once the server said it does not know the snapshot.
    mutable std::atomic<bool> _unknownSnapshotReported{false};
    // Set once the server said it has no batch endpoint.
    mutable std::atomic<bool> _noBatches{false};
};

}  // namespace arhttp

#endif
