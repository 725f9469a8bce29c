// The whole standalone resolution: the filesystem first, as OpenUSD's default
// resolver would, then the HTTP server for what the filesystem does not have.
#ifndef AR_HTTP_CORE_RESOLUTION_ENGINE_H
#define AR_HTTP_CORE_RESOLUTION_ENGINE_H

#include "Config.h"
#include "FileSystemResolver.h"
#include "HttpResolver.h"
#include "LogSink.h"

#include <memory>
#include <string>

namespace arhttp {

class ResolutionEngine {
public:
    ResolutionEngine(Config config, std::shared_ptr<LogSink> log);

    const Config& GetConfig() const { return _config; }

    std::string CreateIdentifier(const std::string& assetPath,
                                 const std::string& anchor) const;

    // A path the filesystem has is returned with no request at all.
    std::string Resolve(const std::string& identifier) const noexcept;

    // Forgets the answers the server gave (AR_HTTP_CACHE_TTL_MS).
    void ClearCache() const { _http.ClearCache(); }

private:
    const Config _config;
    const FileSystemResolver _fileSystem;
    const HttpResolver _http;
};

}  // namespace arhttp

#endif
