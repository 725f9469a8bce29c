#include "ServerTransport.h"

#include "ArHttpResolver.h"
#include "TfLogSink.h"

#include "pxr/base/arch/library.h"
#include "pxr/base/plug/plugin.h"
#include "pxr/base/plug/registry.h"
#include "pxr/base/tf/diagnostic.h"
#include "pxr/base/tf/pathUtils.h"
#include "pxr/base/tf/type.h"

#include <atomic>
#include <cstdlib>

PXR_NAMESPACE_USING_DIRECTIVE

namespace arhttp {

namespace {

using MakeClient = ServerClient* (*)(const Config*, const std::shared_ptr<LogSink>*) noexcept;
using MakeContentSource = ContentSource* (*)(const Config*) noexcept;
using InitTransport = void (*)() noexcept;

std::atomic<void (*)()> gExitStop{nullptr};

// What is asked of a server whose transport could not be loaded: nothing is
// known, nothing is kept.
class NoServer final : public ServerClient {
public:
    ResolveCache::Answer Lookup(const std::string&) const noexcept override {
        return {std::string(), false};
    }
    std::optional<std::vector<ResolveCache::Answer>> ResolveBatch(
        const std::vector<std::string>&) const noexcept override {
        return std::nullopt;
    }
    FeedEnd FollowChanges(FeedParser&, const std::function<void(std::vector<FeedEvent>&&)>&,
                          int) const noexcept override {
        return {"the transport library is not loaded", false, false};
    }
};

// Beside the plugin's library.
std::string TransportLibrary() {
    const PlugPluginPtr plugin = PlugRegistry::GetInstance().GetPluginForType(TfType::Find<ArHttpResolver>());
    return (plugin ? TfGetPathName(plugin->GetPath()) : std::string()) + "arHttpTransport" + ARCH_LIBRARY_SUFFIX;
}

// The address of `symbol` in arHttpTransport, loaded on the first call;
// null, said once, when the library cannot be loaded.
void* TransportSymbol(const char* symbol) {
    static void* const handle = []() -> void* {
        const std::string library = TransportLibrary();
        void* opened = ArchLibraryOpen(library, ARCH_LIBRARY_NOW | ARCH_LIBRARY_LOCAL);
        if (!opened || !ArchLibraryGetSymbolAddress(opened, "ArHttpMakeServerClient")) {
            ArHttpTfLogSink().Warn(WarningCode::ResolveFailed,
                                   "its HTTP transport " + library + " cannot be loaded (" + ArchLibraryError() +
                                       "): assets the filesystem lacks stay unresolved, content URLs unavailable. "
                                       "Rebuild the plugin (npm run build:usd) and keep arHttpTransport beside arHttp.");
            return nullptr;
        }
        if (const auto init = reinterpret_cast<InitTransport>(ArchLibraryGetSymbolAddress(opened, "ArHttpInitTransport"))) {
            init();
        }
        // Registered after the library's statics and OpenSSL's clean-up: runs before them.
        std::atexit([] {
            if (const auto stop = gExitStop.load()) stop();
        });
        return opened;
    }();
    return handle ? ArchLibraryGetSymbolAddress(handle, symbol) : nullptr;
}

}  // namespace

bool TransportLoads(std::string* library) {
    *library = TransportLibrary();
    return TransportSymbol("ArHttpMakeServerClient") != nullptr;
}

void SetTransportExitStop(void (*stop)()) {
    gExitStop = stop;
}

ServerClientFactory LoadedTransport() {
    return [](const Config& config, std::shared_ptr<LogSink> log) -> std::shared_ptr<const ServerClient> {
        if (const auto make = reinterpret_cast<MakeClient>(TransportSymbol("ArHttpMakeServerClient"))) {
            if (ServerClient* client = make(&config, &log)) return std::shared_ptr<const ServerClient>(client);
        }
        return std::make_shared<const NoServer>();
    };
}

ContentSourceFactory LoadedContentTransport() {
    return [](const Config& config, std::shared_ptr<LogSink>) -> std::shared_ptr<const ContentSource> {
        if (const auto make = reinterpret_cast<MakeContentSource>(TransportSymbol("ArHttpMakeContentSource"))) {
            return std::shared_ptr<const ContentSource>(make(&config));
        }
        return nullptr;
    };
}

}  // namespace arhttp
