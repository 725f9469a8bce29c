#include "core/settings/Config.h"

#include "ArHttpProtocol.h"

#include "core/settings/DebugSwitch.h"
#include "core/local/FileSystemResolver.h"
#include "core/text/PrintableText.h"
#include "core/settings/ServerContext.h"

#include <cctype>
#include <cstring>

#include <unistd.h>

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
        warnings->push_back(name + " " + Quoted(text) + " is not a whole number from " +
                            std::to_string(minimum) + " to " + std::to_string(maximum) +
                            ": using " + std::to_string(fallback));
        return fallback;
    }
    return value;
}

// A URL that is set but refused names no server (Config::serverRefusal):
// falling back to the default would send every asset path to whatever
// listens there, as `localhost:8000` (no scheme) once did.
ServerUrl ReadServerUrl(const Environment& environment, std::string* refusal,
                        std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_SERVER_URL");
    std::string error;
    if (!text.empty()) {
        if (auto url = ServerUrl::Parse(text, &error)) return *url;
        *refusal = "AR_HTTP_SERVER_URL is refused";
        warnings->push_back("AR_HTTP_SERVER_URL " + error + ": nothing resolves through a server");
    }
    return *ServerUrl::Parse(ServerUrl::kDefault, &error);
}

PathFormat ReadPathFormat(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_PATH_FORMAT");
    std::string error;
    if (!text.empty()) {
        if (auto format = PathFormat::Parse(text, &error)) return *format;
        warnings->push_back("AR_HTTP_PATH_FORMAT " + error + ": using " + PathFormat::kDefault);
    }
    return *PathFormat::Parse(PathFormat::kDefault, &error);
}

// A path on the server, "none" to turn batches off, or the default.
std::string ReadBatchPath(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_BATCH_PATH");
    if (text.empty()) return protocol::kBatchPath;
    if (text == "none") return std::string();
    bool ok = text[0] == '/';
    for (unsigned char c : text) ok = ok && c > 0x20 && c != 0x7F && c != '%' && c != '?' && c != '#';
    if (!ok) {
        warnings->push_back("AR_HTTP_BATCH_PATH " + Quoted(text) + " is neither \"none\" nor a path "
                            "starting with '/' (no spaces, '%', '?' or '#'): using " +
                            protocol::kBatchPath);
        return protocol::kBatchPath;
    }
    return text;
}

bool IsReadable(const std::string& path) {
    return !path.empty() && access(path.c_str(), R_OK) == 0;
}

TlsSettings ReadTlsSettings(const Environment& environment, std::vector<std::string>* warnings) {
    TlsSettings tls;
    tls.caFile = Lookup(environment, "AR_HTTP_CA_FILE");
    if (!tls.caFile.empty() && !IsReadable(tls.caFile)) {
        // Trusting the system instead would quietly trust more than asked.
        warnings->push_back("AR_HTTP_CA_FILE " + Quoted(tls.caFile) +
                            " cannot be read: https:// servers will not be trusted");
    }
    if (tls.caFile.empty()) {
        // OpenSSL's own variables, read here since Node hands its environment
        // over as an object, not as the C library's.
        tls.caFile = Lookup(environment, "SSL_CERT_FILE");
        tls.caDir = Lookup(environment, "SSL_CERT_DIR");
        if (tls.caFile.empty() && tls.caDir.empty()) tls.caFile = TlsSettings::SystemCaFile();
    }
    const std::string unsafe = Lookup(environment, "AR_HTTP_UNSAFE_NO_TLS_VERIFY");
    if (unsafe == "1") {
        tls.verify = false;
        warnings->push_back("AR_HTTP_UNSAFE_NO_TLS_VERIFY=1: server certificates are NOT "
                            "verified; anyone on the network can answer in the server's name");
    } else if (!unsafe.empty() && unsafe != "0") {
        warnings->push_back("AR_HTTP_UNSAFE_NO_TLS_VERIFY " + Quoted(unsafe) +
                            " is neither 1 nor 0: certificates are verified");
    }
    return tls;
}

// A refused snapshot id closes the server (Config::remoteRefusal): the
// latest answers would be the very surprise a snapshot is asked to prevent.
std::string ReadSnapshot(const Environment& environment, std::string* refusal,
                         std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_SNAPSHOT");
    if (text.empty() || ServerContext::IsSnapshotId(text)) return text;
    *refusal = "AR_HTTP_SNAPSHOT " + Quoted(text.substr(0, 200)) + " is refused";
    warnings->push_back("AR_HTTP_SNAPSHOT " + Quoted(text.substr(0, 200)) + " is not 1 to " +
                        std::to_string(protocol::kMaxSnapshotIdBytes) +
                        " characters of A-Z a-z 0-9 . _ -: nothing resolves through the server");
    return std::string();
}

std::string ReadPinFile(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_PIN_FILE");
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7F) {
            // Still set, so that the refused pin file answers nothing rather than the server everything.
            warnings->push_back("AR_HTTP_PIN_FILE " + Quoted(text.substr(0, 200)) +
                                " holds control characters: nothing resolves through it");
            break;
        }
    }
    return text;
}

// A refused map closes the server too (Config::remoteRefusal): answers meant
// for another site would name files that are not there, or the wrong ones.
PathMap ReadPathMap(const Environment& environment, std::string* refusal,
                    std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_PATH_MAP");
    std::string error;
    if (text.empty()) return PathMap();
    if (text.size() > PathMap::kMaxPairs * (2 * PathMap::kMaxPrefixBytes + 2)) {
        error = "is longer than " + std::to_string(PathMap::kMaxPairs * (2 * PathMap::kMaxPrefixBytes + 2)) + " bytes";
    } else if (auto map = PathMap::Parse(text, &error)) {
        return *map;
    }
    if (refusal->empty()) *refusal = "AR_HTTP_PATH_MAP is refused";
    warnings->push_back("AR_HTTP_PATH_MAP " + error + ": nothing resolves through the server or a pin file");
    return PathMap();
}

bool ReadPinFallback(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_PIN_FALLBACK");
    if (text.empty() || text == "none") return false;
    if (text == "server") return true;
    warnings->push_back("AR_HTTP_PIN_FALLBACK " + Quoted(text.substr(0, 200)) +
                        " is neither \"server\" nor \"none\": using none (what the pin file lacks "
                        "stays unresolved)");
    return false;
}

// A count of bytes: digits, then perhaps K, M, G or T (binary multiples),
// within [minimum, maximum]; else the default with a warning.
std::uint64_t ReadByteCount(const Environment& environment, const std::string& name, std::uint64_t fallback,
                            std::uint64_t minimum, std::uint64_t maximum, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, name);
    if (text.empty()) return fallback;
    std::string digits = text;
    int shift = 0;
    if (const char* unit = std::strchr("KMGT", std::toupper(static_cast<unsigned char>(digits.back())))) {
        shift = 10 * static_cast<int>(unit - "KMGT" + 1);
        digits.pop_back();
    }
    bool ok = !digits.empty() && digits.size() <= 12;
    for (unsigned char c : digits) ok = ok && std::isdigit(c);
    const std::uint64_t count = ok ? std::stoull(digits) : 0;
    // Checked before the shift, which could overflow.
    const std::uint64_t value = count <= (maximum >> shift) ? count << shift : 0;
    if (!ok || value < minimum || value > maximum) {
        warnings->push_back(name + " " + Quoted(text) + " is not a number of bytes (digits, then perhaps K, M, G "
                            "or T) from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                            ": using " + std::to_string(fallback));
        return fallback;
    }
    return value;
}

// AR_HTTP_CONTENT_CACHE_DIR, else the user's cache folder (XDG_CACHE_HOME,
// else ~/.cache) with ar-http in it. A relative folder would depend on where
// each process starts: refused.
std::string ReadContentCacheDir(const Environment& environment, std::vector<std::string>* warnings) {
    const std::string text = Lookup(environment, "AR_HTTP_CONTENT_CACHE_DIR");
    bool ok = !text.empty() && text[0] == '/';
    for (unsigned char c : text) ok = ok && c >= 0x20 && c != 0x7F;
    if (ok) return text;
    const std::string xdg = Lookup(environment, "XDG_CACHE_HOME");
    const std::string home = Lookup(environment, "HOME");
    const std::string fallback = !xdg.empty() && xdg[0] == '/' ? xdg + "/ar-http"
                                 : !home.empty() && home[0] == '/' ? home + "/.cache/ar-http"
                                                                   : std::string();
    if (!text.empty()) {
        warnings->push_back("AR_HTTP_CONTENT_CACHE_DIR " + Quoted(text) + " is not an absolute path: using " +
                            (fallback.empty() ? std::string("none (no content URL is fetched)") : Quoted(fallback)));
    }
    return fallback;
}

}  // namespace

std::string TlsSettings::SystemCaFile() {
    for (const char* candidate : {"/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Arch
                                  "/etc/pki/tls/certs/ca-bundle.crt",     // RHEL, Fedora
                                  "/etc/ssl/ca-bundle.pem",               // SUSE
                                  "/etc/ssl/cert.pem"}) {                 // Alpine, macOS
        if (IsReadable(candidate)) return candidate;
    }
    return std::string();
}

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
    std::string serverRefusal;
    ServerUrl server = ReadServerUrl(environment, &serverRefusal, &warnings);
    PathFormat pathFormat = ReadPathFormat(environment, &warnings);
    HeaderList headers = HeadersFromEnvironment(environment, &warnings);
    SecretHeaderNames secretHeaders =
        SecretHeaderNamesFrom(Lookup(environment, "AR_HTTP_SECRET_HEADERS"), &warnings);
    const long timeoutMs = ReadBoundedInteger(environment, "AR_HTTP_TIMEOUT_MS",
                                              kDefaultTimeoutMs, 1, 600000, &warnings);
    const long maxConnections = ReadBoundedInteger(environment, "AR_HTTP_MAX_CONNECTIONS",
                                                   kDefaultMaxConnections, 1, 256, &warnings);
    const long cacheTtlMs = ReadBoundedInteger(environment, "AR_HTTP_CACHE_TTL_MS", 0, 0,
                                               86400000, &warnings);
    const long cacheMaxEntries = ReadBoundedInteger(environment, "AR_HTTP_CACHE_MAX_ENTRIES",
                                                    kDefaultCacheMaxEntries, 1, 100000000,
                                                    &warnings);
    const long retries = ReadBoundedInteger(environment, "AR_HTTP_RETRIES", kDefaultRetries, 0,
                                            10, &warnings);
    const long retryDelayMs = ReadBoundedInteger(environment, "AR_HTTP_RETRY_DELAY_MS",
                                                 kDefaultRetryDelayMs, 1, 60000, &warnings);
    const long failFastMs = ReadBoundedInteger(environment, "AR_HTTP_FAIL_FAST_MS",
                                               kDefaultFailFastMs, 0, 3600000, &warnings);
    const long maxRedirects = ReadBoundedInteger(environment, "AR_HTTP_MAX_REDIRECTS",
                                                 kDefaultMaxRedirects, 0, 20, &warnings);
    TlsSettings tls = ReadTlsSettings(environment, &warnings);
    std::string remoteRefusal;
    std::string snapshot = ReadSnapshot(environment, &remoteRefusal, &warnings);
    std::string pinFile = ReadPinFile(environment, &warnings);
    const bool pinFallbackServer = ReadPinFallback(environment, &warnings);
    PathMap pathMap = ReadPathMap(environment, &remoteRefusal, &warnings);
    std::string contentCacheDir = ReadContentCacheDir(environment, &warnings);
    const std::uint64_t contentCacheMaxBytes =
        ReadByteCount(environment, "AR_HTTP_CONTENT_CACHE_MAX_BYTES", kDefaultContentCacheMaxBytes, 1,
                      std::uint64_t(1) << 50, &warnings);
    const std::uint64_t maxContentBytes = ReadByteCount(environment, "AR_HTTP_MAX_CONTENT_BYTES",
                                                        kDefaultMaxContentBytes, 1, std::uint64_t(1) << 44, &warnings);
    HeaderList contentHeaders = HeadersFromEnvironment(environment, &warnings, kContentHeaderVariablePrefix);
    return Config{std::move(server),
                  std::move(pathFormat),
                  std::move(headers),
                  std::move(secretHeaders),
                  std::chrono::milliseconds(timeoutMs),
                  static_cast<size_t>(maxConnections),
                  std::chrono::milliseconds(cacheTtlMs),
                  static_cast<size_t>(cacheMaxEntries),
                  ReadBatchPath(environment, &warnings),
                  retries,
                  std::chrono::milliseconds(retryDelayMs),
                  std::chrono::milliseconds(failFastMs),
                  maxRedirects,
                  std::move(tls),
                  IsDebugSymbolEnabled(Lookup(environment, "TF_DEBUG"), kDebugSymbol),
                  ReadBoundedInteger(environment, "AR_HTTP_WATCH", 0, 0, 1, &warnings) == 1,
                  FileSystemResolver::ParseSearchPath(
                      Lookup(environment, "PXR_AR_DEFAULT_SEARCH_PATH")),
                  std::move(snapshot),
                  std::move(pinFile),
                  pinFallbackServer,
                  std::move(pathMap),
                  std::move(serverRefusal),
                  std::move(remoteRefusal),
                  std::move(contentCacheDir),
                  contentCacheMaxBytes,
                  maxContentBytes,
                  std::move(contentHeaders),
                  std::move(warnings)};
}

}  // namespace arhttp
