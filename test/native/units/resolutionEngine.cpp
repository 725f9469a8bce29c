// ResolutionEngine::AskAhead against real loopback servers (cpp-httplib's
// server, in this process): with and without the batch endpoint, requests
// counted, their concurrency bounded, and resolves that come while answers are
// under way waiting for them instead of asking again.
#include "check.h"

#include "core/local/FileSystemResolver.h"
#include "core/transport/HttpResolver.h"
#include "core/engine/ResolutionEngine.h"

#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

namespace units {

namespace {

using std::chrono::milliseconds;

class QuietSink : public arhttp::LogSink {
public:
    void Debug(const std::string&) override {}
    void Warn(arhttp::WarningCode, const std::string&) override {}
};

// A resolution server on 127.0.0.1: `id<N>` -> `/store/id<N>.usda`, GET
// always, POST to the batch path only when `batches`; every answer takes
// `delay`. Counts requests as they come, and the most served at once.
class Server {
public:
    Server(bool batches, milliseconds delay) : _delay(delay) {
        _server.Get(R"(/(.*))", [this](const httplib::Request& request, httplib::Response& response) {
            {
                std::lock_guard<std::mutex> lock(_mutex);
                ++_gets[request.matches[1]];
            }
            Serving serving(this);
            const std::string id = request.matches[1];
            if (id.compare(0, 2, "id") == 0) {
                response.set_content("/store/" + id + ".usda", "text/plain");
            } else {
                response.status = 404;
            }
        });
        _server.Post("/_ar/resolve", [this, batches](const httplib::Request& request,
                                                     httplib::Response& response) {
            ++posts;
            Serving serving(this);
            if (!batches) {
                response.status = 404;
                return;
            }
            std::string answers;
            size_t start = 0;
            for (size_t end; (end = request.body.find('\n', start)) != std::string::npos; start = end + 1) {
                const std::string id = request.body.substr(start, end - start);
                if (id.compare(0, 2, "id") == 0) answers += "/store/" + id + ".usda";
                answers += '\n';
                ++batched;
            }
            response.set_content(answers, "text/plain");
        });
        port = _server.bind_to_any_port("127.0.0.1");
        _thread = std::thread([this] { _server.listen_after_bind(); });
        while (!_server.is_running()) std::this_thread::sleep_for(milliseconds(1));
    }
    ~Server() {
        _server.stop();
        _thread.join();
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port); }
    int Gets() {
        std::lock_guard<std::mutex> lock(_mutex);
        int total = 0;
        for (const auto& entry : _gets) total += entry.second;
        return total;
    }
    int MostGetsOfOneId() {
        std::lock_guard<std::mutex> lock(_mutex);
        int most = 0;
        for (const auto& entry : _gets) most = std::max(most, entry.second);
        return most;
    }

    int port = 0;
    std::atomic<int> posts{0};
    std::atomic<int> batched{0};
    std::atomic<int> mostAtOnce{0};

private:
    struct Serving {
        explicit Serving(Server* server) : _server(server) {
            const int now = ++server->_atOnce;
            for (int most = server->mostAtOnce.load(); now > most && !server->mostAtOnce.compare_exchange_weak(most, now);) {
            }
            std::this_thread::sleep_for(server->_delay);
        }
        ~Serving() { --_server->_atOnce; }
        Server* _server;
    };
    const milliseconds _delay;
    httplib::Server _server;
    std::thread _thread;
    std::mutex _mutex;
    std::map<std::string, int> _gets;
    std::atomic<int> _atOnce{0};
};

std::unique_ptr<arhttp::ResolutionEngine> EngineFor(const Server& server, const char* maxConnections) {
    arhttp::Config config = arhttp::Config::FromEnvironment(
        {{"AR_HTTP_SERVER_URL", server.Url()}, {"AR_HTTP_MAX_CONNECTIONS", maxConnections}});
    return std::make_unique<arhttp::ResolutionEngine>(
        std::move(config), std::make_shared<arhttp::FileSystemResolver>(std::vector<std::string>()),
        std::make_shared<QuietSink>(), arhttp::HttpResolver::Factory());
}

std::vector<std::string> Ids(int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) ids.push_back("id" + std::to_string(i));
    return ids;
}

// Resolves `count` ids asked ahead (waiting for answers under way): whether
// all answered right.
bool ResolveAll(arhttp::ResolutionEngine& engine, int count) {
    bool right = true;
    for (const std::string& id : Ids(count)) right = right && engine.Resolve(id) == "/store/" + id + ".usda";
    return right;
}

void WithoutBatchEndpoint() {
    Server server(false, milliseconds(20));
    const auto engine = EngineFor(server, "4");
    std::vector<std::string> named = Ids(40);
    // Duplicates, an empty path and a local file are not asked.
    named.push_back("id3");
    named.push_back("");
    const std::string local = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                              "/ar-http-units-local.usda";
    std::ofstream(local) << "#usda 1.0\n";
    named.push_back(local);
    engine->AskAhead(named, arhttp::ServerContext(), nullptr);
    CHECK(ResolveAll(*engine, 40));
    // One POST finds no batch endpoint; then one GET per id, four at a time.
    CHECK_EQ(server.posts.load(), 1);
    CHECK_EQ(server.Gets(), 40);
    CHECK_EQ(server.MostGetsOfOneId(), 1);
    CHECK(server.mostAtOnce.load() >= 2);
    CHECK(server.mostAtOnce.load() <= 4);
    CHECK_EQ(engine->Resolve("unknown"), "");
    CHECK_EQ(server.Gets(), 41);
    // Asked again: nothing new to ask.
    engine->AskAhead(Ids(40), arhttp::ServerContext(), nullptr);
    CHECK(ResolveAll(*engine, 40));
    CHECK_EQ(server.Gets(), 41);
    CHECK_EQ(server.posts.load(), 1);
    std::remove(local.c_str());
}

void WithBatchEndpoint() {
    Server server(true, milliseconds(0));
    const auto engine = EngineFor(server, "4");
    engine->AskAhead(Ids(2500), arhttp::ServerContext(), nullptr);
    CHECK(ResolveAll(*engine, 2500));
    // The protocol's 1,000 paths a batch: three POSTs, no GET.
    CHECK_EQ(server.posts.load(), 3);
    CHECK_EQ(server.batched.load(), 2500);
    CHECK_EQ(server.Gets(), 0);
    // In a cache scope, what was asked ahead outside it still answers.
    arhttp::ResolutionEngine::ScopeCache scope;
    CHECK_EQ(engine->Resolve("id7", arhttp::ServerContext(), &scope), "/store/id7.usda");
    CHECK_EQ(server.Gets(), 0);
}

// Resolves of paths a slow batch is asking for wait for it: no GET of them.
void ResolvesWaitForAnswersUnderWay() {
    Server server(true, milliseconds(300));
    const auto engine = EngineFor(server, "4");
    // Returns before the answers come.
    const auto start = std::chrono::steady_clock::now();
    engine->AskAhead(Ids(10), arhttp::ServerContext(), nullptr);
    CHECK(std::chrono::steady_clock::now() - start < milliseconds(200));
    for (int i = 0; i < 1000 && server.posts.load() == 0; ++i) std::this_thread::sleep_for(milliseconds(1));
    CHECK_EQ(server.posts.load(), 1);
    std::vector<std::string> answers(4);
    std::vector<std::thread> resolving;
    for (int i = 0; i < 4; ++i) {
        resolving.emplace_back([&, i] { answers[i] = engine->Resolve("id" + std::to_string(i * 3)); });
    }
    // A second look ahead at the same paths leaves them to the first.
    engine->AskAhead(Ids(10), arhttp::ServerContext(), nullptr);
    const std::vector<std::string> many = engine->ResolveMany({"id1", "id2"});
    for (auto& thread : resolving) thread.join();
    CHECK_EQ(answers, (std::vector<std::string>{"/store/id0.usda", "/store/id3.usda", "/store/id6.usda",
                                                "/store/id9.usda"}));
    CHECK_EQ(many, (std::vector<std::string>{"/store/id1.usda", "/store/id2.usda"}));
    CHECK_EQ(server.Gets(), 0);
    CHECK_EQ(server.posts.load(), 1);
}

// An engine that goes while its requests are under way waits for them: the
// background threads outlive nothing they use (AddressSanitizer would say).
void GoesWhileAskingAhead() {
    Server server(true, milliseconds(200));
    auto engine = EngineFor(server, "4");
    const auto start = std::chrono::steady_clock::now();
    engine->AskAhead(Ids(5), arhttp::ServerContext(), nullptr);
    // The server holds its answer 200 ms.
    engine.reset();
    CHECK(std::chrono::steady_clock::now() - start >= milliseconds(150));
    CHECK_EQ(server.posts.load(), 1);
}

}  // namespace

void Engine() {
    WithoutBatchEndpoint();
    WithBatchEndpoint();
    ResolvesWaitForAnswersUnderWay();
    GoesWhileAskingAhead();
}

}  // namespace units
