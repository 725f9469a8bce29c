#include "core/settings/ServerContext.h"

#include "ArHttpProtocol.h"
#include "core/settings/PathFormat.h"
#include "core/text/PrintableText.h"
#include "core/settings/ServerUrl.h"

#include <algorithm>

namespace arhttp {

namespace {

constexpr char kHeaderPrefix[] = "header.";
constexpr char kPathFormatPrefix[] = "pathFormat=";
constexpr char kSnapshotPrefix[] = "snapshot=";
constexpr char kPinsPrefix[] = "pins=";

bool HasPrefix(const std::string& text, const char* prefix, size_t length) {
    return text.compare(0, length, prefix) == 0;
}

}  // namespace

std::optional<ServerContext> ServerContext::Make(const std::string& serverUrl,
                                                 const std::string& pathFormat,
                                                 const HeaderList& headers, std::string* error,
                                                 const std::string& snapshot,
                                                 const std::string& pins) {
    ServerContext context;
    if (!snapshot.empty() && !IsSnapshotId(snapshot)) {
        *error = "snapshot " + Quoted(snapshot.substr(0, 200)) + " is not 1 to " +
                 std::to_string(protocol::kMaxSnapshotIdBytes) + " characters of A-Z a-z 0-9 . _ -";
        return std::nullopt;
    }
    context._snapshot = snapshot;
    for (unsigned char c : pins) {
        if (c < 0x20 || c == 0x7F) {
            *error = "pins: the pin file name holds control characters";
            return std::nullopt;
        }
    }
    context._pins = pins;
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

    if (!context._serverUrl.empty() || !context._pathFormat.empty() || !context._headers.empty() ||
        !context._snapshot.empty() || !context._pins.empty()) {
        // NUL cannot occur in any part: it separates them.
        context._key = context._serverUrl + '\0' + context._pathFormat + '\0' + context._snapshot +
                       '\0' + context._pins + '\0';
        for (const auto& [name, value] : context._headers) {
            context._key += LowerCaseName(name) + '\0' + value + '\0';
        }
    }
    return context;
}

std::optional<ServerContext> ServerContext::Parse(const std::string& text, std::string* error) {
    std::string serverUrl;
    std::string pathFormat;
    std::string snapshot;
    std::string pins;
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
        } else if (HasPrefix(item, kSnapshotPrefix, sizeof(kSnapshotPrefix) - 1)) {
            snapshot = item.substr(sizeof(kSnapshotPrefix) - 1);
            if (snapshot.empty()) {
                *error = "context string: snapshot= is empty";
                return std::nullopt;
            }
        } else if (HasPrefix(item, kPinsPrefix, sizeof(kPinsPrefix) - 1)) {
            pins = item.substr(sizeof(kPinsPrefix) - 1);
            if (pins.empty()) {
                *error = "context string: pins= is empty";
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
                     " is none of pathFormat=<format>, header.<Name>=<value>, "
                     "snapshot=<id> or pins=<pin file>";
            return std::nullopt;
        }
        if (end == text.size()) break;
        start = end + 1;
    }
    auto context = Make(serverUrl, pathFormat, headers, error, snapshot, pins);
    if (!context) *error = "context string: " + *error;
    return context;
}

bool ServerContext::IsSnapshotId(const std::string& id) {
    if (id.empty() || id.size() > protocol::kMaxSnapshotIdBytes) return false;
    for (unsigned char c : id) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!allowed) return false;
    }
    return true;
}

std::string ServerContext::Describe(const SecretHeaderNames& alsoSecret) const {
    std::string text = _serverUrl.empty() ? "(environment's server)" : _serverUrl;
    if (!_pathFormat.empty()) text += ";pathFormat=" + _pathFormat;
    if (!_snapshot.empty()) text += ";snapshot=" + _snapshot;
    if (!_pins.empty()) text += ";pins=" + _pins;
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
        config.serverRefusal.clear();
        // The environment's headers are for its own server only, and a refused URL names none.
        if (!base.serverRefusal.empty() || config.server.Origin() != base.server.Origin() ||
            config.server.BasePath() != base.server.BasePath()) {
            config.headers.clear();
        }
    }
    if (!_pathFormat.empty()) config.pathFormat = *PathFormat::Parse(_pathFormat, &unused);
    if (!_snapshot.empty()) config.snapshot = _snapshot;
    if (!_pins.empty()) config.pinFile = _pins;
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
