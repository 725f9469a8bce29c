#include "core/pins/PinnedClient.h"

#include "core/text/PrintableText.h"

#include <map>

namespace arhttp {

namespace {

// Each refused pin file is warned about once per process, however many
// contexts name it.
bool FirstRefusal(const std::string& path) {
    static std::mutex mutex;
    static std::unordered_set<std::string> reported;
    std::lock_guard<std::mutex> lock(mutex);
    return reported.insert(path).second;
}

}  // namespace

PinnedClient::PinnedClient(std::shared_ptr<const PinFile> pins, Fallback fallback,
                           std::shared_ptr<LogSink> log)
    : _pins(std::move(pins)), _makeFallback(std::move(fallback)), _log(std::move(log)) {
    if (!_pins->Problem().empty() && FirstRefusal(_pins->Path())) {
        _log->Warn(WarningCode::PinFile, "the pin file " + Quoted(_pins->Path()) + " " + _pins->Problem() +
                   ": every asset resolved through it stays unresolved");
    }
}

const ServerClient* PinnedClient::FallbackClient() const {
    if (!_makeFallback) return nullptr;
    std::call_once(_fallbackMade, [this] { _fallback = _makeFallback(_pins->Snapshot()); });
    return _fallback.get();
}

std::optional<ResolveCache::Answer> PinnedClient::Pinned(const std::string& assetPath) const {
    // A refused pin file fails closed, as a refused setting does.
    if (!_pins->Problem().empty()) return ResolveCache::Answer{std::string(), true, -1, Unresolved::Refused};
    if (const auto pinned = _pins->Find(assetPath)) return ResolveCache::Answer{std::string(*pinned), true};
    std::lock_guard<std::mutex> lock(_mutex);
    if (_named.size() < kMaxNamedMissing && _named.insert(assetPath).second) {
        _log->Warn(WarningCode::PinFile, "the asset path " + Quoted(assetPath) + " is not in the pin file " + Quoted(_pins->Path()) +
                   (_makeFallback ? ": the server is asked (AR_HTTP_PIN_FALLBACK=server)"
                                  : ": it stays unresolved") +
                   (_named.size() == kMaxNamedMissing ? "; further missing asset paths are not named" : ""));
    }
    return std::nullopt;
}

ResolveCache::Answer PinnedClient::Lookup(const std::string& assetPath) const noexcept {
    try {
        if (auto answer = Pinned(assetPath)) return *answer;
        if (const ServerClient* fallback = FallbackClient()) return fallback->Lookup(assetPath);
        return {std::string(), true};
    } catch (...) {
        // Only allocation can throw: nothing is known, nothing kept.
        return {std::string(), false};
    }
}

std::optional<std::vector<ResolveCache::Answer>> PinnedClient::ResolveBatch(
    const std::vector<std::string>& assetPaths) const noexcept {
    try {
        std::vector<ResolveCache::Answer> answers(assetPaths.size(), {std::string(), true});
        std::vector<std::string> missing;
        std::vector<size_t> missingAt;
        for (size_t i = 0; i < assetPaths.size(); ++i) {
            if (auto answer = Pinned(assetPaths[i])) {
                answers[i] = std::move(*answer);
            } else {
                missing.push_back(assetPaths[i]);
                missingAt.push_back(i);
            }
        }
        const ServerClient* fallback = missing.empty() ? nullptr : FallbackClient();
        if (fallback) {
            const auto asked = fallback->ResolveBatch(missing);
            if (!asked) return std::nullopt;
            for (size_t k = 0; k < missing.size(); ++k) answers[missingAt[k]] = (*asked)[k];
        }
        return answers;
    } catch (...) {
        return std::nullopt;
    }
}

ServerClient::FeedEnd PinnedClient::FollowChanges(
    FeedParser& parser, const std::function<void(std::vector<FeedEvent>&&)>& onChunk,
    int wakeFd) const noexcept {
    try {
        if (const ServerClient* fallback = FallbackClient()) return fallback->FollowChanges(parser, onChunk, wakeFd);
        return {"answers come from a pin file, which does not change", false, false};
    } catch (...) {
        return {};
    }
}

}  // namespace arhttp
