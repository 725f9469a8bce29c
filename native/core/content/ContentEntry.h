// What the content cache knows of one URL: a small text file beside the
// downloaded bytes, replaced whole (temporary file, then rename), so that
// every process of the machine reads one consistent version.
#ifndef AR_HTTP_CORE_CONTENT_ENTRY_H
#define AR_HTTP_CORE_CONTENT_ENTRY_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arhttp {

struct ContentEntry {
    std::string url;
    std::string etag;          // as sent, quotes included
    std::string lastModified;  // as sent
    bool immutable = false;    // Cache-Control: immutable: never revalidated
    // When the server last said the bytes are current (milliseconds since the epoch).
    std::int64_t validatedAtMs = 0;
    std::uint64_t size = 0;
    std::string sha256;  // of the bytes as stored, in Base64 (ContentSource::Answer::sha256)
    // The data file these lines describe: a crash between renaming the data
    // and the metadata leaves them apart, which this tells.
    std::uint64_t inode = 0;

    std::string Serialize() const;
    // Nothing for anything Serialize did not write (a torn or foreign file).
    static std::optional<ContentEntry> Parse(std::string_view text);
};

}  // namespace arhttp

#endif
