import { type WarningCode, WarningCodes } from '../errors';

/** The `type` of every process warning ar-http emits; its `code` is one of {@link WarningCodes}. */
export const warningType = 'ArHttpWarning';

let onStderr = false;

/**
 * The CLI keeps the native core's warnings as the plain `stderr` lines usdcat's users know: they are not routed to
 * process warnings. Called before the binding loads.
 */
export function keepNativeWarningsOnStderr(): void {
  onStderr = true;
}

/** Whether the binding hands its warnings to {@link emitArHttpWarning} (all but the CLI). */
export function routesNativeWarnings(): boolean {
  return !onStderr;
}

/** One ar-http warning as a Node process warning: `process.on('warning')` sees it, `--no-warnings` silences it. */
export function emitArHttpWarning(code: WarningCode, message: string): void {
  process.emitWarning(message, { type: warningType, code });
}

/** Settings the native core refused become process warnings (`AR_HTTP_CONFIG`), once per (re)load. */
export function emitConfigWarnings<Settings extends { warnings: readonly string[] }>(config: Settings): Settings {
  for (const warning of config.warnings) emitArHttpWarning(WarningCodes.CONFIG, warning);
  return config;
}
