import { existsSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

import { ArHttpError, ArHttpTypeError, ErrorCodes, type WarningCode, WarningCodes } from '../errors';
import { packagePath } from '../packageRoot';
import { settingsEnvironment } from './settings';
import { emitArHttpWarning, emitConfigWarnings, routesNativeWarnings } from './warnings';

/** Effective settings, as read from the environment and `configure()`. Secret header values are redacted. */
export interface ResolverConfig {
  /** `''` when `AR_HTTP_SERVER_URL` (or `configure({ serverUrl })`) was refused: then no server is asked. */
  serverUrl: string;
  pathFormat: string;
  headers: Record<string, string>;
  /** Header names (lower case) marked secret by `AR_HTTP_SECRET_HEADERS`, besides those named like credentials. */
  secretHeaders: string[];
  /** Bounds each exchange with the server as a whole: connecting, the request, the answer, retries and redirects. */
  timeoutMs: number;
  maxConnections: number;
  /**
   * How long the server's answers are kept process-wide (the filesystem is always asked first);
   * 0: not kept (concurrent resolves still share one request).
   */
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** Where many asset paths are resolved in one POST (`''`: never). */
  batchPath: string;
  /** Connection errors and 502/503/504 are tried again this many times, with backoff from `retryDelayMs`. */
  retries: number;
  retryDelayMs: number;
  /** After the server failed, resolves answer `''` at once for this long (0: never). */
  failFastMs: number;
  maxRedirects: number;
  /** How https:// servers are trusted: CA file and folder, and whether certificates are verified at all. */
  tls: { caFile: string; caDir: string; verify: boolean };
  debug: boolean;
  /** `AR_HTTP_WATCH=1`: the server's change feed is followed from the start. */
  watch: boolean;
  searchPaths: string[];
  /** `AR_HTTP_SNAPSHOT`: the server is asked as of this snapshot (`''`: the latest answers). */
  snapshot: string;
  /** `AR_HTTP_PIN_FILE`: answers come from this pin file, never from the server (`''`: none). */
  pinFile: string;
  /** `AR_HTTP_PIN_FALLBACK`: `'server'` asks the server what the pin file lacks; `'none'` leaves it unresolved. */
  pinFallback: 'server' | 'none';
  /** `AR_HTTP_PATH_MAP`: prefix pairs applied to every answer not from the filesystem, longest `from` first. */
  pathMap: { from: string; to: string }[];
  /**
   * Why nothing resolves through the server (`''`: it does): a refused `AR_HTTP_SERVER_URL`, `AR_HTTP_SNAPSHOT` or
   * `AR_HTTP_PATH_MAP` fails closed, as a farm would rather render nothing than a wrong answer.
   */
  remoteRefusal: string;
  /**
   * `AR_HTTP_CONTENT_CACHE_DIR`: the folder of downloaded content, shared by every process of the machine (default
   * `$XDG_CACHE_HOME/ar-http`, else `~/.cache/ar-http`; `''` when none could be found).
   */
  contentCacheDir: string;
  /** `AR_HTTP_CONTENT_CACHE_MAX_BYTES`: the folder's bound, least recently used files evicted first. */
  contentCacheMaxBytes: number;
  /** `AR_HTTP_MAX_CONTENT_BYTES`: one downloaded file's bound (decompressed bytes counted). */
  maxContentBytes: number;
  /** `AR_HTTP_CONTENT_HEADER_*`: sent with content downloads; secret values redacted. */
  contentHeaders: Record<string, string>;
  /** Settings that were refused and replaced by their default, one sentence each. */
  warnings: string[];
}

/** Settings that replace the environment's for one call (see {@link ResolveOptions}). */
export interface ResolverContext {
  /** Another resolution server, as `http(s)://host[:port][/base]`. */
  serverUrl?: string;
  /** Another path format, with exactly one `%s`. */
  pathFormat?: string;
  /**
   * Extra request headers. A context naming another server gets none of the
   * `AR_HTTP_HEADER_*` headers: they may hold credentials for the environment's server.
   */
  headers?: Record<string, string>;
  /** Resolve as of this snapshot of the server (1 to 128 characters of `A-Z a-z 0-9 . _ -`). */
  snapshot?: string;
  /** Answer from this pin file (written by `ar-http pin`) instead of the server. */
  pins?: string;
}

/** Where a detailed resolve's answer came from. */
export type ResolutionVia = 'filesystem' | 'cache' | 'server' | 'pin file' | 'url';

/**
 * Why a detailed resolve stayed unresolved, told once by the native core:
 * - `'not-found'`: the server, the pin file or the filesystem has no such asset: a 404 and every other status the
 *   protocol reads as not found (4xx, 500, an unknown snapshot), an empty batch line, a pin file lacking the path.
 * - `'timeout'`: no whole answer within `timeoutMs` (a silent or trickling server).
 * - `'refused'`: nothing was asked, because settings fail closed (`remoteRefusal`: a refused `AR_HTTP_SNAPSHOT`,
 *   `AR_HTTP_PATH_MAP` or server URL, a refused pin file, a refused `ArHttpContext` bound in USD) or the asset path
 *   is over the protocol's length limit.
 * - `'unreachable'`: no connection, a connection broken before a whole answer, or 502/503/504 after the retries.
 * - `'fail-fast'`: not asked, as the server failed moments ago (`failFastMs`).
 * - `'bad-answer'`: the server answered, but the answer was refused: a body that is no resolved path, malformed
 *   HTTP, a head or body over its limit, a redirect that is not followed.
 * A cached answer keeps its reason.
 */
export type ResolutionError = 'not-found' | 'timeout' | 'refused' | 'unreachable' | 'fail-fast' | 'bad-answer';

/** A resolve with where its answer came from (`{ detailed: true }`). */
export interface Resolution {
  /** `''` when unresolved. */
  resolvedPath: string;
  via: ResolutionVia;
  /** The number of the change that set a server's answer, when the server said it. */
  version?: number;
  /** The snapshot the answer is as of, when it is. */
  snapshot?: string;
  /** Why `resolvedPath` is `''`; absent when it is not. */
  error?: ResolutionError;
}

/** The local file of a resolved path (`fetchAsset(path, { detailed: true })`). */
export interface FetchedAsset {
  /** The file: for a content URL, in the content cache; a local path itself. */
  localPath: string;
  /** The content's ETag as its server sent it (quotes included); `''` when none, and for local paths. */
  etag: string;
  /** The content's Last-Modified as sent; `''` when none. */
  lastModified: string;
  /**
   * Seconds since the epoch: Last-Modified when sent, else a number derived from the ETag (the same for the same
   * tag), else the file's modification time.
   */
  timestamp: number;
  size: number;
}

/** Which implementation resolves: the standalone core, or OpenUSD's Ar with ArHttpResolver. */
export type Backend = 'standalone' | 'usd';

/** The functions of the native addon (`native/addon/`). */
export interface NativeBinding {
  readonly backend: Backend;
  /** With `detailed`, a {@link Resolution}; else the resolved path. */
  /** With `localOnly`, the filesystem alone answers (the error of a detailed miss is `'refused'`). */
  resolve(
    assetPath: string, anchor?: string, context?: ResolverContext, detailed?: boolean, localOnly?: boolean,
  ): string | Resolution;
  resolveAsync(
    assetPath: string, anchor?: string, context?: ResolverContext, detailed?: boolean,
  ): Promise<string | Resolution>;
  resolveManyAsync(
    assetPaths: readonly string[], anchor?: string, context?: ResolverContext, detailed?: boolean,
  ): Promise<string[] | Resolution[]>;
  /**
   * Resolves identifiers (no anchoring) with an engine of their own, made for the call from the settings in force:
   * no answer kept from before, no failure remembered; `warnings` counts what it warned of (a server that failed,
   * an unknown snapshot, a refused answer), since `''` is both a failure and an unknown asset.
   */
  resolveManyAfresh(identifiers: readonly string[], context?: ResolverContext): Promise<{ resolved: string[]; warnings: number }>;
  /** What the filesystem alone answers for each identifier (`''`: nothing), never a server; a content URL answers itself. */
  resolveLocalMany(identifiers: readonly string[]): Promise<string[]>;
  /**
   * For each file, the asset paths each of its layers names (told by content: usda, crate, usdz with nested
   * packages; none for a file that is no layer), or a string saying why it could not be read. A content URL is read
   * from the content cache, as `fetchAsset` gets it; in a package by URL, the relative paths that stay inside it are
   * left out, as the plugin's asking ahead leaves them.
   */
  layerAssetPaths(files: readonly string[]): Promise<(LayerFileScan | string)[]>;
  createIdentifier(assetPath: string, anchor?: string): string;
  /** The local file of `resolvedPath` ({@link FetchedAsset}); `error` says why when `localPath` is `''`. */
  fetchAsset(resolvedPath: string): FetchedAsset & { error?: string };
  fetchAssetAsync(resolvedPath: string): Promise<FetchedAsset & { error?: string }>;
  clearCache(): void;
  config(): ResolverConfig;
  reloadConfig(environment: NodeJS.ProcessEnv): ResolverConfig;
  watchChanges(listener: (changes: ResolverChange[], everything: boolean) => void): () => void;
  /**
   * The native core's warnings reach `listener` on this thread instead of `stderr` (the USD-linked binding's instead
   * of TfWarn), from every thread of the core; the listener never keeps the process alive.
   */
  onWarning(listener: (code: WarningCode, message: string) => void): void;
  /** Ends asking ahead, downloads ahead and transfers under way, once: the process is ending. */
  stopBackgroundWork(): void;
}

/** The asset paths one layer of a layer file names. */
export interface LayerAssetPaths {
  /** Where the layer is inside the file's package, outermost first; empty for the file itself. */
  packagedPath: string[];
  assetPaths: string[];
}

/** What a layer file names. */
export interface LayerFileScan {
  /** Whether the file is a layer or a package at all (text, crate, zip), naming assets or not. */
  isLayer: boolean;
  layers: LayerAssetPaths[];
  /** For a package (.usdz), the files it holds, as named inside it; else empty. */
  packagedFiles: string[];
}

/** One change of a mapping on the environment's server, from its change feed. */
export interface ResolverChange {
  /** The change's number on the server: they only grow. */
  id: number;
  assetPath: string;
  /** `null`: the mapping was removed. */
  resolvedPath: string | null;
}

/** Built by `npm run build:usd` beside the plugin. */
export function usdBindingPath(): string {
  return packagePath('build-usd', 'Release', 'ar_http_usd.node');
}

function loadStandalone(): NativeBinding {
  try {
    // Required here, not imported: importing ar-http loads nothing native.
    const nodeGypBuild = require('node-gyp-build') as typeof import('node-gyp-build');
    return nodeGypBuild(packagePath()) as NativeBinding;
  } catch (cause) {
    const reason = (cause as Error).message.split('\n')[0];
    throw new ArHttpError(
      ErrorCodes.BINDING_NOT_LOADED,
      `the native binding could not be loaded (${reason}); run \`npm rebuild ar-http\`, which builds it for this ` +
        "platform and names anything missing (where npm's allowScripts denies ar-http's script, `npm install-scripts approve ar-http` first)",
      { cause },
    );
  }
}

/**
 * The USD-linked binding when it was built and loads, else the standalone one.
 * `AR_HTTP_BACKEND=standalone` or `=usd` forces the choice.
 */
function load(): NativeBinding {
  const wanted = process.env.AR_HTTP_BACKEND ?? '';
  if (!['', 'standalone', 'usd'].includes(wanted)) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, `AR_HTTP_BACKEND="${wanted}" is neither "standalone" nor "usd"`);
  }
  if (wanted === 'standalone') return loadStandalone();
  const usdBinding = usdBindingPath();
  if (wanted === 'usd' && !existsSync(usdBinding)) {
    throw new ArHttpError(
      ErrorCodes.BINDING_NOT_LOADED,
      `AR_HTTP_BACKEND=usd, but the USD-linked binding is not built (no ${usdBinding}); ` +
        'run `npm run build:usd` with PXR_USD_LOCATION set',
    );
  }
  if (wanted === 'usd' || existsSync(usdBinding)) {
    try {
      return require(usdBinding) as NativeBinding;
    } catch (cause) {
      const reason = `the USD-linked binding ${usdBinding} did not load: ${(cause as Error).message}`;
      if (wanted === 'usd') throw new ArHttpError(ErrorCodes.BINDING_NOT_LOADED, reason, { cause });
      emitArHttpWarning(WarningCodes.BINDING, `${reason}; resolving with the standalone binding`);
    }
  }
  return loadStandalone();
}

/**
 * The addon checks its arguments and throws bare TypeErrors (naming the
 * argument) or Errors; here they get ar-http's prefix and codes. Errors made
 * by the addon belong to Node's own realm, so they are told by name.
 */
function inOurWords(error: unknown): unknown {
  const { name, message } = (error ?? {}) as Partial<Error>;
  if (typeof message !== 'string') return error;
  return name === 'TypeError'
    ? new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, message)
    : new ArHttpError(ErrorCodes.RESOLVE_FAILED, message, { cause: error });
}

/** A synchronous call of the addon, its errors in ar-http's words. */
function speaking<A extends unknown[], R>(method: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return method(...args);
    } catch (error) {
      throw inOurWords(error);
    }
  };
}

/** The same for a call returning a promise: argument errors throw at once, failures reject. */
function speakingAsync<A extends unknown[], R>(method: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const call = speaking(method);
  return (...args) =>
    call(...args).catch((error: unknown) => {
      throw inOurWords(error);
    });
}

function withCodes(addon: NativeBinding): NativeBinding {
  return {
    backend: addon.backend,
    resolve: speaking(addon.resolve),
    resolveAsync: speakingAsync(addon.resolveAsync),
    resolveManyAsync: speakingAsync(addon.resolveManyAsync),
    resolveManyAfresh: speakingAsync(addon.resolveManyAfresh),
    resolveLocalMany: speakingAsync(addon.resolveLocalMany),
    layerAssetPaths: speakingAsync(addon.layerAssetPaths),
    createIdentifier: speaking(addon.createIdentifier),
    fetchAsset: speaking(addon.fetchAsset),
    fetchAssetAsync: speakingAsync(addon.fetchAssetAsync),
    clearCache: addon.clearCache,
    config: addon.config,
    reloadConfig: speaking(addon.reloadConfig),
    watchChanges: addon.watchChanges,
    onWarning: addon.onWarning,
    stopBackgroundWork: addon.stopBackgroundWork,
  };
}

let loaded: NativeBinding | undefined;

/** Whether a call has loaded the binding (and read the settings) yet. */
export function isBindingLoaded(): boolean {
  return loaded !== undefined;
}

/**
 * The binding, loaded on the first call that needs it (importing ar-http
 * loads no native code), as better-sqlite3 loads its own. Settings come from
 * `process.env` (Node's view of the environment, which test runners may
 * replace) and `configure()`, read then and warned about then. A binding that does not load
 * throws `ERR_AR_HTTP_BINDING_NOT_LOADED` naming the fix, at each call.
 */
export function nativeBinding(): NativeBinding {
  if (loaded === undefined) {
    const addon = withCodes(load());
    // Before the settings are read, so that the engine they make warns this way from its start.
    if (routesNativeWarnings()) addon.onWarning(emitArHttpWarning);
    emitConfigWarnings(addon.reloadConfig(settingsEnvironment()));
    // process.exit() joins libuv's pool, where async calls may wait on downloads, before any cleanup
    // hook of the addon runs: 'exit' comes first. A worker's end stops nothing (the addon's own
    // cleanup hook stops when the last environment using it goes).
    if (isMainThread) process.once('exit', () => addon.stopBackgroundWork());
    loaded = addon;
  }
  return loaded;
}
