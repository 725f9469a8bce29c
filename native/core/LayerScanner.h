// The asset paths a text layer names, found without parsing it, so that they
// can be resolved ahead, in one batch request, before composition asks.
#ifndef AR_HTTP_CORE_LAYER_SCANNER_H
#define AR_HTTP_CORE_LAYER_SCANNER_H

#include <cstddef>
#include <string>
#include <vector>

namespace arhttp {

// Every @path@ and @@@path@@@ of a .usda text outside comments and strings,
// in order of appearance. A few too many (asset-valued attributes) do no harm.
std::vector<std::string> AssetPathsInText(const char* text, std::size_t size);

}  // namespace arhttp

#endif
