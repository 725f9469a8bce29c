// Percent-encoding of asset paths for the request URL.
#ifndef AR_HTTP_CORE_PERCENT_ENCODING_H
#define AR_HTTP_CORE_PERCENT_ENCODING_H

#include <string>

namespace arhttp {

// Encodes every byte except RFC 3986 unreserved characters and '/', so that
// spaces, '#', '?', '%' and UTF-8 reach the server intact while multi-segment
// asset paths keep their segments.
std::string PercentEncodePath(const std::string& path);

}  // namespace arhttp

#endif
