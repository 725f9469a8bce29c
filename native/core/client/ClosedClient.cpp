#include "core/client/ClosedClient.h"

namespace arhttp {

ResolveCache::Answer ClosedClient::Lookup(const std::string&) const noexcept {
    return {std::string(), true, -1, Unresolved::Refused};
}

std::optional<std::vector<ResolveCache::Answer>> ClosedClient::ResolveBatch(
    const std::vector<std::string>& assetPaths) const noexcept {
    try {
        return std::vector<ResolveCache::Answer>(assetPaths.size(), {std::string(), true, -1, Unresolved::Refused});
    } catch (...) {
        return std::nullopt;
    }
}

ServerClient::FeedEnd ClosedClient::FollowChanges(
    FeedParser&, const std::function<void(std::vector<FeedEvent>&&)>&, int) const noexcept {
    FeedEnd end;
    try {
        end.why = _why;
    } catch (...) {
        // Only allocation can throw: the end stays unexplained.
    }
    return end;
}

}  // namespace arhttp
