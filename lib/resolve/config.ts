import { nativeBinding, type ResolverConfig } from '../native/binding';
import { emitConfigWarnings } from '../native/warnings';

/** The settings in force, as read from `process.env` when the binding loaded (on the first call) or by {@link reloadConfig}. */
export function config(): ResolverConfig {
  return nativeBinding().config();
}

/** Forgets every answer kept by the process-wide cache (`AR_HTTP_CACHE_TTL_MS`). */
export function clearCache(): void {
  nativeBinding().clearCache();
}

/**
 * Reads `process.env` again (after a change to `AR_HTTP_*`) and returns the
 * new settings. Resolves already under way finish with the old ones.
 */
export function reloadConfig(): ResolverConfig {
  return emitConfigWarnings(nativeBinding().reloadConfig(process.env));
}
