#include "core/transport/ResponseHead.h"

#include "ArHttpProtocol.h"

#include "core/settings/RequestHeaders.h"

#include <algorithm>
#include <cctype>

namespace arhttp {

const std::string kProblemHeaderLower = LowerCaseName(protocol::kProblemHeader);
const std::string kVersionsHeaderLower = LowerCaseName(protocol::kVersionsHeader);

namespace {

// A view: comparing it with each literal costs a length check, not a call.
bool IsKeptHeader(std::string_view lowerName) {
    return lowerName == "content-length" || lowerName == "transfer-encoding" ||
           lowerName == "content-encoding" || lowerName == "connection" ||
           lowerName == "location" || lowerName == "etag" || lowerName == kProblemHeaderLower ||
           lowerName == kVersionsHeaderLower ||
           // For content downloads (HttpContentSource).
           lowerName == "last-modified" || lowerName == "cache-control" || lowerName == "repr-digest" ||
           lowerName == "digest";
}

// The longest header name worth comparing with the kept ones.
constexpr size_t kMaxKeptNameBytes = 32;

// `name` in lower case, in `room`; nothing if it is longer than any kept one.
std::optional<std::string_view> LowerCaseKeptName(std::string_view name, char (&room)[kMaxKeptNameBytes]) {
    if (name.size() > kMaxKeptNameBytes) return std::nullopt;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        room[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return std::string_view(room, name.size());
}

bool IsDigits(std::string_view text) {
    if (text.empty()) return false;
    for (unsigned char c : text) {
        if (!std::isdigit(c)) return false;
    }
    return true;
}

// The status of "HTTP/1.x NNN[ reason]", or 0. The reason is never used.
int ParseStatusLine(std::string_view line) {
    if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 ||
        (line[7] != '0' && line[7] != '1') || line[8] != ' ' || !IsDigits(line.substr(9, 3)) ||
        line[9] < '1' || line[9] > '5' || (line.size() > 12 && line[12] != ' ')) {
        return 0;
    }
    return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
}

}  // namespace

std::optional<size_t> ResponseHeadEnd(std::string_view bytes) {
    for (size_t lineStart = 0, end; (end = bytes.find('\n', lineStart)) != std::string_view::npos;
         lineStart = end + 1) {
        const size_t length = end - lineStart;
        const bool blank = length == 0 || (length == 1 && bytes[lineStart] == '\r');
        // The status line is never the blank line that ends a head.
        if (blank && lineStart > 0) return end + 1;
    }
    return std::nullopt;
}

std::string_view ResponseHead::Header(std::string_view lowerName) const {
    for (const auto& [name, value] : headers) {
        if (name == lowerName) return value;
    }
    return std::string_view();
}

std::optional<ResponseHead> ParseResponseHead(std::string_view head, std::string* why) {
    ResponseHead parsed;
    parsed.canonical.reserve(std::min<size_t>(head.size(), 256));
    std::string_view contentLength;
    bool statusLine = true;
    for (size_t lineStart = 0, end; (end = head.find('\n', lineStart)) != std::string_view::npos;
         lineStart = end + 1) {
        std::string_view line = head.substr(lineStart, end - lineStart);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (statusLine) {
            parsed.status = ParseStatusLine(line);
            if (parsed.status == 0) {
                *why = "a status line that is not \"HTTP/1.x NNN\"";
                return std::nullopt;
            }
            parsed.canonical.assign(line.data(), 12).append("\r\n");
            statusLine = false;
            continue;
        }
        if (line.empty()) break;
        const size_t colon = line.find(':');
        if (colon == 0 || colon == std::string_view::npos || line[0] == ' ' || line[0] == '\t') {
            *why = "a header line without a name";
            return std::nullopt;
        }
        // Most lines are not kept: they cost no string.
        char room[kMaxKeptNameBytes];
        const auto name = LowerCaseKeptName(line.substr(0, colon), room);
        if (!name || !IsKeptHeader(*name)) continue;
        std::string_view value = TrimBlanks(line.substr(colon + 1));
        for (unsigned char c : value) {
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                *why = "a control character in its " + std::string(*name) + " header";
                return std::nullopt;
            }
        }
        if (*name == "content-length") {
            // 19 digits always fit in 64 bits.
            if (!IsDigits(value) || value.size() > 19 ||
                (!contentLength.empty() && contentLength != value)) {
                *why = "a Content-Length that is not one number";
                return std::nullopt;
            }
            if (!contentLength.empty()) continue;
            contentLength = value;
        } else if (*name == "connection") {
            // cpp-httplib acts on "close" alone, and only as spelt so; any
            // other line would be parsed for nothing.
            if (LowerCaseName(std::string(value)) != "close") continue;
            value = "close";
        }
        parsed.canonical.append(line.data(), colon).append(": ").append(value).append("\r\n");
        parsed.headers.emplace_back(*name, value);
    }
    parsed.canonical.append("\r\n");
    return parsed;
}

}  // namespace arhttp
