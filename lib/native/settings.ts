/**
 * The environment the native core reads its settings from: `process.env`, with the variables of the last
 * `configure()` call in place of its own. Kept apart from the binding so that both its first load and every
 * reload read the same.
 */
let configured: Readonly<Record<string, string>> = {};
/** Whether that call gave `headers`, which stand for every `AR_HTTP_HEADER_*`: the environment's are then left out. */
let ownsHeaders = false;

export function useConfigured(variables: Record<string, string>, headers: boolean): void {
  configured = { ...variables };
  ownsHeaders = headers;
}

export function settingsEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!(ownsHeaders && name.startsWith('AR_HTTP_HEADER_'))) environment[name] = value;
  }
  return Object.assign(environment, configured);
}
