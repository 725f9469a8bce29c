// The bytes of one HTTP exchange as cpp-httplib reads and writes them, held
// to a deadline and to size limits, with the response head rewritten by
// ParseResponseHead and interim (1xx) answers left out. cpp-httplib's own
// streams bound only the wait for each read and let lines grow without end.
#ifndef AR_HTTP_CORE_GUARDED_STREAM_H
#define AR_HTTP_CORE_GUARDED_STREAM_H

#include "core/transport/ResponseHead.h"

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace arhttp {

// What one exchange may take and until when.
struct ExchangeLimits {
    std::chrono::steady_clock::time_point deadline;
    // Bytes of the body as sent: chunk framing and compression included.
    size_t maxBodyBytes = 0;
    // For streams: the exchange also ends once nothing came for this long
    // (zero: only the deadline counts).
    std::chrono::milliseconds maxSilence{0};
    // For streams: a descriptor that turns readable to end the exchange at
    // once, from another thread (-1: none).
    int wakeFd = -1;
};

// Why a guarded exchange was cut short.
enum class GuardStop {
    None,
    Deadline,      // AR_HTTP_TIMEOUT_MS passed
    HeadTooLarge,  // kMaxResponseHeadBytes
    BadHead,       // ParseResponseHead refused it
    BodyTooLarge,  // ExchangeLimits::maxBodyBytes, or ReadBody's limit
    Closed,        // the server closed before a whole head came
    Silence,       // ExchangeLimits::maxSilence passed with nothing received
    Woken,         // ExchangeLimits::wakeFd turned readable
    BadBody,       // ReadBody refused its framing or coding
    Declined,      // ReadBody's sink stopped the body
};

struct GuardOutcome {
    GuardStop stop = GuardStop::None;
    std::string detail;   // for BadHead and BadBody: what was wrong
    size_t received = 0;  // bytes read from the server
};

// Words for a message, e.g. "no whole answer within the timeout".
std::string Describe(const GuardOutcome& outcome);

class GuardedStream final : public httplib::Stream {
public:
    // `ssl` is null for plain http. No read or write waits past the
    // deadline: plain sockets are read and written without blocking, and
    // a TLS socket is left non-blocking (OpenSSL reads it itself).
    GuardedStream(int socket, SSL* ssl, const ExchangeLimits& limits, GuardOutcome* outcome);
    GuardedStream(const GuardedStream&) = delete;
    GuardedStream& operator=(const GuardedStream&) = delete;

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return _socket; }

    // For answers read without cpp-httplib (GuardedClient::Send), instead
    // of read(): the final head, or null when none came whole (the outcome
    // says why, unless the connection failed).
    ResponseHead* FinalHead();
    // Takes the pieces of a body as they come; false stops the read.
    using BodySink = std::function<bool(const char* data, size_t size)>;
    // Then its body by its framing (Content-Length, chunked, or up to the
    // connection's end; none for 1xx, 204 and 304), handed to `sink`
    // unless empty. False, the outcome set unless the connection failed, for
    // more than `maxBytes`, a body encoded or framed otherwise, one cut
    // short, or one the sink stopped. `reusable`: whether the connection
    // may carry another exchange.
    bool ReadBody(size_t maxBytes, const BodySink& sink, bool* reusable);
    // All `size` bytes sent, or false.
    bool WriteAll(const char* data, size_t size);

private:
    // Waits for `events` (POLLIN, POLLOUT) until the deadline; false, with
    // the outcome set, once it has passed.
    bool Wait(short events);
    // At most `size` bytes received into `ptr`, or sent from it: > 0, 0 at
    // the connection's end, -1 on an error or at the deadline.
    ssize_t Transfer(char* ptr, size_t size, bool receiving);
    // Reads heads until a final one and queues it, rewritten, with the body
    // bytes that came along.
    bool ReadHead();
    // Receives body bytes into the pending ones, which are all taken: > 0,
    // 0 at the connection's end, -1 on an error or a stop.
    ssize_t Refill();
    // `count` body bytes, or with `untilClose` up to the connection's end
    // and at most `count`, handed to `sink` unless empty.
    bool ReadExactly(uint64_t count, const BodySink& sink, bool untilClose = false);
    bool ReadChunked(size_t maxBytes, const BodySink& sink);
    // One line of a chunked body without its line end; refused past `maxBytes`.
    bool ReadLine(std::string* line, size_t maxBytes);
    bool Stop(GuardStop stop, std::string detail = std::string());

    const int _socket;
    SSL* const _ssl;
    const ExchangeLimits _limits;
    GuardOutcome* const _outcome;
    bool _headRead = false;
    // When bytes last came, for ExchangeLimits::maxSilence.
    std::chrono::steady_clock::time_point _lastReceived;
    size_t _bodyBytes = 0;
    ResponseHead _final;
    // The rewritten head and the body bytes that came with it.
    std::string _head;
    // Room for body reads smaller than it: cpp-httplib reads chunk sizes
    // one byte at a time. Made on first use: small answers come whole with
    // their head.
    std::unique_ptr<char[]> _chunk;
    // Bytes received but not yet handed to cpp-httplib: in `_head` or `_chunk`.
    const char* _pending = nullptr;
    size_t _pendingSize = 0;
};

}  // namespace arhttp

#endif
