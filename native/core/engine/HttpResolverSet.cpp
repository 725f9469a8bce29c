#include "core/engine/HttpResolverSet.h"

#include "core/client/ClosedClient.h"
#include "core/pins/PinnedClient.h"
#include "core/settings/ServerContext.h"

namespace arhttp {

HttpResolverSet::HttpResolverSet(const Config& base, std::shared_ptr<LogSink> log,
                                 ServerClientFactory make)
    : _base(base), _log(std::move(log)), _make(std::move(make)) {}

namespace {

// The server `config` names, or none when its URL was refused.
std::shared_ptr<const ServerClient> ServerOf(const Config& config, const std::shared_ptr<LogSink>& log,
                                             const ServerClientFactory& make) {
    if (!config.serverRefusal.empty()) return std::make_shared<const ClosedClient>(config.serverRefusal);
    return make(config, log);
}

}  // namespace

std::shared_ptr<const ServerClient> HttpResolverSet::Make(const Config& config) const {
    if (!config.remoteRefusal.empty()) return std::make_shared<const ClosedClient>(config.remoteRefusal);
    if (config.pinFile.empty()) return ServerOf(config, _log, _make);
    PinnedClient::Fallback fallback;
    if (config.pinFallbackServer) {
        // Captured by value: the client may outlive this set in a resolve under way.
        fallback = [config, log = _log, make = _make](const std::string& pinSnapshot) {
            Config server = config;
            server.pinFile.clear();
            // The pins' own snapshot keeps what they lack as reproducible as they are.
            if (server.snapshot.empty() && ServerContext::IsSnapshotId(pinSnapshot)) server.snapshot = pinSnapshot;
            return ServerOf(server, log, make);
        };
    }
    return std::make_shared<const PinnedClient>(PinFile::Load(config.pinFile), std::move(fallback), _log);
}

std::shared_ptr<const ServerClient> HttpResolverSet::For(const ServerContext& context) const {
    if (context.IsEmpty()) {
        std::call_once(_defaultMade, [this] { _default = Make(_base); });
        return _default;
    }
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _byKey.find(context.Key());
    if (found != _byKey.end()) {
        _ages.splice(_ages.begin(), _ages, found->second.age);
        return found->second.resolver;
    }
    // Made under the lock: cheap, as no connection opens before a request.
    auto resolver = Make(context.ApplyTo(_base));
    _ages.push_front(context.Key());
    _byKey.emplace(context.Key(), Entry{resolver, _ages.begin()});
    if (_byKey.size() > kMaxContexts) {
        // Resolves under way keep theirs alive through their own reference.
        _byKey.erase(_ages.back());
        _ages.pop_back();
    }
    return resolver;
}

}  // namespace arhttp
