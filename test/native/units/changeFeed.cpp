// The change feed: FeedParser against what any server might send, and
// ChangeWatcher and ResolutionEngine::Watch against a real loopback server
// (cpp-httplib's, in this process) that streams events, ends streams and goes
// away.
#include "check.h"

#include "core/engine/ChangeWatcher.h"
#include "core/feed/FeedParser.h"
#include "core/local/FileSystemResolver.h"
#include "core/transport/HttpResolver.h"
#include "core/text/PercentEncoding.h"
#include "core/engine/ResolutionEngine.h"

#include <ArHttpProtocol.h>
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace units {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class QuietSink : public arhttp::LogSink {
public:
    void Debug(const std::string&) override {}
    void Warn(arhttp::WarningCode, const std::string&) override {}
};

std::vector<arhttp::FeedEvent> Parse(const std::string& stream, bool* whole = nullptr) {
    arhttp::FeedParser parser;
    std::vector<arhttp::FeedEvent> events;
    const bool ok = parser.Feed(stream.data(), stream.size(), &events);
    if (whole) *whole = ok;
    return events;
}

// id:assetPath=resolved (or "-" when removed), for comparisons.
std::vector<std::string> Shown(const std::vector<arhttp::FeedEvent>& events) {
    std::vector<std::string> shown;
    for (const auto& event : events) {
        shown.push_back(std::to_string(event.id) + ":" + event.assetPath + "=" + event.resolvedPath.value_or("-"));
    }
    return shown;
}

void Decoding() {
    CHECK_EQ(arhttp::PercentDecode("a%20b%2Fc%C3%A9"), std::optional<std::string>("a b/c\xC3\xA9"));
    CHECK_EQ(arhttp::PercentDecode(""), std::optional<std::string>(""));
    CHECK_EQ(arhttp::PercentDecode("%00"), std::optional<std::string>(std::string(1, '\0')));
    for (const char* bad : {"%", "%4", "a%zz", "%G0", "100%"}) CHECK_EQ(arhttp::PercentDecode(bad), std::nullopt);
}

void Parsing() {
    const std::string canonical =
        ":ar-http change feed\n\n"
        "id: 7\nevent: change\ndata: models%2Fchair.usda\ndata: %2Fv2%2Fchair.usda\n\n"
        "id: 8\nevent: change\ndata: gone\ndata: \n\n";
    const std::vector<std::string> expected{"7:models/chair.usda=/v2/chair.usda", "8:gone=-"};
    CHECK_EQ(Shown(Parse(canonical)), expected);
    // CR LF and lone CR end lines too; "field:value" needs no space.
    std::string crlf;
    for (char c : canonical) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK_EQ(Shown(Parse(crlf)), expected);
    std::string cr = canonical;
    for (char& c : cr) c = c == '\n' ? '\r' : c;
    CHECK_EQ(Shown(Parse(cr)), expected);
    CHECK_EQ(Shown(Parse("id:9\nevent:change\ndata:a\ndata:b\n\n")), std::vector<std::string>{"9:a=b"});

    // Cut anywhere, it reads the same: a chunk may end in the middle of a line, or of CR LF.
    for (const std::string& stream : {canonical, crlf}) {
        for (size_t cut = 0; cut <= stream.size(); ++cut) {
            arhttp::FeedParser parser;
            std::vector<arhttp::FeedEvent> events;
            CHECK(parser.Feed(stream.data(), cut, &events));
            CHECK(parser.Feed(stream.data() + cut, stream.size() - cut, &events));
            if (!CHECK_EQ(Shown(events), expected)) break;
        }
    }

    // What is not a change of the protocol is skipped, and the stream goes on.
    const std::string skipped =
        "id: 1\nevent: other\ndata: a\ndata: b\n\n"          // another event
        "id: x1\nevent: change\ndata: a\ndata: b\n\n"        // an id that is no count
        "id: 1234567890123456\nevent: change\ndata: a\ndata: b\n\n"  // too many digits
        "event: change\ndata: a\ndata: b\n\n"                // no id
        "id: 2\nevent: change\ndata: a\n\n"                  // one data line
        "id: 3\nevent: change\ndata: a\ndata: b\ndata: c\n\n"  // three
        "id: 4\nevent: change\ndata: a%zz\ndata: b\n\n"      // bad percent-encoding
        "id: 5\nevent: change\ndata: \ndata: b\n\n"          // no asset path
        "id: 6\nevent: change\nretry: 10\nunknown: x\n: comment\ndata: ok\ndata: \n\n";
    arhttp::FeedParser parser;
    std::vector<arhttp::FeedEvent> events;
    CHECK(parser.Feed(skipped.data(), skipped.size(), &events));
    CHECK_EQ(Shown(events), std::vector<std::string>{"6:ok=-"});
    CHECK_EQ(parser.LastEventId(), 6u);

    // An event over the protocol's limit breaks the stream; so does a line without end.
    bool whole = true;
    const std::string big(arhttp::protocol::kMaxEventBytes, 'x');
    CHECK(Parse("id: 1\nevent: change\ndata: " + big + "\ndata: \n\n", &whole).empty());
    CHECK(!whole);
    Parse(std::string(arhttp::protocol::kMaxEventBytes + 1, ':'), &whole);
    CHECK(!whole);
    // Many small events in a row are fine: the limit is per event.
    std::string many;
    for (int i = 1; i <= 5000; ++i) many += "id: " + std::to_string(i) + "\nevent: change\ndata: a" + std::to_string(i) + "\ndata: /p\n\n";
    CHECK_EQ(Parse(many, &whole).size(), 5000u);
    CHECK(whole);

    // A new connection drops what was read of an event, not the last id.
    arhttp::FeedParser restarted;
    std::vector<arhttp::FeedEvent> none;
    const std::string first = "id: 3\nevent: change\ndata: a\ndata: b\n\nid: 4\nevent: change\ndata: half";
    CHECK(restarted.Feed(first.data(), first.size(), &none));
    restarted.Restart();
    const std::string second = "\ndata: b\n\n";
    CHECK(restarted.Feed(second.data(), second.size(), &none));
    CHECK_EQ(Shown(none), std::vector<std::string>{"3:a=b"});
    CHECK_EQ(restarted.LastEventId(), 3u);
}

// A resolution server with a change feed: mappings by GET, and /_ar/events
// streaming every change after the client's Last-Event-ID, then new ones.
class FeedServer {
public:
    FeedServer() {
        _server.Get("/_ar/events", [this](const httplib::Request& request, httplib::Response& response) {
            size_t after = 0;
            {
                std::lock_guard<std::mutex> lock(_mutex);
                ++_connections;
                _lastEventIds.push_back(request.get_header_value("Last-Event-ID"));
                if (request.has_header("Last-Event-ID")) after = std::stoul(request.get_header_value("Last-Event-ID"));
            }
            response.set_chunked_content_provider("text/event-stream", [this, after](size_t, httplib::DataSink& sink) mutable {
                std::unique_lock<std::mutex> lock(_mutex);
                if (_endStreams || _stopping) return false;
                std::string text = ":\n\n";
                for (size_t i = after; i < _changes.size(); ++i) {
                    text += "id: " + std::to_string(i + 1) + "\nevent: change\ndata: " + _changes[i].first +
                            "\ndata: " + _changes[i].second + "\n\n";
                }
                after = _changes.size();
                lock.unlock();
                if (!sink.write(text.data(), text.size())) return false;
                lock.lock();
                _changed.wait_for(lock, milliseconds(20));
                return true;
            });
        });
        _server.Get(R"(/(\w+))", [this](const httplib::Request& request, httplib::Response& response) {
            std::lock_guard<std::mutex> lock(_mutex);
            ++_gets;
            const auto found = _map.find(request.matches[1]);
            if (found == _map.end()) response.status = 404;
            else response.set_content(found->second, "text/plain");
        });
        port = _server.bind_to_any_port("127.0.0.1");
        _thread = std::thread([this] { _server.listen_after_bind(); });
        while (!_server.is_running()) std::this_thread::sleep_for(milliseconds(1));
    }
    ~FeedServer() {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _stopping = true;
        }
        _server.stop();
        _thread.join();
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port); }
    void Set(const std::string& assetPath, const std::string& resolved) {
        std::lock_guard<std::mutex> lock(_mutex);
        _map[assetPath] = resolved;
        _changes.emplace_back(assetPath, arhttp::PercentEncodePath(resolved));
        _changed.notify_all();
    }
    // Every stream ends at its next turn; new ones may come.
    void EndStreams(bool end) {
        std::lock_guard<std::mutex> lock(_mutex);
        _endStreams = end;
    }
    int Connections() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _connections;
    }
    int Gets() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _gets;
    }
    std::vector<std::string> LastEventIds() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _lastEventIds;
    }
    int port = 0;

private:
    httplib::Server _server;
    std::thread _thread;
    std::mutex _mutex;
    std::condition_variable _changed;
    std::map<std::string, std::string> _map;
    std::vector<std::pair<std::string, std::string>> _changes;
    std::vector<std::string> _lastEventIds;
    bool _endStreams = false;
    bool _stopping = false;
    int _connections = 0;
    int _gets = 0;
};

std::shared_ptr<const arhttp::ServerClient> ClientOf(const std::string& url) {
    const arhttp::Config config = arhttp::Config::FromEnvironment({{"AR_HTTP_SERVER_URL", url}});
    return arhttp::HttpResolver::Factory()(config, std::make_shared<QuietSink>());
}

// Collects what a watcher hands over.
struct Heard {
    std::mutex mutex;
    std::vector<std::string> changes;
    int resyncs = 0;
    arhttp::ChangeWatcher::OnChanges Listener() {
        return [this](const std::vector<arhttp::FeedEvent>& events, bool everything) {
            std::lock_guard<std::mutex> lock(mutex);
            if (everything) ++resyncs;
            for (const auto& shown : Shown(events)) changes.push_back(shown);
        };
    }
    // Waits up to 5 s for `count` changes.
    std::vector<std::string> WaitFor(size_t count) {
        for (int i = 0; i < 500; ++i) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (changes.size() >= count) return changes;
            }
            std::this_thread::sleep_for(milliseconds(10));
        }
        std::lock_guard<std::mutex> lock(mutex);
        return changes;
    }
};

// Follows, comes back after the stream ends with Last-Event-ID (and says
// changes may be lost), and stops at once while a stream is open.
void Watching() {
    FeedServer server;
    server.Set("a", "/a1");
    Heard heard;
    auto watcher = std::make_unique<arhttp::ChangeWatcher>(ClientOf(server.Url()), server.Url(), heard.Listener(),
                                                           std::make_shared<QuietSink>());
    CHECK_EQ(heard.WaitFor(1), std::vector<std::string>{"1:a=/a1"});
    server.Set("b", "/b 1");
    CHECK_EQ(heard.WaitFor(2), (std::vector<std::string>{"1:a=/a1", "2:b=/b 1"}));
    server.EndStreams(true);
    std::this_thread::sleep_for(milliseconds(100));
    server.Set("a", "/a2");
    server.EndStreams(false);
    CHECK_EQ(heard.WaitFor(3), (std::vector<std::string>{"1:a=/a1", "2:b=/b 1", "3:a=/a2"}));
    {
        std::lock_guard<std::mutex> lock(heard.mutex);
        CHECK_EQ(heard.resyncs, 1);
    }
    const std::vector<std::string> ids = server.LastEventIds();
    CHECK(ids.size() >= 2);
    CHECK_EQ(ids.front(), "");
    CHECK_EQ(ids.back(), "2");
    const auto start = Clock::now();
    watcher.reset();
    CHECK(Clock::now() - start < milliseconds(300));
}

// A server that is away costs a connection now and then: 250, 500, 1000 ms...
void Backoff() {
    int port;
    {
        FeedServer gone;
        port = gone.port;
    }
    Heard heard;
    const auto start = Clock::now();
    {
        arhttp::ChangeWatcher watcher(ClientOf("http://127.0.0.1:" + std::to_string(port)), "gone", heard.Listener(),
                                      std::make_shared<QuietSink>());
        std::this_thread::sleep_for(milliseconds(1600));
    }
    CHECK(Clock::now() - start < milliseconds(2000));
    std::lock_guard<std::mutex> lock(heard.mutex);
    CHECK(heard.changes.empty());
    CHECK_EQ(heard.resyncs, 0);
}

// Counts the connections of a server that answers the feed's GET then closes.
void BackoffOnStreamsThatEndAtOnce() {
    FeedServer server;
    server.EndStreams(true);
    Heard heard;
    {
        arhttp::ChangeWatcher watcher(ClientOf(server.Url()), server.Url(), heard.Listener(),
                                      std::make_shared<QuietSink>());
        std::this_thread::sleep_for(milliseconds(1600));
    }
    // 0, 250, 750 and 1750 ms: no more than four, whatever the server does.
    CHECK(server.Connections() >= 2);
    CHECK(server.Connections() <= 4);
}

// The engine drops what it kept of a changed asset path, and tells its listeners.
void EngineWatches() {
    FeedServer server;
    server.Set("chair", "/v1/chair.usda");
    arhttp::Config config = arhttp::Config::FromEnvironment(
        {{"AR_HTTP_SERVER_URL", server.Url()}, {"AR_HTTP_CACHE_TTL_MS", "600000"}, {"AR_HTTP_WATCH", "1"}});
    CHECK(config.watch);
    arhttp::ResolutionEngine engine(std::move(config),
                                    std::make_shared<arhttp::FileSystemResolver>(std::vector<std::string>()),
                                    std::make_shared<QuietSink>(), arhttp::HttpResolver::Factory());
    Heard heard;
    engine.Watch(heard.Listener());
    CHECK_EQ(heard.WaitFor(1).size(), 1u);
    CHECK_EQ(engine.Resolve("chair"), "/v1/chair.usda");
    CHECK_EQ(engine.Resolve("chair"), "/v1/chair.usda");
    CHECK_EQ(server.Gets(), 1);  // kept
    server.Set("chair", "/v2/chair.usda");
    CHECK_EQ(heard.WaitFor(2).size(), 2u);
    CHECK_EQ(engine.Resolve("chair"), "/v2/chair.usda");
    CHECK_EQ(server.Gets(), 2);
}

}  // namespace

void Feed() {
    Decoding();
    Parsing();
    Watching();
    Backoff();
    BackoffOnStreamsThatEndAtOnce();
    EngineWatches();
}

}  // namespace units
