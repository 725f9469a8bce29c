#include "ArHttpContext.h"

#include "pxr/base/tf/getenv.h"

#include <functional>
#include <vector>

namespace arhttp {

ArHttpContext::ArHttpContext(const std::string& serverUrl, const std::string& pathFormat,
                             const std::map<std::string, std::string>& headers) {
    const HeaderList headerList(headers.begin(), headers.end());
    if (auto context = ServerContext::Make(serverUrl, pathFormat, headerList, &_error)) {
        _context = std::move(*context);
        _error.clear();
    }
}

ArHttpContext::ArHttpContext(ServerContext context) : _context(std::move(context)) {}

ArHttpContext ArHttpContext::FromString(const std::string& text) {
    ArHttpContext result;
    if (auto context = ServerContext::Parse(text, &result._error)) {
        result._context = std::move(*context);
        result._error.clear();
    }
    return result;
}

std::string ArHttpContext::GetAsString() const {
    return "ArHttpContext(" + Describe() + ")";
}

std::string ArHttpContext::Describe() const {
    if (!IsValid()) return "refused: " + _error;
    // Read where it is printed: a context outlives any one configuration.
    std::vector<std::string> refused;
    const auto alsoSecret = SecretHeaderNamesFrom(PXR_NS::TfGetenv("AR_HTTP_SECRET_HEADERS"), &refused);
    return _context.Describe(alsoSecret);
}

size_t hash_value(const ArHttpContext& context) {
    return std::hash<std::string>()(context.Key());
}

}  // namespace arhttp
