// FilesInZip, on zips written here record by record (local header and data,
// central directory, end record): stored, deflated, encrypted and directory
// entries, damaged directories, every truncation; then a usdz of each crate
// file usdcat wrote, whose layer must scan as the file alone. Zips are copied
// into buffers of their exact size so AddressSanitizer sees any read past
// their end.
#include "check.h"

#include "core/layers/CrateScanner.h"
#include "core/layers/ZipArchive.h"

#include <cstdint>
#include <memory>

namespace units {

namespace {


struct Entry {
    std::string name;
    std::string data;
    int method = 0;  // 0: stored, 8: deflated
    int flags = 0;   // bit 0: encrypted
    size_t uncompressedSize = std::string::npos;  // npos: data's size
};

// Checksums are left 0: nothing here reads them.
std::string WriteZip(const std::vector<Entry>& entries, const std::string& comment = "") {
    std::string zip;
    std::string directory;
    for (const Entry& entry : entries) {
        const size_t uncompressed = entry.uncompressedSize == std::string::npos ? entry.data.size()
                                                                                : entry.uncompressedSize;
        const std::string common = U16(20) + U16(entry.flags) + U16(entry.method) + U32(0) + U32(0) +
                                   U32(entry.data.size()) + U32(uncompressed) + U16(entry.name.size()) + U16(0);
        directory += U32(0x02014b50) + U16(20) + common + U16(0) + U16(0) + U16(0) + U32(0) + U32(zip.size()) +
                     entry.name;
        zip += U32(0x04034b50) + common + entry.name + entry.data;
    }
    const size_t directoryOffset = zip.size();
    return zip + directory + U32(0x06054b50) + U16(0) + U16(0) + U16(entries.size()) + U16(entries.size()) +
           U32(directory.size()) + U32(directoryOffset) + U16(comment.size()) + comment;
}

using Files = std::vector<std::pair<std::string, std::string>>;

// The files found, named and with their bytes; each must lie within the zip.
Files Read(const std::string& zip, size_t size) {
    std::unique_ptr<char[]> exact(new char[size]);
    std::copy(zip.data(), zip.data() + size, exact.get());
    Files files;
    for (const arhttp::PackagedLayer& file : arhttp::FilesInZip(exact.get(), size)) {
        const bool within = file.data >= exact.get() && file.size <= size &&
                            static_cast<size_t>(file.data - exact.get()) <= size - file.size;
        CHECK(within);
        files.emplace_back(file.name, std::string(file.data, file.size));
    }
    return files;
}

Files Read(const std::string& zip) {
    return Read(zip, zip.size());
}

std::string Patched(std::string zip, size_t at, std::uint32_t value) {
    return zip.replace(at, 4, U32(value));
}

const std::string kLayer = "#usda 1.0\n(subLayers = [@a.usda@])\n";
const std::string kTexture = "\x89PNG not really";
// "hello", deflated.
const std::string kDeflated("\xCB\x48\xCD\xC9\xC9\x07\x00", 7);

void Stored() {
    const std::string zip = WriteZip({{"scene.usda", kLayer},
                                      {"notes.txt", kDeflated, 8, 0, 5},
                                      {"textures/", ""},
                                      {"secret.usda", kLayer, 0, 1},
                                      {"textures/wood.png", kTexture},
                                      {"empty.usda", ""}},
                                     "made by hand");
    CHECK_EQ(Read(zip), (Files{{"scene.usda", kLayer}, {"textures/wood.png", kTexture}, {"empty.usda", ""}}));
    CHECK_EQ(Read(WriteZip({})), Files{});
    CHECK_EQ(Read(""), Files{});
    CHECK_EQ(Read("PK"), Files{});
    CHECK_EQ(Read(std::string(22, '\0')), Files{});
    CHECK_EQ(Read(kLayer), Files{});
}

void Damaged() {
    const std::string zip = WriteZip({{"scene.usda", kLayer}, {"textures/wood.png", kTexture}});
    const size_t end = zip.size() - 22;
    const size_t directory = zip.size() - 22 - 2 * 46 - 10 - 17;
    const Files both{{"scene.usda", kLayer}, {"textures/wood.png", kTexture}};
    const Files second{{"textures/wood.png", kTexture}};
    CHECK_EQ(Read(zip), both);
    // The directory outside the data, or running into the end record.
    CHECK_EQ(Read(Patched(zip, end + 16, zip.size())), Files{});
    CHECK_EQ(Read(Patched(zip, end + 12, 1000)), Files{});
    CHECK_EQ(Read(Patched(zip, end + 4, 1)), Files{});  // another disk
    // More entries claimed than the directory holds: those it holds.
    CHECK_EQ(Read(zip.substr(0, end + 8) + U16(9) + U16(9) + zip.substr(end + 12)), both);
    // An entry whose local header is outside the data or not one, or whose
    // data runs past the end, or whose sizes differ: left out.
    CHECK_EQ(Read(Patched(zip, directory + 42, zip.size())), second);
    CHECK_EQ(Read(Patched(zip, 0, 0)), second);
    CHECK_EQ(Read(Patched(Patched(zip, directory + 20, 1 << 20), directory + 24, 1 << 20)), second);
    CHECK_EQ(Read(Patched(zip, directory + 24, 1)), second);
    // A name running past the directory ends it.
    CHECK_EQ(Read(Patched(zip, directory + 28, 0xFFFF)), Files{});
    // Cut short, a zip loses its end record.
    size_t truncatedFinds = 0;
    for (size_t size = 0; size < zip.size(); ++size) truncatedFinds += Read(zip, size).size();
    CHECK_EQ(truncatedFinds, 0u);
}

// A crate file usdcat wrote, packaged after a texture: the layer found in the
// package scans as the file does.
void Packages(const std::vector<CrateFile>& crates) {
    for (const CrateFile& crate : crates) {
        const std::string usdz = WriteZip({{"textures/wood.png", kTexture}, {crate.name, crate.bytes}});
        std::unique_ptr<char[]> exact(new char[usdz.size()]);
        std::copy(usdz.begin(), usdz.end(), exact.get());
        const std::vector<arhttp::PackagedLayer> files = arhttp::FilesInZip(exact.get(), usdz.size());
        if (!CHECK_EQ(std::make_pair(crate.name, files.size()), std::make_pair(crate.name, size_t(2)))) continue;
        CHECK_EQ(files[1].name, crate.name);
        CHECK_EQ(arhttp::AssetPathsInCrate(files[1].data, files[1].size),
                 arhttp::AssetPathsInCrate(crate.bytes.data(), crate.bytes.size()));
    }
}

}  // namespace

void Zip(const std::vector<CrateFile>& fromUsdcat) {
    Stored();
    Damaged();
    Packages(fromUsdcat);
}

}  // namespace units
