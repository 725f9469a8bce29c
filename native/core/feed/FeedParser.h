// The change feed as the protocol states it (protocol.json, "$events"):
// Server-Sent Events read a chunk at a time, whatever the server sends.
#ifndef AR_HTTP_CORE_FEED_PARSER_H
#define AR_HTTP_CORE_FEED_PARSER_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace arhttp {

// One change of a mapping.
struct FeedEvent {
    std::uint64_t id = 0;
    std::string assetPath;
    // Nothing when the mapping was removed.
    std::optional<std::string> resolvedPath;
};

class FeedParser {
public:
    // Reads `size` more bytes of the stream and appends the whole change
    // events they end to `events`. False once the stream broke the protocol
    // beyond repair (an event over kMaxEventBytes): the caller drops it.
    // Events that are not changes, or whose id or data are malformed, are
    // skipped; comments and unknown fields are ignored.
    bool Feed(const char* data, size_t size, std::vector<FeedEvent>* events);

    // The id of the last change event read (0 before any): a reconnection's
    // Last-Event-ID.
    std::uint64_t LastEventId() const { return _lastEventId; }
    // For a new connection: what was read of an event is dropped.
    void Restart();

private:
    void Line(const std::string& line, std::vector<FeedEvent>* events);
    void Dispatch(std::vector<FeedEvent>* events);

    std::string _line;
    bool _afterCarriageReturn = false;
    size_t _eventBytes = 0;
    std::string _id;
    std::string _event;
    std::vector<std::string> _data;
    std::uint64_t _lastEventId = 0;
};

}  // namespace arhttp

#endif
