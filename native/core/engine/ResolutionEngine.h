// The one resolution of ar-http, behind the plugin and both Node bindings:
// it owns the order of resolution and every cache. The local side is always
// asked first (a file that appears wins at once); then, for what it lacks,
// the answers kept for the server: the caller's cache scope, the answers
// learnt ahead in batches, the process-wide cache; then the server itself.
#ifndef AR_HTTP_CORE_RESOLUTION_ENGINE_H
#define AR_HTTP_CORE_RESOLUTION_ENGINE_H

#include "core/content/ContentCache.h"
#include "core/content/ContentFile.h"
#include "core/content/ContentSource.h"
#include "core/engine/BackgroundTasks.h"
#include "core/engine/ChangeWatcher.h"
#include "core/settings/Config.h"
#include "core/engine/HttpResolverSet.h"
#include "core/local/LocalResolver.h"
#include "core/log/LogSink.h"
#include "core/client/ResolveCache.h"
#include "core/settings/ServerContext.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace arhttp {

class ResolutionEngine {
public:
    // What a cache scope keeps (USD's ArResolverScopedCache): every answer of
    // the server, for as long as the scope lasts; concurrent resolves of one
    // path inside it share one resolve.
    struct ScopeCache : ResolveCache {
        ScopeCache() : ResolveCache(kForever, SIZE_MAX) {}
    };

    // Where an answer came from, as a detailed resolve names it. Url: the
    // identifier is a content URL (IsContentUrl), which resolves to itself
    // with no question to the server.
    enum class Via : std::uint8_t { Filesystem, Cache, Server, PinFile, Url };
    // One resolve, with where its answer came from. Unresolved: an empty path.
    struct Resolution {
        std::string resolvedPath;
        Via via = Via::Filesystem;
        // The change that set a server's answer, when the server said it; -1 when not.
        std::int64_t version = -1;
        // The snapshot a remote answer is as of; empty: the latest.
        std::string snapshot;
        // Why resolvedPath is empty; nothing when it is not.
        Unresolved why = Unresolved::NotFound;
    };
    static const char* ViaName(Via via);

    // `servers` makes the client of each server asked (HttpResolver::Factory()),
    // `content` the source of content downloads (HttpContentSource::Factory();
    // none: content URLs are unavailable).
    ResolutionEngine(Config config, std::shared_ptr<const LocalResolver> local,
                     std::shared_ptr<LogSink> log, ServerClientFactory servers,
                     ContentSourceFactory content = nullptr);

    const Config& GetConfig() const { return _config; }

    // The resolved path, or "" when neither the local side nor the server
    // `context` names (the environment's when empty) knows `identifier`; a
    // content URL is its own resolved path, asking neither.
    // `scope`, when given, is the caller's cache scope. Never throws.
    std::string Resolve(const std::string& identifier, const ServerContext& context = ServerContext(),
                        ResolveCache* scope = nullptr) const noexcept;

    // Where a resolve goes once the local side has nothing: the server
    // context (null: none, the asset stays unresolved) and the cache scope.
    struct Where {
        const ServerContext* context;
        ResolveCache* scope;
    };
    // As above, `where` asked only when the local side lacks `identifier`:
    // finding the bound context and scope costs more than most local resolves.
    std::string Resolve(const std::string& identifier,
                        const std::function<Where()>& where) const noexcept;

    // As above, with where the answer came from (Resolve hands back its path, moved out).
    Resolution ResolveDetailed(const std::string& identifier,
                               const std::function<Where()>& where) const noexcept;

    // What the caches (`scope`, those learnt ahead, the process-wide and the
    // snapshots') hold of `identifier` through `context`, as a resolve would
    // answer it; nothing when none does. Never asks the server, waits or
    // reports: for asset info, which must cost no request.
    std::optional<Resolution> Recall(const std::string& identifier, const ServerContext& context,
                                     ResolveCache* scope) const noexcept;

    // Resolves many identifiers, in order, probing the local side once each.
    // What it lacks and no cache holds goes to the server in batch requests;
    // when the server takes none, one by one, AR_HTTP_MAX_CONNECTIONS at a time.
    std::vector<std::string> ResolveMany(const std::vector<std::string>& identifiers,
                                         const ServerContext& context = ServerContext(),
                                         ResolveCache* scope = nullptr) const noexcept;
    // As above, with where each answer came from.
    std::vector<Resolution> ResolveManyDetailed(const std::vector<std::string>& identifiers,
                                                const ServerContext& context = ServerContext(),
                                                ResolveCache* scope = nullptr) const noexcept;

    // Resolves now, in batch requests (or, when the server takes none, by GETs
    // AR_HTTP_MAX_CONNECTIONS at a time), those of `identifiers` (the asset
    // paths of a layer just opened) that nothing has answered yet, and keeps
    // the answers briefly for the resolves composition is about to make;
    // those resolves wait for answers still under way. Returns once the
    // paths are claimed: the requests run on the engine's own threads.
    // Nothing for a client answering without requests (a pin file alone).
    // Layers to be read from URLs (the content URLs among `identifiers`, and
    // the answers that are ones, once in) are downloaded ahead, in parallel
    // (FetchContentAhead), while the caller reads the layer it opened.
    void AskAhead(const std::vector<std::string>& identifiers, const ServerContext& context,
                  ResolveCache* scope) const noexcept;

    // The local file of content URL `url`: from the cache (revalidated with
    // If-None-Match at most once per AR_HTTP_CACHE_TTL_MS, never when it
    // came with Cache-Control: immutable), else downloaded — at most one
    // download per URL at a time across threads and processes. Blocks until
    // done or the deadline (ContentCache::Fetch).
    ContentFile FetchContent(const std::string& url) const noexcept;
    // Starts downloading `urls` on the engine's threads,
    // AR_HTTP_MAX_CONNECTIONS at a time, and returns at once; a FetchContent
    // of one of them meanwhile waits for that download instead of starting
    // another, and one soon after takes its result.
    void FetchContentAhead(const std::vector<std::string>& urls) const noexcept;
    // What the cache holds of `url`, never asking the network (for asset info).
    std::optional<ContentFile> RecallContent(const std::string& url) const noexcept;

    // Forgets every answer kept of the server (scopes are their owner's),
    // those of snapshots too.
    void ClearCache() const;

    // For the process's exit, while the transport's libraries still stand:
    // drops what is queued ahead (asking, downloading) and waits for the
    // requests under way. Nothing is asked ahead after it.
    void StopBackgroundWork() const noexcept;

    // Follows the change feed of the environment's server (AR_HTTP_WATCH=1,
    // or a caller that asks): the answers kept of each changed asset path are
    // dropped, then every listener is told, on the watcher's thread. The
    // first call starts following; each adds its listener (which may be
    // empty). Contexts naming other servers are not followed.
    void Watch(ChangeWatcher::OnChanges listener) const;

private:
    // How an answer came, as TF_DEBUG=AR_HTTP says it.
    enum class Way : std::uint8_t { Local, Scope, Ahead, Kept, Get, Batch, Pinned, Url };
    struct Found {
        ResolveCache::Answer answer;
        Way way;
    };
    // What the caches say of `key`, without asking; with `wait`, answers
    // under way are waited for.
    std::optional<Found> FindKept(const std::string& key, ResolveCache* scope, ResolveCache* kept,
                                  bool wait) const;
    // Where the answers of `context` are kept process-wide: those of a
    // snapshot for the life of the process, others for AR_HTTP_CACHE_TTL_MS;
    // null when that is zero.
    ResolveCache* KeptFor(const ServerContext& context) const;
    // How the client of `context` answers: `asked` (GET or batch), or from a pin file.
    Way AskedWay(const ServerContext& context, Way asked) const;
    // Through the caches to the server, once the local side had nothing.
    Found ResolveRemotely(const std::string& identifier, const std::string& key,
                          const ServerContext& context, ResolveCache* scope) const;
    // Runs `one(k)` for every k below `count`, AR_HTTP_MAX_CONNECTIONS at a time.
    void Concurrently(size_t count, const std::function<void(size_t)>& one) const;
    // `more`: what else to say of the answer (its change number, snapshot, mapping).
    void Report(const std::string& identifier, const std::string& resolved, Way way,
                const std::string& more = std::string()) const;
    // A remote answer as the caller gets it: through AR_HTTP_PATH_MAP (the
    // caches keep raw answers), reported before and after.
    Resolution Remote(const std::string& identifier, const ResolveCache::Answer& answer, Way way,
                      const ServerContext& context) const;
    // A raw answer of the server as the caller gets it: through AR_HTTP_PATH_MAP.
    std::string Mapped(const std::string& resolvedPath) const;
    // The same, unreported.
    Resolution Unreported(const ResolveCache::Answer& answer, Way way, const ServerContext& context) const;
    // A filesystem answer, reported.
    Resolution Local(const std::string& identifier, std::string resolved) const;
    // A content URL as its own answer, reported.
    Resolution Itself(const std::string& url) const;

    const Config _config;
    const std::shared_ptr<const LocalResolver> _local;
    const std::shared_ptr<LogSink> _log;
    const HttpResolverSet _servers;
    // Answers learnt ahead of need: kept briefly, for the composition that
    // follows the opening of a layer (a root layer opens outside any scope).
    mutable ResolveCache _ahead{std::chrono::seconds(10), 1000000};
    // AR_HTTP_CACHE_TTL_MS and AR_HTTP_CACHE_MAX_ENTRIES.
    mutable ResolveCache _kept;
    // Answers as of a snapshot never change: kept whatever the time to live
    // says (AR_HTTP_CACHE_MAX_ENTRIES of them), and left be by the change feed.
    mutable ResolveCache _snapshots;
    // The local files of content URLs (AR_HTTP_CONTENT_CACHE_DIR).
    const ContentCache _content;
    // The downloads of FetchContentAhead; joined before the content cache goes.
    mutable BackgroundTasks _downloads;
    // The requests of asking ahead; joined before the caches go.
    mutable BackgroundTasks _background;
    // Last, so stopped first: it drops kept answers and calls the listeners.
    mutable std::mutex _watchMutex;
    mutable std::vector<ChangeWatcher::OnChanges> _changeListeners;
    mutable std::unique_ptr<ChangeWatcher> _watcher;
};

}  // namespace arhttp

#endif
