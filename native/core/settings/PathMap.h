// AR_HTTP_PATH_MAP: the resolved paths of one site or operating system made
// those of another ("/mnt/shows=/Volumes/shows;..."). Applied once to every
// answer that did not come from the filesystem.
#ifndef AR_HTTP_CORE_PATH_MAP_H
#define AR_HTTP_CORE_PATH_MAP_H

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace arhttp {

class PathMap {
public:
    static constexpr size_t kMaxPairs = 256;
    static constexpr size_t kMaxPrefixBytes = 4096;

    // No mapping.
    PathMap() = default;

    // Pairs "<from>=<to>" separated by ';' (empty items are skipped). Refused,
    // with `error`: a pair without '=', an empty side, control characters, a
    // <from> given twice, more than kMaxPairs pairs or a side longer than
    // kMaxPrefixBytes.
    static std::optional<PathMap> Parse(const std::string& text, std::string* error);

    bool IsEmpty() const { return _pairs.empty(); }
    // `path` with its longest matching <from> replaced by its <to>, or
    // unchanged. A <from> matches at a path-segment boundary: the path ends
    // there, or goes on with '/' or '\\' (or the <from> ends with one).
    std::string Apply(const std::string& path) const;
    // The pairs as given, longest <from> first.
    const std::vector<std::pair<std::string, std::string>>& Pairs() const { return _pairs; }

private:
    std::vector<std::pair<std::string, std::string>> _pairs;
};

}  // namespace arhttp

#endif
