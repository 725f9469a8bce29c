import { reloadConfig, type ResolverConfig } from '../../lib';

/**
 * Replaces every AR_HTTP_* / TF_DEBUG / PXR_AR_DEFAULT_SEARCH_PATH variable by
 * `vars` and reloads the native settings from the real process environment.
 */
export function setResolverEnv(vars: Record<string, string>): ResolverConfig {
  for (const name of Object.keys(process.env)) {
    if (/^(AR_HTTP_|TF_DEBUG$|PXR_AR_DEFAULT_SEARCH_PATH$)/.test(name)) delete process.env[name];
  }
  Object.assign(process.env, vars);
  return reloadConfig();
}
