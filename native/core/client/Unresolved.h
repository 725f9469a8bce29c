// Why an asset stayed unresolved, as a detailed resolve names it: told once,
// where the answer is made (the server's client, a pin file, a refusal), and
// carried with the answer through every cache.
#ifndef AR_HTTP_CORE_UNRESOLVED_H
#define AR_HTTP_CORE_UNRESOLVED_H

#include <cstdint>

namespace arhttp {

enum class Unresolved : std::uint8_t {
    NotFound,     // the server, pin file or filesystem has no such asset (404 and every status the protocol reads so)
    Timeout,      // no whole answer within AR_HTTP_TIMEOUT_MS
    Refused,      // nothing asked: settings fail closed, or an asset path over the protocol's limit
    Unreachable,  // cannot connect, the connection broke, or 502/503/504 after the retries
    FailFast,     // not asked: the server failed moments ago (AR_HTTP_FAIL_FAST_MS)
    BadAnswer,    // the server answered, but the answer was refused
};

// "not-found", "timeout", "refused", "unreachable", "fail-fast", "bad-answer".
const char* UnresolvedName(Unresolved why);

}  // namespace arhttp

#endif
