#include "core/layers/LayerScanner.h"

#include "core/layers/CrateScanner.h"
#include "core/layers/ZipArchive.h"

#include <array>
#include <cctype>
#include <cstring>

namespace arhttp {

namespace {

// Packages inside packages are read this deep, no deeper.
constexpr int kMaxPackageDepth = 4;

constexpr const char* kTextMagic = "#usda";
constexpr const char* kZipMagic = "PK\x03\x04";

bool StartsWith(const char* data, std::size_t size, const char* prefix) {
    const std::size_t length = std::strlen(prefix);
    return size >= length && std::memcmp(data, prefix, length) == 0;
}

void ScanLayerFile(const char* data, std::size_t size, std::vector<std::string>& packagedPath,
                   int depth, std::vector<LayerAssetPaths>* found) {
    std::vector<std::string> assetPaths;
    if (StartsWith(data, size, kTextMagic)) {
        assetPaths = AssetPathsInText(data, size);
    } else if (IsCrate(data, size)) {
        assetPaths = AssetPathsInCrate(data, size);
    } else if (StartsWith(data, size, kZipMagic) && depth < kMaxPackageDepth) {
        for (const PackagedLayer& file : FilesInZip(data, size)) {
            packagedPath.push_back(file.name);
            ScanLayerFile(file.data, file.size, packagedPath, depth + 1, found);
            packagedPath.pop_back();
        }
    }
    if (!assetPaths.empty()) found->push_back({packagedPath, std::move(assetPaths)});
}

}  // namespace

std::vector<LayerAssetPaths> AssetPathsInLayerFile(const char* data, std::size_t size) {
    std::vector<LayerAssetPaths> found;
    std::vector<std::string> packagedPath;
    ScanLayerFile(data, size, packagedPath, 0, &found);
    return found;
}

bool FitsLayerName(const std::string& fileName, const char* head, std::size_t size) {
    const size_t dot = fileName.rfind('.');
    std::string extension = dot == std::string::npos ? std::string() : fileName.substr(dot + 1);
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool text = StartsWith(head, size, kTextMagic);
    if (extension == "usda") return text;
    if (extension == "usdc") return IsCrate(head, size);
    if (extension == "usd") return text || IsCrate(head, size);
    if (extension == "usdz") return StartsWith(head, size, kZipMagic);
    return true;
}

std::vector<std::string> AssetPathsInText(const char* text, std::size_t size) {
    std::vector<std::string> paths;
    // Most text layers (schemas, geometry) name no asset at all.
    if (!std::memchr(text, '@', size)) return paths;
    // What can start a comment, a string or an asset path; the rest is skipped fast.
    static const std::array<bool, 256> special = [] {
        std::array<bool, 256> table{};
        for (unsigned char c : {'#', '"', '\'', '@'}) table[c] = true;
        return table;
    }();
    const char* const end = text + size;
    for (const char* at = text; at < end; ++at) {
        while (!special[static_cast<unsigned char>(*at)] && ++at < end) {
        }
        if (at == end) break;
        if (*at == '#') {  // a comment runs to the end of its line
            at = static_cast<const char*>(std::memchr(at, '\n', end - at));
            if (!at) break;
        } else if (*at == '"' || *at == '\'') {  // text in a string names no asset
            const char quote = *at;
            for (++at; at < end && *at != quote && *at != '\n'; ++at) {
                if (*at == '\\' && at + 1 < end) ++at;
            }
            if (at == end) break;
        } else if (*at == '@') {
            const bool triple = end - at >= 3 && at[1] == '@' && at[2] == '@';
            const char* begin = at + (triple ? 3 : 1);
            const char* close = nullptr;
            for (const char* c = begin; c < end && *c != '\n'; ++c) {
                if (*c == '@' && (!triple || (end - c >= 3 && c[1] == '@' && c[2] == '@'))) {
                    close = c;
                    break;
                }
            }
            if (!close) continue;
            if (close > begin) paths.emplace_back(begin, close);
            at = close + (triple ? 2 : 0);
        }
    }
    return paths;
}

bool IsLayerFileExtension(const std::string& extension) {
    return extension == "usda" || extension == "usdc" || extension == "usd" || extension == "usdz";
}

}  // namespace arhttp
