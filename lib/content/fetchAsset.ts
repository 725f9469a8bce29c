import { ArHttpError, ArHttpTypeError, ErrorCodes } from '../errors';
import { type FetchedAsset, nativeBinding } from '../native/binding';
import { anyInProcessServer, inProcessServer } from '../resolve/inProcessServers';

export interface FetchAssetOptions {
  /** Answer a {@link FetchedAsset} (the file with its ETag, Last-Modified, timestamp and size) instead of the path. */
  detailed?: boolean;
}

/** {@link FetchAssetOptions} asking for a {@link FetchedAsset}. */
export interface DetailedFetchAssetOptions extends FetchAssetOptions {
  detailed: true;
}

function isDetailed(options: FetchAssetOptions | undefined): boolean {
  if (options === undefined) return false;
  if (options === null || typeof options !== 'object') {
    throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, 'options must be an object');
  }
  return options.detailed === true;
}

/** The binding's answer as the caller asked for it; what could not be had throws, naming the path and why. */
function settled(
  resolvedPath: string,
  fetched: FetchedAsset & { error?: string },
  detailed: boolean,
): string | FetchedAsset {
  const { error, ...asset } = fetched;
  if (error !== undefined) {
    throw new ArHttpError(ErrorCodes.CONTENT_UNAVAILABLE, `${JSON.stringify(resolvedPath)} is unavailable: ${error}`);
  }
  return detailed ? asset : asset.localPath;
}

/**
 * The local file of a resolved path: for an `http(s)://` URL, its file in the content cache
 * (`AR_HTTP_CONTENT_CACHE_DIR`, shared with every process of the machine, `usdcat` included), downloaded if the
 * cache lacks it, revalidated with its server at most once per `AR_HTTP_CACHE_TTL_MS` (never when it came
 * `Cache-Control: immutable`); for a local path, itself when it is a file. Anything else (another scheme, a failed or
 * refused download, a disk full) throws an `ArHttpError` `ERR_AR_HTTP_CONTENT_UNAVAILABLE` naming the path and why.
 *
 * It blocks the event loop while it downloads; {@link fetchAssetAsync} does not.
 */
export function fetchAsset(resolvedPath: string, options: DetailedFetchAssetOptions): FetchedAsset;
export function fetchAsset(resolvedPath: string, options?: FetchAssetOptions): string;
export function fetchAsset(resolvedPath: string, options?: FetchAssetOptions): string | FetchedAsset {
  const detailed = isDetailed(options);
  // A server of this very process cannot answer while the call blocks its thread: it would only wait out its deadline.
  const address = anyInProcessServer() && typeof resolvedPath === 'string' ? inProcessServer(resolvedPath) : undefined;
  if (address !== undefined) {
    throw new ArHttpError(
      ErrorCodes.CONTENT_UNAVAILABLE,
      `${JSON.stringify(resolvedPath)} is unavailable to fetchAsset(): its server (${address}) listens in this process, ` +
        'which cannot answer while the call blocks; use fetchAssetAsync()',
    );
  }
  return settled(resolvedPath, nativeBinding().fetchAsset(resolvedPath), detailed);
}

/** {@link fetchAsset} on a worker thread; the event loop stays free. */
export function fetchAssetAsync(resolvedPath: string, options: DetailedFetchAssetOptions): Promise<FetchedAsset>;
export function fetchAssetAsync(resolvedPath: string, options?: FetchAssetOptions): Promise<string>;
export async function fetchAssetAsync(resolvedPath: string, options?: FetchAssetOptions): Promise<string | FetchedAsset> {
  return settled(resolvedPath, await nativeBinding().fetchAssetAsync(resolvedPath), isDetailed(options));
}
