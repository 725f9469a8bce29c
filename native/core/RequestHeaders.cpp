#include "RequestHeaders.h"

#include "PrintableText.h"

#include <cctype>
#include <cstring>

namespace arhttp {

namespace {

// RFC 9110 token characters.
bool IsTokenChar(unsigned char c) {
    return std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsFramingHeader(const std::string& name) {
    const std::string lower = LowerCaseName(name);
    return lower == "content-length" || lower == "transfer-encoding" ||
           lower == "connection" || lower == "host";
}

}  // namespace

std::string LowerCaseName(std::string name) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

std::optional<std::string> HeaderProblem(const std::string& name, const std::string& value) {
    bool nameOk = !name.empty() && name.size() <= 256;
    for (unsigned char c : name) nameOk = nameOk && IsTokenChar(c);
    if (!nameOk) return Quoted(name) + " is not a valid header name";
    if (IsFramingHeader(name)) return "ar-http manages the " + name + " header itself";
    bool valueOk = value.size() <= 8192;
    for (unsigned char c : value) valueOk = valueOk && (c >= 0x20 || c == '\t') && c != 0x7F;
    if (!valueOk) {
        return "the value of " + name + " holds a CR, LF, NUL or other control character, "
               "or is longer than 8192 bytes";
    }
    return std::nullopt;
}

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
        if (const auto problem = HeaderProblem(name, value)) {
            warnings->push_back(variable + " is ignored: " + *problem);
            continue;
        }
        headers.emplace_back(name, value);
    }
    return headers;
}

bool IsSecretHeader(const std::string& name) {
    const std::string lower = LowerCaseName(name);
    return lower == "authorization" || lower == "cookie" || lower == "proxy-authorization";
}

std::string PrintableHeaderValue(const std::string& name, const std::string& value) {
    return IsSecretHeader(name) ? "<redacted>" : value;
}

}  // namespace arhttp
