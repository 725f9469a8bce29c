// What a 200 response body must be to count as a resolved path.
#ifndef AR_HTTP_CORE_RESPONSE_BODY_H
#define AR_HTTP_CORE_RESPONSE_BODY_H

#include "ArHttpProtocol.h"

#include <optional>
#include <string>
#include <string_view>

namespace arhttp {

// Larger bodies are refused before they are read whole: a resolved path at
// the protocol's limit, and room for whitespace around it.
constexpr size_t kMaxResponseBodyBytes = protocol::kMaxResolvedPathBytes + 64;

// The body with surrounding whitespace trimmed, when it is a resolved path as
// protocol.json states it; else nothing, and `why`: empty, longer than
// kMaxResolvedPathBytes, or holding a line break, NUL or other control character.
std::optional<std::string> ResolvedPathFromBody(const std::string& body, std::string* why);

// Why `path`, taken as it is (nothing trimmed), is no resolved path as
// protocol.json states it: empty, longer than kMaxResolvedPathBytes, holding
// a line break, NUL or other control character, or whitespace at either end.
// Nothing when it is one.
std::optional<std::string> ResolvedPathProblem(std::string_view path);

}  // namespace arhttp

#endif
