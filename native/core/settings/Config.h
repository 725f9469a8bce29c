// Everything ar-http reads from the environment, validated once.
#ifndef AR_HTTP_CORE_CONFIG_H
#define AR_HTTP_CORE_CONFIG_H

#include "core/settings/PathFormat.h"
#include "core/settings/PathMap.h"
#include "core/settings/RequestHeaders.h"
#include "core/settings/ServerUrl.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace arhttp {

using Environment = std::map<std::string, std::string>;

// How https:// servers are trusted.
struct TlsSettings {
    // CA certificates: a PEM file and/or a folder of hashed certificates.
    // Both empty: the system's store, as found by TlsSettings::SystemCaFile.
    std::string caFile;
    std::string caDir;
    // Off only with AR_HTTP_UNSAFE_NO_TLS_VERIFY=1.
    bool verify = true;

    // The first CA bundle of the usual Linux and macOS places that exists.
    static std::string SystemCaFile();
};

// A copy of the process environment.
Environment ProcessEnvironment();

struct Config {
    static constexpr long kDefaultTimeoutMs = 5000;
    static constexpr long kDefaultMaxConnections = 8;
    static constexpr long kDefaultCacheMaxEntries = 100000;
    static constexpr long kDefaultRetries = 2;
    static constexpr long kDefaultRetryDelayMs = 100;
    static constexpr long kDefaultFailFastMs = 3000;
    static constexpr long kDefaultMaxRedirects = 5;
    static constexpr std::uint64_t kDefaultContentCacheMaxBytes = std::uint64_t(10) << 30;
    static constexpr std::uint64_t kDefaultMaxContentBytes = std::uint64_t(4) << 30;

    ServerUrl server;
    PathFormat pathFormat;
    HeaderList headers;
    // Headers secret besides those IsSecretHeader's rule finds.
    SecretHeaderNames secretHeaders;
    // Bounds each exchange with the server as a whole: connecting, the
    // request, the answer's head and body, retries and redirects.
    std::chrono::milliseconds timeout;
    size_t maxConnections;
    // How long the servers' answers are kept process-wide (the filesystem is
    // always asked first); zero time to live keeps none.
    std::chrono::milliseconds cacheTimeToLive;
    size_t cacheMaxEntries;
    // Where many asset paths are resolved in one POST; empty: never.
    std::string batchPath;
    // Connection errors and 502/503/504 are tried again this many times,
    // waiting retryDelay, then twice as long each time.
    long retries;
    std::chrono::milliseconds retryDelay;
    // After a request failed that way, resolves answer "" at once for this
    // long instead of waiting on a server that is down; zero: never.
    std::chrono::milliseconds failFast;
    long maxRedirects;
    TlsSettings tls;
    bool debug;
    // AR_HTTP_WATCH=1: the change feed of the server is followed.
    bool watch;
    std::vector<std::string> searchPaths;
    // AR_HTTP_SNAPSHOT: the server is asked as of this snapshot; empty: latest.
    std::string snapshot;
    // AR_HTTP_PIN_FILE: answers come from this pin file, not the server.
    std::string pinFile;
    // AR_HTTP_PIN_FALLBACK=server: the server answers what the pin file lacks.
    bool pinFallbackServer = false;
    // AR_HTTP_PATH_MAP: applied to every answer not from the filesystem.
    PathMap pathMap;
    // Set when AR_HTTP_SERVER_URL is set but refused: the environment names
    // no server (`server` is only a placeholder), so nothing is asked of one;
    // a context naming its own server, and a pin file, still answer.
    std::string serverRefusal;
    // Set when a setting that decides which answers are right was refused
    // (AR_HTTP_SNAPSHOT, AR_HTTP_PATH_MAP): nothing resolves through the
    // server, as a farm would rather render nothing than a wrong answer.
    std::string remoteRefusal;
    // AR_HTTP_CONTENT_CACHE_DIR: the folder of downloaded content, shared by
    // every process of the machine; empty when none could be found (no
    // HOME), and then no content URL is fetched.
    std::string contentCacheDir;
    // AR_HTTP_CONTENT_CACHE_MAX_BYTES: the folder's bound; the least recently
    // used files go first.
    std::uint64_t contentCacheMaxBytes = kDefaultContentCacheMaxBytes;
    // AR_HTTP_MAX_CONTENT_BYTES: one file's bound, decompressed bytes counted.
    std::uint64_t maxContentBytes = kDefaultMaxContentBytes;
    // AR_HTTP_CONTENT_HEADER_<Name>: sent with content requests.
    HeaderList contentHeaders;
    // What was refused and replaced by its default, one sentence each.
    std::vector<std::string> warnings;

    // Reads AR_HTTP_SERVER_URL, AR_HTTP_PATH_FORMAT, AR_HTTP_HEADER_*,
    // AR_HTTP_SECRET_HEADERS,
    // AR_HTTP_TIMEOUT_MS, AR_HTTP_MAX_CONNECTIONS, AR_HTTP_CACHE_TTL_MS,
    // AR_HTTP_CACHE_MAX_ENTRIES, AR_HTTP_BATCH_PATH, AR_HTTP_RETRIES,
    // AR_HTTP_RETRY_DELAY_MS, AR_HTTP_FAIL_FAST_MS, AR_HTTP_MAX_REDIRECTS,
    // AR_HTTP_CA_FILE (else SSL_CERT_FILE and SSL_CERT_DIR),
    // AR_HTTP_UNSAFE_NO_TLS_VERIFY, AR_HTTP_WATCH, AR_HTTP_SNAPSHOT,
    // AR_HTTP_PIN_FILE, AR_HTTP_PIN_FALLBACK, AR_HTTP_PATH_MAP,
    // AR_HTTP_CONTENT_CACHE_DIR (else XDG_CACHE_HOME, else HOME),
    // AR_HTTP_CONTENT_CACHE_MAX_BYTES, AR_HTTP_MAX_CONTENT_BYTES,
    // AR_HTTP_CONTENT_HEADER_*, TF_DEBUG and PXR_AR_DEFAULT_SEARCH_PATH.
    // An empty variable counts as unset.
    static Config FromEnvironment(const Environment& environment);
};

}  // namespace arhttp

#endif
