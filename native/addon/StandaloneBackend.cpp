// The backend of the standalone binding: the native core alone, no OpenUSD.
#include "Backend.h"

#include "core/FileSystemResolver.h"
#include "core/HttpResolver.h"
#include "core/ResolutionEngine.h"

#include <atomic>
#include <mutex>

namespace arhttp::addon {

namespace {

// Stderr, as the core's, counting the warnings.
class CountingLogSink : public StderrLogSink {
public:
    void Warn(const std::string& message) override {
        _warnings.fetch_add(1, std::memory_order_relaxed);
        StderrLogSink::Warn(message);
    }
    uint64_t Count() const { return _warnings.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> _warnings{0};
};

class StandaloneBackend : public Backend {
public:
    explicit StandaloneBackend(const Environment& environment)
        : StandaloneBackend(Config::FromEnvironment(environment)) {}

    std::string CreateIdentifier(const std::string& assetPath,
                                 const std::string& anchor) const override {
        return _fileSystem->CreateIdentifier(assetPath, anchor);
    }
    std::string Resolve(const std::string& identifier,
                        const ServerContext& context) const override {
        return _engine.Resolve(identifier, context);
    }
    std::string ResolveLocal(const std::string& identifier) const override {
        return _fileSystem->Resolve(identifier);
    }
    std::vector<std::string> ResolveMany(const std::vector<std::string>& identifiers,
                                         const ServerContext& context) const override {
        return _engine.ResolveMany(identifiers, context);
    }
    uint64_t WarningCount() const override { return _log->Count(); }
    Config GetConfig() const override { return _engine.GetConfig(); }
    void ClearCache() const override { _engine.ClearCache(); }
    void Watch(ChangeWatcher::OnChanges listener) const override { _engine.Watch(std::move(listener)); }

private:
    explicit StandaloneBackend(Config config)
        : _fileSystem(std::make_shared<const FileSystemResolver>(config.searchPaths)),
          _log(std::make_shared<CountingLogSink>()),
          _engine(std::move(config), _fileSystem, _log, HttpResolver::Factory()) {}

    const std::shared_ptr<const FileSystemResolver> _fileSystem;
    const std::shared_ptr<CountingLogSink> _log;
    const ResolutionEngine _engine;
};

std::mutex gMutex;
std::shared_ptr<const Backend> gBackend;

}  // namespace

const char* const kBackendName = "standalone";

std::shared_ptr<const Backend> CurrentBackend() {
    std::lock_guard<std::mutex> lock(gMutex);
    if (!gBackend) gBackend = std::make_shared<const StandaloneBackend>(ProcessEnvironment());
    return gBackend;
}

std::shared_ptr<const Backend> ReloadBackend(const Environment& environment) {
    auto backend = std::make_shared<const StandaloneBackend>(environment);
    std::lock_guard<std::mutex> lock(gMutex);
    gBackend = backend;
    return backend;
}

}  // namespace arhttp::addon
