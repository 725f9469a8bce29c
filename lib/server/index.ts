// `ar-http/server`: the resolution server, without the native binding.
export { ArHttpError, ArHttpTypeError, ErrorCodes, type ErrorCode } from '../errors';
export { loadMapFile, sampleMap, type AssetMap } from './assetMap';
export {
  createResolutionServer,
  type ResolutionServerOptions,
  type ResolveFunction,
} from './createResolutionServer';
export type { ServerTimeouts } from './limits';
export { ReservedRoutes } from './routes';
