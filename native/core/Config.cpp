#include "Config.h"

#include "DebugSwitch.h"
#include "FileSystemResolver.h"

#include <cctype>

extern char** environ;

namespace arhttp {

namespace {

std::string Lookup(const Environment& environment, const std::string& name) {
    const auto found = environment.find(name);
    return found == environment.end() ? std::string() : found->second;
}

// A whole number within [minimum, maximum], or the default with a warning.
long ReadBoundedInteger(const Environment& environment, const std::string& name,
                        long fallback, long minimum, long maximum,
                        std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, name);
    if (text.empty()) return fallback;
    bool digits = text.size() <= 9;
    for (unsigned char c : text) digits = digits && std::isdigit(c);
    const long value = digits ? std::stol(text) : -1;
    if (value < minimum || value > maximum) {
        warnings->push_back(name + " \"" + text + "\" is not a whole number from " +
                            std::to_string(minimum) + " to " + std::to_string(maximum) +
                            ": using " + std::to_string(fallback));
        return fallback;
    }
    return value;
}

ServerUrl ReadServerUrl(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_SERVER_URL");
    std::string error;
    if (!text.empty()) {
        if (auto url = ServerUrl::Parse(text, &error)) return *url;
        warnings->push_back(error + ": using " + ServerUrl::kDefault);
    }
    return *ServerUrl::Parse(ServerUrl::kDefault, &error);
}

PathFormat ReadPathFormat(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_PATH_FORMAT");
    std::string error;
    if (!text.empty()) {
        if (auto format = PathFormat::Parse(text, &error)) return *format;
        warnings->push_back(error + ": using " + PathFormat::kDefault);
    }
    return *PathFormat::Parse(PathFormat::kDefault, &error);
}

// A path on the server, "none" to turn batches off, or the default.
std::string ReadBatchPath(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_BATCH_PATH");
    if (text.empty()) return Config::kDefaultBatchPath;
    if (text == "none") return std::string();
    bool ok = text[0] == '/';
    for (unsigned char c : text) ok = ok && c > 0x20 && c != 0x7F && c != '%' && c != '?' && c != '#';
    if (!ok) {
        warnings->push_back("AR_HTTP_BATCH_PATH \"" + text + "\" is neither \"none\" nor a path "
                            "starting with '/' (no spaces, '%', '?' or '#'): using " +
                            Config::kDefaultBatchPath);
        return Config::kDefaultBatchPath;
    }
    return text;
}

}  // namespace

Environment ProcessEnvironment() {
    Environment environment;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string text(*entry);
        const size_t equals = text.find('=');
        if (equals != std::string::npos) {
            environment.emplace(text.substr(0, equals), text.substr(equals + 1));
        }
    }
    return environment;
}

Config Config::FromEnvironment(const Environment& environment) {
    std::vector<std::string> warnings;
    ServerUrl server = ReadServerUrl(environment, &warnings);
    PathFormat pathFormat = ReadPathFormat(environment, &warnings);
    HeaderList headers = HeadersFromEnvironment(environment, &warnings);
    const long timeoutMs = ReadBoundedInteger(environment, "AR_HTTP_TIMEOUT_MS",
                                              kDefaultTimeoutMs, 1, 600000, &warnings);
    const long maxConnections = ReadBoundedInteger(environment, "AR_HTTP_MAX_CONNECTIONS",
                                                   kDefaultMaxConnections, 1, 256, &warnings);
    const long cacheTtlMs = ReadBoundedInteger(environment, "AR_HTTP_CACHE_TTL_MS", 0, 0,
                                               86400000, &warnings);
    const long cacheMaxEntries = ReadBoundedInteger(environment, "AR_HTTP_CACHE_MAX_ENTRIES",
                                                    kDefaultCacheMaxEntries, 1, 100000000,
                                                    &warnings);
    return Config{std::move(server),
                  std::move(pathFormat),
                  std::move(headers),
                  std::chrono::milliseconds(timeoutMs),
                  static_cast<size_t>(maxConnections),
                  std::chrono::milliseconds(cacheTtlMs),
                  static_cast<size_t>(cacheMaxEntries),
                  ReadBatchPath(environment, &warnings),
                  IsDebugSymbolEnabled(Lookup(environment, "TF_DEBUG"), kDebugSymbol),
                  FileSystemResolver::ParseSearchPath(
                      Lookup(environment, "PXR_AR_DEFAULT_SEARCH_PATH")),
                  std::move(warnings)};
}

}  // namespace arhttp
