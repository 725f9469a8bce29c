// ParseResponseHead and ResponseHeadEnd fed known heads and a million
// generated ones (pieces of real heads mixed with random bytes). Whatever
// comes in, what goes out to cpp-httplib is a short, plain head.
// Built and run under AddressSanitizer and UBSan by 82.responseHead.test.ts.
#include "core/transport/ResponseHead.h"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

int failures = 0;

void Check(bool ok, const std::string& what, const std::string& input) {
    if (ok) return;
    if (++failures <= 10) {
        std::fprintf(stderr, "responseHead: FAILED: %s for %zu bytes: %.80s\n", what.c_str(),
                     input.size(), input.c_str());
    }
}

// What cpp-httplib is given: a status line, then name: value lines, each
// ending in CRLF with no other control character, then a blank line.
bool IsPlainHead(const std::string& head) {
    if (head.compare(0, 7, "HTTP/1.") != 0 || head.size() < 16) return false;
    if (head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) return false;
    for (size_t i = 0; i < head.size(); ++i) {
        const unsigned char c = head[i];
        if (c == '\r' && (i + 1 >= head.size() || head[i + 1] != '\n')) return false;
        if (c == '\n' && (i == 0 || head[i - 1] != '\r')) return false;
        if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') return false;
    }
    return head.find("\r\n", 0) == 12;
}

void Known(const std::string& head, int status, const std::string& canonical) {
    std::string why;
    const auto end = arhttp::ResponseHeadEnd(head);
    Check(end && *end == head.size(), "known head end", head);
    const auto parsed = arhttp::ParseResponseHead(head, &why);
    if (status == 0) {
        Check(!parsed && !why.empty(), "refused with a reason", head);
        return;
    }
    Check(parsed && parsed->status == status, "known status", head);
    if (parsed) Check(parsed->canonical == canonical, "known canonical head: " + parsed->canonical, head);
}

}  // namespace

int main() {
    Known("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Other: y\r\n\r\n", 200,
          "HTTP/1.1 200\r\nContent-Length: 5\r\n\r\n");
    Known("HTTP/1.0 404 Not Found\nConnection: close\n\n", 404, "HTTP/1.0 404\r\nConnection: close\r\n\r\n");
    Known("HTTP/1.1 302\r\nLocation:  /there \r\n\r\n", 302, "HTTP/1.1 302\r\nLocation: /there\r\n\r\n");
    // Connection is kept only to say close, as cpp-httplib reads it.
    Known("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\n", 200,
          "HTTP/1.1 200\r\nContent-Length: 5\r\n\r\n");
    Known("HTTP/1.1 200 OK\r\nconnection: Close\r\n\r\n", 200, "HTTP/1.1 200\r\nconnection: close\r\n\r\n");
    {
        std::string why;
        const auto parsed = arhttp::ParseResponseHead("HTTP/1.1 200 OK\r\nETag: \"7\"\r\nX: y\r\nCONTENT-LENGTH: 5\r\n\r\n", &why);
        Check(parsed && parsed->headers.size() == 2 && parsed->Header("etag") == "\"7\"" &&
                  parsed->Header("content-length") == "5" && parsed->Header("x").empty(),
              "kept headers by lower-case name", "");
    }
    // Issue 20: the change number and the protocol's own headers are kept.
    Known("HTTP/1.1 404\r\nAr-Http-Problem: unknown-snapshot\r\nETag: \"12\"\r\nAr-Http-Versions: 1\r\nX: y\r\n\r\n", 404,
          "HTTP/1.1 404\r\nAr-Http-Problem: unknown-snapshot\r\nETag: \"12\"\r\nAr-Http-Versions: 1\r\n\r\n");
    Known("HTTP/1.1 200 " + std::string(30000, 'O') + "\r\n\r\n", 200, "HTTP/1.1 200\r\n\r\n");
    Known("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", 103, "HTTP/1.1 103\r\n\r\n");
    Known("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 200,
          "HTTP/1.1 200\r\nContent-Length: 5\r\n\r\n");
    Known("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 0, "");
    Known("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, "");
    Known("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", 0, "");
    Known("HTTP/1.1 200 OK\r\nLocation: /a\rb\r\n\r\n", 0, "");
    Known("HTTP/1.1 200 OK\r\n folded\r\n\r\n", 0, "");
    Known("HTTP/2 200\r\n\r\n", 0, "");
    Known("HTTP/1.1 099 Low\r\n\r\n", 0, "");
    Known("HTTP/1.1 2000 Wide\r\n\r\n", 0, "");
    Known("SSH-2.0-OpenSSH_9.2\r\n\r\n", 0, "");
    Check(!arhttp::ResponseHeadEnd("HTTP/1.1 200 OK\r\nX: y\r\n"), "incomplete head", "");
    Check(!arhttp::ResponseHeadEnd("\r\n"), "a blank first line ends nothing", "");

    const std::vector<std::string> pieces = {
        "HTTP/1.1 ", "HTTP/1.0 ", "200", "100", "101", "302", "999", " OK", "\r\n", "\n", "\r",
        "Content-Length: ", "Transfer-Encoding: chunked", "Location: ", "Connection: close",
        "Content-Encoding: gzip", ": ", " ", "\t", "5", "18446744073709551616", "X-Y: z",
        std::string(1, '\0')};
    std::mt19937 random(20261122);
    const int rounds = 1000000;
    int accepted = 0;
    for (int round = 0; round < rounds; ++round) {
        // Half start with a good status line, so that header lines get parsed too.
        std::string input = random() % 2 ? "HTTP/1.1 " + std::to_string(100 + random() % 500) + " R\r\n"
                                         : std::string();
        const int parts = static_cast<int>(random() % 24);
        for (int i = 0; i < parts; ++i) {
            if (random() % 4 == 0) {
                input += static_cast<char>(random() % 256);
            } else {
                input += pieces[random() % pieces.size()];
            }
        }
        if (random() % 2) input += "\r\n\r\n";
        const auto end = arhttp::ResponseHeadEnd(input);
        if (!end) continue;
        Check(*end <= input.size(), "head end within the input", input);
        std::string why;
        const auto parsed = arhttp::ParseResponseHead(std::string_view(input).substr(0, *end), &why);
        if (!parsed) {
            Check(!why.empty(), "a reason for each refusal", input);
            continue;
        }
        ++accepted;
        Check(parsed->status >= 100 && parsed->status <= 599, "a status from 100 to 599", input);
        Check(IsPlainHead(parsed->canonical), "a plain head: " + parsed->canonical, input);
        Check(parsed->canonical.size() <= *end + 16, "no longer than what came", input);
        size_t lines = 0;
        for (size_t at = 0; (at = parsed->canonical.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
        Check(lines == parsed->headers.size() + 2, "one kept header per line of the plain head", input);
    }
    // The generator must reach the parser's accepting paths, not only its refusals.
    Check(accepted > 1000, "enough generated heads accepted: " + std::to_string(accepted), "");
    if (failures) return 1;
    std::printf("responseHead: %d generated heads, %d accepted, all right\n", rounds, accepted);
    return 0;
}
