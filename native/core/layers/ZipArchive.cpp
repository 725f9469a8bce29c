#include "core/layers/ZipArchive.h"

#include "core/layers/LittleEndian.h"

#include <cstdint>
#include <exception>
#include <optional>

// The records read here are those of the zip specification (APPNOTE.TXT,
// 4.3.7, 4.3.12, 4.3.16), all little-endian.

namespace arhttp {

namespace {

constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr std::uint32_t kEndRecordSignature = 0x06054b50;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kMaxCommentSize = 0xFFFF;
constexpr unsigned kStored = 0;
constexpr unsigned kEncryptedBit = 1;

// At most 4 bytes: a zip's fields are 16 or 32 bits wide.
std::uint32_t Load(const char* at, int bytes) {
    return static_cast<std::uint32_t>(LoadLittleEndian(at, bytes));
}

struct Directory {
    std::size_t offset;
    std::size_t size;
    unsigned entries;
};

// The end of central directory record: the last signature whose comment ends
// the data; it is within the last 64 KiB.
std::optional<Directory> FindDirectory(const char* data, std::size_t size) {
    if (size < kEndRecordSize) return std::nullopt;
    const std::size_t last = size - kEndRecordSize;
    const std::size_t first = last > kMaxCommentSize ? last - kMaxCommentSize : 0;
    for (std::size_t at = last + 1; at-- > first;) {
        const char* record = data + at;
        if (Load(record, 4) != kEndRecordSignature || Load(record + 20, 2) != last - at) continue;
        const bool singleDisk = Load(record + 4, 2) == 0 && Load(record + 6, 2) == 0;
        const std::size_t offset = Load(record + 16, 4);
        const std::size_t length = Load(record + 12, 4);
        if (!singleDisk || offset > at || length > at - offset) return std::nullopt;
        return Directory{offset, length, Load(record + 10, 2)};
    }
    return std::nullopt;
}

// The data of the file whose local header is at `offset`, if all of it is
// within [data, data + size).
const char* FileData(const char* data, std::size_t size, std::size_t offset, std::size_t fileSize) {
    if (offset > size || size - offset < kLocalHeaderSize) return nullptr;
    const char* header = data + offset;
    if (Load(header, 4) != kLocalHeaderSignature) return nullptr;
    const std::size_t start = offset + kLocalHeaderSize + Load(header + 26, 2) + Load(header + 28, 2);
    if (start > size || fileSize > size - start) return nullptr;
    return data + start;
}

std::vector<PackagedLayer> ReadDirectory(const char* data, std::size_t size, const Directory& directory) {
    std::vector<PackagedLayer> files;
    const char* at = data + directory.offset;
    const char* const end = at + directory.size;
    for (unsigned entry = 0; entry < directory.entries; ++entry) {
        if (static_cast<std::size_t>(end - at) < kCentralHeaderSize || Load(at, 4) != kCentralHeaderSignature) break;
        const std::size_t nameSize = Load(at + 28, 2);
        const std::size_t entrySize = kCentralHeaderSize + nameSize + Load(at + 30, 2) + Load(at + 32, 2);
        if (entrySize > static_cast<std::size_t>(end - at)) break;
        const std::string name(at + kCentralHeaderSize, nameSize);
        const bool stored = Load(at + 10, 2) == kStored && !(Load(at + 8, 2) & kEncryptedBit);
        const std::size_t fileSize = Load(at + 20, 4);
        const bool isDirectory = !name.empty() && name.back() == '/';
        if (stored && fileSize == Load(at + 24, 4) && !isDirectory) {
            if (const char* file = FileData(data, size, Load(at + 42, 4), fileSize)) {
                files.push_back({name, file, fileSize});
            }
        }
        at += entrySize;
    }
    return files;
}

}  // namespace

std::vector<PackagedLayer> FilesInZip(const char* data, std::size_t size) noexcept {
    try {
        const auto directory = FindDirectory(data, size);
        return directory ? ReadDirectory(data, size, *directory) : std::vector<PackagedLayer>{};
    } catch (const std::exception&) {  // bad_alloc: names are bounded, the machine may be short
        return {};
    }
}

}  // namespace arhttp
