#include "addon/FetchedAsset.h"

#include "core/text/UrlReference.h"

#include <sys/stat.h>

namespace arhttp::addon {

ContentFile FetchAsset(const Backend& backend, const std::string& resolvedPath) {
    if (IsContentUrl(resolvedPath)) return backend.FetchContent(resolvedPath);
    ContentFile file;
    struct stat status {};
    if (HasUriScheme(resolvedPath)) {
        file.why = "only http:// and https:// URLs are fetched";
    } else if (resolvedPath.empty() || stat(resolvedPath.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) {
        file.why = "no such file";
    } else {
        file.localPath = resolvedPath;
        file.size = static_cast<std::uint64_t>(status.st_size);
        file.timestamp = static_cast<double>(status.st_mtim.tv_sec) + status.st_mtim.tv_nsec / 1e9;
    }
    return file;
}

Napi::Object FetchedAssetValue(Napi::Env env, const ContentFile& file) {
    Napi::Object value = Napi::Object::New(env);
    value.Set("localPath", file.localPath);
    value.Set("etag", file.etag);
    value.Set("lastModified", file.lastModified);
    value.Set("timestamp", file.timestamp);
    value.Set("size", static_cast<double>(file.size));
    if (file.localPath.empty()) value.Set("error", file.why);
    return value;
}

}  // namespace arhttp::addon
