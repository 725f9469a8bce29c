#include "ResolutionEngine.h"

namespace arhttp {

ResolutionEngine::ResolutionEngine(Config config, std::shared_ptr<LogSink> log)
    : _config(std::move(config)),
      _fileSystem(_config.searchPaths),
      _http(_config, std::move(log)) {}

std::string ResolutionEngine::CreateIdentifier(const std::string& assetPath,
                                               const std::string& anchor) const {
    return _fileSystem.CreateIdentifier(assetPath, anchor);
}

std::string ResolutionEngine::Resolve(const std::string& identifier) const noexcept {
    if (identifier.empty()) return identifier;
    try {
        std::string local = _fileSystem.Resolve(identifier);
        if (!local.empty()) return local;
    } catch (...) {
        // Only allocation can throw here; the HTTP half reports its own failures.
    }
    return _http.Resolve(identifier);
}

}  // namespace arhttp
