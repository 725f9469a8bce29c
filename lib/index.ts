export { ArHttpError, ErrorCodes, type ErrorCode } from './errors';
export * from './client';
export type { Backend, ResolverConfig, ResolverContext } from './native/binding';
export { clearCache, config, reloadConfig } from './resolve/config';
export {
  backend,
  createIdentifier,
  resolve,
  resolveAsync,
  resolveMany,
  type ResolveOptions,
} from './resolve/resolve';
export { loadMapFile, sampleMap, type AssetMap } from './server/assetMap';
export type { ServerTimeouts } from './server/limits';
export {
  createResolutionServer,
  type ResolutionServerOptions,
  type ResolveFunction,
} from './server/createResolutionServer';
export { ReservedRoutes } from './server/routes';
export { pluginPath } from './usd/pluginPath';
