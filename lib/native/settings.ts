/**
 * The environment the native core reads its settings from: `process.env`, with the variables of the last
 * `configure()` call in place of its own. Kept apart from the binding so that both its first load and every
 * reload read the same.
 */
let configured: Readonly<Record<string, string>> = {};
/**
 * The prefixes of the variables that call stood for whole (`headers`: every `AR_HTTP_HEADER_*`, `contentHeaders`:
 * every `AR_HTTP_CONTENT_HEADER_*`): the environment's are then left out.
 */
let ownedPrefixes: readonly string[] = [];

export function useConfigured(variables: Record<string, string>, owned: readonly string[]): void {
  configured = { ...variables };
  ownedPrefixes = [...owned];
}

export function settingsEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!ownedPrefixes.some((prefix) => name.startsWith(prefix))) environment[name] = value;
  }
  return Object.assign(environment, configured);
}
