// The filesystem half of resolution, following OpenUSD's ArDefaultResolver so
// that the standalone core and the USD plugin agree on what counts as local.
#ifndef AR_HTTP_CORE_FILE_SYSTEM_RESOLVER_H
#define AR_HTTP_CORE_FILE_SYSTEM_RESOLVER_H

#include "core/local/LocalResolver.h"

#include <string>
#include <vector>

namespace arhttp {

class FileSystemResolver : public LocalResolver {
public:
    // `searchPaths` are tried, in order, for search-path-style asset paths
    // (relative, not starting with "./" or "../") after the working directory.
    explicit FileSystemResolver(std::vector<std::string> searchPaths);

    // Splits PXR_AR_DEFAULT_SEARCH_PATH (':'-separated) into absolute folders.
    static std::vector<std::string> ParseSearchPath(const std::string& value);

    // ArDefaultResolver::_CreateIdentifier, except that the anchored probe of
    // a search-path-style path only ever looks at the filesystem.
    std::string CreateIdentifier(const std::string& assetPath,
                                 const std::string& anchor) const;

    // ArDefaultResolver::_Resolve: an absolute, normalised path of an
    // existing file, or "" when the filesystem has nothing.
    std::string Resolve(const std::string& assetPath) const override;

    static bool IsSearchPath(const std::string& path);
    static std::string NormPath(const std::string& path);

private:
    std::vector<std::string> _searchPaths;
};

}  // namespace arhttp

#endif
