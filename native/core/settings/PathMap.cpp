#include "core/settings/PathMap.h"

#include "core/text/PrintableText.h"

#include <algorithm>

namespace arhttp {

namespace {

bool IsSeparator(char c) { return c == '/' || c == '\\'; }

}  // namespace

std::optional<PathMap> PathMap::Parse(const std::string& text, std::string* error) {
    PathMap map;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = std::min(text.find(';', start), text.size());
        const std::string item = text.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        const size_t equals = item.find('=');
        if (equals == std::string::npos) {
            *error = "has a pair " + Quoted(item, 80) + " without '='";
            return std::nullopt;
        }
        std::string from = item.substr(0, equals);
        std::string to = item.substr(equals + 1);
        if (from.empty() || to.empty()) {
            *error = "has a pair " + Quoted(item, 80) + " with an empty side";
            return std::nullopt;
        }
        if (from.size() > kMaxPrefixBytes || to.size() > kMaxPrefixBytes) {
            *error = "has a prefix longer than " + std::to_string(kMaxPrefixBytes) + " bytes";
            return std::nullopt;
        }
        if (std::any_of(item.begin(), item.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; })) {
            *error = "holds a control character";
            return std::nullopt;
        }
        if (std::any_of(map._pairs.begin(), map._pairs.end(), [&](const auto& pair) { return pair.first == from; })) {
            *error = "maps " + Quoted(from, 80) + " twice";
            return std::nullopt;
        }
        if (map._pairs.size() == kMaxPairs) {
            *error = "has more than " + std::to_string(kMaxPairs) + " pairs";
            return std::nullopt;
        }
        map._pairs.emplace_back(std::move(from), std::move(to));
    }
    std::stable_sort(map._pairs.begin(), map._pairs.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    return map;
}

std::string PathMap::Apply(const std::string& path) const {
    for (const auto& [from, to] : _pairs) {
        if (path.compare(0, from.size(), from) != 0) continue;
        if (path.size() == from.size() || IsSeparator(path[from.size()]) || IsSeparator(from.back())) {
            return to + path.substr(from.size());
        }
    }
    return path;
}

}  // namespace arhttp
