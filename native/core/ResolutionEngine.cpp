#include "ResolutionEngine.h"

namespace arhttp {

namespace {

// The engine keeps whole answers itself: its HTTP half keeps none, so no
// answer is stored, and looked up, twice.
Config WithoutCache(Config config) {
    config.cacheTimeToLive = std::chrono::milliseconds(0);
    return config;
}

}  // namespace

ResolutionEngine::ResolutionEngine(Config config, std::shared_ptr<LogSink> log)
    : _config(std::move(config)),
      _fileSystem(_config.searchPaths),
      _servers(WithoutCache(_config), std::move(log)),
      _answers(_config.cacheTimeToLive, _config.cacheMaxEntries) {}

std::string ResolutionEngine::CreateIdentifier(const std::string& assetPath,
                                               const std::string& anchor) const {
    return _fileSystem.CreateIdentifier(assetPath, anchor);
}

ResolveCache::Answer ResolutionEngine::ResolveUncached(const std::string& identifier,
                                                      const ServerContext& context) const noexcept {
    try {
        std::string local = _fileSystem.Resolve(identifier);
        if (!local.empty()) return {local, true};
        // Only what the filesystem lacks needs the context's server.
        return _servers.For(context)->Lookup(identifier);
    } catch (...) {
        // Only allocation can throw here; the HTTP half reports its own failures.
        return {std::string(), false};
    }
}

std::string ResolutionEngine::Resolve(const std::string& identifier,
                                      const ServerContext& context) const noexcept {
    if (identifier.empty()) return identifier;
    try {
        // With no time to live the cache keeps nothing: skip it, and its locking.
        if (_config.cacheTimeToLive.count() == 0) {
            return ResolveUncached(identifier, context).resolvedPath;
        }
        return _answers
            .GetOrResolve(context.KeyFor(identifier),
                          [&] { return ResolveUncached(identifier, context); })
            .resolvedPath;
    } catch (...) {
        return std::string();
    }
}

std::optional<std::vector<std::string>> ResolutionEngine::ResolveMany(
    const std::vector<std::string>& identifiers, const ServerContext& context) const noexcept {
    try {
        const bool caching = _config.cacheTimeToLive.count() != 0;
        std::vector<std::string> resolved(identifiers.size());
        std::vector<size_t> remote;
        for (size_t i = 0; i < identifiers.size(); ++i) {
            if (identifiers[i].empty()) continue;
            if (caching) {
                if (auto kept = _answers.Find(context.KeyFor(identifiers[i]))) {
                    resolved[i] = kept->resolvedPath;
                    continue;
                }
            }
            resolved[i] = _fileSystem.Resolve(identifiers[i]);
            if (resolved[i].empty()) remote.push_back(i);
        }
        if (remote.empty()) return resolved;
        std::vector<std::string> asked;
        for (size_t i : remote) asked.push_back(identifiers[i]);
        const auto answers = _servers.For(context)->ResolveBatch(asked);
        if (!answers) return std::nullopt;
        for (size_t k = 0; k < remote.size(); ++k) {
            resolved[remote[k]] = (*answers)[k];
            _answers.Offer(context.KeyFor(asked[k]), {(*answers)[k], true});
        }
        return resolved;
    } catch (...) {
        return std::nullopt;
    }
}

void ResolutionEngine::ClearCache() const {
    _answers.Clear();
}

}  // namespace arhttp
