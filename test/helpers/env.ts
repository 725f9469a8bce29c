import { reloadConfig, type ResolverConfig } from '../../lib';

/**
 * Replaces every resolver setting (AR_HTTP_* but AR_HTTP_BACKEND, TF_DEBUG,
 * PXR_AR_DEFAULT_SEARCH_PATH, SSL_CERT_FILE, SSL_CERT_DIR) in process.env by
 * `vars`, and reloads.
 */
export function setResolverEnv(vars: Record<string, string>): ResolverConfig {
  for (const name of Object.keys(process.env)) {
    if (/^(AR_HTTP_(?!BACKEND$)|TF_DEBUG$|PXR_AR_DEFAULT_SEARCH_PATH$|SSL_CERT_(FILE|DIR)$)/.test(name)) delete process.env[name];
  }
  Object.assign(process.env, vars);
  return reloadConfig();
}
