export { ArHttpError, ArHttpTypeError, ErrorCodes, type ErrorCode } from './errors';
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
export * from './server';
export { pluginPath } from './usd/pluginPath';
