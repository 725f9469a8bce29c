// AR_HTTP_SERVER_URL: the resolution server, as scheme://host[:port][/base].
#ifndef AR_HTTP_CORE_SERVER_URL_H
#define AR_HTTP_CORE_SERVER_URL_H

#include <optional>
#include <string>

namespace arhttp {

class ServerUrl {
public:
    static constexpr const char* kDefault = "http://localhost:8000";
    // Longer URLs, and hosts longer than DNS allows, are refused.
    static constexpr size_t kMaxLength = 2048;
    static constexpr size_t kMaxHostLength = 253;

    // Returns nothing and sets `error` for anything but an http(s) URL with
    // a host, an optional port and an optional base path. Credentials in the
    // URL are refused: they would leak into logs (use a header instead).
    static std::optional<ServerUrl> Parse(const std::string& url, std::string* error);

    // "scheme://host:port", as cpp-httplib's Client takes it.
    const std::string& Origin() const { return _origin; }
    // Base path without a trailing '/', prepended to every request target.
    const std::string& BasePath() const { return _basePath; }
    const std::string& Text() const { return _text; }
    bool IsHttps() const { return _origin.compare(0, 8, "https://") == 0; }
    // The host without an IPv6 literal's brackets, and the port.
    const std::string& Host() const { return _host; }
    int Port() const { return _port; }

private:
    ServerUrl(std::string text, std::string origin, std::string basePath, std::string host, int port);

    std::string _text;
    std::string _origin;
    std::string _basePath;
    std::string _host;
    int _port;
};

}  // namespace arhttp

#endif
