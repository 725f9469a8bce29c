/**
 * Paths the resolution server keeps for itself; every other path is an asset
 * path. Asset paths equal to `docs` or `openapi.json`, or starting with
 * `docs/` or `_ar/`, cannot be served.
 */
export const ReservedRoutes = {
  docs: '/docs',
  openApi: '/openapi.json',
  prefix: '/_ar',
  health: '/_ar/health',
  /** POST: many asset paths in one request (see {@link createResolutionServer}). */
  batch: '/_ar/resolve',
} as const;

/** Asset paths one batch request may hold. */
export const MAX_BATCH = 10000;
