// Stress of the native core: 16 threads resolving cached, uncached, failing
// and concurrently identical paths, one at a time and in batches, against a
// real loopback HTTP server.
// Built and run under ThreadSanitizer and AddressSanitizer by 80.stress.test.ts.
#include "core/settings/Config.h"
#include "core/local/FileSystemResolver.h"
#include "core/transport/HttpResolver.h"
#include "core/engine/ResolutionEngine.h"

#include <httplib.h>

#include <atomic>
#include <barrier>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 16;
constexpr int kIterations = 400;
constexpr int kSharedRounds = 5;

class QuietSink : public arhttp::LogSink {
public:
    void Debug(const std::string&) override {}
    void Warn(arhttp::WarningCode, const std::string&) override { ++warnings; }
    std::atomic<int> warnings{0};
};

std::mutex gCountsMutex;
std::map<std::string, int> gCounts;

int Fail(const std::string& what) {
    std::fprintf(stderr, "stress: FAILED: %s\n", what.c_str());
    return 1;
}

}  // namespace

int main() {
    httplib::Server server;
    // Every kept-alive client connection holds a server thread.
    server.new_task_queue = [] { return new httplib::ThreadPool(32); };
    server.set_keep_alive_max_count(100000);
    server.set_tcp_nodelay(true);
    server.Get(R"(/(.*))", [](const httplib::Request& request, httplib::Response& response) {
        {
            std::lock_guard<std::mutex> lock(gCountsMutex);
            ++gCounts[request.path];
        }
        const std::string& path = request.path;
        if (path.rfind("/missing/", 0) == 0) {
            response.status = 404;
        } else if (path.rfind("/error/", 0) == 0) {
            response.status = 500;
        } else {
            if (path.rfind("/shared/", 0) == 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
            }
            response.set_content("/resolved" + path, "text/plain");
        }
    });
    // The batch endpoint: one answer line per asset path line (plain names here).
    server.Post("/_ar/resolve", [](const httplib::Request& request, httplib::Response& response) {
        {
            std::lock_guard<std::mutex> lock(gCountsMutex);
            ++gCounts[request.path];
        }
        std::string answer;
        size_t start = 0;
        for (size_t end; (end = request.body.find('\n', start)) != std::string::npos; start = end + 1) {
            answer += "/resolved/" + request.body.substr(start, end - start) + "\n";
        }
        response.set_content(answer, "text/plain");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { server.listen_after_bind(); });
    // Bound and listening already: early connections wait in the backlog.

    auto engine = [&](const std::string& url, const std::string& ttl) {
        arhttp::Environment environment{{"AR_HTTP_SERVER_URL", url},
                                        {"AR_HTTP_CACHE_TTL_MS", ttl},
                                        {"AR_HTTP_CACHE_MAX_ENTRIES", "64"},
                                        {"AR_HTTP_TIMEOUT_MS", "5000"},
                                        {"AR_HTTP_MAX_CONNECTIONS", "6"}};
        return std::make_unique<arhttp::ResolutionEngine>(
            arhttp::Config::FromEnvironment(environment),
            std::make_shared<arhttp::FileSystemResolver>(std::vector<std::string>()),
            std::make_shared<QuietSink>(), arhttp::HttpResolver::Factory());
    };
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    auto cached = engine(url, "60000");
    auto uncached = engine(url, "0");
    auto down = engine("http://127.0.0.1:1", "0");

    std::atomic<int> wrong{0};
    std::atomic<long> resolves{0};
    std::barrier sync(kThreads);
    auto expect = [&](const std::string& got, const std::string& want) {
        ++resolves;
        if (got != want) ++wrong;
    };

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kIterations; ++i) {
                const std::string hot = "hot/" + std::to_string(i % 100);
                expect(cached->Resolve(hot), "/resolved/" + hot);
                if (i % 4 == 0) {
                    const std::string cold = "cold/" + std::to_string(t) + "-" + std::to_string(i);
                    expect(uncached->Resolve(cold), "/resolved/" + cold);
                }
                expect(uncached->Resolve("missing/" + std::to_string(i % 7)), "");
                expect(cached->Resolve("error/" + std::to_string(i % 5)), "");
                if (i % 50 == 0) expect(down->Resolve("anything"), "");
                if (i % 97 == 0) cached->ClearCache();
                if (i % 40 == 0) {
                    std::vector<std::string> many;
                    for (int k = 0; k < 30; ++k) many.push_back("many/" + std::to_string((t + k) % 20));
                    for (auto* engine : {cached.get(), uncached.get()}) {
                        const auto answers = engine->ResolveMany(many);
                        if (answers.size() != many.size()) {
                            ++wrong;
                            continue;
                        }
                        for (size_t k = 0; k < many.size(); ++k) expect(answers[k], "/resolved/" + many[k]);
                    }
                }
            }
            for (int round = 0; round < kSharedRounds; ++round) {
                sync.arrive_and_wait();
                const std::string shared = "shared/" + std::to_string(round);
                expect(uncached->Resolve(shared), "/resolved/" + shared);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    server.stop();
    serving.join();

    if (wrong) return Fail(std::to_string(wrong.load()) + " wrong answers");
    for (int round = 0; round < kSharedRounds; ++round) {
        const int requests = gCounts["/shared/" + std::to_string(round)];
        if (requests != 1) {
            return Fail("shared/" + std::to_string(round) + " was requested " +
                        std::to_string(requests) + " times by " + std::to_string(kThreads) +
                        " concurrent resolves");
        }
    }
    std::printf("stress: %ld resolves on %d threads, all right; one request per concurrent identical path\n",
                resolves.load(), kThreads);
    return 0;
}
