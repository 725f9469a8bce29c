#include "ResponseBody.h"

namespace arhttp {

namespace {

bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::optional<std::string> ResolvedPathFromBody(const std::string& body, std::string* why) {
    size_t begin = 0;
    size_t end = body.size();
    while (begin < end && IsSpace(body[begin])) ++begin;
    while (end > begin && IsSpace(body[end - 1])) --end;
    if (begin == end) {
        *why = "empty body";
        return std::nullopt;
    }
    if (end - begin > protocol::kMaxResolvedPathBytes) {
        *why = "longer than " + std::to_string(protocol::kMaxResolvedPathBytes) + " bytes";
        return std::nullopt;
    }
    for (size_t i = begin; i < end; ++i) {
        const unsigned char c = body[i];
        if (c < 0x20 || c == 0x7F) {
            *why = "body holds a line break, NUL or control character";
            return std::nullopt;
        }
    }
    return body.substr(begin, end - begin);
}

}  // namespace arhttp
