#include "core/settings/RequestHeaders.h"

#include "core/text/PrintableText.h"

#include <algorithm>
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
    // ASCII only, whatever the process's locale (std::tolower follows it).
    for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return name;
}

std::string_view TrimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
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
                                  std::vector<std::string>* warnings, const char* prefix) {
    HeaderList headers;
    const size_t prefixLength = std::strlen(prefix);
    for (const auto& [variable, value] : environment) {
        if (variable.compare(0, prefixLength, prefix) != 0) continue;
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

bool IsSecretHeader(const std::string& name, const SecretHeaderNames& alsoSecret) {
    const std::string lower = LowerCaseName(name);
    for (const char* word : {"auth", "cookie", "key", "token", "secret", "password", "session",
                             "signature"}) {
        if (lower.find(word) != std::string::npos) return true;
    }
    return std::find(alsoSecret.begin(), alsoSecret.end(), lower) != alsoSecret.end();
}

std::string PrintableHeaderValue(const std::string& name, const std::string& value,
                                 const SecretHeaderNames& alsoSecret) {
    return IsSecretHeader(name, alsoSecret) ? "<redacted>" : value;
}

SecretHeaderNames SecretHeaderNamesFrom(const std::string& text, std::vector<std::string>* warnings) {
    SecretHeaderNames names;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        const std::string name(TrimBlanks(std::string_view(text).substr(start, end - start)));
        if (!name.empty()) {
            if (const auto problem = HeaderProblem(name, std::string())) {
                warnings->push_back("AR_HTTP_SECRET_HEADERS: " + *problem + ": left out");
            } else {
                names.push_back(LowerCaseName(name));
            }
        }
        start = end + 1;
    }
    return names;
}

}  // namespace arhttp
