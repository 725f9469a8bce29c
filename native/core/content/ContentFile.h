// What the content cache hands out for a content URL: a complete, checked
// local file and what its server said of it.
#ifndef AR_HTTP_CORE_CONTENT_FILE_H
#define AR_HTTP_CORE_CONTENT_FILE_H

#include <cstdint>
#include <string>

namespace arhttp {

struct ContentFile {
    std::string localPath;     // the cached file, complete and checked; empty when it could not be had
    std::string etag;          // as the server sent it, quotes included; may be empty
    std::string lastModified;  // as sent; may be empty
    double timestamp = 0;      // seconds since the epoch: Last-Modified when sent, else a stable number
                               // derived from the ETag, else the cached file's mtime (for ArTimestamp)
    std::uint64_t size = 0;
    std::string why;           // why localPath is empty (already warned, naming the URL)
};

}  // namespace arhttp

#endif
