#include "core/settings/ServerUrl.h"

#include "core/text/PrintableText.h"

#include <cctype>
#include <utility>

namespace arhttp {

namespace {

bool IsHostChar(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
}

bool ParsePort(const std::string& text, std::string* port) {
    if (text.empty() || text.size() > 5) return false;
    for (unsigned char c : text) {
        if (!std::isdigit(c)) return false;
    }
    const long value = std::stol(text);
    if (value < 1 || value > 65535) return false;
    *port = std::to_string(value);
    return true;
}

}  // namespace

ServerUrl::ServerUrl(std::string text, std::string origin, std::string basePath,
                     std::string host, int port)
    : _text(std::move(text)),
      _origin(std::move(origin)),
      _basePath(std::move(basePath)),
      _host(std::move(host)),
      _port(port) {}

std::optional<ServerUrl> ServerUrl::Parse(const std::string& url, std::string* error) {
    auto refuse = [&](const std::string& why) {
        // Credentials in a refused URL must not reach a log either.
        const size_t at = url.find('@');
        const size_t scheme = url.find("://");
        const bool credentials = at != std::string::npos && scheme != std::string::npos &&
                                 url.find('/', scheme + 3) > at;
        *error = (credentials ? Quoted(url.substr(0, scheme + 3) + "<credentials>" + url.substr(at))
                              : Quoted(url)) + " " + why;
        return std::nullopt;
    };
    if (url.size() > kMaxLength) {
        return refuse("is longer than " + std::to_string(kMaxLength) + " bytes");
    }
    for (unsigned char c : url) {
        if (c <= 0x20 || c == 0x7F) return refuse("holds a space or control character");
    }
    std::string scheme;
    std::string defaultPort;
    std::string rest;
    if (url.compare(0, 7, "http://") == 0) {
        scheme = "http";
        defaultPort = "80";
        rest = url.substr(7);
    } else if (url.compare(0, 8, "https://") == 0) {
        scheme = "https";
        defaultPort = "443";
        rest = url.substr(8);
    } else {
        return refuse("must start with http:// or https://");
    }

    const size_t slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    std::string basePath = slash == std::string::npos ? "" : rest.substr(slash);
    if (authority.find('@') != std::string::npos) {
        return refuse("holds credentials: send them in an Authorization header instead");
    }
    if (basePath.find_first_of("?#%") != std::string::npos) {
        return refuse("may hold a base path, but no query, fragment or '%'");
    }
    while (!basePath.empty() && basePath.back() == '/') basePath.pop_back();

    std::string host;
    std::string portText;
    if (!authority.empty() && authority[0] == '[') {
        const size_t close = authority.find(']');
        if (close == std::string::npos) return refuse("has an unclosed '[' in its host");
        host = authority.substr(0, close + 1);
        for (size_t i = 1; i < close; ++i) {
            const unsigned char c = authority[i];
            if (!std::isxdigit(c) && c != ':' && c != '.') return refuse("has a bad IPv6 host");
        }
        const std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') return refuse("has text after its IPv6 host");
            portText = after.substr(1);
            if (portText.empty()) return refuse("has an empty port");
        }
    } else {
        const size_t colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string::npos) {
            portText = authority.substr(colon + 1);
            if (portText.empty()) return refuse("has an empty port");
        }
        for (unsigned char c : host) {
            if (!IsHostChar(c)) return refuse("has a bad character in its host");
        }
    }
    if (host.empty() || host == "[]") return refuse("has no host");
    if (host.size() > kMaxHostLength) {
        return refuse("has a host longer than " + std::to_string(kMaxHostLength) + " bytes");
    }

    std::string port = defaultPort;
    if (!portText.empty() && !ParsePort(portText, &port)) {
        return refuse("has a bad port (1-65535)");
    }
    const std::string bareHost = host[0] == '[' ? host.substr(1, host.size() - 2) : host;
    return ServerUrl(url, scheme + "://" + host + ":" + port, basePath, bareHost, std::stoi(port));
}

}  // namespace arhttp
