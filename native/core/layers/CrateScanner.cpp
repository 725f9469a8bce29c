#include "core/layers/CrateScanner.h"

#include "core/layers/CrateIntegers.h"
#include "core/layers/FastDecompress.h"
#include "core/layers/LittleEndian.h"

#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string_view>

// The layout read here is OpenUSD's pxr/usd/usd/crateFile.{h,cpp}: a bootstrap
// header points at a table of contents naming sections; TOKENS holds every
// token, STRINGS maps string indexes to tokens, FIELDS pairs a field name (a
// token index) with a ValueRep, whose low 48 bits are the value itself for
// small types (an asset path: its token index) or its offset in the file.

namespace arhttp {

namespace {

constexpr char kMagic[] = "PXR-USDC";
constexpr std::size_t kMagicSize = 8;
constexpr std::size_t kBootstrapSize = 88;      // magic, version[8], tocOffset, reserved[8]
constexpr std::size_t kTocEntrySize = 32;       // name[16], start, size
constexpr std::size_t kSectionNameSize = 16;
constexpr std::size_t kLayerOffsetSize = 16;    // two doubles
// No section of a layer worth looking ahead in decompresses to more; hostile
// headers claim any size.
constexpr std::size_t kMaxSectionBytes = std::size_t(256) << 20;

// The ValueRep types (crateDataTypes.h) that can hold asset paths.
enum : unsigned {
    kAssetPathType = 12,
    kReferenceListOpType = 35,
    kTimeSamplesType = 46,
    kPayloadType = 47,
    kStringVectorType = 50,
    kPayloadListOpType = 55,
};

constexpr std::uint32_t Version(std::uint32_t major, std::uint32_t minor, std::uint32_t patch) {
    return major << 16 | minor << 8 | patch;
}

// A ValueRep: flags in its top bits (array, inlined, compressed), its type
// in bits 48 to 55, its payload below.
struct Rep {
    std::uint64_t bits;
    unsigned Type() const { return bits >> 48 & 0xFF; }
    bool IsArray() const { return bits >> 63; }
    bool IsInlined() const { return bits >> 62 & 1; }
    std::uint64_t Payload() const { return bits & ((std::uint64_t(1) << 48) - 1); }
};

// Little-endian reads of [begin, begin + size) that fail, for good, at the
// first one out of it. With a budget, every byte read is spent from it too, so
// that values claiming to overlap cannot make work without end.
class Reader {
public:
    Reader(const char* begin, std::size_t size, std::size_t* budget = nullptr)
        : begin_(begin), at_(begin), end_(begin + size), budget_(budget) {}

    bool Ok() const { return ok_; }
    std::size_t Left() const { return end_ - at_; }

    void Seek(std::uint64_t offset) {
        if (offset > static_cast<std::uint64_t>(end_ - begin_)) Fail();
        else if (ok_) at_ = begin_ + offset;
    }

    // Jumps over a value's nested data: the offset from where it is read to
    // where the reading goes on; the writer's is always past itself.
    void JumpAhead() {
        const std::uint64_t from = at_ - begin_;
        const std::uint64_t offset = U64();
        if (offset < 8 || offset > static_cast<std::uint64_t>(end_ - begin_) - from) Fail();
        else Seek(from + offset);
    }

    const char* Take(std::uint64_t count) {
        if (!ok_ || count > Left() || !Spend(count)) {
            Fail();
            return nullptr;
        }
        const char* taken = at_;
        at_ += count;
        return taken;
    }

    void Skip(std::uint64_t count) { Take(count); }
    std::uint8_t U8() { return static_cast<std::uint8_t>(Load(1)); }
    std::uint32_t U32() { return static_cast<std::uint32_t>(Load(4)); }
    std::uint64_t U64() { return Load(8); }

private:
    std::uint64_t Load(int bytes) {
        const char* at = Take(bytes);
        return at ? LoadLittleEndian(at, bytes) : 0;
    }

    bool Spend(std::uint64_t count) {
        if (!budget_) return true;
        const std::uint64_t cost = count ? count : 1;
        if (cost > *budget_) return false;
        *budget_ -= cost;
        return true;
    }

    void Fail() {
        ok_ = false;
        at_ = end_;
    }

    const char* begin_;
    const char* at_;
    const char* end_;
    std::size_t* budget_;
    bool ok_ = true;
};

struct Field {
    std::uint32_t name;  // a token index
    Rep rep;
};

struct Section {
    const char* data;
    std::size_t size;
};

struct Crate {
    Crate(const char* file, std::size_t fileSize) : data(file), size(fileSize) {}

    const char* data;
    std::size_t size;
    std::uint32_t version = 0;
    std::vector<char> tokenChars;
    std::vector<std::string_view> tokens;  // into tokenChars
    std::vector<std::uint32_t> strings;    // token indexes
    std::vector<Field> fields;
};

// The table of contents' offset, once the version is one USD 24.11 (crate
// 0.12.0) reads: the same major version, no later minor one.
std::optional<std::uint64_t> ReadBootstrap(Crate& crate) {
    if (crate.size < kBootstrapSize || !IsCrate(crate.data, crate.size)) return std::nullopt;
    Reader reader(crate.data, crate.size);
    reader.Skip(kMagicSize);
    const unsigned major = reader.U8();
    const unsigned minor = reader.U8();
    const unsigned patch = reader.U8();
    if (major != 0 || minor > 12) return std::nullopt;
    crate.version = Version(major, minor, patch);
    reader.Seek(kMagicSize + 8);  // past version[8]
    const std::uint64_t toc = reader.U64();
    if (toc >= crate.size) return std::nullopt;
    return toc;
}

// The first section of the table of contents with this name, as USD takes it.
std::optional<Section> FindSection(const Crate& crate, std::uint64_t toc, std::string_view name) {
    Reader reader(crate.data, crate.size);
    reader.Seek(toc);
    const std::uint64_t count = reader.U64();
    if (count > reader.Left() / kTocEntrySize) return std::nullopt;
    for (std::uint64_t i = 0; i < count; ++i) {
        const char* entry = reader.Take(kTocEntrySize);
        const void* nul = std::memchr(entry, '\0', kSectionNameSize);
        const std::size_t nameSize = nul ? static_cast<const char*>(nul) - entry : kSectionNameSize;
        if (std::string_view(entry, nameSize) != name) continue;
        const std::uint64_t start = LoadLittleEndian(entry + kSectionNameSize, 8);
        const std::uint64_t size = LoadLittleEndian(entry + kSectionNameSize + 8, 8);
        if (start > crate.size || size > crate.size - start) return std::nullopt;
        return Section{crate.data + start, static_cast<std::size_t>(size)};
    }
    return std::nullopt;
}

// TOKENS: a count, then NUL-terminated tokens, compressed from 0.4.0 on.
bool ReadTokens(Section section, Crate& crate) {
    Reader reader(section.data, section.size);
    const std::uint64_t count = reader.U64();
    const std::uint64_t charCount = reader.U64();
    if (crate.version < Version(0, 4, 0)) {
        const char* chars = reader.Take(charCount);
        if (!chars) return false;
        crate.tokenChars.assign(chars, chars + charCount);
    } else {
        const std::uint64_t compressedSize = reader.U64();
        const char* compressed = reader.Take(compressedSize);
        if (!compressed || charCount > kMaxSectionBytes || charCount > MaxDecompressedSize(compressedSize)) {
            return false;
        }
        crate.tokenChars.resize(charCount);
        const auto decompressed = FastDecompress(compressed, compressedSize, crate.tokenChars.data(), charCount);
        if (decompressed != charCount) return false;
    }
    const char* at = crate.tokenChars.data();
    const char* const end = at + crate.tokenChars.size();
    while (at < end && crate.tokens.size() < count) {
        const char* nul = static_cast<const char*>(std::memchr(at, '\0', end - at));
        crate.tokens.emplace_back(at, (nul ? nul : end) - at);
        if (!nul) break;
        at = nul + 1;
    }
    return true;
}

// STRINGS: a count, then as many token indexes.
bool ReadStrings(Section section, Crate& crate) {
    Reader reader(section.data, section.size);
    const std::uint64_t count = reader.U64();
    if (count > reader.Left() / 4) return false;
    crate.strings.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) crate.strings.push_back(reader.U32());
    return true;
}

// FIELDS: a count, then before 0.4.0 16-byte fields (padding, token index,
// rep), from 0.4.0 on the token indexes as compressed integers, then the reps
// compressed.
bool ReadFields(Section section, Crate& crate) {
    Reader reader(section.data, section.size);
    const std::uint64_t count = reader.U64();
    if (crate.version < Version(0, 4, 0)) {
        if (count > reader.Left() / 16) return false;
        crate.fields.reserve(count);
        for (std::uint64_t i = 0; i < count; ++i) {
            reader.Skip(4);
            const std::uint32_t name = reader.U32();
            crate.fields.push_back({name, Rep{reader.U64()}});
        }
        return true;
    }
    if (count == 0) return reader.Ok();
    if (count > kMaxSectionBytes / 8 || count > MaxDecompressedSize(section.size) / 8) return false;
    std::vector<std::uint32_t> names;
    const std::uint64_t namesSize = reader.U64();
    const char* namesData = reader.Take(namesSize);
    if (!namesData || !DecompressIntegers(namesData, namesSize, count, &names)) return false;
    const std::uint64_t repsSize = reader.U64();
    const char* repsData = reader.Take(repsSize);
    if (!repsData) return false;
    std::vector<char> reps(count * 8);
    if (FastDecompress(repsData, repsSize, reps.data(), reps.size()) != reps.size()) return false;
    crate.fields.reserve(count);
    for (std::size_t i = 0; i < count; ++i) crate.fields.push_back({names[i], Rep{LoadLittleEndian(&reps[8 * i], 8)}});
    return true;
}

// Reads the values that can hold asset paths and gathers the paths, each once.
class Finder {
public:
    explicit Finder(const Crate& crate)
        : crate_(crate), budget_(2 * crate.size), seen_(crate.tokens.size()) {}

    void Scan(const Field& field) {
        const Rep rep = field.rep;
        if (rep.Type() == kAssetPathType) return Asset(rep);
        if (rep.IsInlined()) return;  // USD reads such a value as empty
        Reader reader = At(rep.Payload());
        switch (rep.Type()) {
            case kTimeSamplesType:
                return TimeSamples(reader);
            case kStringVectorType:
                if (Named(field, "subLayers")) Strings(reader);
                return;
            case kReferenceListOpType:
                if (Named(field, "references")) ListOp(reader, &Finder::Reference);
                return;
            case kPayloadListOpType:
                if (Named(field, "payload")) ListOp(reader, &Finder::Payload);
                return;
            case kPayloadType:  // files before 0.8.0 hold a single payload
                if (Named(field, "payload")) Payload(reader);
                return;
        }
    }

    std::vector<std::string> Take() { return std::move(paths_); }

private:
    bool Named(const Field& field, std::string_view name) const {
        return field.name < crate_.tokens.size() && crate_.tokens[field.name] == name;
    }

    Reader At(std::uint64_t offset) {
        Reader reader(crate_.data, crate_.size, &budget_);
        reader.Seek(offset);
        return reader;
    }

    void AddToken(std::uint32_t index) {
        if (index >= crate_.tokens.size() || seen_[index] || crate_.tokens[index].empty()) return;
        seen_[index] = true;
        paths_.emplace_back(crate_.tokens[index]);
    }

    void AddString(Reader& reader) {
        const std::uint32_t index = reader.U32();
        if (reader.Ok() && index < crate_.strings.size()) AddToken(crate_.strings[index]);
    }

    // An asset path is inlined as a token index; an array of them is written
    // at its offset (0: empty) as a count (after a rank before 0.5.0; 32 bits
    // before 0.7.0), then string indexes.
    void Asset(Rep rep) {
        if (!rep.IsArray()) return AddToken(static_cast<std::uint32_t>(rep.Payload()));
        if (rep.Payload() == 0) return;
        Reader reader = At(rep.Payload());
        if (crate_.version < Version(0, 5, 0)) reader.Skip(4);
        const std::uint64_t count = crate_.version < Version(0, 7, 0) ? reader.U32() : reader.U64();
        for (std::uint64_t i = 0; i < count && reader.Ok(); ++i) AddString(reader);
    }

    void Strings(Reader& reader) {
        const std::uint64_t count = reader.U64();
        for (std::uint64_t i = 0; i < count && reader.Ok(); ++i) AddString(reader);
    }

    // The times' nested data and rep, the values' nested data, then a count
    // and the values' reps.
    void TimeSamples(Reader& reader) {
        reader.JumpAhead();
        reader.Skip(8);
        reader.JumpAhead();
        const std::uint64_t count = reader.U64();
        for (std::uint64_t i = 0; i < count && reader.Ok(); ++i) {
            const Rep rep{reader.U64()};
            if (reader.Ok() && rep.Type() == kAssetPathType) Asset(rep);
        }
    }

    // A header byte, then the lists its bits announce: explicit, added,
    // prepended, appended, deleted, ordered, each a count and its items.
    void ListOp(Reader& reader, void (Finder::*item)(Reader&)) {
        static const int kListBits[] = {1, 2, 5, 6, 3, 4};
        const unsigned header = reader.U8();
        for (const int bit : kListBits) {
            if (!(header >> bit & 1)) continue;
            const std::uint64_t count = reader.U64();
            for (std::uint64_t i = 0; i < count && reader.Ok(); ++i) (this->*item)(reader);
        }
    }

    // Asset path, prim path, layer offset, custom data.
    void Reference(Reader& reader) {
        AddString(reader);
        reader.Skip(4 + kLayerOffsetSize);
        SkipDictionary(reader);
    }

    // Asset path, prim path, and from 0.8.0 on a layer offset.
    void Payload(Reader& reader) {
        AddString(reader);
        reader.Skip(4);
        if (crate_.version >= Version(0, 8, 0)) reader.Skip(kLayerOffsetSize);
    }

    // A count, then keys (string indexes) and values, each value its nested
    // data jumped over and its rep.
    void SkipDictionary(Reader& reader) {
        const std::uint64_t count = reader.U64();
        for (std::uint64_t i = 0; i < count && reader.Ok(); ++i) {
            reader.Skip(4);
            reader.JumpAhead();
            reader.Skip(8);
        }
    }

    const Crate& crate_;
    std::size_t budget_;  // what value reads may take in all: legitimate ones read each byte once
    std::vector<bool> seen_;
    std::vector<std::string> paths_;
};

std::vector<std::string> Scan(const char* data, std::size_t size) {
    Crate crate(data, size);
    const auto toc = ReadBootstrap(crate);
    if (!toc) return {};
    const auto tokens = FindSection(crate, *toc, "TOKENS");
    const auto strings = FindSection(crate, *toc, "STRINGS");
    const auto fields = FindSection(crate, *toc, "FIELDS");
    if (!tokens || !strings || !fields || !ReadTokens(*tokens, crate) || !ReadStrings(*strings, crate) ||
        !ReadFields(*fields, crate)) {
        return {};
    }
    Finder finder(crate);
    for (const Field& field : crate.fields) finder.Scan(field);
    return finder.Take();
}

}  // namespace

bool IsCrate(const char* data, std::size_t size) {
    return size >= kMagicSize && std::memcmp(data, kMagic, kMagicSize) == 0;
}

std::vector<std::string> AssetPathsInCrate(const char* data, std::size_t size) noexcept {
    try {
        return Scan(data, size);
    } catch (const std::exception&) {  // bad_alloc: the sizes are bounded, the machine may be short
        return {};
    }
}

}  // namespace arhttp
