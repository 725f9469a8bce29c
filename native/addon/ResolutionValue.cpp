#include "ResolutionValue.h"

namespace arhttp::addon {

Napi::Object ResolutionValue(Napi::Env env, const ResolutionEngine::Resolution& resolution) {
    Napi::Object object = Napi::Object::New(env);
    object.Set("resolvedPath", resolution.resolvedPath);
    object.Set("via", ResolutionEngine::ViaName(resolution.via));
    // Change numbers only grow from 0; a double holds them exactly up to 2^53.
    if (resolution.version >= 0) object.Set("version", static_cast<double>(resolution.version));
    if (!resolution.snapshot.empty()) object.Set("snapshot", resolution.snapshot);
    if (resolution.resolvedPath.empty()) object.Set("error", UnresolvedName(resolution.why));
    return object;
}

}  // namespace arhttp::addon
