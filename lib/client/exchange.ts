import { ArHttpError, ErrorCodes } from '../errors';
import { ArHttpStatusError } from './clientErrors';
import type { RequestPlan } from './requestPlan';
import type { Transport, TransportResponse } from './transport';

/** A whole answer, decoded. */
export interface ClientResponse<Body = unknown> {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: Body;
}

const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends `plan` through `transport` with a deadline of `timeoutMs` for the
 * whole answer and the caller's `signal`, and maps every failure to an
 * ArHttpError: CLIENT_TIMEOUT, CLIENT_ABORTED or CLIENT_CONNECTION. The
 * transport's promise cannot outlive the call: it loses the race.
 */
export async function exchange(
  transport: Transport,
  plan: RequestPlan,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<TransportResponse> {
  const url = `${transport.label}${plan.target}`;
  const what = `${plan.method} ${url}`;
  const { signal } = options;
  if (signal?.aborted) {
    throw new ArHttpError(ErrorCodes.CLIENT_ABORTED, `${what}: aborted before it was sent`, { cause: signal.reason });
  }
  const controller = new AbortController();
  let timedOut = false;
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  const timer = setTimeout(() => {
    timedOut = true;
    const error = new ArHttpError(ErrorCodes.CLIENT_TIMEOUT, `${what}: no whole answer within ${options.timeoutMs} ms`);
    controller.abort(error);
    stop(error);
  }, options.timeoutMs);
  const onAbort = (): void => {
    const error = new ArHttpError(ErrorCodes.CLIENT_ABORTED, `${what}: aborted`, { cause: signal?.reason });
    controller.abort(error);
    stop(error);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const sent = transport.request({ ...plan, signal: controller.signal, timeoutMs: options.timeoutMs });
  sent.catch(() => {}); // when the deadline wins, its failure is nobody's
  try {
    return await Promise.race([sent, stopped]);
  } catch (error) {
    if (error instanceof ArHttpError) throw error;
    if (timedOut || UNDICI_TIMEOUTS.has((error as { code?: string }).code ?? '')) {
      throw new ArHttpError(ErrorCodes.CLIENT_TIMEOUT, `${what}: no whole answer within ${options.timeoutMs} ms`, { cause: error });
    }
    if (signal?.aborted) throw new ArHttpError(ErrorCodes.CLIENT_ABORTED, `${what}: aborted`, { cause: signal.reason });
    const code = (error as { code?: string }).code;
    throw new ArHttpError(
      ErrorCodes.CLIENT_CONNECTION,
      `${what}: ${(error as Error).message || 'failed'}${code && !(error as Error).message?.includes(code) ? ` (${code})` : ''}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

const headerText = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

const isJsonType = (type: string): boolean => /^application\/(.+\+)?json\b/.test(type);
const isTextType = (type: string): boolean =>
  type.startsWith('text/') || /^application\/(.+\+)?(xml|javascript|x-www-form-urlencoded)\b/.test(type);

function text(body: Buffer, type: string): string {
  const charset = /;\s*charset="?([^";]+)/.exec(type)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/**
 * The body of an answer by its content type: JSON parsed, text (`text/*`,
 * XML, or no content type at all) as a string, anything else as a Buffer;
 * `undefined` for no body (204, HEAD, an empty JSON answer). `strict`
 * throws CLIENT_BAD_RESPONSE for JSON that does not parse; otherwise such a
 * body comes back as text.
 */
export function decodeBody(response: TransportResponse, method: string, what: string, strict: boolean): unknown {
  const type = (headerText(response.headers['content-type']) ?? '').toLowerCase();
  if (method === 'HEAD' || response.status === 204 || response.status === 205 || response.status === 304) return undefined;
  if (response.body.length === 0 && (type === '' || isJsonType(type))) return undefined;
  if (isJsonType(type)) {
    const source = text(response.body, type);
    try {
      return JSON.parse(source);
    } catch (cause) {
      if (!strict) return source;
      throw new ArHttpError(
        ErrorCodes.CLIENT_BAD_RESPONSE,
        `${what} -> ${response.status}: the ${type} answer is not JSON (${(cause as Error).message})`,
        { cause },
      );
    }
  }
  if (type === '' || isTextType(type)) return text(response.body, type);
  return response.body;
}

/** The decoded answer, or an ArHttpStatusError for a status outside 2xx. */
export function answerOf(response: TransportResponse, plan: RequestPlan, label: string): ClientResponse {
  const url = `${label}${plan.target}`;
  const what = `${plan.method} ${url}`;
  const ok = response.status >= 200 && response.status < 300;
  const body = decodeBody(response, plan.method, what, ok);
  if (!ok) {
    throw new ArHttpStatusError({ status: response.status, body, headers: response.headers, method: plan.method, url });
  }
  return { status: response.status, headers: response.headers, body };
}
