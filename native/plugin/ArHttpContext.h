// ArHttpContext: a resolver context object naming the resolution server (and
// path format and headers) that a stage's asset paths are resolved through.
//
//   ArResolverContext context(ArHttpContext("https://assets.example:8443"));
//   UsdStageRefPtr stage = UsdStage::Open("shot.usda", context);
//
// or from a string, with ArGetResolver().CreateContextFromString(
//   "https://assets.example:8443;pathFormat=/v1/%s;header.Authorization=Bearer t").
#ifndef AR_HTTP_PLUGIN_AR_HTTP_CONTEXT_H
#define AR_HTTP_PLUGIN_AR_HTTP_CONTEXT_H

#include "Api.h"

#include "core/settings/ServerContext.h"

#include "pxr/pxr.h"
#include "pxr/usd/ar/defineResolverContext.h"

#include <map>
#include <string>

namespace arhttp {

class AR_HTTP_API ArHttpContext {
public:
    // The environment's settings.
    ArHttpContext() = default;
    // Empty parts keep the environment's. A refused part makes a context
    // that resolves nothing through HTTP; GetError() says why, and resolving
    // with it warns once.
    explicit ArHttpContext(const std::string& serverUrl, const std::string& pathFormat = "",
                           const std::map<std::string, std::string>& headers = {});
    explicit ArHttpContext(ServerContext context);
    // The string form of arhttp::ServerContext::Parse.
    static ArHttpContext FromString(const std::string& text);

    bool IsValid() const { return _error.empty(); }
    const std::string& GetError() const { return _error; }
    const ServerContext& GetServerContext() const { return _context; }

    // For debugging: "ArHttpContext(<Describe()>)".
    std::string GetAsString() const;
    // Its settings in the string form, secret header values redacted, or
    // "refused: <why>".
    std::string Describe() const;

    bool operator<(const ArHttpContext& other) const { return Key() < other.Key(); }
    bool operator==(const ArHttpContext& other) const { return Key() == other.Key(); }
    bool operator!=(const ArHttpContext& other) const { return !(*this == other); }

    // Tells contexts apart, for Ar's maps; holds header values: never print it.
    std::string Key() const { return _error.empty() ? _context.Key() : "\1" + _error; }

private:
    ServerContext _context;
    std::string _error;
};

AR_HTTP_API size_t hash_value(const ArHttpContext& context);

inline std::string ArGetDebugString(const ArHttpContext& context) {
    return context.GetAsString();
}

}  // namespace arhttp

PXR_NAMESPACE_OPEN_SCOPE

AR_DECLARE_RESOLVER_CONTEXT(arhttp::ArHttpContext);

PXR_NAMESPACE_CLOSE_SCOPE

#endif
