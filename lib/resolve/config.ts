import { binding, type ResolverConfig } from '../native/binding';
import { emitConfigWarnings } from '../native/configWarnings';

/** The settings in force, as read from `process.env` when ar-http was loaded. */
export function config(): ResolverConfig {
  return binding.config();
}

/**
 * Reads `process.env` again (after a change to `AR_HTTP_*`) and returns the
 * new settings. Resolves already under way finish with the old ones.
 */
export function reloadConfig(): ResolverConfig {
  return emitConfigWarnings(binding.reloadConfig(process.env));
}
