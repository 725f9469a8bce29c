#include "ArHttpUriSchemes.h"

#include "core/text/UrlReference.h"

#include "pxr/base/js/value.h"
#include "pxr/base/plug/registry.h"
#include "pxr/base/tf/stringUtils.h"
#include "pxr/base/tf/type.h"
#include "pxr/usd/ar/resolver.h"

#include <algorithm>
#include <cctype>

PXR_NAMESPACE_USING_DIRECTIVE

namespace arhttp {

const ArHttpUriSchemes& ArHttpUriSchemes::Get() {
    static const ArHttpUriSchemes schemes;
    return schemes;
}

ArHttpUriSchemes::ArHttpUriSchemes() {
    const TfType type = TfType::FindByName("arhttp::ArHttpUriResolver");
    const JsValue value = PlugRegistry::GetInstance().GetDataFromPluginMetaData(type, "uriSchemes");
    if (!value.IsArrayOf<std::string>()) return;
    for (const std::string& scheme : value.GetArrayOf<std::string>()) {
        _schemes.push_back(TfStringToLowerAscii(scheme));
    }
}

std::string ArHttpUriSchemes::SchemeOf(std::string_view path) {
    // RFC 3986 sec 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
    const size_t colon = path.find(':');
    if (colon == std::string_view::npos || colon == 0) return "";
    if (!std::isalpha(static_cast<unsigned char>(path[0]))) return "";
    for (size_t i = 1; i < colon; ++i) {
        const unsigned char c = static_cast<unsigned char>(path[i]);
        if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return "";
    }
    return TfStringToLowerAscii(std::string(path.substr(0, colon)));
}

bool ArHttpUriSchemes::Has(const std::string& scheme) const {
    return std::find(_schemes.begin(), _schemes.end(), scheme) != _schemes.end();
}

std::string ArHttpUriSchemes::AssetPathOf(const std::string& path) const {
    if (_schemes.empty() || IsContentUrl(path)) return path;
    const std::string scheme = SchemeOf(path);
    return !scheme.empty() && Has(scheme) ? path.substr(scheme.size() + 1) : path;
}

bool ArHttpUriSchemes::IsOtherResolvers(const std::string& path) const {
    const std::string scheme = SchemeOf(path);
    if (scheme.empty() || Has(scheme)) return false;
    const std::vector<std::string>& registered = ArGetRegisteredURISchemes();
    return std::find(registered.begin(), registered.end(), scheme) != registered.end();
}

}  // namespace arhttp
