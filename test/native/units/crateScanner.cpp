// FastDecompress, DecodeIntegers and AssetPathsInCrate. Hand-made LZ4 blocks,
// integer codings and crate files (written here as OpenUSD lays them out, at
// each layout version) need no USD; the crate files usdcat wrote from
// 83.coreUnits.test.ts's sources are checked against their sources' asset
// paths, as sets. Every crate, hand-made or not, is then truncated at every
// length (a dense sample of them for big files) and corrupted thousands of
// times at random (fixed seed). Inputs are copied into buffers of their exact
// size so AddressSanitizer sees any read past their end.
#include "check.h"

#include "core/layers/CrateIntegers.h"
#include "core/layers/CrateScanner.h"
#include "core/layers/FastDecompress.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>

namespace units {

namespace {

using Paths = std::vector<std::string>;

std::string Bytes(std::initializer_list<int> bytes) {
    std::string text;
    for (const int byte : bytes) text += static_cast<char>(byte);
    return text;
}


std::unique_ptr<char[]> Exact(const std::string& bytes, size_t size) {
    std::unique_ptr<char[]> exact(new char[size]);
    std::copy(bytes.data(), bytes.data() + size, exact.get());
    return exact;
}

std::optional<std::string> Decompress(const std::string& in, size_t capacity) {
    const auto input = Exact(in, in.size());
    const std::unique_ptr<char[]> out(new char[capacity]);
    const auto written = arhttp::FastDecompress(input.get(), in.size(), out.get(), capacity);
    if (!written) return std::nullopt;
    return std::string(out.get(), *written);
}

// One LZ4 block, behind TfFastCompression's chunk count 0.
std::optional<std::string> Block(const std::string& block, size_t capacity) {
    return Decompress('\0' + block, capacity);
}

// What TfFastCompression could write for `bytes`: one block of literals only.
std::string Compressed(const std::string& bytes) {
    std::string block(1, '\0');
    size_t length = bytes.size();
    block += static_cast<char>(std::min<size_t>(length, 15) << 4);
    if (length >= 15) {
        for (length -= 15; length >= 255; length -= 255) block += '\xFF';
        block += static_cast<char>(length);
    }
    return block + bytes;
}

std::optional<std::vector<std::uint32_t>> Decode(const std::string& coded, size_t count, bool compressed = false) {
    const auto input = Exact(coded, coded.size());
    std::vector<std::uint32_t> ints;
    const bool ok = compressed ? arhttp::DecompressIntegers(input.get(), coded.size(), count, &ints)
                               : arhttp::DecodeIntegers(input.get(), coded.size(), count, &ints);
    if (!ok) return std::nullopt;
    return ints;
}

Paths Scan(const std::string& file, size_t size) {
    const auto exact = Exact(file, size);
    return arhttp::AssetPathsInCrate(exact.get(), size);
}

Paths Scan(const std::string& file) {
    return Scan(file, file.size());
}

void Lz4() {
    CHECK_EQ(Block(Bytes({0x50, 'h', 'e', 'l', 'l', 'o'}), 5), "hello");
    CHECK_EQ(Block(Bytes({0x00}), 0), "");
    CHECK_EQ(Block(Bytes({0xF0, 5}) + std::string(20, 'x'), 20), std::string(20, 'x'));  // 15 + 5 literals
    // Matches copy from `offset` back, overlapping what they write for runs.
    CHECK_EQ(Block(Bytes({0x32, 'a', 'b', 'c', 3, 0, 0x10, 'X'}), 10), "abcabcabcX");
    CHECK_EQ(Block(Bytes({0x14, 'a', 1, 0, 0x00}), 9), std::string(9, 'a'));
    CHECK_EQ(Block(Bytes({0x1F, 'z', 1, 0, 255, 1, 0x00}), 300), std::string(1 + 4 + 15 + 255 + 1, 'z'));
    // Refused: a match before the start or at offset 0, output past the capacity.
    CHECK_EQ(Block(Bytes({0x14, 'a', 2, 0, 0x00}), 100), std::nullopt);
    CHECK_EQ(Block(Bytes({0x14, 'a', 0, 0, 0x00}), 100), std::nullopt);
    CHECK_EQ(Block(Bytes({0x50, 'h', 'e', 'l', 'l', 'o'}), 4), std::nullopt);
    CHECK_EQ(Block(Bytes({0x14, 'a', 1, 0, 0x00}), 8), std::nullopt);
    CHECK_EQ(Block(Bytes({0x1F, 'z', 1, 0, 255, 255, 255, 1, 0x00}), 300), std::nullopt);
    // Truncated: no sequence, literals, a length byte, the offset, the final literals.
    CHECK_EQ(Block("", 10), std::nullopt);
    CHECK_EQ(Block(Bytes({0x50, 'h', 'e'}), 10), std::nullopt);
    CHECK_EQ(Block(Bytes({0xF0}), 100), std::nullopt);
    CHECK_EQ(Block(Bytes({0x1F, 'z', 1, 0}), 100), std::nullopt);
    CHECK_EQ(Block(Bytes({0x14, 'a', 1}), 10), std::nullopt);
    CHECK_EQ(Block(Bytes({0x14, 'a', 1, 0}), 10), std::nullopt);
}

void Chunks() {
    const std::string hello = Bytes({0x50, 'h', 'e', 'l', 'l', 'o'});
    const std::string bangs = Bytes({0x20, '!', '!'});
    const std::string two = Bytes({2}) + U32(hello.size()) + hello + U32(bangs.size()) + bangs;
    CHECK_EQ(Decompress(two, 7), "hello!!");
    CHECK_EQ(Decompress(two, 6), std::nullopt);
    CHECK_EQ(Decompress("", 10), std::nullopt);
    CHECK_EQ(Decompress(Bytes({1}) + U32(hello.size() + 1) + hello, 10), std::nullopt);  // past the data
    CHECK_EQ(Decompress(Bytes({1}) + U32(0xFFFFFFFF) + hello, 10), std::nullopt);        // negative
    CHECK_EQ(Decompress(Bytes({2}) + U32(hello.size()) + hello, 10), std::nullopt);      // one missing
    CHECK_EQ(Decompress(Bytes({200}) + U32(hello.size()) + hello, 10), std::nullopt);    // past 127
    CHECK_EQ(arhttp::MaxDecompressedSize(0), 0u);
    CHECK_EQ(arhttp::MaxDecompressedSize(2), 510u);
    CHECK_EQ(arhttp::MaxDecompressedSize(std::numeric_limits<size_t>::max() / 2),
             std::numeric_limits<size_t>::max());
}

void Integers() {
    using Ints = std::vector<std::uint32_t>;
    // integerCoding.cpp's own example: most common difference 1, codes
    // 01 00 00 11 | 01 00 01, then int8 123, int32 100000, int8 0, int8 0.
    const std::string example = U32(1) + Bytes({0xC1, 0x11, 123}) + U32(100000) + Bytes({0, 0});
    const Ints decoded{123, 124, 125, 100125, 100125, 100126, 100126};
    CHECK_EQ(Decode(example, 7), decoded);
    CHECK_EQ(Decode(Compressed(example), 7, true), decoded);
    // Negative differences: int16 -300, then int8 -1.
    CHECK_EQ(Decode(U32(0) + Bytes({0x06, 0xD4, 0xFE, 0xFF}), 2), (Ints{0xFFFFFED4, 0xFFFFFED3}));
    CHECK_EQ(Decode("", 0), Ints{});
    // Too few bytes: for the last value, the codes, the common value.
    CHECK_EQ(Decode(example.substr(0, example.size() - 1), 7), std::nullopt);
    CHECK_EQ(Decode(U32(1) + Bytes({0xC1}), 7), std::nullopt);
    CHECK_EQ(Decode(Bytes({1, 0, 0}), 1), std::nullopt);
    CHECK_EQ(Decode(Compressed(example), 40, true), std::nullopt);
    CHECK_EQ(Decode(example, 7, true), std::nullopt);  // not compressed
}

// ValueRep types (crateDataTypes.h).
enum : unsigned {
    kStringType = 10,
    kAssetPathType = 12,
    kDoubleType = 9,
    kDictionaryType = 31,
    kReferenceListOpType = 35,
    kTimeSamplesType = 46,
    kPayloadType = 47,
    kStringVectorType = 50,
    kPayloadListOpType = 55,
};

std::uint64_t Rep(unsigned type, std::uint64_t payload, bool array = false, bool inlined = false) {
    return (array ? std::uint64_t(1) << 63 : 0) | (inlined ? std::uint64_t(1) << 62 : 0) |
           std::uint64_t(type) << 48 | payload;
}

constexpr int Version(int major, int minor, int patch) {
    return major << 16 | minor << 8 | patch;
}

// A crate file laid out as OpenUSD writes one: the bootstrap, the values, then
// the TOKENS, STRINGS and FIELDS sections (compressed from 0.4.0 on, the
// field names as integers coded each as an int32 difference) and the table of
// contents, which `starts` locates after Finish.
class CrateWriter {
public:
    explicit CrateWriter(int version) : version(version), file_(88, '\0') {}

    std::uint32_t Token(const std::string& token) {
        const auto found = std::find(tokens_.begin(), tokens_.end(), token);
        if (found != tokens_.end()) return static_cast<std::uint32_t>(found - tokens_.begin());
        tokens_.push_back(token);
        return static_cast<std::uint32_t>(tokens_.size() - 1);
    }

    std::uint32_t StringIndex(const std::string& text) {
        strings_.push_back(Token(text));
        return static_cast<std::uint32_t>(strings_.size() - 1);
    }

    // A string as values write one: its index.
    std::string String(const std::string& text) { return U32(StringIndex(text)); }

    std::uint64_t Value(const std::string& bytes) {
        file_ += bytes;
        return file_.size() - bytes.size();
    }

    void Field(const std::string& name, std::uint64_t rep) {
        fields_.emplace_back(Token(name), rep);
    }

    std::string Finish() {
        std::string file = file_;
        std::string toc = U64(3);
        const std::pair<std::string, std::string> sections[] = {
            {"TOKENS", Tokens()}, {"STRINGS", Strings()}, {"FIELDS", Fields()}};
        for (const auto& [name, bytes] : sections) {
            starts[name] = file.size();
            toc += name + std::string(16 - name.size(), '\0') + U64(file.size()) + U64(bytes.size());
            file += bytes;
        }
        starts["TOC"] = file.size();
        file += toc;
        const std::string bootstrap = "PXR-USDC" + Bytes({version >> 16, version >> 8 & 0xFF, version & 0xFF}) +
                                      std::string(5, '\0') + U64(starts["TOC"]);
        file.replace(0, bootstrap.size(), bootstrap);
        return file;
    }

    const int version;
    std::map<std::string, std::uint64_t> starts;

private:
    bool Compressing() const { return version >= Version(0, 4, 0); }

    std::string Tokens() const {
        std::string chars;
        for (const std::string& token : tokens_) chars += token + '\0';
        const std::string compressed = Compressed(chars);
        return U64(tokens_.size()) + U64(chars.size()) + (Compressing() ? U64(compressed.size()) + compressed : chars);
    }

    std::string Strings() const {
        std::string section = U64(strings_.size());
        for (const std::uint32_t token : strings_) section += U32(token);
        return section;
    }

    std::string Fields() const {
        std::string section = U64(fields_.size());
        if (!Compressing()) {
            for (const auto& [name, rep] : fields_) section += U32(0) + U32(name) + U64(rep);
            return section;
        }
        std::string names = U32(0) + std::string((fields_.size() + 3) / 4, '\xFF');
        std::string reps;
        std::uint32_t previous = 0;
        for (const auto& [name, rep] : fields_) {
            names += U32(name - previous);
            previous = name;
            reps += U64(rep);
        }
        names = Compressed(names);
        reps = Compressed(reps);
        return section + U64(names.size()) + names + U64(reps.size()) + reps;
    }

    std::string file_;
    std::vector<std::string> tokens_;
    std::vector<std::uint32_t> strings_;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> fields_;
};

const std::string kNoLayerOffset(16, '\0');

// A layer with asset paths in every place the scanner reads, and in places it
// must not, laid out as `crate`'s version does.
std::string EveryKind(CrateWriter& crate) {
    const int version = crate.version;
    const std::string subLayers = U64(2) + crate.String("a.usda") + crate.String("b.usda");
    crate.Field("subLayers", Rep(kStringVectorType, crate.Value(subLayers)));

    // References: asset path, prim path, layer offset, custom data (a string,
    // and a dictionary whose nested data is jumped over).
    const std::string customData = U64(2) + crate.String("note") + U64(8) + U64(Rep(kStringType, 0, false, true)) +
                                   crate.String("nested") + U64(16) + U64(0) + U64(Rep(kDictionaryType, 0));
    auto reference = [&](const std::string& asset, const std::string& dictionary = U64(0)) {
        return crate.String(asset) + U32(0) + kNoLayerOffset + dictionary;
    };
    // Every list, in the order they follow the header: explicit, added, prepended, appended, deleted, ordered.
    const std::string references = Bytes({0x7E}) + U64(1) + reference("r-explicit.usda") + U64(1) +
                                   reference("r-added.usda") + U64(2) + reference("ref.usda", customData) +
                                   reference("") + U64(1) + reference("r-appended.usda") + U64(1) +
                                   reference("r-deleted.usda") + U64(1) + reference("r-ordered.usda");
    crate.Field("references", Rep(kReferenceListOpType, crate.Value(references)));

    // Before 0.8.0 a payload is one value, with no layer offset.
    if (version >= Version(0, 8, 0)) {
        const std::string payload = crate.String("pay.usdc") + U32(0) + kNoLayerOffset;
        crate.Field("payload", Rep(kPayloadListOpType, crate.Value(Bytes({1 << 6}) + U64(1) + payload)));
    } else {
        crate.Field("payload", Rep(kPayloadType, crate.Value(crate.String("pay.usdc") + U32(0))));
    }

    crate.Field("default", Rep(kAssetPathType, crate.Token("tex.png"), false, true));
    // Arrays: a rank before 0.5.0, a 32-bit size before 0.7.0.
    const std::string size = version < Version(0, 7, 0) ? U32(2) : U64(2);
    const std::string rank = version < Version(0, 5, 0) ? U32(1) : "";
    const std::string array = rank + size + crate.String("a.exr") + crate.String("b.exr");
    crate.Field("default", Rep(kAssetPathType, crate.Value(array), true));
    // Time samples: the times' nested data and rep, the values' (none), the values' reps.
    const std::string samples = U64(16) + U64(0) + U64(Rep(kDoubleType, 0, true)) + U64(8) + U64(2) +
                                U64(Rep(kAssetPathType, crate.Token("t0.png"), false, true)) +
                                U64(Rep(kAssetPathType, crate.Token("t1.png"), false, true));
    crate.Field("timeSamples", Rep(kTimeSamplesType, crate.Value(samples)));

    // Not read: a string vector or a reference list op of another name, an
    // inlined list op, a string; an empty asset path; tex.png again.
    crate.Field("notSubLayers", Rep(kStringVectorType, crate.Value(U64(1) + crate.String("no1.usda"))));
    crate.Field("notReferences", Rep(kReferenceListOpType, crate.Value(Bytes({2}) + U64(1) + reference("no2.usda"))));
    crate.Field("references", Rep(kReferenceListOpType, 0, false, true));
    crate.Field("documentation", Rep(kStringType, crate.StringIndex("no3.usda"), false, true));
    crate.Field("default", Rep(kAssetPathType, crate.Token(""), false, true));
    crate.Field("default", Rep(kAssetPathType, crate.Token("tex.png"), false, true));
    return crate.Finish();
}

const Paths kEveryKind{"a.usda",         "b.usda",         "r-explicit.usda", "r-added.usda", "ref.usda",
                       "r-appended.usda", "r-deleted.usda", "r-ordered.usda",  "pay.usdc",     "tex.png",
                       "a.exr",          "b.exr",          "t0.png",          "t1.png"};

// Cut short at every length (a dense sample for big files), every crate
// loses its table of contents, at its end, and names nothing; corrupted at
// random, half the time in its last quarter where the sections are, it may
// name anything but an empty path.
void Robust(const std::string& name, const std::string& file) {
    size_t truncatedFinds = 0;
    const size_t step = std::max<size_t>(1, file.size() / 4096);
    for (size_t size = 0; size < file.size(); size += size < 4096 || file.size() - size <= 1024 ? 1 : step) {
        truncatedFinds += Scan(file, size).size();
    }
    CHECK_EQ(std::make_pair(name, truncatedFinds), std::make_pair(name, size_t(0)));

    std::mt19937 random(20241111);
    const auto buffer = Exact(file, file.size());
    size_t emptyPaths = 0;
    for (int i = 0; i < 3000; ++i) {
        const size_t from = i % 2 ? file.size() - file.size() / 4 : 0;
        const size_t at = from + random() % (file.size() - from);
        const size_t end = std::min(file.size(), at + (i % 3 ? 1 : 1 + random() % 8));
        for (size_t j = at; j < end; ++j) buffer[j] = static_cast<char>(file[j] ^ (1 + random() % 255));
        for (const std::string& path : arhttp::AssetPathsInCrate(buffer.get(), file.size())) emptyPaths += path.empty();
        std::copy(file.begin() + at, file.begin() + end, buffer.get() + at);
    }
    CHECK_EQ(std::make_pair(name, emptyPaths), std::make_pair(name, size_t(0)));
}

void HandMade() {
    CHECK(arhttp::IsCrate("PXR-USDC", 8));
    CHECK(!arhttp::IsCrate("PXR-USDC", 7));
    CHECK(!arhttp::IsCrate("PXR-USDA", 8));
    CHECK(!arhttp::IsCrate("", 0));
    CHECK_EQ(Scan(""), Paths{});
    CHECK_EQ(Scan("PXR-USDC"), Paths{});
    CHECK_EQ(Scan("#usda 1.0\n(subLayers = [@a.usda@])\n"), Paths{});
    CHECK_EQ(Scan("PXR-USDC" + std::string(80, '\0')), Paths{});

    for (const int version : {Version(0, 0, 1), Version(0, 1, 0), Version(0, 4, 0), Version(0, 6, 0),
                              Version(0, 7, 0), Version(0, 8, 0), Version(0, 12, 0), Version(0, 12, 9)}) {
        CrateWriter crate(version);
        const std::string file = EveryKind(crate);
        CHECK(arhttp::IsCrate(file.data(), file.size()));
        CHECK_EQ(std::make_pair(version, Scan(file)), std::make_pair(version, kEveryKind));
        Robust("every kind, version " + std::to_string(version), file);
    }
    // Versions USD 24.11 does not read.
    for (const int version : {Version(0, 13, 0), Version(1, 0, 0)}) {
        CrateWriter crate(version);
        CHECK_EQ(Scan(EveryKind(crate)), Paths{});
    }
}

// Header fields claiming too much: nothing found, nothing huge allocated.
void HostileHeaders() {
    CrateWriter crate(Version(0, 8, 0));
    const std::string file = EveryKind(crate);
    auto patched = [&](std::uint64_t at, std::uint64_t value) {
        std::string bad = file;
        bad.replace(at, 8, U64(value));
        return Scan(bad);
    };
    const std::uint64_t huge = std::uint64_t(1) << 40;
    const std::uint64_t fieldsEntry = crate.starts["TOC"] + 8 + 2 * 32;
    CHECK_EQ(patched(16, file.size()), Paths{});                     // table of contents past the end
    CHECK_EQ(patched(crate.starts["TOC"], huge), Paths{});           // its count
    CHECK_EQ(patched(fieldsEntry + 16, file.size()), Paths{});       // FIELDS starting past the end
    CHECK_EQ(patched(fieldsEntry + 24, file.size()), Paths{});       // or ending there
    CHECK_EQ(patched(crate.starts["TOKENS"] + 8, huge), Paths{});    // tokens' size
    CHECK_EQ(patched(crate.starts["STRINGS"], huge), Paths{});
    CHECK_EQ(patched(crate.starts["FIELDS"], huge), Paths{});
    CHECK_EQ(patched(crate.starts["FIELDS"], 1000), Paths{});  // within the bounds, past the data
}

// Values that would make work without end: a list claiming 2^62 items, a
// dictionary of 2^40 whose first value jumps nowhere, time samples jumping
// back, a string vector of 2^64 - 1 (read on into the sections, as string
// indexes): what comes before the damage is found, and the scan ends.
void HostileValues() {
    CrateWriter crate(Version(0, 8, 0));
    const std::string references = Bytes({0x02}) + U64(std::uint64_t(1) << 62) + crate.String("first.usda") + U32(0) +
                                   kNoLayerOffset + U64(std::uint64_t(1) << 40) + crate.String("key") + U64(0);
    crate.Field("references", Rep(kReferenceListOpType, crate.Value(references)));
    crate.Field("timeSamples", Rep(kTimeSamplesType, crate.Value(U64(0))));
    crate.Field("subLayers", Rep(kStringVectorType, crate.Value(U64(~std::uint64_t(0)) + crate.String("sub.usda"))));
    crate.Field("default", Rep(kAssetPathType, 0xFFFFFF, false, true));  // no such token
    crate.Field("default", Rep(kAssetPathType, 0xFFFFFFFFFFFF, true));  // past the end
    const std::string file = crate.Finish();
    const Paths found = Scan(file);
    CHECK_EQ(Paths(found.begin(), found.begin() + std::min<size_t>(found.size(), 2)),
             (Paths{"first.usda", "sub.usda"}));
    Robust("hostile values", file);
}

// The files usdcat wrote, compared as sets: the scanner names each path once.
void FromUsdcat(const std::vector<CrateFile>& files) {
    for (const CrateFile& file : files) {
        CHECK(arhttp::IsCrate(file.bytes.data(), file.bytes.size()));
        const Paths found = Scan(file.bytes);
        const std::set<std::string> foundSet(found.begin(), found.end());
        const std::set<std::string> expected(file.expected.begin(), file.expected.end());
        CHECK_EQ(std::make_pair(file.name, found.size()), std::make_pair(file.name, foundSet.size()));
        CHECK_EQ(std::make_pair(file.name, Paths(foundSet.begin(), foundSet.end())),
                 std::make_pair(file.name, Paths(expected.begin(), expected.end())));
        Robust(file.name, file.bytes);
    }
}

}  // namespace

void Crates(const std::vector<CrateFile>& fromUsdcat) {
    Lz4();
    Chunks();
    Integers();
    HandMade();
    HostileHeaders();
    HostileValues();
    FromUsdcat(fromUsdcat);
}

}  // namespace units
