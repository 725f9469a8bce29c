// The backend of the standalone binding: the native core alone, no OpenUSD.
#include "Backend.h"
#include "WarningListeners.h"

#include "core/log/CountingLogSink.h"
#include "core/local/FileSystemResolver.h"
#include "core/transport/HttpContentSource.h"
#include "core/transport/HttpResolver.h"
#include "core/engine/ResolutionEngine.h"
#include "core/text/UrlReference.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace arhttp::addon {

namespace {

class StandaloneBackend : public Backend {
public:
    explicit StandaloneBackend(const Environment& environment)
        : StandaloneBackend(Config::FromEnvironment(environment)) {}

    std::string CreateIdentifier(const std::string& assetPath,
                                 const std::string& anchor) const override {
        std::string url = UrlIdentifier(assetPath, anchor);
        return url.empty() ? _fileSystem->CreateIdentifier(assetPath, anchor) : url;
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
    ResolutionEngine::Resolution ResolveDetailed(const std::string& identifier,
                                                 const ServerContext& context) const override {
        return _engine.ResolveDetailed(identifier, [&] { return ResolutionEngine::Where{&context, nullptr}; });
    }
    std::vector<ResolutionEngine::Resolution> ResolveManyDetailed(
        const std::vector<std::string>& identifiers, const ServerContext& context) const override {
        return _engine.ResolveManyDetailed(identifiers, context);
    }
    std::vector<std::string> ResolveManyAfresh(const std::vector<std::string>& identifiers,
                                               const ServerContext& context,
                                               uint64_t* warnings) const override {
        Config config = _engine.GetConfig();
        config.watch = false;
        const auto log = std::make_shared<CountingLogSink>(std::make_shared<NodeLogSink>());
        const ResolutionEngine engine(std::move(config), _fileSystem, log, HttpResolver::Factory());
        std::vector<std::string> resolved = engine.ResolveMany(identifiers, context);
        *warnings = log->Warnings();
        return resolved;
    }
    ContentFile FetchContent(const std::string& url) const override { return _engine.FetchContent(url); }
    Config GetConfig() const override { return _engine.GetConfig(); }
    void ClearCache() const override { _engine.ClearCache(); }
    void Watch(ChangeWatcher::OnChanges listener) const override { _engine.Watch(std::move(listener)); }
    void StopBackgroundWork() const { _engine.StopBackgroundWork(); }

private:
    explicit StandaloneBackend(Config config)
        : _fileSystem(std::make_shared<const FileSystemResolver>(config.searchPaths)),
          _engine(std::move(config), _fileSystem, std::make_shared<NodeLogSink>(),
                  HttpResolver::Factory(), HttpContentSource::Factory()) {}

    const std::shared_ptr<const FileSystemResolver> _fileSystem;
    const ResolutionEngine _engine;
};

std::mutex gMutex;
std::shared_ptr<const StandaloneBackend> gBackend;
// Each backend made and not yet stopped: one that ReloadBackend replaced
// lives on in the calls under way.
std::vector<std::weak_ptr<const StandaloneBackend>> gMade;

// Under gMutex.
void Keep(const std::shared_ptr<const StandaloneBackend>& backend) {
    gMade.erase(std::remove_if(gMade.begin(), gMade.end(), [](const auto& made) { return made.expired(); }),
                gMade.end());
    gMade.push_back(backend);
}

}  // namespace

const char* const kBackendName = "standalone";

// NodeLogSink delivers already.
void RouteWarningsToNode() {}

std::shared_ptr<const Backend> CurrentBackend() {
    std::lock_guard<std::mutex> lock(gMutex);
    if (!gBackend) {
        gBackend = std::make_shared<const StandaloneBackend>(ProcessEnvironment());
        Keep(gBackend);
    }
    return gBackend;
}

std::shared_ptr<const Backend> ReloadBackend(const Environment& environment) {
    auto backend = std::make_shared<const StandaloneBackend>(environment);
    std::lock_guard<std::mutex> lock(gMutex);
    gBackend = backend;
    Keep(backend);
    return backend;
}

void StopBackgroundWork() {
    std::vector<std::shared_ptr<const StandaloneBackend>> alive;
    {
        std::lock_guard<std::mutex> lock(gMutex);
        for (const auto& made : gMade) {
            if (auto backend = made.lock()) alive.push_back(std::move(backend));
        }
        gMade.clear();
        // A later call (another environment of the process) gets a backend that works.
        gBackend.reset();
    }
    for (const auto& backend : alive) backend->StopBackgroundWork();
}

}  // namespace arhttp::addon
