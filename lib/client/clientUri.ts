import { ArHttpError, ErrorCodes } from '../errors';

/** Where a client sends its requests. */
export type ClientTarget =
  | { kind: 'http'; origin: string; basePath: string; label: string }
  | { kind: 'local'; basePath: string; label: string };

const fail = (uri: unknown, why: string): never => {
  throw new ArHttpError(ErrorCodes.BAD_OPTION, `AsyncClient uri ${JSON.stringify(uri)}: ${why}`);
};

/**
 * Reads `http(s)://host[:port][/base]` or `local://[/base]`. A base path is
 * put before every path of the description (and before the description's own
 * path). Credentials, query strings and fragments are refused: a URI shows
 * up in messages, so secrets go in headers.
 */
export function parseClientUri(uri: unknown): ClientTarget {
  if (typeof uri !== 'string' || uri === '') return fail(uri, 'must be a non-empty string');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 'local') {
    const rest = uri.slice('local:'.length);
    if (!rest.startsWith('//')) return fail(uri, 'write local:// or local:///base');
    const base = rest.slice(2);
    if (base !== '' && !base.startsWith('/')) return fail(uri, 'a local:// base path starts with / (local:///base)');
    if (/[?#]/.test(base)) return fail(uri, 'must not hold a query string or fragment');
    const basePath = base.replace(/\/+$/, '');
    return { kind: 'local', basePath, label: `local://${basePath}` };
  }
  if (scheme !== 'http' && scheme !== 'https') {
    return fail(uri, `${scheme === undefined ? 'has no scheme' : `has the scheme "${scheme}:"`}; use http://, https:// or local://`);
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return fail(uri, 'is not a URL');
  }
  if (url.username !== '' || url.password !== '') {
    return fail('<redacted>', 'credentials in the URI would be printed in messages; send them as headers (options.headers)');
  }
  if (url.search !== '' || url.hash !== '' || uri.includes('?') || uri.includes('#')) {
    return fail(uri, 'must not hold a query string or fragment');
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  return { kind: 'http', origin: url.origin, basePath, label: `${url.origin}${basePath}` };
}
