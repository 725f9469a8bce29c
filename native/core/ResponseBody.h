// What a 200 response body must be to count as a resolved path.
#ifndef AR_HTTP_CORE_RESPONSE_BODY_H
#define AR_HTTP_CORE_RESPONSE_BODY_H

#include <optional>
#include <string>

namespace arhttp {

// Larger bodies are refused; no filesystem path or URI comes near it.
constexpr size_t kMaxResponseBodyBytes = 16 * 1024;

// The body with surrounding whitespace trimmed, or nothing (and `why`) when it
// is empty or holds an inner line break, NUL or other control character.
std::optional<std::string> ResolvedPathFromBody(const std::string& body, std::string* why);

}  // namespace arhttp

#endif
