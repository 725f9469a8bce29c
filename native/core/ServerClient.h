// What the engine asks of one resolution server. HttpResolver is the one
// implementation; the plugin loads it from its own library only when a
// server is first asked, so that stages with local paths only never load
// cpp-httplib and OpenSSL.
#ifndef AR_HTTP_CORE_SERVER_CLIENT_H
#define AR_HTTP_CORE_SERVER_CLIENT_H

#include "Config.h"
#include "LogSink.h"
#include "ResolveCache.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace arhttp {

class ServerClient {
public:
    virtual ~ServerClient() = default;
    // The answer of the server for one asset path (see HttpResolver::Lookup).
    virtual ResolveCache::Answer Lookup(const std::string& assetPath) const noexcept = 0;
    // The answers for many, in batch requests, or nothing when the server
    // takes none (see HttpResolver::ResolveBatch).
    virtual std::optional<std::vector<std::string>> ResolveBatch(
        const std::vector<std::string>& assetPaths) const noexcept = 0;
};

// Makes the client of the server `config` names; never null.
using ServerClientFactory =
    std::function<std::shared_ptr<const ServerClient>(const Config&, std::shared_ptr<LogSink>)>;

}  // namespace arhttp

#endif
