#include "core/transport/GuardedStream.h"

#include "core/settings/RequestHeaders.h"

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace arhttp {

namespace {

using Clock = std::chrono::steady_clock;

// What one read of a body from the connection asks for at most.
constexpr size_t kReadSize = 16 * 1024;
// And one read of a head: a head is rarely more than a few hundred bytes.
constexpr size_t kHeadReadSize = 4 * 1024;

void AddressOf(int socket, bool remote, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    const int result = remote ? getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length)
                              : getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length);
    ip.clear();
    port = 0;
    if (result != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
        inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
        port = ntohs(v4->sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
        inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
        port = ntohs(v6->sin6_port);
    }
    ip = text;
}

}  // namespace

std::string Describe(const GuardOutcome& outcome) {
    switch (outcome.stop) {
    case GuardStop::Deadline:
        return outcome.received ? "no whole answer within the timeout (AR_HTTP_TIMEOUT_MS)"
                                : "no answer within the timeout (AR_HTTP_TIMEOUT_MS)";
    case GuardStop::HeadTooLarge:
        return "an answer head larger than " + std::to_string(kMaxResponseHeadBytes / 1024) + " KiB";
    case GuardStop::BadHead: return "a malformed answer head (" + outcome.detail + ")";
    case GuardStop::BodyTooLarge: return "an answer body over its size limit";
    case GuardStop::Closed: return "the server closed the connection without a whole answer";
    case GuardStop::Silence: return "nothing received for too long";
    case GuardStop::Woken: return "stopped";
    case GuardStop::BadBody: return "a malformed answer body (" + outcome.detail + ")";
    case GuardStop::Declined: return "stopped by its reader";
    case GuardStop::None: break;
    }
    return std::string();
}

GuardedStream::GuardedStream(int socket, SSL* ssl, const ExchangeLimits& limits,
                             GuardOutcome* outcome)
    : _socket(socket), _ssl(ssl), _limits(limits), _outcome(outcome), _lastReceived(Clock::now()) {
    *_outcome = GuardOutcome();
    // Plain sockets need no flag: Transfer passes MSG_DONTWAIT. A TLS socket
    // stays non-blocking once made so: cpp-httplib only ever polls it or shuts it.
    if (_ssl) {
        const int flags = fcntl(_socket, F_GETFL);
        if (flags != -1 && !(flags & O_NONBLOCK)) fcntl(_socket, F_SETFL, flags | O_NONBLOCK);
    }
}

bool GuardedStream::Stop(GuardStop stop, std::string detail) {
    if (_outcome->stop == GuardStop::None) {
        _outcome->stop = stop;
        _outcome->detail = std::move(detail);
    }
    return false;
}

bool GuardedStream::Wait(short events) {
    const bool silenceCounts = _limits.maxSilence.count() > 0;
    for (;;) {
        const auto now = Clock::now();
        const auto remaining = std::chrono::ceil<std::chrono::milliseconds>(_limits.deadline - now);
        if (remaining.count() <= 0) return Stop(GuardStop::Deadline);
        auto wait = remaining;
        if (silenceCounts) {
            const auto quiet = std::chrono::ceil<std::chrono::milliseconds>(_lastReceived + _limits.maxSilence - now);
            if (quiet.count() <= 0) return Stop(GuardStop::Silence);
            wait = std::min(wait, quiet);
        }
        pollfd entries[2] = {{_socket, events, 0}, {_limits.wakeFd, POLLIN, 0}};
        const nfds_t count = _limits.wakeFd >= 0 ? 2 : 1;
        const int ready = poll(entries, count, static_cast<int>(std::min<long long>(wait.count(), INT_MAX)));
        if (ready > 0 && count == 2 && entries[1].revents != 0) return Stop(GuardStop::Woken);
        if (ready > 0) return true;
        if (ready < 0 && errno != EINTR) return false;
    }
}

ssize_t GuardedStream::Transfer(char* ptr, size_t size, bool receiving) {
    size = std::min<size_t>(size, INT_MAX);
    for (;;) {
        short waitFor = receiving ? POLLIN : POLLOUT;
        if (_ssl) {
            ERR_clear_error();
            const int moved = receiving ? SSL_read(_ssl, ptr, static_cast<int>(size))
                                        : SSL_write(_ssl, ptr, static_cast<int>(size));
            if (moved > 0) {
                if (receiving) _lastReceived = Clock::now();
                return moved;
            }
            const int error = SSL_get_error(_ssl, moved);
            if (error == SSL_ERROR_ZERO_RETURN) return 0;
            if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
                waitFor = error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
            } else {
                // A close without close_notify, as many servers do.
                return receiving && error == SSL_ERROR_SYSCALL && moved == 0 ? 0 : -1;
            }
        } else {
            const ssize_t moved = receiving ? recv(_socket, ptr, size, MSG_DONTWAIT)
                                            : send(_socket, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (moved > 0 && receiving) _lastReceived = Clock::now();
            if (moved >= 0) return moved;
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
        }
        if (!Wait(waitFor)) return -1;
    }
}

bool GuardedStream::ReadHead() {
    std::string raw;
    size_t consumed = 0;  // bytes of `raw` in interim heads already skipped
    for (;;) {
        const std::string_view pending = std::string_view(raw).substr(consumed);
        if (const auto end = ResponseHeadEnd(pending)) {
            std::string why;
            const auto head = ParseResponseHead(pending.substr(0, *end), &why);
            if (!head) return Stop(GuardStop::BadHead, why);
            if (head->IsInterim()) {
                consumed += *end;
                continue;
            }
            _final = std::move(*head);
            _head = _final.canonical;
            _head.append(pending.substr(*end));
            _bodyBytes = pending.size() - *end;
            _pending = _head.data();
            _pendingSize = _head.size();
            _headRead = true;
            return true;
        }
        if (raw.size() >= kMaxResponseHeadBytes) return Stop(GuardStop::HeadTooLarge);
        // The server takes a while to answer: waiting first spares a read
        // that would find nothing.
        if (raw.empty() && !(_ssl && SSL_pending(_ssl) > 0) && !Wait(POLLIN)) return false;
        char chunk[kHeadReadSize];
        const ssize_t got = Transfer(chunk, std::min(sizeof(chunk), kMaxResponseHeadBytes - raw.size()), true);
        if (got <= 0) return got == 0 ? Stop(GuardStop::Closed) : false;
        raw.append(chunk, static_cast<size_t>(got));
        _outcome->received += static_cast<size_t>(got);
    }
}

bool GuardedStream::is_readable() const {
    if (_pendingSize > 0 || (_ssl && SSL_pending(_ssl) > 0)) return true;
    pollfd entry{_socket, POLLIN, 0};
    return poll(&entry, 1, 0) > 0;
}

bool GuardedStream::is_writable() const {
    pollfd entry{_socket, POLLOUT, 0};
    return Clock::now() < _limits.deadline && poll(&entry, 1, 0) > 0;
}

ssize_t GuardedStream::Refill() {
    if (_bodyBytes >= _limits.maxBodyBytes) return Stop(GuardStop::BodyTooLarge), -1;
    if (!_chunk) _chunk.reset(new char[kReadSize]);
    const ssize_t got = Transfer(_chunk.get(), std::min(kReadSize, _limits.maxBodyBytes - _bodyBytes), true);
    if (got <= 0) return got;
    _bodyBytes += static_cast<size_t>(got);
    _outcome->received += static_cast<size_t>(got);
    _pending = _chunk.get();
    _pendingSize = static_cast<size_t>(got);
    return got;
}

ssize_t GuardedStream::read(char* ptr, size_t size) {
    if (!_headRead && !ReadHead()) return -1;
    if (_pendingSize == 0) {
        const ssize_t got = Refill();
        if (got <= 0) return got;
    }
    const size_t count = std::min(size, _pendingSize);
    std::memcpy(ptr, _pending, count);
    _pending += count;
    _pendingSize -= count;
    return static_cast<ssize_t>(count);
}

ResponseHead* GuardedStream::FinalHead() {
    if (!_headRead && !ReadHead()) return nullptr;
    // What follows the rewritten head is the body.
    _pending += _final.canonical.size();
    _pendingSize -= _final.canonical.size();
    return &_final;
}

bool GuardedStream::ReadExactly(uint64_t count, const BodySink& sink, bool untilClose) {
    // The pending bytes go to the sink where they lie: no copy.
    while (count > 0) {
        if (_pendingSize == 0) {
            const ssize_t got = Refill();
            if (got == 0 && untilClose) return true;
            if (got <= 0) return false;
        }
        const size_t taken = static_cast<size_t>(std::min<uint64_t>(count, _pendingSize));
        if (sink && !sink(_pending, taken)) return Stop(GuardStop::Declined);
        _pending += taken;
        _pendingSize -= taken;
        count -= taken;
    }
    // A body up to the close that has not closed by its limit is over it.
    return !untilClose || Refill() == 0 || Stop(GuardStop::BodyTooLarge);
}

bool GuardedStream::ReadLine(std::string* line, size_t maxBytes) {
    line->clear();
    for (;;) {
        if (_pendingSize == 0 && Refill() <= 0) return false;
        const char* end = static_cast<const char*>(std::memchr(_pending, '\n', _pendingSize));
        const size_t count = end ? static_cast<size_t>(end - _pending) : _pendingSize;
        line->append(_pending, count);
        _pending += count + (end ? 1 : 0);
        _pendingSize -= count + (end ? 1 : 0);
        // One more for a CR.
        if (line->size() > maxBytes + 1) {
            return Stop(GuardStop::BadBody, "a chunked body's line over " + std::to_string(maxBytes) + " bytes");
        }
        if (end) break;
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
}

bool GuardedStream::ReadChunked(size_t maxBytes, const BodySink& sink) {
    // A chunk-size line holds the size and perhaps extensions, ignored.
    constexpr size_t kMaxChunkLine = 1024;
    std::string line;
    size_t total = 0;
    for (;;) {
        if (!ReadLine(&line, kMaxChunkLine)) return false;
        uint64_t size = 0;
        size_t digits = 0;
        for (; digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits])); ++digits) {
            if (digits == 15) return Stop(GuardStop::BadBody, "a chunk size of more than 15 hexadecimal digits");
            const char c = line[digits];
            size = size * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        const char after = digits < line.size() ? line[digits] : ';';
        if (digits == 0 || (after != ';' && after != ' ' && after != '\t')) {
            return Stop(GuardStop::BadBody, "a chunk size that is not a hexadecimal number");
        }
        if (size == 0) break;
        if (size > maxBytes - total) return Stop(GuardStop::BodyTooLarge);
        total += static_cast<size_t>(size);
        if (!ReadExactly(size, sink) || !ReadLine(&line, 0)) return false;
        if (!line.empty()) return Stop(GuardStop::BadBody, "a chunk longer than its size");
    }
    // Trailer fields, never used: bounded as a head is.
    for (size_t trailers = 0;;) {
        if (!ReadLine(&line, kMaxResponseHeadBytes)) return false;
        if (line.empty()) return true;
        trailers += line.size() + 1;
        if (trailers >= kMaxResponseHeadBytes) return Stop(GuardStop::HeadTooLarge);
    }
}

bool GuardedStream::ReadBody(size_t maxBytes, const BodySink& sink, bool* reusable) {
    *reusable = false;
    const int status = _final.status;
    // HTTP/1.0 closes unless told otherwise; ParseResponseHead keeps only "close".
    const bool closes = _final.canonical.compare(0, 8, "HTTP/1.0") == 0 || !_final.Header("connection").empty();
    // Bytes past the answer's end would be read as the next answer's.
    if (status < 200 || status == 204 || status == 304) {
        // A 101 switched to another protocol.
        *reusable = !closes && status != 101 && _pendingSize == 0;
        return true;
    }
    const std::string coding = LowerCaseName(std::string(_final.Header("content-encoding")));
    if (!coding.empty() && coding != "identity") {
        return Stop(GuardStop::BadBody, "a body in " + coding + ", which was not asked for");
    }
    const std::string transfer = LowerCaseName(std::string(_final.Header("transfer-encoding")));
    const std::string_view length = _final.Header("content-length");
    // Both say the server may be confused about where the answer ends: nothing follows it.
    const bool ambiguous = !transfer.empty() && !length.empty();
    bool whole;
    if (!transfer.empty()) {
        if (transfer != "chunked") return Stop(GuardStop::BadBody, "a Transfer-Encoding other than chunked");
        whole = ReadChunked(maxBytes, sink);
    } else if (!length.empty()) {
        // ParseResponseHead let through only 19 digits or fewer.
        const uint64_t count = std::stoull(std::string(length));
        if (count > maxBytes) return Stop(GuardStop::BodyTooLarge);
        whole = ReadExactly(count, sink);
    } else {
        // Up to the connection's end, which nothing follows.
        return ReadExactly(maxBytes, sink, true);
    }
    *reusable = whole && !closes && !ambiguous && _pendingSize == 0;
    return whole;
}

bool GuardedStream::WriteAll(const char* data, size_t size) {
    while (size > 0) {
        const ssize_t sent = write(data, size);
        if (sent <= 0) return false;
        data += sent;
        size -= static_cast<size_t>(sent);
    }
    return true;
}

ssize_t GuardedStream::write(const char* ptr, size_t size) {
    // Transfer only reads from `ptr` when sending.
    return Transfer(const_cast<char*>(ptr), size, false);
}

void GuardedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    AddressOf(_socket, true, ip, port);
}

void GuardedStream::get_local_ip_and_port(std::string& ip, int& port) const {
    AddressOf(_socket, false, ip, port);
}

}  // namespace arhttp
