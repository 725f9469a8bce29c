// The client of a pin file (AR_HTTP_PIN_FILE, ;pins=, { pins }): answers come
// from the file, and the server is never contacted for them, not even by a
// connection. What the file lacks stays unresolved, with a warning naming it
// and the file, unless AR_HTTP_PIN_FALLBACK=server: then the server answers
// it (as of the configured snapshot, else the pin file's own).
#ifndef AR_HTTP_CORE_PINNED_CLIENT_H
#define AR_HTTP_CORE_PINNED_CLIENT_H

#include "core/log/LogSink.h"
#include "core/pins/PinFile.h"
#include "core/client/ServerClient.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

namespace arhttp {

class PinnedClient final : public ServerClient {
public:
    // Makes the server's client for what the pins lack, given the pin
    // file's snapshot; called once, when first needed.
    using Fallback = std::function<std::shared_ptr<const ServerClient>(const std::string& pinSnapshot)>;
    // At most this many missing asset paths are named, one warning each.
    static constexpr size_t kMaxNamedMissing = 10000;

    // `fallback` empty: what the pins lack stays unresolved. A refused pin
    // file is warned about here, once per file per process.
    PinnedClient(std::shared_ptr<const PinFile> pins, Fallback fallback, std::shared_ptr<LogSink> log);

    ResolveCache::Answer Lookup(const std::string& assetPath) const noexcept override;
    // Every answer the pins hold; what they lack, from the fallback in one
    // batch (nothing when it takes none: the caller then asks one by one).
    std::optional<std::vector<ResolveCache::Answer>> ResolveBatch(
        const std::vector<std::string>& assetPaths) const noexcept override;
    // True without a fallback.
    bool AnswersWithoutRequests() const noexcept override { return !_makeFallback; }
    // The fallback's change feed; none without one.
    FeedEnd FollowChanges(FeedParser& parser,
                          const std::function<void(std::vector<FeedEvent>&&)>& onChunk,
                          int wakeFd) const noexcept override;

private:
    // The pin of `assetPath`, or nothing (warned about) when the file lacks it.
    std::optional<ResolveCache::Answer> Pinned(const std::string& assetPath) const;
    const ServerClient* FallbackClient() const;

    const std::shared_ptr<const PinFile> _pins;
    const Fallback _makeFallback;
    const std::shared_ptr<LogSink> _log;
    mutable std::once_flag _fallbackMade;
    mutable std::shared_ptr<const ServerClient> _fallback;
    mutable std::mutex _mutex;
    mutable std::unordered_set<std::string> _named;  // missing asset paths warned about
};

}  // namespace arhttp

#endif
