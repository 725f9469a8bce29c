// Issue 20's parsers: the pin file reader (hostile files included), the path
// map, snapshot ids and the query of a snapshot request.
#include "check.h"

#include "core/settings/PathMap.h"
#include "core/text/PercentEncoding.h"
#include "core/pins/PinFile.h"
#include "core/settings/ServerContext.h"

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace units {

namespace {

using arhttp::PathMap;
using arhttp::PinFile;

std::string Head(const std::string& pins, const std::string& version = "1") {
    return "{\"format\": \"ar-http-pins\", \"version\": " + version +
           ", \"server\": \"http://127.0.0.1:8000\", \"snapshot\": \"12\", "
           "\"created\": \"2026-12-02T04:00:00.000Z\", \"pins\": " + pins + "}";
}

// The problem of `text` read as a pin file; empty when it is accepted.
std::string ProblemOf(const std::string& text) {
    return PinFile::Parse(text, "test.json")->Problem();
}

bool Contains(const std::string& text, const std::string& part) {
    const bool found = text.find(part) != std::string::npos;
    if (!found) std::fprintf(stderr, "    %s does not hold %s\n", Show(text).c_str(), Show(part).c_str());
    return found;
}

void PinFiles() {
    const auto pins = PinFile::Parse(
        Head("{\"id0x01\": \"/abs/layer1.usda\", \"id0x99\": null, \"x\\u00e9\\ud83d\\ude00\": \"/a\\/b\\\\c\"}"),
        "test.json");
    CHECK_EQ(pins->Problem(), "");
    CHECK_EQ(pins->Size(), size_t(3));
    CHECK_EQ(pins->Server(), "http://127.0.0.1:8000");
    CHECK_EQ(pins->Snapshot(), "12");
    CHECK_EQ(pins->Find("id0x01"), std::optional<std::string_view>("/abs/layer1.usda"));
    CHECK_EQ(pins->Find("id0x99"), std::optional<std::string_view>(""));
    CHECK_EQ(pins->Find("id0x02"), std::nullopt);
    CHECK_EQ(pins->Find("x\xC3\xA9\xF0\x9F\x98\x80"), std::optional<std::string_view>("/a/b\\c"));

    // Unknown top-level keys are skipped, however nested (within bounds); a null snapshot is none.
    const auto later = PinFile::Parse(
        "{\"future\": [1, {\"a\": [true, false, null, -1.5e3]}], \"format\": \"ar-http-pins\", \"version\": 1, "
        "\"snapshot\": null, \"pins\": {}}",
        "test.json");
    CHECK_EQ(later->Problem(), "");
    CHECK_EQ(later->Snapshot(), "");
    // Keys out of order are sorted, still found.
    const auto unsorted = PinFile::Parse(Head("{\"b\": \"/b\", \"a\": \"/a\"}"), "test.json");
    CHECK_EQ(unsorted->Find("a"), std::optional<std::string_view>("/a"));

    // Refused whole, each naming its problem.
    const std::string good = Head("{\"a\": \"/a\"}");
    CHECK(Contains(ProblemOf(good.substr(0, good.size() / 2)), "ends early"));
    CHECK(Contains(ProblemOf("not json"), "is not JSON"));
    CHECK(Contains(ProblemOf(""), "is not JSON"));
    CHECK(Contains(ProblemOf(Head("{}", "2")), "format version 2"));
    CHECK(Contains(ProblemOf(Head("{}", "1.0")), "format version 1.0"));
    CHECK(Contains(ProblemOf("{\"format\": \"other\", \"version\": 1, \"pins\": {}}"), "is not a pin file"));
    CHECK(Contains(ProblemOf("{\"version\": 1, \"pins\": {}}"), "has no \"format\""));
    CHECK(Contains(ProblemOf("{\"format\": \"ar-http-pins\", \"version\": 1}"), "has no \"pins\""));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\\u0007y\"}")), "control character"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\ty\"}")), "raw control character"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \" /x\"}")), "whitespace at either end"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"\"}")), "empty"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\", \"a\": \"/y\"}")), "\"a\" is in \"pins\" twice"));
    CHECK(Contains(ProblemOf(Head("{\"b\": \"/x\", \"a\": \"/z\", \"b\": \"/y\"}")), "twice"));
    CHECK(Contains(ProblemOf(Head("{\"a\": 3}")), "neither a string nor null"));
    CHECK(Contains(ProblemOf(Head("{\"a\": [\"/x\"]}")), "neither a string nor null"));
    CHECK(Contains(ProblemOf(Head("{\"\": \"/x\"}")), "empty key"));
    CHECK(Contains(ProblemOf(Head("{\"" + std::string(4097, 'k') + "\": \"/x\"}")), "longer than 4096"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/" + std::string(20000, 'x') + "\"}")), "longer than 16384"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\\q\"}")), "bad escape"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\\u12\"}")), "four hex digits"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\\ud800\"}")), "surrogate"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\\udc00\"}")), "lone low surrogate"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\xC3\"}")), "not UTF-8"));
    CHECK(Contains(ProblemOf(Head("{\"a\": \"/x\xED\xA0\x80\"}")), "not UTF-8"));
    CHECK(Contains(ProblemOf(good + "x"), "more after the object"));
    CHECK(Contains(ProblemOf("{\"format\": \"ar-http-pins\", \"format\": \"ar-http-pins\"}"), "twice"));
    // Deep nesting is refused, not recursed into.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK(Contains(ProblemOf("{\"x\": " + deep + ", " + good.substr(1)), "nested more than 64 deep"));
    // A huge string in a skipped key is bounded by the file itself: accepted, or not, without harm.
    CHECK_EQ(ProblemOf("{\"x\": \"" + std::string(1 << 20, 'y') + "\", " + good.substr(1)), "");

    // Files: unreadable, and a 1 GB sparse one (refused by its size, never read).
    CHECK(Contains(PinFile::Load("/nonexistent/pins.json")->Problem(), "cannot be read"));
    char sparse[] = "/tmp/arhttp-pins-XXXXXX";
    const int fd = mkstemp(sparse);
    CHECK(fd >= 0);
    CHECK_EQ(ftruncate(fd, off_t(1) << 30), 0);
    close(fd);
    CHECK(Contains(PinFile::Load(sparse)->Problem(), "larger than 512 MiB"));
    // Loaded once per file per process: the same object, even after the file changed.
    CHECK(PinFile::Load(sparse) == PinFile::Load(sparse));
    unlink(sparse);
}

void PathMaps() {
    std::string error;
    const auto map = PathMap::Parse("/mnt=/M;/mnt/shows=/Volumes/shows;C:\\shows=/s;;/x/=/y/", &error);
    CHECK(map.has_value());
    if (!map) return;
    // The longest prefix wins, at a segment boundary only.
    CHECK_EQ(map->Apply("/mnt/shows/a.usda"), "/Volumes/shows/a.usda");
    CHECK_EQ(map->Apply("/mnt/shows"), "/Volumes/shows");
    CHECK_EQ(map->Apply("/mnt/showsX/a.usda"), "/M/showsX/a.usda");
    CHECK_EQ(map->Apply("/mntX/a.usda"), "/mntX/a.usda");
    CHECK_EQ(map->Apply("C:\\shows\\a.usda"), "/s\\a.usda");
    CHECK_EQ(map->Apply("/x/a"), "/y/a");
    CHECK_EQ(map->Apply("/other/a"), "/other/a");
    // Applied once: an answer that maps to another prefix is not mapped again.
    const auto chain = PathMap::Parse("/a=/b;/b=/c", &error);
    CHECK_EQ(chain->Apply("/a/x"), "/b/x");

    for (const auto& [text, problem] : std::vector<std::pair<std::string, std::string>>{
             {"/a", "without '='"},
             {"=/b", "empty side"},
             {"/a=", "empty side"},
             {"/a=/b;/a=/c", "twice"},
             {"/a\x1B[2J=/b", "control character"},
             {"/" + std::string(5000, 'a') + "=/b", "longer than 4096"},
         }) {
        error.clear();
        CHECK(!PathMap::Parse(text, &error));
        CHECK(Contains(error, problem));
    }
    std::string many;
    for (int i = 0; i <= 256; ++i) many += "/p" + std::to_string(i) + "=/q;";
    CHECK(!PathMap::Parse(many, &error));
    CHECK(Contains(error, "more than 256 pairs"));
}

void Snapshots() {
    using arhttp::ServerContext;
    CHECK(ServerContext::IsSnapshotId("12"));
    CHECK(ServerContext::IsSnapshotId("shot010.submit_2-b"));
    CHECK(ServerContext::IsSnapshotId(std::string(128, 'a')));
    CHECK(!ServerContext::IsSnapshotId(std::string(129, 'a')));
    CHECK(!ServerContext::IsSnapshotId(""));
    CHECK(!ServerContext::IsSnapshotId("a b"));
    CHECK(!ServerContext::IsSnapshotId("a/b"));
    CHECK(!ServerContext::IsSnapshotId("\xC3\xA9"));

    using arhttp::WithQueryParameter;
    CHECK_EQ(WithQueryParameter("/id0x01", "snapshot", "12"), "/id0x01?snapshot=12");
    CHECK_EQ(WithQueryParameter("/r?path=id0x01", "snapshot", "12"), "/r?path=id0x01&snapshot=12");
    CHECK_EQ(WithQueryParameter("/r?path=id0x01&", "snapshot", "12"), "/r?path=id0x01&snapshot=12");
    CHECK_EQ(WithQueryParameter("/r?", "snapshot", "12"), "/r?snapshot=12");
    CHECK_EQ(WithQueryParameter("/r/id#f", "snapshot", "12"), "/r/id?snapshot=12#f");
    CHECK_EQ(WithQueryParameter("/r?a=1#f?g", "snapshot", "12"), "/r?a=1&snapshot=12#f?g");

    std::string error;
    const auto context = ServerContext::Parse(";snapshot=12;pins=/tmp/p.json", &error);
    CHECK(context.has_value());
    if (context) {
        CHECK_EQ(context->Snapshot(), "12");
        CHECK_EQ(context->Pins(), "/tmp/p.json");
        CHECK_EQ(context->Describe(), "(environment's server);snapshot=12;pins=/tmp/p.json");
        CHECK(!(*context == *ServerContext::Parse(";snapshot=13", &error)));
    }
    CHECK(!ServerContext::Parse(";snapshot=a b", &error));
    CHECK(Contains(error, "snapshot"));
    CHECK(!ServerContext::Parse(";snapshot=", &error));
    CHECK(!ServerContext::Parse(";pins=", &error));
}

}  // namespace

void Pins() {
    PinFiles();
    PathMaps();
    Snapshots();
}

}  // namespace units
