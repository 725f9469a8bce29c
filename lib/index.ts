export { ArHttpError, ArHttpTypeError, ErrorCodes, type ErrorCode, WarningCodes, type WarningCode } from './errors';
export * from './client';
export type { Backend, FetchedAsset, Resolution, ResolutionError, ResolutionVia, ResolverChange, ResolverConfig, ResolverContext } from './native/binding';
export {
  fetchAsset,
  fetchAssetAsync,
  type DetailedFetchAssetOptions,
  type FetchAssetOptions,
} from './content/fetchAsset';
export { clearCache, config, reloadConfig } from './resolve/config';
export { configure, type ConfigureOptions } from './resolve/configure';
export {
  backend,
  createIdentifier,
  resolve,
  resolveAsync,
  resolveMany,
  type DetailedResolveOptions,
  type ResolveOptions,
} from './resolve/resolve';
export * from './server';
export { ChangeWatch, watch } from './resolve/watch';
export * from './pin';
export { pluginPath } from './usd/pluginPath';
