// One server client per server context in use: the environment's, and one
// for each context a stage or a call brings, each made when first needed.
#ifndef AR_HTTP_CORE_HTTP_RESOLVER_SET_H
#define AR_HTTP_CORE_HTTP_RESOLVER_SET_H

#include "core/settings/Config.h"
#include "core/log/LogSink.h"
#include "core/client/ServerClient.h"
#include "core/settings/ServerContext.h"

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace arhttp {

class HttpResolverSet {
public:
    // At most this many contexts keep their resolver (and its connections);
    // the least recently used goes first.
    static constexpr size_t kMaxContexts = 64;

    HttpResolverSet(const Config& base, std::shared_ptr<LogSink> log, ServerClientFactory make);

    // The client for `context`; the environment's when it is empty.
    std::shared_ptr<const ServerClient> For(const ServerContext& context) const;

private:
    // The client for `config`: closed when it refuses the server
    // (Config::remoteRefusal), a PinnedClient when it names a pin file (its
    // fallback made by `_make`), else made by `_make`.
    std::shared_ptr<const ServerClient> Make(const Config& config) const;

    const Config _base;
    const std::shared_ptr<LogSink> _log;
    const ServerClientFactory _make;
    mutable std::once_flag _defaultMade;
    mutable std::shared_ptr<const ServerClient> _default;

    mutable std::mutex _mutex;
    struct Entry {
        std::shared_ptr<const ServerClient> resolver;
        std::list<std::string>::iterator age;
    };
    mutable std::unordered_map<std::string, Entry> _byKey;
    mutable std::list<std::string> _ages;  // most recently used first
};

}  // namespace arhttp

#endif
