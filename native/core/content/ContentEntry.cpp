#include "core/content/ContentEntry.h"

#include <cstdlib>

namespace arhttp {

namespace {

constexpr std::string_view kFirstLine = "ar-http content 1";

bool ReadNumber(std::string_view text, std::uint64_t* number) {
    if (text.empty() || text.size() > 19) return false;
    *number = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        *number = *number * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

}  // namespace

std::string ContentEntry::Serialize() const {
    // Values hold no line breaks: URLs and header values with control
    // characters never get this far.
    return std::string(kFirstLine) + "\nurl " + url + "\netag " + etag + "\nlast-modified " + lastModified +
           "\nimmutable " + (immutable ? "1" : "0") + "\nvalidated-at " + std::to_string(validatedAtMs) +
           "\nsize " + std::to_string(size) + "\nsha-256 " + sha256 + "\ninode " + std::to_string(inode) +
           "\nend\n";
}

std::optional<ContentEntry> ContentEntry::Parse(std::string_view text) {
    ContentEntry entry;
    bool first = true;
    bool ended = false;
    std::uint64_t validatedAt = 0;
    std::uint64_t immutable = 0;
    for (size_t start = 0, end; (end = text.find('\n', start)) != std::string_view::npos; start = end + 1) {
        const std::string_view line = text.substr(start, end - start);
        if (first) {
            if (line != kFirstLine) return std::nullopt;
            first = false;
            continue;
        }
        if (line == "end") {
            ended = true;
            break;
        }
        const size_t space = line.find(' ');
        if (space == std::string_view::npos) return std::nullopt;
        const std::string_view name = line.substr(0, space);
        const std::string_view value = line.substr(space + 1);
        bool ok = true;
        if (name == "url") entry.url = value;
        else if (name == "etag") entry.etag = value;
        else if (name == "last-modified") entry.lastModified = value;
        else if (name == "immutable") ok = ReadNumber(value, &immutable) && immutable <= 1;
        else if (name == "validated-at") ok = ReadNumber(value, &validatedAt);
        else if (name == "size") ok = ReadNumber(value, &entry.size);
        else if (name == "sha-256") entry.sha256 = value;
        else if (name == "inode") ok = ReadNumber(value, &entry.inode);
        if (!ok) return std::nullopt;
    }
    // A file cut short (it never is, being renamed whole, but disks fail) lacks the end line.
    if (!ended || entry.url.empty()) return std::nullopt;
    entry.immutable = immutable == 1;
    entry.validatedAtMs = static_cast<std::int64_t>(validatedAt);
    return entry;
}

}  // namespace arhttp
