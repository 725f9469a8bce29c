#include "ResolutionEngine.h"

namespace arhttp {

ResolutionEngine::ResolutionEngine(Config config, std::shared_ptr<LogSink> log)
    : _config(std::move(config)),
      _fileSystem(_config.searchPaths),
      _http(_config, std::move(log)),
      _answers(_config.cacheTimeToLive, _config.cacheMaxEntries) {}

std::string ResolutionEngine::CreateIdentifier(const std::string& assetPath,
                                               const std::string& anchor) const {
    return _fileSystem.CreateIdentifier(assetPath, anchor);
}

ResolveCache::Answer ResolutionEngine::ResolveUncached(const std::string& identifier) const noexcept {
    try {
        std::string local = _fileSystem.Resolve(identifier);
        if (!local.empty()) return {local, true};
    } catch (...) {
        // Only allocation can throw here; the HTTP half reports its own failures.
    }
    return _http.Lookup(identifier);
}

std::string ResolutionEngine::Resolve(const std::string& identifier) const noexcept {
    if (identifier.empty()) return identifier;
    // With no time to live the cache keeps nothing: skip it, and its locking.
    if (_config.cacheTimeToLive.count() == 0) return ResolveUncached(identifier).resolvedPath;
    try {
        return _answers.GetOrResolve(identifier, [&] { return ResolveUncached(identifier); })
            .resolvedPath;
    } catch (...) {
        return std::string();
    }
}

void ResolutionEngine::ClearCache() const {
    _answers.Clear();
    _http.ClearCache();
}

}  // namespace arhttp
