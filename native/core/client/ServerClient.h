// What the engine asks of one resolution server. HttpResolver is the one
// implementation; the plugin loads it from its own library only when a
// server is first asked, so that stages with local paths only never load
// cpp-httplib and OpenSSL.
#ifndef AR_HTTP_CORE_SERVER_CLIENT_H
#define AR_HTTP_CORE_SERVER_CLIENT_H

#include "core/settings/Config.h"
#include "core/feed/FeedParser.h"
#include "core/log/LogSink.h"
#include "core/client/ResolveCache.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace arhttp {

class ServerClient {
public:
    virtual ~ServerClient() = default;
    // The answer of the server for one asset path (see HttpResolver::Lookup).
    virtual ResolveCache::Answer Lookup(const std::string& assetPath) const noexcept = 0;
    // The answers for many, in batch requests, or nothing when the server
    // takes none (see HttpResolver::ResolveBatch).
    virtual std::optional<std::vector<ResolveCache::Answer>> ResolveBatch(
        const std::vector<std::string>& assetPaths) const noexcept = 0;
    // Whether every answer comes without a request (a pin file alone, a
    // closed client): then asking ahead of need only adds work and waits.
    virtual bool AnswersWithoutRequests() const noexcept { return false; }

    // How one connection to the change feed ended.
    struct FeedEnd {
        std::string why;        // for messages
        bool received = false;  // the server sent a stream
        bool planned = false;   // the stream reached its planned end: follow it again at once
    };
    // Follows the server's change feed (protocol::kEventsPath) on this
    // thread, over one connection: asks for the changes after `parser`'s
    // last event id and hands the changes of each chunk read (perhaps none)
    // to `onChunk`, until the server ends or breaks the stream, it stays
    // silent past three keep-alive periods, or `wakeFd` turns readable.
    virtual FeedEnd FollowChanges(FeedParser& parser,
                                  const std::function<void(std::vector<FeedEvent>&&)>& onChunk,
                                  int wakeFd) const noexcept = 0;
};

// Makes the client of the server `config` names; never null.
using ServerClientFactory =
    std::function<std::shared_ptr<const ServerClient>(const Config&, std::shared_ptr<LogSink>)>;

}  // namespace arhttp

#endif
