#include "core/text/ResponseBody.h"

namespace arhttp {

namespace {

bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::optional<std::string> ResolvedPathProblem(std::string_view path) {
    if (path.empty()) return "empty";
    if (path.size() > protocol::kMaxResolvedPathBytes) {
        return "longer than " + std::to_string(protocol::kMaxResolvedPathBytes) + " bytes";
    }
    for (const unsigned char c : path) {
        if (c < 0x20 || c == 0x7F) return "holds a line break, NUL or control character";
    }
    if (IsSpace(path.front()) || IsSpace(path.back())) return "has whitespace at either end";
    return std::nullopt;
}

std::optional<std::string> ResolvedPathFromBody(const std::string& body, std::string* why) {
    size_t begin = 0;
    size_t end = body.size();
    while (begin < end && IsSpace(body[begin])) ++begin;
    while (end > begin && IsSpace(body[end - 1])) --end;
    const std::string_view path = std::string_view(body).substr(begin, end - begin);
    if (const auto problem = ResolvedPathProblem(path)) {
        *why = path.empty() ? "empty body" : "body " + *problem;
        return std::nullopt;
    }
    return std::string(path);
}

}  // namespace arhttp
