#include "LayerScanner.h"

#include <cstring>

namespace arhttp {

std::vector<std::string> AssetPathsInText(const char* text, std::size_t size) {
    std::vector<std::string> paths;
    const char* const end = text + size;
    for (const char* at = text; at < end; ++at) {
        if (*at == '#') {  // a comment runs to the end of its line
            at = static_cast<const char*>(std::memchr(at, '\n', end - at));
            if (!at) break;
        } else if (*at == '"' || *at == '\'') {  // text in a string names no asset
            const char quote = *at;
            for (++at; at < end && *at != quote && *at != '\n'; ++at) {
                if (*at == '\\' && at + 1 < end) ++at;
            }
            if (at == end) break;
        } else if (*at == '@') {
            const bool triple = end - at >= 3 && at[1] == '@' && at[2] == '@';
            const char* begin = at + (triple ? 3 : 1);
            const char* close = nullptr;
            for (const char* c = begin; c < end && *c != '\n'; ++c) {
                if (*c == '@' && (!triple || (end - c >= 3 && c[1] == '@' && c[2] == '@'))) {
                    close = c;
                    break;
                }
            }
            if (!close) continue;
            if (close > begin) paths.emplace_back(begin, close);
            at = close + (triple ? 2 : 0);
        }
    }
    return paths;
}

}  // namespace arhttp
