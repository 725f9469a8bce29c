#include "ServerContext.h"

#include "PathFormat.h"
#include "PrintableText.h"
#include "ServerUrl.h"

#include <algorithm>

namespace arhttp {

namespace {

constexpr char kHeaderPrefix[] = "header.";
constexpr char kPathFormatPrefix[] = "pathFormat=";

}  // namespace

std::optional<ServerContext> ServerContext::Make(const std::string& serverUrl,
                                                 const std::string& pathFormat,
                                                 const HeaderList& headers, std::string* error) {
    ServerContext context;
    if (!serverUrl.empty()) {
        const auto url = ServerUrl::Parse(serverUrl, error);
        if (!url) {
            *error = "server URL " + *error;
            return std::nullopt;
        }
        context._serverUrl = url->Text();
    }
    if (!pathFormat.empty()) {
        if (!PathFormat::Parse(pathFormat, error)) {
            *error = "path format " + *error;
            return std::nullopt;
        }
        context._pathFormat = pathFormat;
    }
    for (const auto& [name, value] : headers) {
        if (const auto problem = HeaderProblem(name, value)) {
            *error = "header " + *problem;
            return std::nullopt;
        }
        const auto same = std::find_if(context._headers.begin(), context._headers.end(),
                                       [&](const auto& kept) { return LowerCaseName(kept.first) == LowerCaseName(name); });
        if (same != context._headers.end()) {
            *error = "header " + name + " is given twice";
            return std::nullopt;
        }
        context._headers.emplace_back(name, value);
    }
    std::sort(context._headers.begin(), context._headers.end(),
              [](const auto& a, const auto& b) { return LowerCaseName(a.first) < LowerCaseName(b.first); });

    if (!context._serverUrl.empty() || !context._pathFormat.empty() || !context._headers.empty()) {
        // NUL cannot occur in any part: it separates them.
        context._key = context._serverUrl + '\0' + context._pathFormat + '\0';
        for (const auto& [name, value] : context._headers) {
            context._key += LowerCaseName(name) + '\0' + value + '\0';
        }
    }
    return context;
}

std::optional<ServerContext> ServerContext::Parse(const std::string& text, std::string* error) {
    std::string serverUrl;
    std::string pathFormat;
    HeaderList headers;
    size_t start = 0;
    for (size_t part = 0;; ++part) {
        const size_t end = std::min(text.find(';', start), text.size());
        const std::string item(TrimBlanks(std::string_view(text).substr(start, end - start)));
        if (part == 0) {
            serverUrl = item;
        } else if (item.compare(0, sizeof(kPathFormatPrefix) - 1, kPathFormatPrefix) == 0) {
            pathFormat = item.substr(sizeof(kPathFormatPrefix) - 1);
            if (pathFormat.empty()) {
                *error = "context string: pathFormat= is empty";
                return std::nullopt;
            }
        } else if (item.compare(0, sizeof(kHeaderPrefix) - 1, kHeaderPrefix) == 0) {
            const size_t equals = item.find('=');
            if (equals == std::string::npos) {
                *error = "context string: " + Quoted(item.substr(0, 40)) + " has no '='";
                return std::nullopt;
            }
            const size_t nameStart = sizeof(kHeaderPrefix) - 1;
            headers.emplace_back(TrimBlanks(std::string_view(item).substr(nameStart, equals - nameStart)),
                                 TrimBlanks(std::string_view(item).substr(equals + 1)));
        } else if (!item.empty()) {
            *error = "context string: " + Quoted(item.substr(0, 40)) +
                     " is neither pathFormat=<format> nor header.<Name>=<value>";
            return std::nullopt;
        }
        if (end == text.size()) break;
        start = end + 1;
    }
    auto context = Make(serverUrl, pathFormat, headers, error);
    if (!context) *error = "context string: " + *error;
    return context;
}

std::string ServerContext::Describe(const SecretHeaderNames& alsoSecret) const {
    std::string text = _serverUrl.empty() ? "(environment's server)" : _serverUrl;
    if (!_pathFormat.empty()) text += ";pathFormat=" + _pathFormat;
    for (const auto& [name, value] : _headers) {
        text += ";header." + name + "=" + PrintableHeaderValue(name, value, alsoSecret);
    }
    return text;
}

Config ServerContext::ApplyTo(const Config& base) const {
    Config config = base;
    std::string unused;
    if (!_serverUrl.empty()) {
        config.server = *ServerUrl::Parse(_serverUrl, &unused);
        if (config.server.Origin() != base.server.Origin() ||
            config.server.BasePath() != base.server.BasePath()) {
            config.headers.clear();
        }
    }
    if (!_pathFormat.empty()) config.pathFormat = *PathFormat::Parse(_pathFormat, &unused);
    for (const auto& [name, value] : _headers) {
        config.headers.erase(std::remove_if(config.headers.begin(), config.headers.end(),
                                            [&](const auto& kept) {
                                                return LowerCaseName(kept.first) == LowerCaseName(name);
                                            }),
                             config.headers.end());
        config.headers.emplace_back(name, value);
    }
    config.warnings.clear();
    return config;
}

}  // namespace arhttp
