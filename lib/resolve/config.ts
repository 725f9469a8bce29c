import { isBindingLoaded, nativeBinding, type ResolverConfig } from '../native/binding';
import { settingsEnvironment } from '../native/settings';
import { emitConfigWarnings } from '../native/warnings';

/**
 * The settings in force, as read from `process.env` and {@link configure} when the binding loaded (on the first
 * call) or since.
 */
export function config(): ResolverConfig {
  return nativeBinding().config();
}

/** Forgets every answer kept by the process-wide cache (`AR_HTTP_CACHE_TTL_MS`). */
export function clearCache(): void {
  nativeBinding().clearCache();
}

/**
 * Reads `process.env` again (after a change to `AR_HTTP_*`) and returns the
 * new settings; what {@link configure} set stays. Resolves already under way
 * finish with the old ones.
 */
export function reloadConfig(): ResolverConfig {
  // The call that loads the binding reads the settings itself: reading them twice would warn twice.
  if (!isBindingLoaded()) return config();
  return emitConfigWarnings(nativeBinding().reloadConfig(settingsEnvironment()));
}
