import { AsyncClient } from '../../client/AsyncClient';
import { ArHttpStatusError } from '../../client/clientErrors';
import { ArHttpError, ErrorCodes, messageOf } from '../../errors';

const DEFAULT_SERVER = 'http://localhost:8000';

/**
 * The AsyncClient of an admin command: the server is `--server`, else AR_HTTP_SERVER_URL, else
 * http://localhost:8000; AR_HTTP_SERVER_TOKEN goes as a bearer token.
 */
export function adminClient(serverOption: string | undefined): { client: AsyncClient; server: string } {
  const server = serverOption || process.env.AR_HTTP_SERVER_URL || DEFAULT_SERVER;
  const token = process.env.AR_HTTP_SERVER_TOKEN;
  return { server, client: new AsyncClient(server, { headers: token ? { Authorization: `Bearer ${token}` } : {} }) };
}

/**
 * One line for what went wrong in an admin command, naming the server but never the token:
 * `notFound` for a 404 (undefined: the server's own words), `missing` when the server has no
 * such routes at all.
 */
export function explainAdminError(error: unknown, server: string, what: { notFound?: string; missing: string }): string {
  if (error instanceof ArHttpStatusError) {
    if (error.status === 401) {
      return messageOf(
        process.env.AR_HTTP_SERVER_TOKEN
          ? `${server} refused the token in AR_HTTP_SERVER_TOKEN (401)`
          : `${server} wants a bearer token (401): set AR_HTTP_SERVER_TOKEN`,
      );
    }
    if (error.status === 404 && what.notFound !== undefined) return messageOf(`${what.notFound} on ${server}`);
    const detail = (error.body as { error?: unknown } | undefined)?.error;
    if (typeof detail === 'string') return messageOf(`${server} answered ${error.status}: ${detail}`);
  }
  if (error instanceof ArHttpError && (error.code === ErrorCodes.CLIENT_UNKNOWN_PATH || error.code === ErrorCodes.CLIENT_UNKNOWN_METHOD)) {
    return messageOf(`${server} has no ${what.missing}`);
  }
  return (error as Error).message;
}
