// The content room: the metadata format, the file lock,
// the layer-format check, and the engine's content methods against a real
// loopback server (cpp-httplib's): fetched ahead then fetched, shared by threads.
#include "check.h"

#include "core/content/ContentEntry.h"
#include "core/content/FileLock.h"
#include "core/engine/ResolutionEngine.h"
#include "core/layers/LayerScanner.h"
#include "core/local/FileSystemResolver.h"
#include "core/transport/HttpContentSource.h"
#include "core/transport/HttpResolver.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace units {

namespace {

class QuietSink : public arhttp::LogSink {
public:
    void Debug(const std::string&) override {}
    void Warn(arhttp::WarningCode, const std::string& message) override {
        std::lock_guard<std::mutex> lock(mutex);
        warnings.push_back(message);
    }
    std::mutex mutex;
    std::vector<std::string> warnings;
};

void Entries() {
    arhttp::ContentEntry entry{"https://cdn.example/chair.usd?v=2", "\"abc\"", "Wed, 21 Oct 2015 07:28:00 GMT",
                               true, 1796207845218, 123456, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", 987654321};
    const std::string text = entry.Serialize();
    const auto read = arhttp::ContentEntry::Parse(text);
    CHECK(read.has_value());
    if (read) {
        CHECK_EQ(read->url, entry.url);
        CHECK_EQ(read->etag, entry.etag);
        CHECK_EQ(read->lastModified, entry.lastModified);
        CHECK(read->immutable);
        CHECK_EQ(read->validatedAtMs, entry.validatedAtMs);
        CHECK_EQ(read->size, entry.size);
        CHECK_EQ(read->sha256, entry.sha256);
        CHECK_EQ(read->inode, entry.inode);
    }
    // Empty values survive too.
    arhttp::ContentEntry bare;
    bare.url = "http://a/b.usda";
    CHECK(arhttp::ContentEntry::Parse(bare.Serialize()).has_value());
    // Torn, foreign or damaged files are no entry.
    CHECK(!arhttp::ContentEntry::Parse(text.substr(0, text.size() - 4)).has_value());
    CHECK(!arhttp::ContentEntry::Parse("").has_value());
    CHECK(!arhttp::ContentEntry::Parse("ar-http content 2\nurl x\nend\n").has_value());
    std::string badSize = text;
    badSize.replace(badSize.find("size 123456"), 11, "size 12x456");
    CHECK(!arhttp::ContentEntry::Parse(badSize).has_value());
    std::string noUrl = text;
    noUrl.erase(noUrl.find("url "), noUrl.find('\n', noUrl.find("url ")) - noUrl.find("url ") + 1);
    CHECK(!arhttp::ContentEntry::Parse(noUrl).has_value());
}

void LayerNames() {
    using arhttp::FitsLayerName;
    const std::string crate("PXR-USDC", 8), text("#usda 1.", 8), zip("PK\x03\x04\x14\0\0\0", 8), html("<!doctyp", 8);
    CHECK(FitsLayerName("a.usdc", crate.data(), crate.size()));
    CHECK(!FitsLayerName("a.usdc", text.data(), text.size()));
    CHECK(!FitsLayerName("a.USDC", html.data(), html.size()));
    CHECK(FitsLayerName("a.usda", text.data(), text.size()));
    CHECK(!FitsLayerName("a.usda", crate.data(), crate.size()));
    CHECK(FitsLayerName("a.usd", text.data(), text.size()));
    CHECK(FitsLayerName("a.usd", crate.data(), crate.size()));
    CHECK(!FitsLayerName("a.usd", zip.data(), zip.size()));
    CHECK(FitsLayerName("a.usdz", zip.data(), zip.size()));
    CHECK(!FitsLayerName("a.usdz", html.data(), html.size()));
    // A file shorter than its format's magic is not of it; other names take anything.
    CHECK(!FitsLayerName("a.usda", "#us", 3));
    CHECK(!FitsLayerName("a.usdc", "", 0));
    CHECK(FitsLayerName("texture.png", html.data(), html.size()));
    CHECK(FitsLayerName("noextension", "", 0));
}

void Locks(const std::string& folder) {
    const std::string path = folder + "/units.lock";
    std::string error;
    auto first = arhttp::FileLock::TryLock(path, &error);
    CHECK(first != nullptr);
    // Another open file of the same process is another holder: refused, with no error.
    CHECK(arhttp::FileLock::TryLock(path, &error) == nullptr);
    CHECK_EQ(error, "");
    // Removed while held: the next holder locks a new file.
    first->Remove();
    auto second = arhttp::FileLock::TryLock(path, &error);
    CHECK(second != nullptr);
    first.reset();
    CHECK(arhttp::FileLock::TryLock(path, &error) == nullptr);
    second.reset();
    CHECK(arhttp::FileLock::TryLock(path, &error) != nullptr);
    CHECK(arhttp::FileLock::TryLock(folder + "/no/such/folder.lock", &error) == nullptr);
    CHECK(!error.empty());
}

// Serves /<name>.usda as a small text layer, slowly, counting the bodies sent.
class ContentServer {
public:
    ContentServer() {
        _server.Get(R"(/(\w+)\.usda)", [this](const httplib::Request& request, httplib::Response& response) {
            {
                std::lock_guard<std::mutex> lock(_mutex);
                ++_sent[request.path];
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            response.set_header("ETag", "\"" + request.matches[1].str() + "\"");
            response.set_content("#usda 1.0\n# " + request.matches[1].str() + "\n", "application/octet-stream");
        });
        port = _server.bind_to_any_port("127.0.0.1");
        _thread = std::thread([this] { _server.listen_after_bind(); });
        while (!_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~ContentServer() {
        _server.stop();
        _thread.join();
    }
    std::string Url(const std::string& name) const {
        return "http://127.0.0.1:" + std::to_string(port) + "/" + name + ".usda";
    }
    int Sent(const std::string& name) {
        std::lock_guard<std::mutex> lock(_mutex);
        return _sent["/" + name + ".usda"];
    }
    int port = 0;

private:
    httplib::Server _server;
    std::thread _thread;
    std::mutex _mutex;
    std::map<std::string, int> _sent;
};

void EngineContent(const std::string& folder) {
    ContentServer server;
    const auto sink = std::make_shared<QuietSink>();
    arhttp::ResolutionEngine engine(
        arhttp::Config::FromEnvironment({{"AR_HTTP_CONTENT_CACHE_DIR", folder + "/cache"}, {"AR_HTTP_CACHE_TTL_MS", "60000"}}),
        std::make_shared<arhttp::FileSystemResolver>(std::vector<std::string>()), sink, arhttp::HttpResolver::Factory(),
        arhttp::HttpContentSource::Factory());
    CHECK(!engine.RecallContent(server.Url("a")).has_value());
    // Fetched ahead, then fetched while under way or after: one body each.
    engine.FetchContentAhead({server.Url("a"), server.Url("b"), server.Url("a")});
    const arhttp::ContentFile a = engine.FetchContent(server.Url("a"));
    const arhttp::ContentFile b = engine.FetchContent(server.Url("b"));
    CHECK_EQ(a.etag, "\"a\"");
    CHECK_EQ(a.size, std::string("#usda 1.0\n# a\n").size());
    CHECK(std::filesystem::exists(b.localPath));
    CHECK_EQ(server.Sent("a"), 1);
    CHECK_EQ(server.Sent("b"), 1);
    const auto recalled = engine.RecallContent(server.Url("b"));
    CHECK(recalled.has_value());
    if (recalled) {
        CHECK_EQ(recalled->localPath, b.localPath);
        CHECK_EQ(recalled->etag, "\"b\"");
        CHECK_EQ(recalled->timestamp, b.timestamp);
    }
    // Eight threads at once on one URL: one download, one answer.
    std::vector<std::thread> threads;
    std::vector<std::string> paths(8);
    for (int k = 0; k < 8; ++k) threads.emplace_back([&, k] { paths[k] = engine.FetchContent(server.Url("c")).localPath; });
    for (std::thread& thread : threads) thread.join();
    CHECK_EQ(server.Sent("c"), 1);
    for (const std::string& path : paths) CHECK(!path.empty() && path == paths[0]);
    // What is no http(s) URL is never asked, and warned about.
    const arhttp::ContentFile refused = engine.FetchContent("ftp://127.0.0.1/x.usda");
    CHECK(refused.localPath.empty());
    CHECK(!refused.why.empty());
    CHECK(!engine.RecallContent("ftp://127.0.0.1/x.usda").has_value());
    std::lock_guard<std::mutex> lock(sink->mutex);
    CHECK_EQ(sink->warnings.size(), size_t(1));
}

}  // namespace

void Content() {
    const char* temporary = std::getenv("TMPDIR");
    const std::string folder = std::string(temporary ? temporary : "/tmp") + "/ar-http-units-content";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    Entries();
    LayerNames();
    Locks(folder);
    EngineContent(folder);
    std::filesystem::remove_all(folder);
}

}  // namespace units
