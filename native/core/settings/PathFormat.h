// AR_HTTP_PATH_FORMAT: where the asset path goes in the request URL.
#ifndef AR_HTTP_CORE_PATH_FORMAT_H
#define AR_HTTP_CORE_PATH_FORMAT_H

#include <optional>
#include <string>

namespace arhttp {

class PathFormat {
public:
    static constexpr const char* kDefault = "/%s";

    // Accepts a format holding exactly one "%s" and no other '%'. The format
    // is split once here and never handed to a printf-style function.
    // Returns nothing and sets `error` when the format is refused.
    static std::optional<PathFormat> Parse(const std::string& format,
                                           std::string* error);

    // The request target for an asset path: prefix + encoded path + suffix.
    std::string Expand(const std::string& assetPath) const;

    const std::string& Text() const { return _text; }

private:
    PathFormat(std::string text, std::string prefix, std::string suffix);

    std::string _text;
    std::string _prefix;
    std::string _suffix;
};

}  // namespace arhttp

#endif
