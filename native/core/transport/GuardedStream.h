// The bytes of one HTTP exchange as cpp-httplib reads and writes them, held
// to a deadline and to size limits, with the response head rewritten by
// ParseResponseHead and interim (1xx) answers left out. cpp-httplib's own
// streams bound only the wait for each read and let lines grow without end.
#ifndef AR_HTTP_CORE_GUARDED_STREAM_H
#define AR_HTTP_CORE_GUARDED_STREAM_H

#include <httplib.h>

#include <chrono>
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
    BodyTooLarge,  // ExchangeLimits::maxBodyBytes
    Closed,        // the server closed before a whole head came
    Silence,       // ExchangeLimits::maxSilence passed with nothing received
    Woken,         // ExchangeLimits::wakeFd turned readable
};

struct GuardOutcome {
    GuardStop stop = GuardStop::None;
    std::string detail;   // for BadHead: what was wrong
    size_t received = 0;  // bytes read from the server
};

// Words for a message, e.g. "no whole answer within the timeout".
std::string Describe(const GuardOutcome& outcome);

class GuardedStream final : public httplib::Stream {
public:
    // `ssl` is null for plain http. The socket is non-blocking while the
    // stream lives, so that no read or write can wait past the deadline.
    GuardedStream(int socket, SSL* ssl, const ExchangeLimits& limits, GuardOutcome* outcome);
    ~GuardedStream() override;
    GuardedStream(const GuardedStream&) = delete;
    GuardedStream& operator=(const GuardedStream&) = delete;

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return _socket; }

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
    bool Stop(GuardStop stop, std::string detail = std::string());

    const int _socket;
    SSL* const _ssl;
    const ExchangeLimits _limits;
    GuardOutcome* const _outcome;
    int _savedFlags;
    bool _headRead = false;
    // When bytes last came, for ExchangeLimits::maxSilence.
    std::chrono::steady_clock::time_point _lastReceived;
    size_t _bodyBytes = 0;
    // Bytes read but not yet handed to cpp-httplib, which reads heads one
    // byte at a time.
    std::string _buffer;
    size_t _bufferAt = 0;
};

}  // namespace arhttp

#endif
