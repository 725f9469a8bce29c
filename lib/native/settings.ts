/**
 * The environment the native core reads its settings from: `process.env`, with the variables of the last
 * `configure()` call in place of its own. Kept apart from the binding so that both its first load and every
 * reload read the same.
 */
let configured: Readonly<Record<string, string>> = {};
/** Variables a `configure()` call owns wholly (`headers` owns every `AR_HTTP_HEADER_*`): the environment's are left out. */
let configuredFamilies: readonly RegExp[] = [];

export function useConfigured(variables: Record<string, string>, families: readonly RegExp[]): void {
  configured = { ...variables };
  configuredFamilies = families;
}

export function settingsEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!configuredFamilies.some((family) => family.test(name))) environment[name] = value;
  }
  return Object.assign(environment, configured);
}
