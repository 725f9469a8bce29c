#include "core/feed/FeedParser.h"

#include "core/text/PercentEncoding.h"

#include <ArHttpProtocol.h>

namespace arhttp {

void FeedParser::Restart() {
    _line.clear();
    _afterCarriageReturn = false;
    _eventBytes = 0;
    _id.clear();
    _event.clear();
    _data.clear();
}

bool FeedParser::Feed(const char* data, size_t size, std::vector<FeedEvent>* events) {
    for (size_t i = 0; i < size; ++i) {
        const char c = data[i];
        // Lines end in CR LF, LF or CR.
        if (c == '\n' && _afterCarriageReturn) {
            _afterCarriageReturn = false;
            continue;
        }
        _afterCarriageReturn = c == '\r';
        if (c == '\r' || c == '\n') {
            Line(_line, events);
            _line.clear();
            continue;
        }
        if (++_eventBytes > protocol::kMaxEventBytes) return false;
        _line += c;
    }
    return true;
}

void FeedParser::Line(const std::string& line, std::vector<FeedEvent>* events) {
    if (line.empty()) return Dispatch(events);
    if (line[0] == ':') return;
    const size_t colon = line.find(':');
    const std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (field == "id") _id = value;
    else if (field == "event") _event = value;
    else if (field == "data") _data.push_back(std::move(value));
}

void FeedParser::Dispatch(std::vector<FeedEvent>* events) {
    const bool isChange = _event == "change" && _data.size() == 2 && !_id.empty() &&
                          _id.size() <= 15 && _id.find_first_not_of("0123456789") == std::string::npos;
    if (isChange) {
        const std::optional<std::string> assetPath = PercentDecode(_data[0]);
        const std::optional<std::string> resolved = PercentDecode(_data[1]);
        if (assetPath && resolved && !assetPath->empty()) {
            FeedEvent event;
            event.id = std::stoull(_id);
            event.assetPath = *assetPath;
            if (!resolved->empty()) event.resolvedPath = *resolved;
            _lastEventId = event.id;
            events->push_back(std::move(event));
        }
    }
    _eventBytes = 0;
    _id.clear();
    _event.clear();
    _data.clear();
}

}  // namespace arhttp
