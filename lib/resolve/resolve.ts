import { ArHttpTypeError, ErrorCodes, WarningCodes } from '../errors';
import {
  type Backend,
  type NativeBinding,
  nativeBinding,
  type Resolution,
  type ResolutionError,
  type ResolverContext,
} from '../native/binding';
import { emitArHttpWarning } from '../native/warnings';
import { anyInProcessServer, inProcessServer } from './inProcessServers';

export interface ResolveOptions {
  /**
   * The resolved path of the layer that refers to the asset: `./` and `../`
   * paths are taken relative to it, and search-path-style paths are looked
   * for beside it first, as OpenUSD's default resolver does.
   */
  anchor?: string;
  /**
   * Resolve through another server, path format or headers than the
   * environment's, as a stage opened with an `ArHttpContext` does. Answers
   * are kept apart per context.
   */
  context?: ResolverContext;
  /**
   * Answer `{ resolvedPath, via, version?, snapshot?, error? }` instead of the path: where the answer came from
   * (`'filesystem'`, `'cache'`, `'server'`, `'pin file'`, `'url'` for an http(s) URL, its own answer), the number of the change that set a server's answer
   * when the server said it, the snapshot it is as of, and when unresolved why ({@link ResolutionError}).
   */
  detailed?: boolean;
}

/** {@link ResolveOptions} asking for a {@link Resolution}. */
export interface DetailedResolveOptions extends ResolveOptions {
  detailed: true;
}

function argumentsOf(
  options: ResolveOptions | undefined,
): [string | undefined, ResolverContext | undefined, boolean | undefined] {
  if (options === undefined) return [undefined, undefined, undefined];
  if (options === null || typeof options !== 'object') {
    throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, 'options must be an object');
  }
  return [options.anchor, options.context, options.detailed];
}

const warnedOf = new Set<string>();

/**
 * Whether the server a synchronous resolve would ask listens in this very process: it could not answer while the
 * call blocks its thread, so the call would wait out its deadline and then trip fail-fast for every later resolve.
 * Warns once per server.
 */
function waitsOnItself(binding: NativeBinding, context: ResolverContext | undefined): boolean {
  // Nothing more to learn when no server of ar-http listens here, the usual case.
  if (!anyInProcessServer()) return false;
  const settings = binding.config();
  const pinned = (context?.pins ?? settings.pinFile) !== '' && settings.pinFallback === 'none';
  const address = pinned ? undefined : inProcessServer(context?.serverUrl ?? settings.serverUrl);
  if (address === undefined) return false;
  if (!warnedOf.has(address)) {
    warnedOf.add(address);
    emitArHttpWarning(
      WarningCodes.SAME_PROCESS_SERVER,
      `resolve() is synchronous, and the resolution server it would ask (${address}) listens in this process, ` +
        'which cannot answer while the call blocks: only the filesystem answered; use resolveAsync() or resolveMany()',
    );
  }
  return true;
}

/**
 * Resolves on the calling thread and returns the resolved path, or `''` when
 * neither the filesystem nor the server knows the asset.
 *
 * It blocks the event loop, so a server running in this same process cannot
 * answer it: that server is not asked (the filesystem alone answers) and one
 * warning says so. Use {@link resolveAsync} there.
 */
export function resolve(assetPath: string, options: DetailedResolveOptions): Resolution;
export function resolve(assetPath: string, options?: ResolveOptions): string;
export function resolve(assetPath: string, options?: ResolveOptions): string | Resolution {
  const binding = nativeBinding();
  const [anchor, context, detailed] = argumentsOf(options);
  return binding.resolve(assetPath, anchor, context, detailed, waitsOnItself(binding, context));
}

/** A promise-returning call whose argument errors, thrown at once, reject the promise instead. */
function rejectingErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** {@link resolve} on a worker thread; the event loop stays free. */
export function resolveAsync(assetPath: string, options: DetailedResolveOptions): Promise<Resolution>;
export function resolveAsync(assetPath: string, options?: ResolveOptions): Promise<string>;
export function resolveAsync(assetPath: string, options?: ResolveOptions): Promise<string | Resolution> {
  return rejectingErrors(() => nativeBinding().resolveAsync(assetPath, ...argumentsOf(options)));
}

/**
 * Resolves several asset paths off the event loop; results keep the input
 * order. The filesystem is asked once per path; what it lacks, and no kept
 * answer holds, goes to the server in batch requests (`AR_HTTP_BATCH_PATH`);
 * a server without the batch endpoint is asked for each path,
 * `AR_HTTP_MAX_CONNECTIONS` at a time.
 */
export function resolveMany(assetPaths: readonly string[], options: DetailedResolveOptions): Promise<Resolution[]>;
export function resolveMany(assetPaths: readonly string[], options?: ResolveOptions): Promise<string[]>;
export function resolveMany(assetPaths: readonly string[], options?: ResolveOptions): Promise<string[] | Resolution[]> {
  return rejectingErrors(() => nativeBinding().resolveManyAsync(assetPaths, ...argumentsOf(options)));
}

/** The identifier OpenUSD's default resolver would make for `assetPath` referred to from `anchor`. */
export function createIdentifier(assetPath: string, anchor?: string): string {
  return nativeBinding().createIdentifier(assetPath, anchor);
}

/**
 * `'standalone'`, or `'usd'` when resolution goes through OpenUSD's Ar and
 * ArHttpResolver. Loads the binding, as every resolving call does.
 */
export function backend(): Backend {
  return nativeBinding().backend;
}
