// How the content cache gets bytes from the network: one GET of a content
// URL, its body handed over as it comes. HttpContentSource (the transport
// room, where cpp-httplib lives) is the one implementation; the plugin loads
// it from its transport library only when content is first fetched.
#ifndef AR_HTTP_CORE_CONTENT_SOURCE_H
#define AR_HTTP_CORE_CONTENT_SOURCE_H

#include "core/log/LogSink.h"
#include "core/settings/Config.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace arhttp {

class ContentSource {
public:
    virtual ~ContentSource() = default;

    // How a GET ended.
    struct Answer {
        // 200 (its body came whole), 304, another status (its body unread),
        // or 0: no usable answer, or a 200 whose body broke off (`why` says).
        int status = 0;
        std::string etag;
        std::string lastModified;
        bool immutable = false;    // Cache-Control: immutable
        std::string reprDigest;    // the Repr-Digest header as sent
        std::string digest;        // the Digest header as sent
        std::string sha256;        // of a whole 200's body, in Base64 as HTTP digests carry it
        bool stopped = false;      // the sink, or Stop, stopped the transfer
        std::string why;           // for a message, when status is 0
    };
    // Takes each piece of a 200's body; false stops the transfer.
    using Sink = std::function<bool(const char* data, std::size_t size)>;

    // GETs `url` (an http(s) URL), asking for the identity encoding (an
    // encoded body is refused), with
    // If-None-Match: `etag` when it is not empty; follows redirects within
    // AR_HTTP_MAX_REDIRECTS, never from https to http nor to another scheme.
    // Bounded by AR_HTTP_TIMEOUT_MS plus the time the body takes at
    // kMinContentBytesPerSecond, and by AR_HTTP_MAX_CONTENT_BYTES of body.
    // Reports nothing: the caller warns, naming the URL. Never throws.
    virtual Answer Get(const std::string& url, const std::string& etag, const Sink& sink) const noexcept = 0;
    // Ends the GETs under way at once and refuses those to come (`stopped`):
    // for the process's exit, which must not wait for downloads ahead.
    virtual void Stop() const noexcept = 0;
};

// A download slower than this on average, past the first AR_HTTP_TIMEOUT_MS,
// is cut off: a trickling server cannot hold a resolve for ever.
constexpr std::size_t kMinContentBytesPerSecond = 64 * 1024;

// Makes the content source of `config`; null when none can be had (the
// plugin's transport library not loadable).
using ContentSourceFactory =
    std::function<std::shared_ptr<const ContentSource>(const Config&, std::shared_ptr<LogSink>)>;

}  // namespace arhttp

#endif
