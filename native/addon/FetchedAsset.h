// fetchAsset(): the local file of a resolved path, as JavaScript sees it.
#ifndef AR_HTTP_ADDON_FETCHED_ASSET_H
#define AR_HTTP_ADDON_FETCHED_ASSET_H

#include "addon/Backend.h"
#include "core/content/ContentFile.h"

#include <napi.h>

#include <string>

namespace arhttp::addon {

// A content URL's file in the content cache (downloaded if need be); a local
// path itself when it exists; else `why` says what is wrong.
ContentFile FetchAsset(const Backend& backend, const std::string& resolvedPath);

// { localPath, etag, lastModified, timestamp, size, error? }: error (why) when localPath is ''.
Napi::Object FetchedAssetValue(Napi::Env env, const ContentFile& file);

}  // namespace arhttp::addon

#endif
