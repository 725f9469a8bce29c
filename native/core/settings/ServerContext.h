// What a resolver context (a stage's, or one call's) puts in place of the
// environment's settings: another server, path format, extra headers, a
// snapshot to resolve as of, or a pin file to answer from.
#ifndef AR_HTTP_CORE_SERVER_CONTEXT_H
#define AR_HTTP_CORE_SERVER_CONTEXT_H

#include "core/settings/Config.h"
#include "core/settings/RequestHeaders.h"

#include <optional>
#include <string>

namespace arhttp {

class ServerContext {
public:
    // Empty: the environment's settings.
    ServerContext() = default;

    // Any part may be empty: the environment's is used. Returns nothing and
    // sets `error` when a part is refused (as the variables would be).
    static std::optional<ServerContext> Make(const std::string& serverUrl,
                                             const std::string& pathFormat,
                                             const HeaderList& headers, std::string* error,
                                             const std::string& snapshot = std::string(),
                                             const std::string& pins = std::string());

    // The string form, parts separated by ';':
    //   <server URL>[;pathFormat=<format>][;header.<Name>=<value>]...
    //   [;snapshot=<id>][;pins=<pin file>]
    // The URL may be left empty to keep the environment's server.
    static std::optional<ServerContext> Parse(const std::string& text, std::string* error);

    // Whether `id` is a snapshot id as the protocol states it.
    static bool IsSnapshotId(const std::string& id);

    bool IsEmpty() const { return _key.empty(); }
    // The snapshot and the pin file this context names; empty: the environment's.
    const std::string& Snapshot() const { return _snapshot; }
    const std::string& Pins() const { return _pins; }

    // The same text for equal contexts, for maps and cache keys. Holds
    // header values: never print it.
    const std::string& Key() const { return _key; }
    // A cache key for `assetPath` resolved through this context: answers of
    // one context are kept apart from another's.
    std::string KeyFor(const std::string& assetPath) const {
        return IsEmpty() ? assetPath : _key + '\0' + assetPath;
    }
    // For messages: values of secret headers (IsSecretHeader) are redacted.
    std::string Describe(const SecretHeaderNames& alsoSecret = {}) const;

    // `base` with this context's parts in place. A context naming another
    // server gets none of the environment's headers: they may hold
    // credentials meant for the environment's server only.
    Config ApplyTo(const Config& base) const;

    bool operator==(const ServerContext& other) const { return _key == other._key; }
    bool operator<(const ServerContext& other) const { return _key < other._key; }

private:
    std::string _serverUrl;
    std::string _pathFormat;
    std::string _snapshot;
    std::string _pins;
    HeaderList _headers;  // sorted by name, one per name (case-insensitive)
    std::string _key;
};

}  // namespace arhttp

#endif
