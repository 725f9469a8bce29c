#include "core/settings/PathFormat.h"

#include "core/text/PercentEncoding.h"
#include "core/text/PrintableText.h"

#include <utility>

namespace arhttp {

PathFormat::PathFormat(std::string text, std::string prefix, std::string suffix)
    : _text(std::move(text)), _prefix(std::move(prefix)), _suffix(std::move(suffix)) {}

std::optional<PathFormat> PathFormat::Parse(const std::string& format,
                                            std::string* error) {
    const size_t at = format.find("%s");
    if (at == std::string::npos) {
        *error = Quoted(format) + " holds no %s: it needs exactly one, where the asset path goes";
        return std::nullopt;
    }
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '%' && i != at) {
            *error = Quoted(format) + " holds a '%' other than its one %s";
            return std::nullopt;
        }
    }
    if (format.empty() || format[0] != '/') {
        *error = Quoted(format) + " must start with '/'";
        return std::nullopt;
    }
    for (unsigned char c : format) {
        if (c <= 0x20 || c == 0x7F) {
            *error = Quoted(format) + " holds a space or control character";
            return std::nullopt;
        }
    }
    return PathFormat(format, format.substr(0, at), format.substr(at + 2));
}

std::string PathFormat::Expand(const std::string& assetPath) const {
    return _prefix + PercentEncodePath(assetPath) + _suffix;
}

}  // namespace arhttp
