// The URI schemes ar-http resolves beside another primary resolver, as
// plugInfo.json registers them for ArHttpUriResolver (CMake's
// AR_HTTP_URI_SCHEMES, stated there once). "arhttp:chess/Bishop" asks the
// server for "chess/Bishop"; an http(s) scheme names remote content, which
// is kept whole.
#ifndef AR_HTTP_PLUGIN_AR_HTTP_URI_SCHEMES_H
#define AR_HTTP_PLUGIN_AR_HTTP_URI_SCHEMES_H

#include <string>
#include <string_view>
#include <vector>

namespace arhttp {

class ArHttpUriSchemes {
public:
    // Read once from the plugin's metadata.
    static const ArHttpUriSchemes& Get();

    // Lower case, as Ar keeps them; empty when none is registered.
    const std::vector<std::string>& GetSchemes() const { return _schemes; }
    // Whether `scheme` (lower case) is one of ours.
    bool Has(const std::string& scheme) const;
    // The lower-case scheme `path` starts with ("" for none).
    static std::string SchemeOf(std::string_view path);
    // `path` without a scheme of ours that prefixes an asset path ("arhttp:"),
    // else `path` itself.
    std::string AssetPathOf(const std::string& path) const;
    // Whether `path` starts with a URI scheme that another resolver handles:
    // no request of ours could answer it.
    bool IsOtherResolvers(const std::string& path) const;

private:
    ArHttpUriSchemes();

    std::vector<std::string> _schemes;
};

}  // namespace arhttp

#endif
