import { Protocol } from '../protocol';

/**
 * Paths the resolution server keeps for itself; every other path is an asset
 * path. Asset paths equal to `docs` or `openapi.json`, or starting with
 * `docs/` or `_ar/`, cannot be served (see {@link isReservedAssetPath}).
 */
export const ReservedRoutes = {
  docs: '/docs',
  openApi: '/openapi.json',
  prefix: '/_ar',
  health: '/_ar/health',
  /** POST: many asset paths in one request (see {@link createResolutionServer}). */
  batch: Protocol.batchPath,
  /** The admin API of a server that serves a map or store: `GET` all, `GET`/`PUT`/`DELETE` `/<asset path>`, `/<asset path>/history`. */
  mappings: '/_ar/mappings',
  /** `POST` makes a snapshot, `GET` lists them, `GET /<id>` shows one. */
  snapshots: Protocol.snapshotsPath,
  /** `GET`: the change feed (Server-Sent Events). */
  events: Protocol.eventsPath,
  /** `GET`/`HEAD` `/<file path>`: the content folder's files, when the server has one. */
  content: Protocol.contentPath,
} as const;

// As asset paths: without the leading slash of the URL path.
const shadowedPaths = [ReservedRoutes.docs, ReservedRoutes.openApi].map((route) => route.slice(1));
const shadowedFolders = [ReservedRoutes.docs, ReservedRoutes.prefix].map((route) => `${route.slice(1)}/`);

/** Whether `assetPath` is shadowed by one of the {@link ReservedRoutes} and so can never be asked for. */
export function isReservedAssetPath(assetPath: string): boolean {
  return shadowedPaths.includes(assetPath) || shadowedFolders.some((folder) => assetPath.startsWith(folder));
}
