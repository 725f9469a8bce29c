#include "ArHttpContext.h"

#include "pxr/base/tf/getenv.h"

#include <functional>
#include <vector>

PXR_NAMESPACE_OPEN_SCOPE

ArHttpContext::ArHttpContext(const std::string& serverUrl, const std::string& pathFormat,
                             const std::map<std::string, std::string>& headers) {
    const arhttp::HeaderList headerList(headers.begin(), headers.end());
    if (auto context = arhttp::ServerContext::Make(serverUrl, pathFormat, headerList, &_error)) {
        _context = std::move(*context);
        _error.clear();
    }
}

ArHttpContext::ArHttpContext(arhttp::ServerContext context) : _context(std::move(context)) {}

ArHttpContext ArHttpContext::FromString(const std::string& text) {
    ArHttpContext result;
    if (auto context = arhttp::ServerContext::Parse(text, &result._error)) {
        result._context = std::move(*context);
        result._error.clear();
    }
    return result;
}

std::string ArHttpContext::GetAsString() const {
    // Read where it is printed: a context outlives any one configuration.
    std::vector<std::string> refused;
    const auto alsoSecret =
        arhttp::SecretHeaderNamesFrom(TfGetenv("AR_HTTP_SECRET_HEADERS"), &refused);
    return IsValid() ? "ArHttpContext(" + _context.Describe(alsoSecret) + ")"
                     : "ArHttpContext(refused: " + _error + ")";
}

size_t hash_value(const ArHttpContext& context) {
    return std::hash<std::string>()(context.CacheKeyPrefix());
}

PXR_NAMESPACE_CLOSE_SCOPE
