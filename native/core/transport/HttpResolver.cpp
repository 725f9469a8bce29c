#include "core/transport/HttpResolver.h"

#include "ArHttpProtocol.h"
#include "core/transport/GuardedClient.h"
#include "core/text/PercentEncoding.h"
#include "core/text/PrintableText.h"
#include "core/text/ResponseBody.h"
#include "core/transport/ResponseHead.h"

#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

namespace arhttp {

namespace {

using Clock = std::chrono::steady_clock;

bool IsConnectionError(httplib::Error error) {
    switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
        return true;
    default:
        return false;
    }
}

// Words for a log line; cpp-httplib's own names ("Read") say too little.
std::string Describe(httplib::Error error) {
    switch (error) {
    case httplib::Error::Connection: return "connection refused or unreachable";
    case httplib::Error::ConnectionTimeout: return "connect timed out";
    case httplib::Error::Read: return "no answer (read failed or timed out)";
    case httplib::Error::Write: return "sending the request failed";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLServerVerification: return "server certificate not trusted";
    default: return httplib::to_string(error);
    }
}

std::string Milliseconds(Clock::duration elapsed) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.2f ms",
                  std::chrono::duration<double, std::milli>(elapsed).count());
    return text;
}

bool IsRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// A gateway's or an overloaded server's answer: the server may do better soon.
bool IsTransientStatus(int status) {
    return status == 502 || status == 503 || status == 504;
}

struct RedirectTarget {
    ServerUrl server;
    std::string target;
};

// Where a Location header points, from `server`: an absolute http(s) URL or
// an absolute path. Nothing, with `error`, for anything else and for a step
// down from https to http.
std::optional<RedirectTarget> FollowLocation(const std::string& location,
                                             const ServerUrl& server, std::string* error) {
    for (unsigned char c : location) {
        if (c <= 0x20 || c == 0x7F) {
            *error = "a Location holding spaces or control characters";
            return std::nullopt;
        }
    }
    if (!location.empty() && location[0] == '/' && (location.size() == 1 || location[1] != '/')) {
        return RedirectTarget{server, location};
    }
    const size_t scheme = location.find("://");
    const size_t pathStart = scheme == std::string::npos ? std::string::npos
                                                         : location.find_first_of("/?#", scheme + 3);
    const auto url = ServerUrl::Parse(location.substr(0, pathStart), error);
    if (!url) {
        *error = "a Location that is neither an absolute path nor an http(s) URL";
        return std::nullopt;
    }
    if (server.IsHttps() && !url->IsHttps()) {
        *error = "a redirect from https to http, which is never followed";
        return std::nullopt;
    }
    std::string target = pathStart == std::string::npos ? "/" : location.substr(pathStart);
    if (target[0] != '/') target = "/" + target;
    const size_t fragment = target.find('#');
    if (fragment != std::string::npos) target.erase(fragment);
    return RedirectTarget{*url, target};
}

// The change number of an ETag "<n>" (a weak W/ one too), or -1.
std::int64_t ChangeNumberOf(const std::string& etag) {
    std::string_view tag(etag);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag.size() < 3 || tag.size() > 20 || tag.front() != '"' || tag.back() != '"') return -1;
    std::int64_t number = 0;
    for (char c : tag.substr(1, tag.size() - 2)) {
        if (c < '0' || c > '9') return -1;
        number = number * 10 + (c - '0');
    }
    return number;
}

// A versioned batch line, "<n> <resolved path>": the number, and the rest in
// `line`; -1 and `line` untouched when it has no such number.
std::int64_t TakeChangeNumber(std::string* line) {
    const size_t space = line->find(' ');
    if (space == 0 || space == std::string::npos || space > 18) return -1;
    std::int64_t number = 0;
    for (size_t i = 0; i < space; ++i) {
        const char c = (*line)[i];
        if (c < '0' || c > '9') return -1;
        number = number * 10 + (c - '0');
    }
    line->erase(0, space + 1);
    return number;
}

}  // namespace

struct HttpResolver::Exchange {
    int status = 0;
    std::string body;
    std::string location;  // of a redirect
    std::string etag;
    std::string problem;   // protocol::kProblemHeader
    bool versioned = false;  // the batch answer echoed protocol::kVersionsHeader
    std::string error;     // why no usable response came, if none did
    bool unreachable = false;
    bool timedOut = false;  // no whole answer within the timeout
    bool failedFast = false;
    bool reported = false;  // a warning said why already
};

HttpResolver::HttpResolver(const Config& config, std::shared_ptr<LogSink> log)
    : _server(config.server),
      _pathFormat(config.pathFormat),
      _timeout(config.timeout),
      _retries(config.retries),
      _retryDelay(config.retryDelay),
      _failFast(config.failFast),
      _maxRedirects(config.maxRedirects),
      _headers(config.headers),
      _secretHeaders(config.secretHeaders),
      _tls(config.tls),
      _debug(config.debug),
      _batchPath(config.batchPath),
      _snapshot(config.snapshot),
      _log(std::move(log)),
      _pool(config.server, config.headers, config.maxConnections, config.tls) {}

ServerClientFactory HttpResolver::Factory() {
    return [](const Config& config, std::shared_ptr<LogSink> log) {
        return std::make_shared<const HttpResolver>(config, std::move(log));
    };
}

std::string HttpResolver::TargetFor(const std::string& assetPath) const {
    const std::string target = _server.BasePath() + _pathFormat.Expand(assetPath);
    return _snapshot.empty() ? target : WithQueryParameter(target, protocol::kSnapshotParameter, _snapshot);
}

HttpResolver::Exchange HttpResolver::SendOnce(const ServerUrl& server, const std::string& target,
                                              const std::string* postBody, size_t maxBody,
                                              Deadline deadline) const {
    Exchange exchange;
    const bool pooled = server.Origin() == _server.Origin();
    // A kept-alive connection the server closed since its last use fails at
    // once; such a failure is retried on a new connection, a timeout is not.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now());
        if (remaining.count() <= 0) {
            exchange.error = "timed out";
            exchange.timedOut = true;
            return exchange;
        }
        HttpConnectionPool::Lease lease = pooled ? _pool.Acquire(deadline)
                                                 : HttpConnectionPool::Lease(nullptr, nullptr);
        std::unique_ptr<GuardedClient> elsewhere;
        if (!pooled) {
            // Credentials were given for the configured server only.
            HeaderList headers;
            for (const auto& header : _headers) {
                if (!IsSecretHeader(header.first, _secretHeaders)) headers.push_back(header);
            }
            elsewhere = GuardedClient::Make(server, headers, _tls);
        } else if (!lease) {
            exchange.error = "no free connection within the timeout";
            exchange.timedOut = true;
            return exchange;
        }
        GuardedClient& guarded = pooled ? *lease : *elsewhere;
        guarded.Http().set_connection_timeout(remaining);
        // Chunk framing takes room beside the body itself.
        guarded.Limit({deadline, 2 * maxBody + kMaxResponseHeadBytes});
        const bool reused = guarded.Http().is_socket_open() != 0;
        exchange = Exchange();

        HeaderList headers;
        if (postBody) {
            headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
            headers.emplace_back(protocol::kVersionsHeader, "1");
        }
        GuardedClient::Answer answer;
        httplib::Error error = httplib::Error::Success;
        const bool whole = guarded.Send(postBody ? "POST" : "GET", target, headers, postBody, maxBody, &answer, &error);
        // Once a status other than 200 came, it is the answer, whatever
        // happened to the body nobody reads.
        const ResponseHead& head = answer.head;
        if (whole || (head.status > 0 && head.status != 200)) {
            exchange.status = head.status;
            exchange.body = std::move(answer.body);
            exchange.location = head.Header("location");
            exchange.etag = head.Header("etag");
            exchange.problem = head.Header(kProblemHeaderLower);
            exchange.versioned = head.Header(kVersionsHeaderLower) == "1";
            return exchange;
        }

        const GuardOutcome& outcome = guarded.Outcome();
        if (outcome.stop != GuardStop::None && outcome.stop != GuardStop::Closed) {
            exchange.error = Describe(outcome);
            // A server that never finishes its answer is as good as down.
            exchange.unreachable = outcome.stop == GuardStop::Deadline;
            exchange.timedOut = exchange.unreachable;
        } else {
            exchange.error = Describe(error);
            exchange.unreachable = IsConnectionError(error) || outcome.stop == GuardStop::Closed;
            // Connecting is bounded by what is left of the timeout.
            exchange.timedOut = error == httplib::Error::ConnectionTimeout;
        }
        exchange.body.clear();
        const bool stale = reused && outcome.received == 0 &&
                           (error == httplib::Error::Read || error == httplib::Error::Write) &&
                           Clock::now() < deadline - _timeout / 2;
        if (!stale) break;
    }
    return exchange;
}

HttpResolver::Exchange HttpResolver::SendWithRetries(const ServerUrl& server,
                                                     const std::string& target,
                                                     const std::string* postBody, size_t maxBody,
                                                     Deadline deadline) const {
    for (long attempt = 0;; ++attempt) {
        Exchange exchange = SendOnce(server, target, postBody, maxBody, deadline);
        const bool transient = (exchange.status == 0 && exchange.unreachable) ||
                               IsTransientStatus(exchange.status);
        // Exponential backoff, a random half of it, so that many threads
        // failing at once do not come back at once.
        const auto delay = _retryDelay * (1L << std::min<long>(attempt, 16));
        thread_local std::minstd_rand random(
            static_cast<unsigned>(std::hash<std::thread::id>()(std::this_thread::get_id())));
        const auto wait = delay / 2 + delay * static_cast<long>(random() % 512) / 1024;
        if (!transient || attempt >= _retries || FailingFast() || Clock::now() + wait >= deadline) {
            return exchange;
        }
        std::this_thread::sleep_for(wait);
    }
}

HttpResolver::Exchange HttpResolver::Send(const std::string& target, const std::string* postBody,
                                          size_t maxBody) const {
    if (FailingFast()) {
        Exchange exchange;
        exchange.error = "failing fast: the server failed moments ago";
        exchange.unreachable = true;
        exchange.failedFast = true;
        return exchange;
    }
    const Deadline deadline = Clock::now() + _timeout;
    // Where the last redirect pointed; the configured server and `target` until one came.
    std::optional<RedirectTarget> hop;
    for (long hops = 0;; ++hops) {
        const ServerUrl& server = hop ? hop->server : _server;
        const std::string& hopTarget = hop ? hop->target : target;
        Exchange exchange = SendWithRetries(server, hopTarget, postBody, maxBody, deadline);
        if (!IsRedirect(exchange.status)) return exchange;
        std::string refusal;
        std::optional<RedirectTarget> next;
        if (hops == _maxRedirects) {
            refusal = "more than " + std::to_string(_maxRedirects) + " redirects (AR_HTTP_MAX_REDIRECTS)";
        } else if (postBody && exchange.status != 307 && exchange.status != 308) {
            refusal = "a " + std::to_string(exchange.status) + " redirect of a POST, which would lose its body";
        } else if (!(next = FollowLocation(exchange.location, server, &refusal))) {
            refusal += " (" + std::to_string(exchange.status) + " from " +
                       Printable(server.Origin() + hopTarget) + ")";
        }
        if (!refusal.empty()) {
            if (!_redirectReported.exchange(true)) {
                _log->Warn(WarningCode::AnswerRefused, "the resolution server at " + _server.Text() +
                           " sent a redirect that is not followed, " + refusal +
                           ": the asset stays unresolved");
            }
            exchange.status = 0;
            exchange.error = "redirect not followed: " + refusal;
            exchange.reported = true;
            return exchange;
        }
        hop = std::move(next);
    }
}

bool HttpResolver::FailingFast() const {
    return Clock::now().time_since_epoch().count() < _failFastUntil.load();
}

void HttpResolver::NoteOutcome(const Exchange& exchange, const std::string& url) const {
    if (exchange.failedFast) return;
    const bool failed = (exchange.status == 0 && exchange.unreachable) ||
                        IsTransientStatus(exchange.status);
    if (!failed) {
        if (exchange.status != 0 && _unreachable.exchange(false)) {
            _log->Warn(WarningCode::ServerRecovered, "the resolution server at " + _server.Text() + " answers again");
        }
        return;
    }
    if (_failFast.count() > 0) {
        _failFastUntil.store((Clock::now() + _failFast).time_since_epoch().count());
    }
    if (!_unreachable.exchange(true)) {
        const std::string why = exchange.status ? "answered " + std::to_string(exchange.status)
                                                : exchange.error;
        _log->Warn(WarningCode::ServerFailed, "the resolution server at " + _server.Text() + " failed (" + why + " for " + Printable(url) +
                   (_retries ? ", after " + std::to_string(_retries) + " retries" : std::string()) +
                   "); assets only it knows stay unresolved" +
                   (_failFast.count() ? ", and it is asked again after " +
                                            std::to_string(_failFast.count()) + " ms"
                                      : std::string()));
    }
}

Unresolved HttpResolver::WhyUnresolved(const Exchange& exchange) {
    if (exchange.failedFast) return Unresolved::FailFast;
    if (exchange.timedOut) return Unresolved::Timeout;
    if (exchange.status == 0) return exchange.unreachable ? Unresolved::Unreachable : Unresolved::BadAnswer;
    // After the retries; any other status is the protocol's "not found".
    return IsTransientStatus(exchange.status) ? Unresolved::Unreachable : Unresolved::NotFound;
}

bool HttpResolver::IsSendable(const std::string& assetPath) const {
    if (assetPath.size() <= protocol::kMaxAssetPathBytes) return true;
    _log->Warn(WarningCode::AssetPathRefused, "the asset path " + Quoted(assetPath) + " (" + std::to_string(assetPath.size()) +
               " bytes) is longer than " + std::to_string(protocol::kMaxAssetPathBytes) +
               " bytes: it is not sent to the resolution server and stays unresolved");
    return false;
}

ResolveCache::Answer HttpResolver::Lookup(const std::string& assetPath) const noexcept {
    try {
        if (!IsSendable(assetPath)) return {std::string(), false, -1, Unresolved::Refused};
        return _inFlight.GetOrResolve(assetPath, [&] { return Fetch(assetPath); });
    } catch (...) {
        // Only allocation fails here; Fetch reports its own failures.
        return {std::string(), false};
    }
}

bool HttpResolver::IsUnknownSnapshot(const Exchange& exchange) const {
    if (_snapshot.empty() || exchange.status != 404 || exchange.problem != protocol::kUnknownSnapshotProblem) {
        return false;
    }
    if (!_unknownSnapshotReported.exchange(true)) {
        _log->Warn(WarningCode::UnknownSnapshot, "the resolution server at " + _server.Text() + " has no snapshot " +
                   Quoted(_snapshot) + ": assets the filesystem lacks stay unresolved");
    }
    return true;
}

std::optional<std::vector<ResolveCache::Answer>> HttpResolver::ResolveBatch(
    const std::vector<std::string>& assetPaths) const noexcept {
    if (_batchPath.empty() || _noBatches.load() || assetPaths.empty()) return std::nullopt;
    try {
        // Paths never sent say nothing about the asset: not kept.
        std::vector<ResolveCache::Answer> answers(assetPaths.size(), {std::string(), false, -1, Unresolved::Refused});
        // Lines are percent-encoded here once, and batches cut where the
        // protocol's limits say.
        std::vector<size_t> sent;
        std::string body;
        auto send = [&]() {
            if (sent.empty()) return true;
            const auto sentAnswers = FetchBatch(body, sent.size());
            if (!sentAnswers) return false;
            for (size_t k = 0; k < sent.size(); ++k) answers[sent[k]] = (*sentAnswers)[k];
            sent.clear();
            body.clear();
            return true;
        };
        for (size_t i = 0; i < assetPaths.size(); ++i) {
            if (!IsSendable(assetPaths[i])) continue;
            const std::string line = PercentEncodePath(assetPaths[i]) + '\n';
            if (sent.size() == protocol::kMaxBatchPaths ||
                body.size() + line.size() > protocol::kMaxBatchBodyBytes) {
                if (!send()) return std::nullopt;
            }
            sent.push_back(i);
            body += line;
        }
        if (!send()) return std::nullopt;
        return answers;
    } catch (...) {
        return std::nullopt;
    }
}

std::optional<std::vector<ResolveCache::Answer>> HttpResolver::FetchBatch(const std::string& body,
                                                                          size_t lineCount) const {
    const std::string base = _server.BasePath() + _batchPath;
    const std::string target =
        _snapshot.empty() ? base : WithQueryParameter(base, protocol::kSnapshotParameter, _snapshot);
    const std::string url = _server.Origin() + target;
    const Clock::time_point start = Clock::now();
    const Exchange exchange =
        Send(target, &body, lineCount * (kMaxResponseBodyBytes + 1));
    NoteOutcome(exchange, url);

    std::optional<std::vector<ResolveCache::Answer>> answers;
    std::string outcome;
    if (IsUnknownSnapshot(exchange)) {
        answers.emplace(lineCount, ResolveCache::Answer{std::string(), true});
        outcome = ": unknown snapshot";
    } else if (exchange.status == 404 || exchange.status == 405 || exchange.status == 501) {
        _noBatches.store(true);
        outcome = ": no batch endpoint, resolving one by one from now on";
    } else if (exchange.status == 200) {
        std::vector<std::string> lines;
        size_t lineStart = 0;
        for (size_t end; (end = exchange.body.find('\n', lineStart)) != std::string::npos;
             lineStart = end + 1) {
            lines.push_back(exchange.body.substr(lineStart, end - lineStart));
        }
        if (lines.size() == lineCount && lineStart == exchange.body.size()) {
            answers.emplace();
            for (std::string& line : lines) {
                const std::int64_t version = exchange.versioned ? TakeChangeNumber(&line) : -1;
                std::string why;
                const auto path = line.empty() ? std::nullopt : ResolvedPathFromBody(line, &why);
                answers->push_back({path ? *path : std::string(), true, path ? version : -1,
                                    line.empty() ? Unresolved::NotFound : Unresolved::BadAnswer});
            }
            outcome = ": " + std::to_string(lines.size()) + " answers";
        } else {
            _log->Warn(WarningCode::AnswerRefused, "the batch answer of " + Printable(url) + " holds " + std::to_string(lines.size()) +
                       " lines for " + std::to_string(lineCount) +
                       " asset paths: resolving one by one");
            outcome = ": unusable answer";
        }
    }
    if (_debug) {
        const std::string status = exchange.status
            ? std::to_string(exchange.status) : "error (" + exchange.error + ")";
        _log->Debug("ar-http: POST " + Printable(url) + " (" + std::to_string(lineCount) +
                    " asset paths) -> " + status + " in " +
                    Milliseconds(Clock::now() - start) + outcome);
    }
    return answers;
}

ResolveCache::Answer HttpResolver::Fetch(const std::string& assetPath) const noexcept {
    try {
        const std::string target = TargetFor(assetPath);
        const std::string url = _server.Origin() + target;
        const Clock::time_point start = Clock::now();
        const Exchange exchange = Send(target, nullptr, kMaxResponseBodyBytes);

        std::string resolved;
        std::string outcome;
        std::int64_t version = -1;
        Unresolved unresolved = WhyUnresolved(exchange);
        if (IsUnknownSnapshot(exchange)) {
            outcome = ": unknown snapshot";
        } else if (exchange.status == 200) {
            std::string why;
            if (auto path = ResolvedPathFromBody(exchange.body, &why)) {
                resolved = *path;
                version = ChangeNumberOf(exchange.etag);
            } else {
                _log->Warn(WarningCode::AnswerRefused, "the resolution server answered " + Printable(url) +
                                                           " with 200 but an unusable body (" + why +
                                                           "): treated as unresolved");
                outcome = ": refused (" + why + ")";
                unresolved = Unresolved::BadAnswer;
            }
        } else if (exchange.status == 0 && !exchange.unreachable && !exchange.reported) {
            _log->Warn(exchange.timedOut ? WarningCode::ServerFailed : WarningCode::AnswerRefused,
                       "request " + Printable(url) + " failed: " + exchange.error);
        }
        NoteOutcome(exchange, url);

        if (_debug) {
            const std::string status = exchange.status
                ? std::to_string(exchange.status) : "error (" + exchange.error + ")";
            if (outcome.empty()) outcome = resolved.empty() ? ": unresolved" : ": " + Printable(resolved, 1024);
            _log->Debug("ar-http: GET " + Printable(url) + " -> " + status + " in " +
                        Milliseconds(Clock::now() - start) + outcome);
        }
        // Only an answer of the server itself says anything about the asset.
        return {resolved, exchange.status != 0 && exchange.status < 500, version, unresolved};
    } catch (const std::exception& error) {
        _log->Warn(WarningCode::ResolveFailed, std::string("resolving failed: ") + error.what());
    } catch (...) {
        _log->Warn(WarningCode::ResolveFailed, "resolving failed with an unknown error");
    }
    return {std::string(), false};
}

ServerClient::FeedEnd HttpResolver::FollowChanges(
    FeedParser& parser, const std::function<void(std::vector<FeedEvent>&&)>& onChunk,
    int wakeFd) const noexcept {
    // A stream is followed anew now and then, so that no connection lives
    // for ever; it says at most this much before that.
    constexpr auto kLifetime = std::chrono::minutes(10);
    constexpr size_t kMaxStreamBytes = 64 * 1024 * 1024;
    FeedEnd end;
    try {
        const std::unique_ptr<GuardedClient> guarded = GuardedClient::Make(_server, _headers, _tls);
        httplib::ClientImpl& client = guarded->Http();
        client.set_keep_alive(false);
        client.set_connection_timeout(std::min<std::chrono::milliseconds>(_timeout, std::chrono::seconds(5)));
        guarded->Limit({Clock::now() + kLifetime, kMaxStreamBytes,
                        std::chrono::seconds(3 * protocol::kKeepAliveEventSeconds), wakeFd});
        httplib::Request request;
        request.method = "GET";
        request.path = _server.BasePath() + protocol::kEventsPath;
        request.set_header("Accept", "text/event-stream");
        if (parser.LastEventId() != 0) request.set_header("Last-Event-ID", std::to_string(parser.LastEventId()));
        parser.Restart();
        int status = 0;
        request.response_handler = [&](const httplib::Response& head) {
            status = head.status;
            return head.status == 200;
        };
        bool refused = false;
        request.content_receiver = [&](const char* data, size_t length, uint64_t, uint64_t) {
            end.received = true;
            std::vector<FeedEvent> changes;
            refused = !parser.Feed(data, length, &changes);
            onChunk(std::move(changes));
            return !refused;
        };
        httplib::Response response;
        httplib::Error error = httplib::Error::Success;
        client.send(request, response, error);
        const GuardOutcome& outcome = guarded->Outcome();
        if (outcome.stop == GuardStop::Woken) {
            end.why = "stopped";
        } else if (status != 0 && status != 200) {
            end.why = "answered " + std::to_string(status) + " for " + request.path;
        } else if (refused) {
            end.why = "an event over " + std::to_string(protocol::kMaxEventBytes) + " bytes";
        } else if (outcome.stop == GuardStop::Deadline) {
            end.planned = end.received;
            end.why = "the stream outlived its time";
        } else if (outcome.stop != GuardStop::None) {
            end.why = Describe(outcome);
        } else if (error != httplib::Error::Success) {
            end.why = Describe(error);
        } else {
            end.why = "the server ended the stream";
        }
    } catch (...) {
        // Only allocation can throw.
        end.why = "out of memory";
    }
    return end;
}

}  // namespace arhttp
