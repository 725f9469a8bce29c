// `ar-http/server`: the resolution server, without the native binding.
export { ArHttpError, ArHttpTypeError, ErrorCodes, type ErrorCode } from '../errors';
export { loadMapFile, sampleMap, type AssetMap } from './assetMap';
export {
  createResolutionServer,
  type ResolutionServerOptions,
  type ResolveFunction,
} from './createResolutionServer';
export type { ServerTimeouts } from './limits';
export { bearerSecurityScheme } from './auth';
export { changeFeed, type ChangeFeedOptions } from './changeFeed';
export { contentFiles, type ContentFilesOptions } from './contentFiles';
export { mappingAdmin, type MappingAdminOptions } from './mappingAdmin';
export type { PluginScopeOptions } from './pluginScope';
export { resolutionRoutes, type ResolutionRoutesOptions } from './resolutionRoutes';
export { ReservedRoutes } from './routes';
export { snapshotAdmin, type SnapshotAdminOptions } from './snapshotAdmin';
export type { Answer, Change, Mapping, MappingStore, Snapshot, StoreListener, WriteCondition } from '../store/MappingStore';
export { MemoryStore } from '../store/MemoryStore';
export { jsonMapStore, openStore } from '../store/openStore';
