#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/Backend.h"
#include "addon/ResolutionValue.h"
#include "core/text/UrlReference.h"

namespace arhttp::addon {

Napi::Value Resolve(const Napi::CallbackInfo& info) {
    const std::string assetPath = StringArgument(info, 0, "assetPath");
    const std::string anchor = StringArgument(info, 1, "anchor", true);
    const ServerContext context = ContextArgument(info, 2);
    const bool detailed = BooleanArgument(info, 3, "detailed");
    // The filesystem alone: the JavaScript side found that the server is one this very thread serves.
    const bool localOnly = BooleanArgument(info, 4, "localOnly");
    const auto backend = CurrentBackend();
    const std::string identifier = backend->CreateIdentifier(assetPath, anchor);
    // A URL is its own answer: no server to wait on.
    if (localOnly && !IsContentUrl(identifier)) {
        ResolutionEngine::Resolution local;
        local.resolvedPath = backend->ResolveLocal(identifier);
        local.why = Unresolved::Refused;
        if (detailed) return ResolutionValue(info.Env(), local);
        return Napi::String::New(info.Env(), local.resolvedPath);
    }
    if (detailed) return ResolutionValue(info.Env(), backend->ResolveDetailed(identifier, context));
    return Napi::String::New(info.Env(), backend->Resolve(identifier, context));
}

}  // namespace arhttp::addon
