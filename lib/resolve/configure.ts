import { ArHttpTypeError, ErrorCodes } from '../errors';
import type { ResolverConfig } from '../native/binding';
import { useConfigured } from '../native/settings';
import { reloadConfig } from './config';

/**
 * Settings for {@link configure}, named as {@link ResolverConfig} names them. Each stands for the environment
 * variable given and is validated by the same code: a refused value is a warning, and the setting's default
 * (or, for `serverUrl`, no server at all).
 */
export interface ConfigureOptions {
  /** `AR_HTTP_SERVER_URL`. */
  serverUrl?: string;
  /** `AR_HTTP_PATH_FORMAT`. */
  pathFormat?: string;
  /** Every `AR_HTTP_HEADER_<Name>`: the environment's are left out when given. */
  headers?: Record<string, string>;
  /** `AR_HTTP_SECRET_HEADERS`. */
  secretHeaders?: string[];
  /** `AR_HTTP_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** `AR_HTTP_MAX_CONNECTIONS`. */
  maxConnections?: number;
  /** `AR_HTTP_CACHE_TTL_MS`. */
  cacheTtlMs?: number;
  /** `AR_HTTP_CACHE_MAX_ENTRIES`. */
  cacheMaxEntries?: number;
  /** `AR_HTTP_BATCH_PATH` (`''`: no batches). */
  batchPath?: string;
  /** `AR_HTTP_RETRIES`. */
  retries?: number;
  /** `AR_HTTP_RETRY_DELAY_MS`. */
  retryDelayMs?: number;
  /** `AR_HTTP_FAIL_FAST_MS`. */
  failFastMs?: number;
  /** `AR_HTTP_MAX_REDIRECTS`. */
  maxRedirects?: number;
  /** `AR_HTTP_CA_FILE`, `SSL_CERT_DIR` and `AR_HTTP_UNSAFE_NO_TLS_VERIFY`. */
  tls?: { caFile?: string; caDir?: string; verify?: boolean };
  /** `TF_DEBUG=AR_HTTP`. */
  debug?: boolean;
  /** `AR_HTTP_WATCH`. */
  watch?: boolean;
  /** `PXR_AR_DEFAULT_SEARCH_PATH`. */
  searchPaths?: string[];
  /** `AR_HTTP_SNAPSHOT`. */
  snapshot?: string;
  /** `AR_HTTP_PIN_FILE`. */
  pinFile?: string;
  /** `AR_HTTP_PIN_FALLBACK`. */
  pinFallback?: 'server' | 'none';
  /** `AR_HTTP_PATH_MAP`. */
  pathMap?: { from: string; to: string }[];
  /** `AR_HTTP_CONTENT_CACHE_DIR`. */
  contentCacheDir?: string;
  /** `AR_HTTP_CONTENT_CACHE_MAX_BYTES`. */
  contentCacheMaxBytes?: number;
  /** `AR_HTTP_MAX_CONTENT_BYTES`. */
  maxContentBytes?: number;
  /** Every `AR_HTTP_CONTENT_HEADER_<Name>`: the environment's are left out when given. */
  contentHeaders?: Record<string, string>;
}

type Variables = Record<string, string>;

function invalid(option: string, wanted: string): never {
  throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, `configure(): ${option} must be ${wanted}`);
}

function text(option: string, value: unknown): string {
  return typeof value === 'string' ? value : invalid(option, 'a string');
}

function integer(option: string, value: unknown): string {
  // Any whole number: its range is checked by the core, as the variable's is.
  return Number.isSafeInteger(value) ? String(value) : invalid(option, 'a whole number');
}

function flag(option: string, value: unknown): boolean {
  return typeof value === 'boolean' ? value : invalid(option, 'true or false');
}

/** `value` as a list of strings, none holding `separator`, which the variable would read as two. */
function list(option: string, value: unknown, separator: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && !item.includes(separator))) {
    invalid(option, `an array of strings without "${separator}"`);
  }
  return value as string[];
}

function plainObject(option: string, value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : invalid(option, 'an object');
}

/** Headers as the variables `prefix<Name>` that stand for them. */
function headerVariables(option: string, prefix: string, value: unknown): Variables {
  return Object.fromEntries(
    Object.entries(plainObject(option, value)).map(([name, header]) => [
      // The core reads `_` in a variable's name as `-`, so a name holding `_` cannot be told apart.
      `${prefix}${name.includes('_') ? invalid(`${option}["${name}"]`, 'named without "_"') : name.replaceAll('-', '_')}`,
      text(`${option}["${name}"]`, header),
    ]),
  );
}

/** Each option as the variables it stands for, written as a user would write them. */
const asVariables: { [K in keyof Required<ConfigureOptions>]: (value: unknown) => Variables } = {
  serverUrl: (value) => ({ AR_HTTP_SERVER_URL: text('serverUrl', value) }),
  pathFormat: (value) => ({ AR_HTTP_PATH_FORMAT: text('pathFormat', value) }),
  headers: (value) => headerVariables('headers', 'AR_HTTP_HEADER_', value),
  secretHeaders: (value) => ({ AR_HTTP_SECRET_HEADERS: list('secretHeaders', value, ',').join(',') }),
  timeoutMs: (value) => ({ AR_HTTP_TIMEOUT_MS: integer('timeoutMs', value) }),
  maxConnections: (value) => ({ AR_HTTP_MAX_CONNECTIONS: integer('maxConnections', value) }),
  cacheTtlMs: (value) => ({ AR_HTTP_CACHE_TTL_MS: integer('cacheTtlMs', value) }),
  cacheMaxEntries: (value) => ({ AR_HTTP_CACHE_MAX_ENTRIES: integer('cacheMaxEntries', value) }),
  batchPath: (value) => ({ AR_HTTP_BATCH_PATH: text('batchPath', value) || 'none' }),
  retries: (value) => ({ AR_HTTP_RETRIES: integer('retries', value) }),
  retryDelayMs: (value) => ({ AR_HTTP_RETRY_DELAY_MS: integer('retryDelayMs', value) }),
  failFastMs: (value) => ({ AR_HTTP_FAIL_FAST_MS: integer('failFastMs', value) }),
  maxRedirects: (value) => ({ AR_HTTP_MAX_REDIRECTS: integer('maxRedirects', value) }),
  tls: (value) => {
    const { caFile = '', caDir = '', verify = true, ...unknown } = plainObject('tls', value);
    for (const name of Object.keys(unknown)) invalid(`tls.${name}`, 'left out: tls takes caFile, caDir and verify');
    return {
      AR_HTTP_CA_FILE: text('tls.caFile', caFile),
      // Given trust replaces the environment's whole: OpenSSL's file too.
      SSL_CERT_FILE: '',
      SSL_CERT_DIR: text('tls.caDir', caDir),
      AR_HTTP_UNSAFE_NO_TLS_VERIFY: flag('tls.verify', verify) ? '0' : '1',
    };
  },
  debug: (value) => ({ TF_DEBUG: flag('debug', value) ? 'AR_HTTP' : '' }),
  watch: (value) => ({ AR_HTTP_WATCH: flag('watch', value) ? '1' : '0' }),
  searchPaths: (value) => ({ PXR_AR_DEFAULT_SEARCH_PATH: list('searchPaths', value, ':').join(':') }),
  snapshot: (value) => ({ AR_HTTP_SNAPSHOT: text('snapshot', value) }),
  pinFile: (value) => ({ AR_HTTP_PIN_FILE: text('pinFile', value) }),
  pinFallback: (value) => ({ AR_HTTP_PIN_FALLBACK: text('pinFallback', value) }),
  pathMap: (value) => {
    if (!Array.isArray(value)) invalid('pathMap', 'an array of { from, to }');
    const pairs = (value as unknown[]).map((pair, index) => {
      const { from, to } = plainObject(`pathMap[${index}]`, pair);
      const side = (name: string, prefix: unknown): string =>
        /[=;]/.test(text(`pathMap[${index}].${name}`, prefix))
          ? invalid(`pathMap[${index}].${name}`, 'a path without "=" or ";"')
          : (prefix as string);
      return `${side('from', from)}=${side('to', to)}`;
    });
    return { AR_HTTP_PATH_MAP: pairs.join(';') };
  },
  contentCacheDir: (value) => ({ AR_HTTP_CONTENT_CACHE_DIR: text('contentCacheDir', value) }),
  contentCacheMaxBytes: (value) => ({ AR_HTTP_CONTENT_CACHE_MAX_BYTES: integer('contentCacheMaxBytes', value) }),
  maxContentBytes: (value) => ({ AR_HTTP_MAX_CONTENT_BYTES: integer('maxContentBytes', value) }),
  contentHeaders: (value) => headerVariables('contentHeaders', 'AR_HTTP_CONTENT_HEADER_', value),
};

const isOption = (name: string): name is keyof ConfigureOptions => Object.hasOwn(asVariables, name);

/**
 * Sets the resolver's settings from code, validated as the environment's are, and returns the effective
 * settings (refused values are in `warnings`, emitted as process warnings). Options left out, or `undefined`,
 * come from the environment, which stays the only source for OpenUSD tools (`usdcat`). Each call replaces the
 * options of the one before: `configure({})` goes back to the environment alone. Resolves under way finish with
 * the settings they started with.
 */
export function configure(options: ConfigureOptions): ResolverConfig {
  const variables: Variables = {};
  for (const [name, value] of Object.entries(plainObject('options', options))) {
    if (!isOption(name)) {
      throw new ArHttpTypeError(
        ErrorCodes.INVALID_ARGUMENT,
        `configure(): unknown option "${name}"; known: ${Object.keys(asVariables).join(', ')}`,
      );
    }
    if (value !== undefined) Object.assign(variables, asVariables[name](value));
  }
  const owned = [
    ...(options.headers !== undefined ? ['AR_HTTP_HEADER_'] : []),
    ...(options.contentHeaders !== undefined ? ['AR_HTTP_CONTENT_HEADER_'] : []),
  ];
  useConfigured(variables, owned);
  return reloadConfig();
}
