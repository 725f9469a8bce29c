// The functions the addon exports, one per file.
#ifndef AR_HTTP_ADDON_METHODS_H
#define AR_HTTP_ADDON_METHODS_H

#include <napi.h>

namespace arhttp::addon {

// resolve(assetPath, anchor?, context?, detailed?) -> string, or with
// `detailed` { resolvedPath, via, version?, snapshot?, error? } (ResolutionValue)
Napi::Value Resolve(const Napi::CallbackInfo& info);
// resolveAsync(assetPath, anchor?, context?, detailed?) -> Promise of the same
Napi::Value ResolveAsync(const Napi::CallbackInfo& info);
// resolveManyAsync(assetPaths, anchor?, context?, detailed?) -> Promise of an array of them
Napi::Value ResolveManyAsync(const Napi::CallbackInfo& info);
// resolveLocalMany(identifiers) -> Promise<string[]>: what the filesystem
// alone answers for each ("" for nothing), as the backend's local side sees
// it; a content URL answers itself
Napi::Value ResolveLocalMany(const Napi::CallbackInfo& info);
// layerAssetPaths(files) -> Promise<({ isLayer, layers: { packagedPath, assetPaths }[],
// packagedFiles } | string)[]>: for each file, the asset paths each of its
// layers names (LayerScanner's AssetPathsInLayerFile: none for a file that is
// no layer) and the files a package holds, or why it could not be read. A
// content URL is read from the content cache (fetchAsset), and in a package
// by URL the relative paths that stay inside it are left out
Napi::Value LayerAssetPaths(const Napi::CallbackInfo& info);
// createIdentifier(assetPath, anchor?) -> string
Napi::Value CreateIdentifier(const Napi::CallbackInfo& info);
// resolveManyAfresh(identifiers, context?) -> Promise<{ resolved: string[],
// warnings: number }>: Backend::ResolveManyAfresh, an engine of their own
Napi::Value ResolveManyAfresh(const Napi::CallbackInfo& info);
// onWarning(listener(code, message)) -> undefined: the backend's warnings
// reach `listener` on this thread (WarningListeners), no longer stderr
Napi::Value OnWarning(const Napi::CallbackInfo& info);
// fetchAsset(resolvedPath) -> { localPath, etag, lastModified, timestamp,
// size, error? } (FetchedAssetValue): the local file of a content URL, from
// the content cache (downloaded if need be), or of a local path
Napi::Value FetchAsset(const Napi::CallbackInfo& info);
// fetchAssetAsync(resolvedPath) -> Promise of the same
Napi::Value FetchAssetAsync(const Napi::CallbackInfo& info);
// clearCache() -> undefined
Napi::Value ClearCache(const Napi::CallbackInfo& info);
// config() -> object
Napi::Value GetConfig(const Napi::CallbackInfo& info);
// reloadConfig(environment) -> object, as config() once settings are read
// again from `environment` (process.env: Node's view of the environment)
Napi::Value ReloadConfig(const Napi::CallbackInfo& info);
// watchChanges(listener(changes, everything)) -> stop(): the environment's
// server's change feed, followed by the backend (ResolutionEngine::Watch)
Napi::Value WatchChanges(const Napi::CallbackInfo& info);
// stopBackgroundWork() -> undefined: StopBackgroundWork (Backend.h), for the
// main thread's 'exit' event (ExitStop.h)
Napi::Value StopAllBackgroundWork(const Napi::CallbackInfo& info);

}  // namespace arhttp::addon

#endif
