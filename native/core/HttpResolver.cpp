#include "HttpResolver.h"

#include "PercentEncoding.h"
#include "ResponseBody.h"

#include <httplib.h>

#include <algorithm>
#include <cstdio>

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

}  // namespace

struct HttpResolver::Exchange {
    int status = 0;
    std::string body;
    std::string error;     // why no usable response came, if none did
    bool unreachable = false;
};

HttpResolver::HttpResolver(const Config& config, std::shared_ptr<LogSink> log)
    : _server(config.server),
      _pathFormat(config.pathFormat),
      _timeout(config.timeout),
      _debug(config.debug),
      _batchPath(config.batchPath),
      _log(std::move(log)),
      _pool(config.server, config.headers, config.timeout, config.maxConnections),
      _cache(config.cacheTimeToLive, config.cacheMaxEntries) {}

std::string HttpResolver::TargetFor(const std::string& assetPath) const {
    return _server.BasePath() + _pathFormat.Expand(assetPath);
}

HttpResolver::Exchange HttpResolver::Send(const std::string& target, const std::string* postBody,
                                          size_t maxBody) const {
    const Clock::time_point deadline = Clock::now() + _timeout;
    Exchange exchange;
    // A kept-alive connection the server closed since its last use fails at
    // once; such a failure is retried on a new connection, a timeout is not.
    for (int attempt = 0; attempt < 2; ++attempt) {
        HttpConnectionPool::Lease client = _pool.Acquire();
        if (!client) {
            exchange.error = "no free connection within the timeout";
            return exchange;
        }
        const bool reused = client->is_socket_open() != 0;
        exchange = Exchange();
        bool oversized = false;
        bool late = false;
        auto result = postBody ? client->Post(target, *postBody, "text/plain; charset=utf-8") : client->Get(
            target,
            [&](const httplib::Response& response) {
                exchange.status = response.status;
                // A non-200 body is never used; one delimited only by the
                // server closing the connection (as some 304s are) would
                // just hold the connection until the timeout.
                return response.status == 200 || response.has_header("Content-Length") ||
                       response.has_header("Transfer-Encoding");
            },
            [&](const char* data, size_t length) {
                if (exchange.body.size() + length > maxBody) {
                    oversized = true;
                    return false;
                }
                if (Clock::now() > deadline) {
                    late = true;
                    return false;
                }
                exchange.body.append(data, length);
                return true;
            });
        if (result && postBody) {
            // cpp-httplib reads a POST's answer whole: its size is checked after.
            exchange.status = result->status;
            exchange.body = std::move(result->body);
            if (exchange.body.size() <= maxBody) return exchange;
            oversized = true;
        } else if (result) {
            return exchange;
        }

        const httplib::Error error = result ? httplib::Error::Canceled : result.error();
        if (error == httplib::Error::Canceled && exchange.status != 0 && !oversized && !late) {
            return exchange;  // a non-200 answer we chose not to read
        }
        if (oversized) {
            exchange.error = "body larger than " + std::to_string(maxBody) + " bytes";
        } else if (late) {
            exchange.error = "timed out while reading the body";
        } else {
            exchange.error = Describe(error);
            exchange.unreachable = IsConnectionError(error);
        }
        exchange.status = 0;
        const bool stale = reused && (error == httplib::Error::Read ||
                                      error == httplib::Error::Write) &&
                           Clock::now() < deadline - _timeout / 2;
        if (!stale) break;
    }
    return exchange;
}

void HttpResolver::ReportOutage(const std::string& url, const std::string& error) const {
    if (!_unreachable.exchange(true)) {
        _log->Warn("cannot reach the resolution server at " + _server.Text() + " (" + error +
                   " for " + url + "); assets only it knows stay unresolved until it answers");
    }
}

std::string HttpResolver::Resolve(const std::string& assetPath) const noexcept {
    return Lookup(assetPath).resolvedPath;
}

ResolveCache::Answer HttpResolver::Lookup(const std::string& assetPath) const noexcept {
    try {
        return _cache.GetOrResolve(assetPath, [&] { return Fetch(assetPath); });
    } catch (...) {
        // Only allocation fails here; Fetch reports its own failures.
        return {std::string(), false};
    }
}

std::optional<std::vector<std::string>> HttpResolver::ResolveBatch(
    const std::vector<std::string>& assetPaths) const noexcept {
    if (_batchPath.empty() || _noBatches.load() || assetPaths.empty()) return std::nullopt;
    try {
        std::vector<std::string> answers;
        for (auto begin = assetPaths.begin(); begin != assetPaths.end();) {
            const auto end = begin + std::min<size_t>(kMaxBatch, assetPaths.end() - begin);
            auto chunk = FetchBatch(begin, end);
            if (!chunk) return std::nullopt;
            answers.insert(answers.end(), chunk->begin(), chunk->end());
            begin = end;
        }
        return answers;
    } catch (...) {
        return std::nullopt;
    }
}

std::optional<std::vector<std::string>> HttpResolver::FetchBatch(
    std::vector<std::string>::const_iterator first,
    std::vector<std::string>::const_iterator last) const {
    const std::vector<std::string> assetPaths(first, last);
    std::string body;
    for (const std::string& assetPath : assetPaths) body += PercentEncodePath(assetPath) + '\n';
    const std::string target = _server.BasePath() + _batchPath;
    const std::string url = _server.Origin() + target;
    const Clock::time_point start = Clock::now();
    const Exchange exchange =
        Send(target, &body, assetPaths.size() * (kMaxResponseBodyBytes + 1));
    if (exchange.status != 0) _unreachable.store(false);

    std::optional<std::vector<std::string>> answers;
    std::string outcome;
    if (exchange.status == 404 || exchange.status == 405 || exchange.status == 501) {
        _noBatches.store(true);
        outcome = ": no batch endpoint, resolving one by one from now on";
    } else if (exchange.status == 200) {
        std::vector<std::string> lines;
        size_t lineStart = 0;
        for (size_t end; (end = exchange.body.find('\n', lineStart)) != std::string::npos;
             lineStart = end + 1) {
            lines.push_back(exchange.body.substr(lineStart, end - lineStart));
        }
        if (lines.size() == assetPaths.size() && lineStart == exchange.body.size()) {
            answers.emplace();
            for (size_t i = 0; i < lines.size(); ++i) {
                std::string why;
                const auto path = lines[i].empty() ? std::nullopt
                                                   : ResolvedPathFromBody(lines[i], &why);
                answers->push_back(path ? *path : std::string());
                _cache.Offer(assetPaths[i], {answers->back(), true});
            }
            outcome = ": " + std::to_string(lines.size()) + " answers";
        } else {
            _log->Warn("the batch answer of " + url + " holds " + std::to_string(lines.size()) +
                       " lines for " + std::to_string(assetPaths.size()) +
                       " asset paths: resolving one by one");
            outcome = ": unusable answer";
        }
    } else if (exchange.unreachable) {
        ReportOutage(url, exchange.error);
    }
    if (_debug) {
        const std::string status = exchange.status
            ? std::to_string(exchange.status) : "error (" + exchange.error + ")";
        _log->Debug("ar-http: POST " + url + " (" + std::to_string(assetPaths.size()) +
                    " asset paths) -> " + status + " in " +
                    Milliseconds(Clock::now() - start) + outcome);
    }
    return answers;
}

void HttpResolver::ClearCache() const {
    _cache.Clear();
}

ResolveCache::Answer HttpResolver::Fetch(const std::string& assetPath) const noexcept {
    try {
        const std::string target = TargetFor(assetPath);
        const std::string url = _server.Origin() + target;
        const Clock::time_point start = Clock::now();
        const Exchange exchange = Send(target, nullptr, kMaxResponseBodyBytes);

        std::string resolved;
        std::string outcome;
        if (exchange.status == 200) {
            std::string why;
            if (auto path = ResolvedPathFromBody(exchange.body, &why)) {
                resolved = *path;
            } else {
                _log->Warn("the resolution server answered " + url + " with 200 but an unusable "
                           "body (" + why + "): treated as unresolved");
                outcome = ": refused (" + why + ")";
            }
        } else if (exchange.status == 0 && exchange.unreachable) {
            ReportOutage(url, exchange.error);
        } else if (exchange.status == 0) {
            _log->Warn("request " + url + " failed: " + exchange.error);
        }
        if (exchange.status != 0) _unreachable.store(false);

        if (_debug) {
            const std::string status = exchange.status
                ? std::to_string(exchange.status) : "error (" + exchange.error + ")";
            if (outcome.empty()) outcome = resolved.empty() ? ": unresolved" : ": " + resolved;
            _log->Debug("ar-http: GET " + url + " -> " + status + " in " +
                        Milliseconds(Clock::now() - start) + outcome);
        }
        return {resolved, exchange.status != 0};
    } catch (const std::exception& error) {
        _log->Warn(std::string("resolving failed: ") + error.what());
    } catch (...) {
        _log->Warn("resolving failed with an unknown error");
    }
    return {std::string(), false};
}

}  // namespace arhttp
