// The client of a server that must not be asked: a setting that decides which
// answers are right was refused (Config::remoteRefusal), so every asset the
// filesystem lacks stays unresolved, and no connection is ever made.
#ifndef AR_HTTP_CORE_CLOSED_CLIENT_H
#define AR_HTTP_CORE_CLOSED_CLIENT_H

#include "core/client/ServerClient.h"

#include <string>

namespace arhttp {

class ClosedClient final : public ServerClient {
public:
    // `why`: the refusal, for the change feed's messages (the setting was
    // warned about when it was read).
    explicit ClosedClient(std::string why) : _why(std::move(why)) {}

    ResolveCache::Answer Lookup(const std::string& assetPath) const noexcept override;
    std::optional<std::vector<ResolveCache::Answer>> ResolveBatch(
        const std::vector<std::string>& assetPaths) const noexcept override;
    bool AnswersWithoutRequests() const noexcept override { return true; }
    FeedEnd FollowChanges(FeedParser& parser,
                          const std::function<void(std::vector<FeedEvent>&&)>& onChunk,
                          int wakeFd) const noexcept override;

private:
    const std::string _why;
};

}  // namespace arhttp

#endif
