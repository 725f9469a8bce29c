/** Every error code ar-http throws, in one place. */
export const ErrorCodes = {
  /** `ar-http plugin-path` or `pluginPath()` before `npm run build:usd`. */
  PLUGIN_NOT_BUILT: 'ERR_AR_HTTP_PLUGIN_NOT_BUILT',
  /** A map file that cannot be read or is not an object of strings. */
  BAD_MAP: 'ERR_AR_HTTP_BAD_MAP',
  /** An option of the server or of a call that makes no sense. */
  BAD_OPTION: 'ERR_AR_HTTP_BAD_OPTION',
  /** The native binding could not be loaded (on the first call that needs it); the message names the fix. */
  BINDING_NOT_LOADED: 'ERR_AR_HTTP_BINDING_NOT_LOADED',
  /**
   * A call's argument of the wrong type or value: `resolve(42)`, an asset path holding NUL,
   * a context naming no usable server. Thrown as an `ArHttpTypeError`, a `TypeError`.
   */
  INVALID_ARGUMENT: 'ERR_AR_HTTP_INVALID_ARGUMENT',
  /** The native resolver failed inside a call (out of memory, …); the message says why. */
  RESOLVE_FAILED: 'ERR_AR_HTTP_RESOLVE_FAILED',
  /**
   * `fetchAsset()`: the local file of a resolved path could not be had: a content URL whose download failed or was
   * refused (the message names the URL and why; a warning said so too), a local path that is no file, another scheme.
   */
  CONTENT_UNAVAILABLE: 'ERR_AR_HTTP_CONTENT_UNAVAILABLE',
  /** ar-http's own package folder cannot be found: it was bundled into another file (keep it external). */
  PACKAGE_NOT_FOUND: 'ERR_AR_HTTP_PACKAGE_NOT_FOUND',
  /**
   * A package a feature needs is not installed: fastify, a peer dependency, for the resolution
   * server. The message names the `npm install` command that adds it (stores say so as BAD_STORE).
   */
  DEPENDENCY_MISSING: 'ERR_AR_HTTP_DEPENDENCY_MISSING',
  /**
   * A store that cannot be opened: an unknown `--store` form, a file or database that cannot be read
   * or set up, a driver (pg, better-sqlite3) not installed or not built, named with the npm command.
   */
  BAD_STORE: 'ERR_AR_HTTP_BAD_STORE',
  /** A write to a read-only store (a JSON map file): the admin API answers 405. */
  STORE_READ_ONLY: 'ERR_AR_HTTP_STORE_READ_ONLY',
  /** A conditional write whose condition (`If-Match`, `If-None-Match: *`) does not hold: 412. */
  PRECONDITION_FAILED: 'ERR_AR_HTTP_PRECONDITION_FAILED',
  /** The store failed (its database is unreachable, …): the server answers 503. */
  STORE_UNAVAILABLE: 'ERR_AR_HTTP_STORE_UNAVAILABLE',
  /** `ar-http pin` / `pin()`: a stage that cannot be found or read, or a pin file that cannot be written. */
  PIN_FAILED: 'ERR_AR_HTTP_PIN_FAILED',
  /** A command line the CLI does not understand. */
  USAGE: 'ERR_AR_HTTP_USAGE',
  /** AsyncClient: a path (attribute chain) the service's OpenAPI description does not define. */
  CLIENT_UNKNOWN_PATH: 'ERR_AR_HTTP_CLIENT_UNKNOWN_PATH',
  /** AsyncClient: an HTTP verb the description does not define for that path. */
  CLIENT_UNKNOWN_METHOD: 'ERR_AR_HTTP_CLIENT_UNKNOWN_METHOD',
  /** AsyncClient: call arguments that do not fit the operation (a missing path parameter, …). */
  CLIENT_BAD_ARGUMENTS: 'ERR_AR_HTTP_CLIENT_BAD_ARGUMENTS',
  /** AsyncClient: the service answered a status outside 2xx (`ArHttpStatusError`: `status`, `body`). */
  CLIENT_HTTP_STATUS: 'ERR_AR_HTTP_CLIENT_HTTP_STATUS',
  /** AsyncClient: no whole answer within the timeout. */
  CLIENT_TIMEOUT: 'ERR_AR_HTTP_CLIENT_TIMEOUT',
  /** AsyncClient: the call's AbortSignal fired. */
  CLIENT_ABORTED: 'ERR_AR_HTTP_CLIENT_ABORTED',
  /** AsyncClient: the service could not be reached, or the connection broke. */
  CLIENT_CONNECTION: 'ERR_AR_HTTP_CLIENT_CONNECTION',
  /** AsyncClient: an answer that does not match its content type (JSON that does not parse). */
  CLIENT_BAD_RESPONSE: 'ERR_AR_HTTP_CLIENT_BAD_RESPONSE',
  /** AsyncClient: the OpenAPI description cannot be read or is not OpenAPI 3. */
  CLIENT_BAD_DESCRIPTION: 'ERR_AR_HTTP_CLIENT_BAD_DESCRIPTION',
  /** AsyncClient: a call after `close()`. */
  CLIENT_CLOSED: 'ERR_AR_HTTP_CLIENT_CLOSED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * The `code` of every process warning ar-http emits (`type` `'ArHttpWarning'`): `process.on('warning', (w) => …)`
 * tells them apart by `w.code`. All but BINDING come from the native core (native/core/log/WarningCode.cpp names the
 * same; a test checks), from whichever binding runs.
 */
export const WarningCodes = {
  /** A setting (environment, `reloadConfig()`) or a bound context refused: replaced by its default, or failing closed. */
  CONFIG: 'AR_HTTP_CONFIG',
  /** The server timed out, could not be reached, or answered 502/503/504 after the retries: once per outage. */
  SERVER_FAILED: 'AR_HTTP_SERVER_FAILED',
  /** The server answers again after {@link WarningCodes.SERVER_FAILED}. */
  SERVER_RECOVERED: 'AR_HTTP_SERVER_RECOVERED',
  /** The server answered, but not usably: a hostile body, malformed HTTP, a redirect not followed, a short batch. */
  ANSWER_REFUSED: 'AR_HTTP_ANSWER_REFUSED',
  /** An asset path over the protocol's length limit: never sent. */
  ASSET_PATH_REFUSED: 'AR_HTTP_ASSET_PATH_REFUSED',
  /** The server has no such snapshot (`AR_HTTP_SNAPSHOT`, `context.snapshot`). */
  UNKNOWN_SNAPSHOT: 'AR_HTTP_UNKNOWN_SNAPSHOT',
  /** A pin file that is refused, or that lacks an asset path. */
  PIN_FILE: 'AR_HTTP_PIN_FILE',
  /** The server's change feed is not followed, or is followed again. */
  CHANGE_FEED: 'AR_HTTP_CHANGE_FEED',
  /** A resolve failed inside the native core (out of memory, the USD plugin's HTTP transport not loadable, …). */
  RESOLVE_FAILED: 'AR_HTTP_RESOLVE_FAILED',
  /**
   * A content URL could not be had: its download failed, broke off, was too slow or too large, or was refused (a
   * wrong digest, an error page for a layer, a redirect not followed), or the content cache's disk is full. Names the
   * URL. Also when a cached copy is used because its server could not be reached to revalidate it.
   */
  CONTENT_FAILED: 'AR_HTTP_CONTENT_FAILED',
  /** The USD-linked binding did not load: the standalone one resolves instead. */
  BINDING: 'AR_HTTP_BINDING',
  /**
   * A synchronous `resolve()` aimed at a resolution server listening in this same process, which cannot answer
   * while the call blocks its thread: the filesystem alone answers (once per server).
   */
  SAME_PROCESS_SERVER: 'AR_HTTP_SAME_PROCESS_SERVER',
} as const;

export type WarningCode = (typeof WarningCodes)[keyof typeof WarningCodes];

/** A message of ar-http's: `problem` after the prefix every one starts with, added here only. */
export function messageOf(problem: string): string {
  return `ar-http: ${problem}`;
}

export class ArHttpError extends Error {
  readonly code: ErrorCode;

  /** `problem` is the message without the `ar-http: ` prefix, which is added. */
  constructor(code: ErrorCode, problem: string, options?: { cause?: unknown }) {
    super(messageOf(problem), options);
    this.name = 'ArHttpError';
    this.code = code;
  }
}

/** A wrong argument: a `TypeError`, as Node's own argument errors are, with a code. */
export class ArHttpTypeError extends TypeError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, problem: string) {
    super(messageOf(problem));
    this.code = code;
  }
}
