#include "core/transport/HttpContentSource.h"

#include "core/text/UrlReference.h"
#include "core/transport/GuardedClient.h"
#include "core/transport/ResponseHead.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <algorithm>

#include <sys/timerfd.h>
#include <unistd.h>

namespace arhttp {

namespace {

using Clock = std::chrono::steady_clock;

bool IsRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

// A timer the guarded stream watches (ExchangeLimits::wakeFd): the exchange
// ends when it fires, and it is set later as bytes come in. Stop fires it at once.
class HttpContentSource::Alarm {
public:
    explicit Alarm(const HttpContentSource& source)
        : _source(source), _fd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) {
        std::lock_guard<std::mutex> lock(_source._alarmsMutex);
        _source._alarms.insert(this);
    }
    ~Alarm() {
        {
            std::lock_guard<std::mutex> lock(_source._alarmsMutex);
            _source._alarms.erase(this);
        }
        if (_fd >= 0) close(_fd);
    }
    Alarm(const Alarm&) = delete;
    Alarm& operator=(const Alarm&) = delete;
    int Fd() const { return _fd; }
    // Fires at `when`, at once if it passed.
    void Set(Clock::time_point when) {
        Arm(when);
        _at = when;
        // Stop may have fired it just before: fired again.
        if (_source._stopping) Arm(Clock::now());
    }
    Clock::time_point At() const { return _at; }
    // Fires at `when`: from any thread.
    void Arm(Clock::time_point when) const {
        const auto left = std::max(std::chrono::duration_cast<std::chrono::nanoseconds>(when - Clock::now()),
                                   std::chrono::nanoseconds(1));
        itimerspec spec{};
        spec.it_value.tv_sec = static_cast<time_t>(left.count() / 1000000000);
        spec.it_value.tv_nsec = static_cast<long>(left.count() % 1000000000);
        if (_fd >= 0) timerfd_settime(_fd, 0, &spec, nullptr);
    }

private:
    const HttpContentSource& _source;
    const int _fd;
    Clock::time_point _at;
};

struct HttpContentSource::Exchange {
    Answer answer;
    std::string location;  // of a redirect
};

HttpContentSource::HttpContentSource(const Config& config)
    : _idServer(config.server),
      _idHeaders(config.headers),
      _contentHeaders(config.contentHeaders),
      _secretHeaders(config.secretHeaders),
      _timeout(config.timeout),
      _maxBytes(config.maxContentBytes),
      _maxRedirects(config.maxRedirects),
      _maxConnections(config.maxConnections),
      _tls(config.tls) {}

ContentSourceFactory HttpContentSource::Factory() {
    return [](const Config& config, std::shared_ptr<LogSink>) {
        return std::make_shared<const HttpContentSource>(config);
    };
}

std::shared_ptr<HttpConnectionPool> HttpContentSource::PoolFor(const ServerUrl& server) const {
    std::lock_guard<std::mutex> lock(_poolsMutex);
    const auto found = std::find_if(_pools.begin(), _pools.end(),
                                    [&](const auto& pool) { return pool.first == server.Origin(); });
    if (found != _pools.end()) {
        _pools.splice(_pools.begin(), _pools, found);
        return found->second;
    }
    // Headers go with each request, as they differ by the URL first asked.
    _pools.emplace_front(server.Origin(),
                         std::make_shared<HttpConnectionPool>(server, HeaderList(), _maxConnections, _tls));
    // A download under way keeps its pool through its own reference.
    if (_pools.size() > kMaxOrigins) _pools.pop_back();
    return _pools.front().second;
}

HeaderList HttpContentSource::HeadersFor(const std::string& origin, const std::string& first) const {
    HeaderList headers;
    for (const auto& header : _contentHeaders) {
        if (origin == first || !IsSecretHeader(header.first, _secretHeaders)) headers.push_back(header);
    }
    if (origin == _idServer.Origin()) headers.insert(headers.end(), _idHeaders.begin(), _idHeaders.end());
    return headers;
}

HttpContentSource::Exchange HttpContentSource::GetOnce(const ServerUrl& server, const std::string& target,
                                                       const HeaderList& headers, const std::string& etag,
                                                       const Sink& sink, Deadline start) const {
    Exchange exchange;
    const std::shared_ptr<HttpConnectionPool> pool = PoolFor(server);
    // A kept-alive connection the server closed since its last use fails at
    // once, before a byte came: that is tried again on a new connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
        exchange = Exchange();
        Answer& answer = exchange.answer;
        const Deadline headDeadline = start + _timeout;
        HttpConnectionPool::Lease lease = pool->Acquire(headDeadline);
        if (_stopping) {
            answer.stopped = true;
            answer.why = "stopped";
            return exchange;
        }
        if (!lease) {
            answer.why = "no free connection within the timeout (AR_HTTP_TIMEOUT_MS)";
            return exchange;
        }
        GuardedClient& guarded = *lease;
        httplib::ClientImpl& client = guarded.Http();
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(headDeadline - Clock::now());
        if (remaining.count() <= 0) {
            answer.why = "no answer within the timeout (AR_HTTP_TIMEOUT_MS)";
            return exchange;
        }
        client.set_connection_timeout(remaining);
        Alarm alarm(*this);
        if (alarm.Fd() < 0) {
            answer.why = "no timer could be made for the transfer";
            return exchange;
        }
        // The head must come within the timeout; the body then within the
        // time it takes at kMinContentBytesPerSecond more.
        alarm.Set(headDeadline);
        const auto allowance = [&](std::uint64_t bytes) {
            return headDeadline + std::chrono::milliseconds(bytes * 1000 / kMinContentBytesPerSecond);
        };
        const size_t maxBody = static_cast<size_t>(std::min<std::uint64_t>(_maxBytes, SIZE_MAX / 4));
        // Chunk framing aside, the body is bounded by ReadBody's limit.
        guarded.Limit({allowance(_maxBytes), 2 * maxBody + kMaxResponseHeadBytes, _timeout, alarm.Fd()});
        const bool reused = client.is_socket_open() != 0;

        HeaderList sent = headers;
        if (!etag.empty()) sent.emplace_back("If-None-Match", etag);
        // OpenSSL's SHA-256, as the bytes pass: the cache keeps it and checks a stated digest against it.
        const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> hash(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        if (!hash || EVP_DigestInit_ex(hash.get(), EVP_sha256(), nullptr) != 1) {
            answer.why = "no SHA-256 could be computed";
            return exchange;
        }
        std::uint64_t declared = 0;
        std::uint64_t received = 0;
        bool slow = false;
        const auto onHead = [&](const ResponseHead& head) {
            const std::string_view length = head.Header("content-length");
            // ParseResponseHead let through only 19 digits or fewer.
            declared = head.status == 200 && !length.empty() ? std::stoull(std::string(length)) : 0;
            if (declared <= _maxBytes) alarm.Set(allowance(declared));
        };
        const auto take = [&](const char* data, size_t length) {
            if (_stopping) {
                answer.stopped = true;
                return false;
            }
            received += length;
            const Deadline allowed = allowance(std::max(declared, received));
            if (Clock::now() > allowed) {
                slow = true;
                return false;
            }
            // Moved only once it gained a while: a system call per piece would cost for nothing.
            if (allowed - alarm.At() > std::chrono::milliseconds(250)) alarm.Set(allowed);
            EVP_DigestUpdate(hash.get(), data, length);
            if (!sink(data, length)) {
                answer.stopped = true;
                return false;
            }
            return true;
        };
        ResponseHead head;
        httplib::Error error = httplib::Error::Success;
        const bool whole = guarded.Send("GET", target, sent, nullptr, maxBody, onHead, take, &head, &error);
        const GuardOutcome& outcome = guarded.Outcome();
        if (whole || (head.status > 0 && head.status != 200)) {
            answer.status = head.status;
            answer.etag = head.Header("etag");
            answer.lastModified = head.Header("last-modified");
            answer.reprDigest = head.Header("repr-digest");
            answer.digest = head.Header("digest");
            answer.immutable = head.Header("cache-control").find("immutable") != std::string_view::npos;
            exchange.location = head.Header("location");
            // A 200 cut short by the sink or a limit is no answer.
            if (answer.status != 200) return exchange;
            if (whole) {
                unsigned char digest[EVP_MAX_MD_SIZE];
                unsigned int size = 0;
                unsigned char text[2 * EVP_MAX_MD_SIZE];
                EVP_DigestFinal_ex(hash.get(), digest, &size);
                const int length = EVP_EncodeBlock(text, digest, static_cast<int>(size));
                answer.sha256.assign(reinterpret_cast<const char*>(text), static_cast<size_t>(length));
                return exchange;
            }
            answer.status = 0;
        }
        if (answer.stopped || (outcome.stop == GuardStop::Woken && _stopping)) {
            answer.stopped = true;
            answer.why = "stopped";
        } else if (outcome.stop == GuardStop::BodyTooLarge) {
            answer.why = "a body over AR_HTTP_MAX_CONTENT_BYTES (" + std::to_string(_maxBytes) + " bytes)";
        } else if (slow || outcome.stop == GuardStop::Woken) {
            answer.why = head.status == 200
                             ? "a transfer slower than " + std::to_string(kMinContentBytesPerSecond / 1024) +
                                   " KiB/s past the timeout (AR_HTTP_TIMEOUT_MS)"
                             : "no answer within the timeout (AR_HTTP_TIMEOUT_MS)";
        } else if (outcome.stop == GuardStop::Silence) {
            answer.why = "nothing received within the timeout (AR_HTTP_TIMEOUT_MS)";
        } else if (outcome.stop != GuardStop::None) {
            answer.why = Describe(outcome);
        } else if (head.status == 200) {
            answer.why = "the body broke off before its end (" + std::to_string(received) + " bytes came)";
        } else {
            answer.why = error == httplib::Error::Connection              ? std::string("connection refused or unreachable")
                         : error == httplib::Error::SSLServerVerification ? std::string("server certificate not trusted")
                                                                           : "the transfer failed (" + httplib::to_string(error) + ")";
        }
        const bool stale = reused && outcome.received == 0 &&
                           (error == httplib::Error::Read || error == httplib::Error::Write);
        if (!stale) break;
    }
    return exchange;
}

void HttpContentSource::Stop() const noexcept {
    _stopping = true;
    std::lock_guard<std::mutex> lock(_alarmsMutex);
    for (const Alarm* alarm : _alarms) alarm->Arm(Clock::now());
}

ContentSource::Answer HttpContentSource::Get(const std::string& url, const std::string& etag,
                                             const Sink& sink) const noexcept {
    try {
        const Deadline start = Clock::now();
        const std::string first = UrlOrigin(url);
        std::string current = url;
        for (long hops = 0;; ++hops) {
            // The origin as ServerUrl parses it, then the request target.
            const size_t pathStart = current.find_first_of("/?#", current.find("://") + 3);
            std::string error;
            const auto server = ServerUrl::Parse(current.substr(0, pathStart), &error);
            if (!server) {
                Answer refused;
                refused.why = "its URL is refused: " + error;
                return refused;
            }
            std::string target = pathStart == std::string::npos ? "/" : current.substr(pathStart);
            target = target.substr(0, target.find('#'));
            if (target.empty() || target[0] != '/') target.insert(0, "/");
            Exchange exchange = GetOnce(*server, target, HeadersFor(UrlOrigin(current), first), etag, sink, start);
            if (!IsRedirect(exchange.answer.status)) return exchange.answer;
            Answer refused;
            const std::string next = ResolveUrlReference(current, exchange.location);
            if (hops == _maxRedirects) {
                refused.why = "more than " + std::to_string(_maxRedirects) + " redirects (AR_HTTP_MAX_REDIRECTS)";
            } else if (exchange.location.empty() || !IsContentUrl(next)) {
                refused.why = "a redirect to something else than an http(s) URL, which is never followed";
            } else if (server->IsHttps() && UrlOrigin(next).compare(0, 8, "https://") != 0) {
                refused.why = "a redirect from https to http, which is never followed";
            } else if (std::any_of(exchange.location.begin(), exchange.location.end(),
                                   [](unsigned char c) { return c <= 0x20 || c == 0x7F; })) {
                refused.why = "a redirect to a Location holding spaces or control characters";
            }
            if (!refused.why.empty()) return refused;
            current = next;
        }
    } catch (...) {
        // Only allocation can throw.
        Answer failed;
        failed.why = "out of memory";
        return failed;
    }
}

}  // namespace arhttp
