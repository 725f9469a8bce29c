#include "PrintableText.h"

#include <cstdio>

namespace arhttp {

std::string Quoted(const std::string& text, size_t maxLength) {
    std::string quoted = "\"";
    for (size_t i = 0; i < text.size() && i < maxLength; ++i) {
        const unsigned char c = text[i];
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            char escaped[5];
            std::snprintf(escaped, sizeof(escaped), "\\x%02X", c);
            quoted += escaped;
        } else {
            quoted += static_cast<char>(c);
        }
    }
    if (text.size() > maxLength) quoted += "...";
    return quoted + "\"";
}

}  // namespace arhttp
