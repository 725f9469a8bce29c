// The asset paths a crate layer (binary .usdc, or .usd holding one) names,
// found by reading only its structural sections and the few values that can
// hold asset paths, so that they can be resolved ahead, in one batch request,
// before composition asks. Every byte is taken for hostile input.
#ifndef AR_HTTP_CORE_CRATE_SCANNER_H
#define AR_HTTP_CORE_CRATE_SCANNER_H

#include <cstddef>
#include <string>
#include <vector>

namespace arhttp {

// Whether `data` starts with the crate magic "PXR-USDC".
bool IsCrate(const char* data, std::size_t size);

// The asset paths a crate layer names: its subLayers, the asset paths of the
// references and payloads (every list of their list ops, and the single
// payload of files older than 0.8.0), and asset-valued fields (asset and
// asset[], default values and time samples), each once, in the order found;
// empty ones left out. Crate versions 0.0.1 to 0.12.x (what USD 24.11 reads);
// others, and corrupt files, give nothing or what was found before the damage.
std::vector<std::string> AssetPathsInCrate(const char* data, std::size_t size) noexcept;

}  // namespace arhttp

#endif
