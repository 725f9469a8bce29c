/** Every error code ar-http throws, in one place. */
export const ErrorCodes = {
  /** `ar-http plugin-path` or `pluginPath()` before `npm run build:usd`. */
  PLUGIN_NOT_BUILT: 'ERR_AR_HTTP_PLUGIN_NOT_BUILT',
  /** A map file that cannot be read or is not an object of strings. */
  BAD_MAP: 'ERR_AR_HTTP_BAD_MAP',
  /** An option of the server or of a call that makes no sense. */
  BAD_OPTION: 'ERR_AR_HTTP_BAD_OPTION',
  /** The native binding could not be loaded. */
  BINDING_NOT_LOADED: 'ERR_AR_HTTP_BINDING_NOT_LOADED',
  /** A command line the CLI does not understand. */
  USAGE: 'ERR_AR_HTTP_USAGE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class ArHttpError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArHttpError';
    this.code = code;
  }
}
