// Everything ar-http reads from the environment, validated once.
#ifndef AR_HTTP_CORE_CONFIG_H
#define AR_HTTP_CORE_CONFIG_H

#include "PathFormat.h"
#include "RequestHeaders.h"
#include "ServerUrl.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace arhttp {

using Environment = std::map<std::string, std::string>;

// A copy of the process environment.
Environment ProcessEnvironment();

struct Config {
    static constexpr long kDefaultTimeoutMs = 5000;
    static constexpr long kDefaultMaxConnections = 8;
    static constexpr long kDefaultCacheMaxEntries = 100000;
    static constexpr const char* kDefaultBatchPath = "/_ar/resolve";

    ServerUrl server;
    PathFormat pathFormat;
    HeaderList headers;
    std::chrono::milliseconds timeout;
    size_t maxConnections;
    // Process-wide cache of answers; zero time to live turns it off.
    std::chrono::milliseconds cacheTimeToLive;
    size_t cacheMaxEntries;
    // Where many asset paths are resolved in one POST; empty: never.
    std::string batchPath;
    bool debug;
    std::vector<std::string> searchPaths;
    // What was refused and replaced by its default, one sentence each.
    std::vector<std::string> warnings;

    // Reads AR_HTTP_SERVER_URL, AR_HTTP_PATH_FORMAT, AR_HTTP_HEADER_*,
    // AR_HTTP_TIMEOUT_MS, AR_HTTP_MAX_CONNECTIONS, AR_HTTP_CACHE_TTL_MS,
    // AR_HTTP_CACHE_MAX_ENTRIES, AR_HTTP_BATCH_PATH, TF_DEBUG and
    // PXR_AR_DEFAULT_SEARCH_PATH. An empty variable counts as unset.
    static Config FromEnvironment(const Environment& environment);
};

}  // namespace arhttp

#endif
