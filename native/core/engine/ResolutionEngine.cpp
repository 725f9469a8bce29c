#include "core/engine/ResolutionEngine.h"

#include "core/layers/LayerScanner.h"
#include "core/text/PrintableText.h"
#include "core/text/UrlReference.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace arhttp {

namespace {

const char* WayName(int way) {
    static const char* const names[] = {"filesystem",    "scope cache", "asked ahead", "process cache",
                                        "GET",           "batch",       "pin file",    "url"};
    return names[way];
}

// Whether a resolved path is a layer to download: content that composition
// will open, unlike an image some renderer may or may not read.
bool IsLayerUrl(const std::string& resolvedPath) {
    return IsContentUrl(resolvedPath) && IsLayerFileExtension(UrlPathExtension(resolvedPath));
}

}  // namespace

ResolutionEngine::ResolutionEngine(Config config, std::shared_ptr<const LocalResolver> local,
                                   std::shared_ptr<LogSink> log, ServerClientFactory servers,
                                   ContentSourceFactory content)
    : _config(std::move(config)),
      _local(std::move(local)),
      _log(std::move(log)),
      _servers(_config, _log, std::move(servers)),
      _kept(_config.cacheTimeToLive, _config.cacheMaxEntries),
      _snapshots(ResolveCache::kForever, _config.cacheMaxEntries),
      _content(_config, _log, std::move(content)),
      _downloads(_config.maxConnections),
      _background(_config.maxConnections) {
    if (_config.watch) Watch(nullptr);
}

void ResolutionEngine::Report(const std::string& identifier, const std::string& resolved, Way way,
                              const std::string& more) const {
    if (!_config.debug) return;
    _log->Debug("ar-http: " + Quoted(identifier) + " -> " +
                (resolved.empty() ? std::string("not found") : Quoted(resolved, 1024)) + " (" +
                WayName(static_cast<int>(way)) + ")" + more);
}

const char* ResolutionEngine::ViaName(Via via) {
    static const char* const names[] = {"filesystem", "cache", "server", "pin file", "url"};
    return names[static_cast<int>(via)];
}

ResolutionEngine::Resolution ResolutionEngine::Local(const std::string& identifier,
                                                     std::string resolved) const {
    Report(identifier, resolved, Way::Local);
    return Resolution{std::move(resolved), Via::Filesystem, -1, std::string()};
}

ResolutionEngine::Resolution ResolutionEngine::Itself(const std::string& url) const {
    Report(url, url, Way::Url);
    return Resolution{url, Via::Url, -1, std::string()};
}

ResolutionEngine::Resolution ResolutionEngine::Unreported(const ResolveCache::Answer& answer, Way way,
                                                          const ServerContext& context) const {
    static const Via vias[] = {Via::Filesystem, Via::Cache,  Via::Cache, Via::Cache,
                               Via::Server,     Via::Server, Via::PinFile, Via::Url};
    // Everything through a pin file is the pin file's answer, kept or not (its
    // snapshot is the file's own business); a fallback's too.
    const bool pinned = AskedWay(context, way) == Way::Pinned;
    return Resolution{Mapped(answer.resolvedPath), pinned ? Via::PinFile : vias[static_cast<int>(way)], answer.version,
                      pinned                      ? std::string()
                      : context.Snapshot().empty() ? _config.snapshot
                                                   : context.Snapshot(),
                      answer.why};
}

std::string ResolutionEngine::Mapped(const std::string& resolvedPath) const {
    return resolvedPath.empty() || _config.pathMap.IsEmpty() ? resolvedPath : _config.pathMap.Apply(resolvedPath);
}

ResolutionEngine::Resolution ResolutionEngine::Remote(const std::string& identifier,
                                                      const ResolveCache::Answer& answer, Way way,
                                                      const ServerContext& context) const {
    Resolution resolution = Unreported(answer, way, context);
    if (_config.debug) {
        std::string more;
        if (answer.version >= 0) more += ", change " + std::to_string(answer.version);
        if (!resolution.snapshot.empty()) more += ", snapshot " + Quoted(resolution.snapshot);
        if (!answer.resolvedPath.empty() && !_config.pathMap.IsEmpty()) {
            more += resolution.resolvedPath == answer.resolvedPath
                        ? ", no AR_HTTP_PATH_MAP prefix matches"
                        : ", mapped by AR_HTTP_PATH_MAP to " + Quoted(resolution.resolvedPath, 1024);
        }
        Report(identifier, answer.resolvedPath, way, more);
    }
    return resolution;
}

std::optional<ResolutionEngine::Resolution> ResolutionEngine::Recall(const std::string& identifier,
                                                                     const ServerContext& context,
                                                                     ResolveCache* scope) const noexcept {
    try {
        if (IsContentUrl(identifier)) return Resolution{identifier, Via::Url, -1, std::string()};
        if (const auto found = FindKept(context.KeyFor(identifier), scope, KeptFor(context), false)) {
            return Unreported(found->answer, found->way, context);
        }
    } catch (...) {
        // Only allocation can throw: nothing recalled.
    }
    return std::nullopt;
}

ResolveCache* ResolutionEngine::KeptFor(const ServerContext& context) const {
    if (!context.Snapshot().empty() || !_config.snapshot.empty()) return &_snapshots;
    return _config.cacheTimeToLive.count() != 0 ? &_kept : nullptr;
}

ResolutionEngine::Way ResolutionEngine::AskedWay(const ServerContext& context, Way asked) const {
    return context.Pins().empty() && _config.pinFile.empty() ? asked : Way::Pinned;
}

std::optional<ResolutionEngine::Found> ResolutionEngine::FindKept(const std::string& key,
                                                                  ResolveCache* scope,
                                                                  ResolveCache* kept,
                                                                  bool wait) const {
    if (scope) {
        if (auto kept = wait ? scope->FindOrWait(key) : scope->Find(key)) {
            return Found{*kept, Way::Scope};
        }
    }
    if (auto known = wait ? _ahead.FindOrWait(key) : _ahead.Find(key)) {
        return Found{*known, Way::Ahead};
    }
    if (kept) {
        if (auto answer = kept->Find(key)) return Found{*answer, Way::Kept};
    }
    return std::nullopt;
}

ResolutionEngine::Found ResolutionEngine::ResolveRemotely(const std::string& identifier,
                                                          const std::string& key,
                                                          const ServerContext& context,
                                                          ResolveCache* scope) const {
    Way way = Way::Scope;
    auto throughCaches = [&]() -> ResolveCache::Answer {
        if (auto known = _ahead.FindOrWait(key)) {
            way = Way::Ahead;
            return *known;
        }
        way = AskedWay(context, Way::Get);
        // With no time to live the process cache keeps nothing: skip it, and its locking.
        ResolveCache* const kept = KeptFor(context);
        if (!kept) return _servers.For(context)->Lookup(identifier);
        bool asked = false;
        const ResolveCache::Answer answer = kept->GetOrResolve(key, [&] {
            asked = true;
            return _servers.For(context)->Lookup(identifier);
        });
        if (!asked) way = Way::Kept;
        return answer;
    };
    const ResolveCache::Answer answer = scope ? scope->GetOrResolve(key, throughCaches) : throughCaches();
    return Found{answer, way};
}

std::string ResolutionEngine::Resolve(const std::string& identifier, const ServerContext& context,
                                      ResolveCache* scope) const noexcept {
    return Resolve(identifier, [&] { return Where{&context, scope}; });
}

std::string ResolutionEngine::Resolve(const std::string& identifier,
                                      const std::function<Where()>& where) const noexcept {
    return std::move(ResolveDetailed(identifier, where).resolvedPath);
}

ResolutionEngine::Resolution ResolutionEngine::ResolveDetailed(
    const std::string& identifier, const std::function<Where()>& where) const noexcept {
    if (identifier.empty()) return Resolution();
    try {
        // A URL names its content: no file nor server could say otherwise.
        if (IsContentUrl(identifier)) return Itself(identifier);
        std::string local = _local->Resolve(identifier);
        if (!local.empty()) return Local(identifier, std::move(local));
        const Where remote = where();
        // No context: the bound one was refused, and nothing is asked.
        if (!remote.context) return Resolution{std::string(), Via::Filesystem, -1, std::string(), Unresolved::Refused};
        const Found found = ResolveRemotely(identifier, remote.context->KeyFor(identifier),
                                            *remote.context, remote.scope);
        return Remote(identifier, found.answer, found.way, *remote.context);
    } catch (...) {
        // Only allocation can throw here; the HTTP half reports its own failures.
        return Resolution();
    }
}

void ResolutionEngine::Concurrently(size_t count, const std::function<void(size_t)>& one) const {
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t k; (k = next.fetch_add(1)) < count;) one(k);
    };
    std::vector<std::thread> helpers;
    const size_t wanted = std::min(count, std::max<size_t>(_config.maxConnections, 1));
    try {
        while (helpers.size() + 1 < wanted) helpers.emplace_back(work);
    } catch (...) {
        // No thread to be had: this one does the rest.
    }
    work();
    for (std::thread& helper : helpers) helper.join();
}

std::vector<std::string> ResolutionEngine::ResolveMany(const std::vector<std::string>& identifiers,
                                                       const ServerContext& context,
                                                       ResolveCache* scope) const noexcept {
    std::vector<std::string> paths(identifiers.size());
    std::vector<Resolution> resolved = ResolveManyDetailed(identifiers, context, scope);
    for (size_t i = 0; i < resolved.size(); ++i) paths[i] = std::move(resolved[i].resolvedPath);
    return paths;
}

std::vector<ResolutionEngine::Resolution> ResolutionEngine::ResolveManyDetailed(
    const std::vector<std::string>& identifiers, const ServerContext& context,
    ResolveCache* scope) const noexcept {
    std::vector<Resolution> resolved;
    try {
        resolved.resize(identifiers.size());
        // The identifiers no cache holds, each once, their keys, and where their answers go.
        std::vector<std::string> asked;
        std::vector<std::string> askedKeys;
        std::vector<std::vector<size_t>> slots;
        std::unordered_map<std::string, size_t> askedIndex;
        ResolveCache* const kept = KeptFor(context);
        for (size_t i = 0; i < identifiers.size(); ++i) {
            const std::string& identifier = identifiers[i];
            if (identifier.empty()) continue;
            if (IsContentUrl(identifier)) {
                resolved[i] = Itself(identifier);
                continue;
            }
            std::string local = _local->Resolve(identifier);
            if (!local.empty()) {
                resolved[i] = Local(identifier, std::move(local));
                continue;
            }
            const std::string key = context.KeyFor(identifier);
            if (const auto found = FindKept(key, scope, kept, true)) {
                resolved[i] = Remote(identifier, found->answer, found->way, context);
                continue;
            }
            const auto [at, added] = askedIndex.emplace(key, asked.size());
            if (added) {
                asked.push_back(identifier);
                askedKeys.push_back(key);
                slots.emplace_back();
            }
            slots[at->second].push_back(i);
        }
        if (asked.empty()) return resolved;

        std::vector<ResolveCache::Answer> answers(asked.size());
        std::vector<Way> ways(asked.size(), AskedWay(context, Way::Batch));
        const auto batch = asked.size() > 1 ? _servers.For(context)->ResolveBatch(asked) : std::nullopt;
        if (batch) {
            for (size_t k = 0; k < asked.size(); ++k) {
                const ResolveCache::Answer& answer = (*batch)[k];
                answers[k] = answer;
                if (scope) scope->Offer(askedKeys[k], answer);
                if (kept) kept->Offer(askedKeys[k], answer);
            }
        } else {
            Concurrently(asked.size(), [&](size_t k) {
                const Found found = ResolveRemotely(asked[k], askedKeys[k], context, scope);
                answers[k] = found.answer;
                ways[k] = found.way;
            });
        }
        for (size_t k = 0; k < asked.size(); ++k) {
            const Resolution resolution = Remote(asked[k], answers[k], ways[k], context);
            for (size_t i : slots[k]) resolved[i] = resolution;
        }
    } catch (...) {
        // Only allocation can throw here: what was not resolved stays "".
    }
    return resolved;
}

void ResolutionEngine::AskAhead(const std::vector<std::string>& identifiers,
                                const ServerContext& context, ResolveCache* scope) const noexcept {
    try {
        std::vector<std::string> wanted;
        std::vector<std::string> wantedKeys;
        std::vector<std::string> layerUrls;
        std::unordered_set<std::string> seen;
        ResolveCache* const kept = KeptFor(context);
        for (const std::string& identifier : identifiers) {
            if (identifier.empty() || !seen.insert(identifier).second) continue;
            if (IsContentUrl(identifier)) {
                if (IsLayerUrl(identifier)) layerUrls.push_back(identifier);
                continue;
            }
            std::string key = context.KeyFor(identifier);
            if (const auto found = FindKept(key, scope, kept, false)) {
                // Answered before; its content may still be to download.
                std::string resolved = Mapped(found->answer.resolvedPath);
                if (IsLayerUrl(resolved)) layerUrls.push_back(std::move(resolved));
                continue;
            }
            if (!_local->Resolve(identifier).empty()) continue;
            wanted.push_back(identifier);
            wantedKeys.push_back(std::move(key));
        }
        if (!layerUrls.empty()) FetchContentAhead(layerUrls);
        if (wanted.size() < 2) return;  // one path is as cheap asked when needed
        // Made only now: a layer naming nothing the filesystem lacks loads no transport.
        std::shared_ptr<const ServerClient> server = _servers.For(context);
        if (server->AnswersWithoutRequests()) return;

        // Claimed where the resolves to come look (scoped or not), so that
        // they wait for these answers instead of asking again; what another
        // thread is asking already is left to it.
        std::vector<ResolveCache::Claim> claims;
        std::vector<size_t> claimed;
        for (size_t i = 0; i < wanted.size(); ++i) {
            if (auto claim = _ahead.TryClaim(wantedKeys[i])) {
                claims.push_back(std::move(*claim));
                claimed.push_back(i);
            }
        }
        if (claims.empty()) return;
        auto asked = std::make_shared<std::vector<std::string>>();
        auto askedKeys = std::make_shared<std::vector<std::string>>();
        for (size_t i : claimed) {
            asked->push_back(std::move(wanted[i]));
            askedKeys->push_back(std::move(wantedKeys[i]));
        }
        auto pending = std::make_shared<std::vector<ResolveCache::Claim>>(std::move(claims));
        // The caller (a layer being opened) goes on while the server answers;
        // resolves of these paths wait for their claims.
        _background.Run([this, server = std::move(server), kept, asked, askedKeys, pending]() noexcept {
            try {
                std::vector<std::string> answered(asked->size());
                const auto settle = [&](size_t k, const ResolveCache::Answer& answer) {
                    if (kept) kept->Offer((*askedKeys)[k], answer);
                    (*pending)[k].Settle(answer);
                    answered[k] = answer.resolvedPath;
                };
                const auto batch = asked->size() > 1 ? server->ResolveBatch(*asked) : std::nullopt;
                if (batch) {
                    for (size_t k = 0; k < asked->size(); ++k) settle(k, (*batch)[k]);
                } else {
                    // No batch endpoint: GETs over the pool, as many at a time as it holds.
                    Concurrently(asked->size(), [&](size_t k) { settle(k, server->Lookup((*asked)[k])); });
                }
                // The layers of a remote asset download together, while the
                // first of them is read.
                std::vector<std::string> urls;
                for (const std::string& resolved : answered) {
                    std::string mapped = Mapped(resolved);
                    if (IsLayerUrl(mapped)) urls.push_back(std::move(mapped));
                }
                if (!urls.empty()) FetchContentAhead(urls);
            } catch (...) {
                // Only allocation can throw: unsettled claims settle as unknown
                // when the last copy of this task goes.
            }
        });
    } catch (...) {
        // Only allocation can throw here; unsettled claims settle as unknown,
        // and resolves to come ask for themselves.
    }
}

ContentFile ResolutionEngine::FetchContent(const std::string& url) const noexcept {
    return _content.Fetch(url);
}

void ResolutionEngine::FetchContentAhead(const std::vector<std::string>& urls) const noexcept {
    try {
        std::unordered_set<std::string> seen;
        for (const std::string& url : urls) {
            if (!seen.insert(url).second) continue;
            _downloads.Run([this, url]() noexcept { _content.FetchAhead(url); });
        }
    } catch (...) {
        // Only allocation can throw: what was not started is fetched when needed.
    }
}

std::optional<ContentFile> ResolutionEngine::RecallContent(const std::string& url) const noexcept {
    return _content.Recall(url);
}

void ResolutionEngine::StopBackgroundWork() const noexcept {
    try {
        // Asking ahead first: its tasks start downloads.
        _background.Abandon();
        // Transfers under way end at once, not at their deadline.
        _content.StopDownloads();
        _downloads.Abandon();
    } catch (...) {
        // A join that fails (no such thread) leaves nothing to wait for.
    }
}

void ResolutionEngine::ClearCache() const {
    _ahead.Clear();
    _kept.Clear();
    _snapshots.Clear();
}

void ResolutionEngine::Watch(ChangeWatcher::OnChanges listener) const {
    std::lock_guard<std::mutex> lock(_watchMutex);
    if (listener) _changeListeners.push_back(std::move(listener));
    if (_watcher) return;
    _watcher = std::make_unique<ChangeWatcher>(
        _servers.For(ServerContext()),
        _config.serverRefusal.empty() ? _config.server.Text() : std::string("AR_HTTP_SERVER_URL"),
        [this](const std::vector<FeedEvent>& changes, bool everything) {
            // Answers as of a snapshot (_snapshots) stay: no change moves them.
            if (everything) {
                _ahead.Clear();
                _kept.Clear();
            } else {
                // The environment's context: its cache keys are the asset paths.
                for (const FeedEvent& change : changes) {
                    _ahead.Forget(change.assetPath);
                    _kept.Forget(change.assetPath);
                }
            }
            std::vector<ChangeWatcher::OnChanges> listeners;
            {
                std::lock_guard<std::mutex> guard(_watchMutex);
                listeners = _changeListeners;
            }
            for (const auto& told : listeners) told(changes, everything);
        },
        _log);
}

}  // namespace arhttp
