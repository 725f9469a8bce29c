import nodeGypBuild from 'node-gyp-build';

import { ArHttpError, ErrorCodes } from '../errors';
import { packageRoot } from '../packageRoot';
import { emitConfigWarnings } from './configWarnings';

/** Effective settings, as read from the environment. Secret header values are redacted. */
export interface ResolverConfig {
  serverUrl: string;
  pathFormat: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxConnections: number;
  debug: boolean;
  searchPaths: string[];
  /** Settings that were refused and replaced by their default, one sentence each. */
  warnings: string[];
}

/** Which implementation resolves: the standalone core, or OpenUSD's Ar with ArHttpResolver. */
export type Backend = 'standalone' | 'usd';

/** The functions of the native addon (`native/addon/`). */
export interface NativeBinding {
  readonly backend: Backend;
  resolve(assetPath: string, anchor?: string): string;
  resolveAsync(assetPath: string, anchor?: string): Promise<string>;
  createIdentifier(assetPath: string, anchor?: string): string;
  config(): ResolverConfig;
  reloadConfig(environment: NodeJS.ProcessEnv): ResolverConfig;
}

function load(): NativeBinding {
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
 * Loaded once. Settings come from `process.env` (Node's view of the
 * environment, which test runners may replace), read now and warned about now.
 */
export const binding: NativeBinding = load();
emitConfigWarnings(binding.reloadConfig(process.env));
