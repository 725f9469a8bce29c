// The asset paths a layer names, found without composing it, so that they can
// be resolved ahead, in one batch request, before composition asks.
#ifndef AR_HTTP_CORE_LAYER_SCANNER_H
#define AR_HTTP_CORE_LAYER_SCANNER_H

#include <cstddef>
#include <string>
#include <vector>

namespace arhttp {

// Every @path@ and @@@path@@@ of a .usda text outside comments and strings,
// in order of appearance. A few too many (asset-valued attributes) do no harm.
std::vector<std::string> AssetPathsInText(const char* text, std::size_t size);

// The asset paths one layer of a layer file names.
struct LayerAssetPaths {
    // Where the layer is inside the file's package, outermost first (nested
    // packages); empty for the file itself.
    std::vector<std::string> packagedPath;
    std::vector<std::string> assetPaths;
};

// What a layer file names, told by its content: a .usda text ("#usda"), a
// crate ("PXR-USDC", .usdc or .usd), or a .usdz package (a zip) whose layers,
// nested packages included, are read in place. Nothing for anything else.
std::vector<LayerAssetPaths> AssetPathsInLayerFile(const char* data, std::size_t size);

// Whether a file of this extension (without the dot) is a layer file whose
// asset paths are worth looking at when it opens: layers, not images.
bool IsLayerFileExtension(const std::string& extension);

// How many first bytes FitsLayerName reads.
constexpr std::size_t kLayerMagicBytes = 8;
// Whether a file named `fileName` can start with `head` (its first bytes, up
// to kLayerMagicBytes; fewer for a shorter file): a .usdc is a crate, a .usda
// a text layer, a .usdz a zip, a .usd either of the first two; any other name
// fits anything. Tells an HTML error page sent with 200 from the layer asked for.
bool FitsLayerName(const std::string& fileName, const char* head, std::size_t size);

}  // namespace arhttp

#endif
