// What resolution asks before any server: the filesystem, as OpenUSD's
// default resolver sees it (FileSystemResolver in the standalone binding,
// ArDefaultResolver itself in the plugin).
#ifndef AR_HTTP_CORE_LOCAL_RESOLVER_H
#define AR_HTTP_CORE_LOCAL_RESOLVER_H

#include <string>

namespace arhttp {

class LocalResolver {
public:
    virtual ~LocalResolver() = default;
    // The resolved path of an asset found locally, or "". Safe from any thread.
    virtual std::string Resolve(const std::string& identifier) const = 0;
};

}  // namespace arhttp

#endif
