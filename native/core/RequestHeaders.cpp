#include "RequestHeaders.h"

#include <cctype>
#include <cstring>

namespace arhttp {

namespace {

std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// RFC 9110 token characters.
bool IsTokenChar(unsigned char c) {
    return std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsFramingHeader(const std::string& name) {
    const std::string lower = Lower(name);
    return lower == "content-length" || lower == "transfer-encoding" ||
           lower == "connection" || lower == "host";
}

}  // namespace

HeaderList HeadersFromEnvironment(const std::map<std::string, std::string>& environment,
                                  std::vector<std::string>* warnings) {
    HeaderList headers;
    const size_t prefixLength = std::strlen(kHeaderVariablePrefix);
    for (const auto& [variable, value] : environment) {
        if (variable.compare(0, prefixLength, kHeaderVariablePrefix) != 0) continue;
        std::string name = variable.substr(prefixLength);
        for (char& c : name) {
            if (c == '_') c = '-';
        }
        bool nameOk = !name.empty();
        for (unsigned char c : name) nameOk = nameOk && IsTokenChar(c);
        if (!nameOk) {
            warnings->push_back(variable + " is ignored: \"" + name +
                                "\" is not a valid header name");
            continue;
        }
        if (IsFramingHeader(name)) {
            warnings->push_back(variable + " is ignored: ar-http manages the " + name +
                                " header itself");
            continue;
        }
        bool valueOk = true;
        for (unsigned char c : value) valueOk = valueOk && (c >= 0x20 || c == '\t') && c != 0x7F;
        if (!valueOk) {
            warnings->push_back(variable + " is ignored: its value holds a CR, LF, NUL or "
                                "other control character");
            continue;
        }
        headers.emplace_back(name, value);
    }
    return headers;
}

bool IsSecretHeader(const std::string& name) {
    const std::string lower = Lower(name);
    return lower == "authorization" || lower == "cookie" || lower == "proxy-authorization";
}

std::string PrintableHeaderValue(const std::string& name, const std::string& value) {
    return IsSecretHeader(name) ? "<redacted>" : value;
}

}  // namespace arhttp
