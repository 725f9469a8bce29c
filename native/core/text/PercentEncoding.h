// Percent-encoding of asset paths for the request URL, and its decoding for
// the change feed's events.
#ifndef AR_HTTP_CORE_PERCENT_ENCODING_H
#define AR_HTTP_CORE_PERCENT_ENCODING_H

#include <optional>
#include <string>

namespace arhttp {

// Encodes every byte except RFC 3986 unreserved characters and '/', so that
// spaces, '#', '?', '%' and UTF-8 reach the server intact while multi-segment
// asset paths keep their segments.
std::string PercentEncodePath(const std::string& path);

// `target` (a request target) with `name`=`value` added to its query: after
// '?' or, when the target holds a query already, '&'; before any '#'.
// `name` and `value` are sent as given: the caller picks URL-safe ones.
std::string WithQueryParameter(const std::string& target, const std::string& name,
                               const std::string& value);

// `text` with every %XX replaced by its byte (as JavaScript's
// encodeURIComponent writes them), or nothing when a '%' is not followed by
// two hex digits.
std::optional<std::string> PercentDecode(const std::string& text);

}  // namespace arhttp

#endif
