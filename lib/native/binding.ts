import { existsSync } from 'node:fs';
import path from 'node:path';

import nodeGypBuild from 'node-gyp-build';

import { ArHttpError, ErrorCodes } from '../errors';
import { packageRoot } from '../packageRoot';
import { emitConfigWarnings } from './configWarnings';

/** Effective settings, as read from the environment. Secret header values are redacted. */
export interface ResolverConfig {
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
  searchPaths: string[];
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
}

/** Which implementation resolves: the standalone core, or OpenUSD's Ar with ArHttpResolver. */
export type Backend = 'standalone' | 'usd';

/** The functions of the native addon (`native/addon/`). */
export interface NativeBinding {
  readonly backend: Backend;
  resolve(assetPath: string, anchor?: string, context?: ResolverContext): string;
  resolveAsync(assetPath: string, anchor?: string, context?: ResolverContext): Promise<string>;
  resolveManyAsync(assetPaths: readonly string[], anchor?: string, context?: ResolverContext): Promise<string[]>;
  createIdentifier(assetPath: string, anchor?: string): string;
  clearCache(): void;
  config(): ResolverConfig;
  reloadConfig(environment: NodeJS.ProcessEnv): ResolverConfig;
}

/** Built by `npm run build:usd` beside the plugin. */
export const usdBindingPath = path.join(packageRoot, 'build-usd', 'Release', 'ar_http_usd.node');

function loadStandalone(): NativeBinding {
  try {
    return nodeGypBuild(packageRoot) as NativeBinding;
  } catch (cause) {
    throw new ArHttpError(
      ErrorCodes.BINDING_NOT_LOADED,
      `ar-http: the native binding could not be loaded (${(cause as Error).message}); ` +
        'run `npm install` (it builds with node-gyp and needs libcpp-httplib-dev)',
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
    throw new ArHttpError(
      ErrorCodes.BAD_OPTION,
      `ar-http: AR_HTTP_BACKEND="${wanted}" is neither "standalone" nor "usd"`,
    );
  }
  if (wanted === 'standalone') return loadStandalone();
  if (wanted === 'usd' && !existsSync(usdBindingPath)) {
    throw new ArHttpError(
      ErrorCodes.BINDING_NOT_LOADED,
      `ar-http: AR_HTTP_BACKEND=usd, but the USD-linked binding is not built (no ${usdBindingPath}); ` +
        'run `npm run build:usd` with PXR_USD_LOCATION set',
    );
  }
  if (wanted === 'usd' || existsSync(usdBindingPath)) {
    try {
      return require(usdBindingPath) as NativeBinding;
    } catch (cause) {
      const reason = `the USD-linked binding ${usdBindingPath} did not load: ${(cause as Error).message}`;
      if (wanted === 'usd') {
        throw new ArHttpError(ErrorCodes.BINDING_NOT_LOADED, `ar-http: ${reason}`, { cause });
      }
      process.emitWarning(`${reason}; resolving with the standalone binding`, {
        type: 'ArHttpBindingWarning',
        code: 'AR_HTTP_BINDING',
      });
    }
  }
  return loadStandalone();
}

/**
 * Loaded once. Settings come from `process.env` (Node's view of the
 * environment, which test runners may replace), read now and warned about now.
 */
export const binding: NativeBinding = load();
emitConfigWarnings(binding.reloadConfig(process.env));
