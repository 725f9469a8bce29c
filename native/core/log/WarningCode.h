// What each warning of the core is about, as a stable code: Node hands it to
// process.emitWarning, so code can tell a server that failed from a refused
// setting. lib/errors.ts WarningCodes lists the same names (test/35 checks).
#ifndef AR_HTTP_CORE_WARNING_CODE_H
#define AR_HTTP_CORE_WARNING_CODE_H

#include <cstdint>

namespace arhttp {

enum class WarningCode : std::uint8_t {
    Config,            // a setting or a context refused (and replaced, or failing closed)
    ServerFailed,      // the server timed out, could not be reached or answered 502/503/504
    ServerRecovered,   // the server answers again after failing
    AnswerRefused,     // the server answered, but not usably: a hostile body, malformed HTTP, a redirect not followed
    AssetPathRefused,  // an asset path over the protocol's limit, never sent
    UnknownSnapshot,   // the server has no such snapshot
    PinFile,           // a pin file refused, or lacking an asset path
    ChangeFeed,        // the change feed is not followed, or followed again
    ResolveFailed,     // a resolve failed inside (out of memory, the plugin's transport not loadable, ...)
    ContentFailed,     // a content URL could not be had: a failed or refused download, the cache's disk full
};

// "AR_HTTP_CONFIG", "AR_HTTP_SERVER_FAILED", ...
const char* WarningCodeName(WarningCode code);

}  // namespace arhttp

#endif
