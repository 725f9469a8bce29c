// GuardedStream::FinalHead and ReadBody, as GuardedClient::Send reads the
// resolver's answers, fed known answers and generated ones through a socket
// pair: right bodies for every framing HTTP allows, a refusal with a reason
// for the rest, never more than the limit, never past the deadline.
// Built and run under AddressSanitizer and UBSan by 82.responseHead.test.ts.
#include "core/transport/GuardedStream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using arhttp::GuardStop;

int failures = 0;

void Check(bool ok, const std::string& what, const std::string& input) {
    if (ok) return;
    if (++failures <= 10) {
        std::fprintf(stderr, "answerBody: FAILED: %s for %zu bytes: %.120s\n", what.c_str(), input.size(),
                     input.c_str());
    }
}

struct Read {
    bool head = false;
    bool whole = false;
    bool reusable = false;
    std::string body;
    GuardStop stop = GuardStop::None;
    std::string detail;
};

constexpr size_t kMaxBody = 1000;

// `bytes` as the server's whole side of one exchange; the server then closes
// its side unless `open`.
Read ReadAnswer(const std::string& bytes, bool open = false,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) std::abort();
    // Small inputs: the socket's buffer holds them all.
    if (!bytes.empty() && write(pair[1], bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
        std::abort();
    }
    if (!open) shutdown(pair[1], SHUT_WR);
    Read read;
    arhttp::GuardOutcome outcome;
    {
        arhttp::ExchangeLimits limits;
        limits.deadline = std::chrono::steady_clock::now() + timeout;
        limits.maxBodyBytes = 2 * kMaxBody + arhttp::kMaxResponseHeadBytes;
        arhttp::GuardedStream stream(pair[0], nullptr, limits, &outcome);
        if (stream.FinalHead()) {
            read.head = true;
            read.whole = stream.ReadBody(
                kMaxBody,
                [&read](const char* data, size_t size) {
                    read.body.append(data, size);
                    return true;
                },
                &read.reusable);
        }
    }
    read.stop = outcome.stop;
    read.detail = outcome.detail;
    close(pair[0]);
    close(pair[1]);
    return read;
}

void Whole(const std::string& answer, const std::string& body, bool reusable) {
    const Read read = ReadAnswer(answer, reusable);
    Check(read.head && read.whole, "a whole answer", answer);
    Check(read.body == body, "the body " + body + ", not " + read.body, answer);
    Check(read.reusable == reusable, reusable ? "a reusable connection" : "a closed connection", answer);
}

void Refused(const std::string& answer, GuardStop stop) {
    const Read read = ReadAnswer(answer, true);
    Check(read.head && !read.whole && !read.reusable, "a refused body", answer);
    Check(read.stop == stop, "the stop expected, not " + std::to_string(static_cast<int>(read.stop)) + " " + read.detail, answer);
    Check(stop != GuardStop::BadBody || !read.detail.empty(), "a reason", answer);
}

}  // namespace

int main() {
    const std::string ok = "HTTP/1.1 200 OK\r\n";
    Whole(ok + "Content-Length: 5\r\n\r\nhello", "hello", true);
    Whole(ok + "Transfer-Encoding: chunked\r\n\r\n5;x=\"y\"\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n",
          "helloabc", true);
    Whole(ok + "transfer-encoding: Chunked\n\nA\nhellohello\n0\n\n", "hellohello", true);
    Whole(ok + "Content-Length: 0\r\n\r\n", "", true);
    Whole(ok + "\r\nup to the end", "up to the end", false);
    Whole("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", "hi", false);
    Whole(ok + "Connection: close\r\nContent-Length: 2\r\n\r\nhi", "hi", false);
    Whole(ok + "Content-Encoding: identity\r\nContent-Length: 2\r\n\r\nhi", "hi", true);
    Whole("HTTP/1.1 204 No Content\r\n\r\n", "", true);
    Whole("HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n", "", true);
    Whole("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", "hi", true);
    // Bytes past the answer's end would be taken for the next answer.
    Whole(ok + "Content-Length: 2\r\n\r\nhi and more", "hi", false);
    Whole("HTTP/1.1 304 Not Modified\r\n\r\nstray", "", false);
    Whole("HTTP/1.1 101 Switching Protocols\r\n\r\n", "", false);
    Whole(ok + "Transfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n2\r\nhi\r\n0\r\n\r\n", "hi", false);

    Refused(ok + "Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\nhi", GuardStop::BadBody);
    Refused(ok + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", GuardStop::BadBody);
    Refused(ok + "Content-Length: 1001\r\n\r\n", GuardStop::BodyTooLarge);
    Refused(ok + "Transfer-Encoding: chunked\r\n\r\n3E8\r\n" + std::string(1000, 'a') + "\r\n1\r\nb\r\n0\r\n\r\n",
            GuardStop::BodyTooLarge);
    Refused(ok + "Transfer-Encoding: chunked\r\n\r\n10000000000000005\r\nabcde\r\n0\r\n\r\n", GuardStop::BadBody);
    Refused(ok + "Transfer-Encoding: chunked\r\n\r\n5" + std::string(2000, ' ') + "\r\nhello\r\n0\r\n\r\n",
            GuardStop::BadBody);
    Refused(ok + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", GuardStop::BadBody);
    Refused(ok + "Transfer-Encoding: chunked\r\n\r\n1\r\nhello\r\n0\r\n\r\n", GuardStop::BadBody);
    {
        std::string trailers;
        while (trailers.size() < 70 * 1024) trailers += "X-Trailer: " + std::string(1000, 't') + "\r\n";
        Refused(ok + "Transfer-Encoding: chunked\r\n\r\n0\r\n" + trailers + "\r\n", GuardStop::HeadTooLarge);
    }
    {
        // Cut short: the connection's end, not a refusal of the server's bytes.
        const Read read = ReadAnswer(ok + "Content-Length: 5\r\n\r\nhel");
        Check(read.head && !read.whole && read.stop == GuardStop::None, "a body cut short", "");
        // A body that never ends stops at the deadline.
        const auto start = std::chrono::steady_clock::now();
        const Read slow = ReadAnswer(ok + "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n", true,
                                     std::chrono::milliseconds(200));
        Check(!slow.whole && slow.stop == GuardStop::Deadline, "the deadline", "");
        Check(std::chrono::steady_clock::now() - start < std::chrono::seconds(2), "no wait past it", "");
    }

    // Generated bodies: pieces of real framing mixed with random bytes, after
    // heads of each framing.
    const std::vector<std::string> heads = {
        ok + "Transfer-Encoding: chunked\r\n\r\n", ok + "Content-Length: 12\r\n\r\n", ok + "\r\n",
        ok + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", "HTTP/1.1 204 No Content\r\n\r\n"};
    const std::vector<std::string> pieces = {
        "0", "1", "5", "a", "F", "fffffff", "ffffffffffffffff", ";", ";ext=1", "\r\n", "\n", "\r",
        "hello", "0\r\n\r\n", "3E8\r\n", std::string(300, 'x'), "X-T: y\r\n", " ", "\t", std::string(1, '\0')};
    std::mt19937 random(20261202);
    const int rounds = 20000;
    int whole = 0;
    for (int round = 0; round < rounds; ++round) {
        std::string input = heads[random() % heads.size()];
        const int parts = static_cast<int>(random() % 16);
        for (int i = 0; i < parts; ++i) {
            if (random() % 4 == 0) {
                input += static_cast<char>(random() % 256);
            } else {
                input += pieces[random() % pieces.size()];
            }
        }
        const Read read = ReadAnswer(input);
        Check(read.head, "the head read", input);
        Check(read.body.size() <= kMaxBody, "no more than the limit", input);
        Check(read.whole || read.stop == GuardStop::None || read.stop == GuardStop::BadBody ||
                  read.stop == GuardStop::BodyTooLarge,
              "a refusal of the body, or its end", input);
        Check(read.stop != GuardStop::BadBody || !read.detail.empty(), "a reason for each refusal", input);
        whole += read.whole;
    }
    Check(whole > 1000, "enough generated answers read whole: " + std::to_string(whole), "");
    if (failures) return 1;
    std::printf("answerBody: %d generated answers, %d read whole, all right\n", rounds, whole);
    return 0;
}
