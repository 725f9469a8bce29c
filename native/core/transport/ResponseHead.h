// A response head as the server sent it, checked and rewritten into the few
// plain lines cpp-httplib is then given to parse: its own parser runs
// regexes that overflow the stack on long lines and reads lines of any length.
#ifndef AR_HTTP_CORE_RESPONSE_HEAD_H
#define AR_HTTP_CORE_RESPONSE_HEAD_H

#include "core/settings/RequestHeaders.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace arhttp {

// Every response head of one exchange together, interim ones included, is
// refused past this.
constexpr size_t kMaxResponseHeadBytes = 64 * 1024;

// The protocol's problem and versions header names in lower case, as
// ResponseHead::Header takes them. Made when the library is loaded, not at
// first use: a function-local static made later would go at exit before
// the handler that stops the threads still reading answers.
extern const std::string kProblemHeaderLower;
extern const std::string kVersionsHeaderLower;

// Where the first head in `bytes` ends (just past its blank line), or
// nothing while it is incomplete. Lines end in CRLF or a bare LF.
std::optional<size_t> ResponseHeadEnd(std::string_view bytes);

struct ResponseHead {
    int status = 0;
    // "HTTP/1.x NNN", then only the headers ar-http acts on (framing,
    // Content-Encoding, Connection, Location, ETag, the protocol's problem
    // and versions headers, and for content Last-Modified, Cache-Control,
    // Repr-Digest and Digest), each line ending in CRLF,
    // then the blank line.
    std::string canonical;

    // An interim answer (1xx but 101), to be skipped for the final one.
    bool IsInterim() const { return status >= 100 && status < 200 && status != 101; }

    // The same headers as (lower-case name, value) pairs, for answers read
    // without cpp-httplib (GuardedClient::Send).
    HeaderList headers;
    // The value of the first kept header named `lowerName`, "" if none.
    std::string_view Header(std::string_view lowerName) const;
};

// `head` is one whole head, as ResponseHeadEnd delimits it. Nothing, and
// `why`, when its status line is not "HTTP/1.0|1.1 NNN[ reason]", a kept
// header's value holds a control character, a header line has no name, or
// Content-Length is not one number.
std::optional<ResponseHead> ParseResponseHead(std::string_view head, std::string* why);

}  // namespace arhttp

#endif
