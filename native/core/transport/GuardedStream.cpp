#include "core/transport/GuardedStream.h"

#include "core/transport/ResponseHead.h"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace arhttp {

namespace {

using Clock = std::chrono::steady_clock;

// What one read from the connection asks for at most.
constexpr size_t kReadSize = 16 * 1024;

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
    case GuardStop::None: break;
    }
    return std::string();
}

GuardedStream::GuardedStream(int socket, SSL* ssl, const ExchangeLimits& limits,
                             GuardOutcome* outcome)
    : _socket(socket), _ssl(ssl), _limits(limits), _outcome(outcome), _lastReceived(Clock::now()) {
    *_outcome = GuardOutcome();
    _savedFlags = fcntl(_socket, F_GETFL);
    if (_savedFlags != -1) fcntl(_socket, F_SETFL, _savedFlags | O_NONBLOCK);
}

GuardedStream::~GuardedStream() {
    if (_savedFlags != -1) fcntl(_socket, F_SETFL, _savedFlags);
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
            const ssize_t moved = receiving ? recv(_socket, ptr, size, 0)
                                            : send(_socket, ptr, size, MSG_NOSIGNAL);
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
            _buffer = head->canonical;
            _buffer.append(pending.substr(*end));
            _bodyBytes = pending.size() - *end;
            _headRead = true;
            return true;
        }
        if (raw.size() >= kMaxResponseHeadBytes) return Stop(GuardStop::HeadTooLarge);
        const size_t before = raw.size();
        raw.resize(std::min(kMaxResponseHeadBytes, before + kReadSize));
        const ssize_t got = Transfer(&raw[before], raw.size() - before, true);
        raw.resize(before + std::max<ssize_t>(got, 0));
        if (got <= 0) return got == 0 ? Stop(GuardStop::Closed) : false;
        _outcome->received += static_cast<size_t>(got);
    }
}

bool GuardedStream::is_readable() const {
    if (_bufferAt < _buffer.size() || (_ssl && SSL_pending(_ssl) > 0)) return true;
    pollfd entry{_socket, POLLIN, 0};
    return poll(&entry, 1, 0) > 0;
}

bool GuardedStream::is_writable() const {
    pollfd entry{_socket, POLLOUT, 0};
    return Clock::now() < _limits.deadline && poll(&entry, 1, 0) > 0;
}

ssize_t GuardedStream::read(char* ptr, size_t size) {
    if (!_headRead && !ReadHead()) return -1;
    if (_bufferAt == _buffer.size()) {
        if (_bodyBytes >= _limits.maxBodyBytes) return Stop(GuardStop::BodyTooLarge), -1;
        _buffer.resize(std::min(kReadSize, _limits.maxBodyBytes - _bodyBytes));
        _bufferAt = 0;
        const ssize_t got = Transfer(&_buffer[0], _buffer.size(), true);
        _buffer.resize(std::max<ssize_t>(got, 0));
        if (got <= 0) return got;
        _bodyBytes += static_cast<size_t>(got);
        _outcome->received += static_cast<size_t>(got);
    }
    const size_t count = std::min(size, _buffer.size() - _bufferAt);
    _buffer.copy(ptr, count, _bufferAt);
    _bufferAt += count;
    return static_cast<ssize_t>(count);
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
