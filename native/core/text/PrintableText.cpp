#include "core/text/PrintableText.h"

#include <cstdio>

namespace arhttp {

namespace {

std::string Escaped(const std::string& text, size_t maxLength, bool quoted) {
    std::string shown;
    size_t i = 0;
    for (; i < text.size() && shown.size() < maxLength; ++i) {
        const unsigned char c = text[i];
        if (quoted && (c == '"' || c == '\\')) {
            shown += '\\';
            shown += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            char escaped[5];
            std::snprintf(escaped, sizeof(escaped), "\\x%02X", c);
            shown += escaped;
        } else {
            shown += static_cast<char>(c);
        }
    }
    if (i < text.size()) shown += "...";
    return shown;
}

}  // namespace

std::string Quoted(const std::string& text, size_t maxLength) {
    return "\"" + Escaped(text, maxLength, true) + "\"";
}

std::string Printable(const std::string& text, size_t maxLength) {
    return Escaped(text, maxLength, false);
}

}  // namespace arhttp
