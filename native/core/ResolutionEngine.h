// The whole standalone resolution: the filesystem first, as OpenUSD's default
// resolver would, then the HTTP server for what the filesystem does not have.
#ifndef AR_HTTP_CORE_RESOLUTION_ENGINE_H
#define AR_HTTP_CORE_RESOLUTION_ENGINE_H

#include "Config.h"
#include "FileSystemResolver.h"
#include "HttpResolverSet.h"
#include "LogSink.h"
#include "ServerContext.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace arhttp {

class ResolutionEngine {
public:
    ResolutionEngine(Config config, std::shared_ptr<LogSink> log);

    const Config& GetConfig() const { return _config; }

    std::string CreateIdentifier(const std::string& assetPath,
                                 const std::string& anchor) const;

    // A path the filesystem has is returned with no request at all; others
    // go to the server `context` names (the environment's when empty). With
    // AR_HTTP_CACHE_TTL_MS set, whole answers are kept, local ones included,
    // so a repeated resolve costs neither a request nor a filesystem probe.
    std::string Resolve(const std::string& identifier,
                        const ServerContext& context = ServerContext()) const noexcept;

    // Resolves many identifiers, those the filesystem lacks in one batch
    // request. Nothing when the server takes no batches: resolve one by one.
    std::optional<std::vector<std::string>> ResolveMany(
        const std::vector<std::string>& identifiers,
        const ServerContext& context = ServerContext()) const noexcept;

    // Forgets every kept answer.
    void ClearCache() const;

private:
    ResolveCache::Answer ResolveUncached(const std::string& identifier,
                                         const ServerContext& context) const noexcept;

    const Config _config;
    const FileSystemResolver _fileSystem;
    const HttpResolverSet _servers;
    mutable ResolveCache _answers;
};

}  // namespace arhttp

#endif
