import type { ResolverConfig } from './binding';

/** Settings the native core refused become Node process warnings, once per (re)load. */
export function emitConfigWarnings(config: ResolverConfig): ResolverConfig {
  for (const warning of config.warnings) {
    process.emitWarning(warning, { type: 'ArHttpConfigWarning', code: 'AR_HTTP_CONFIG' });
  }
  return config;
}
