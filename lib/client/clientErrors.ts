import { STATUS_CODES } from 'node:http';

import { ArHttpError, ErrorCodes } from '../errors';

/**
 * The service answered a status outside 2xx. `body` is the answer, decoded
 * as a successful one would be (parsed JSON, text, or bytes).
 */
export class ArHttpStatusError<Body = unknown> extends ArHttpError {
  readonly status: number;
  readonly body: Body;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly method: string;
  readonly url: string;

  constructor(details: {
    status: number;
    body: Body;
    headers: Record<string, string | string[] | undefined>;
    method: string;
    url: string;
  }) {
    const text = typeof details.body === 'string' ? details.body : Buffer.isBuffer(details.body) ? `<${details.body.length} bytes>` : JSON.stringify(details.body);
    const excerpt = text === undefined || text === '' ? '' : `: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
    super(
      ErrorCodes.CLIENT_HTTP_STATUS,
      `${details.method} ${details.url} -> ${details.status} ${STATUS_CODES[details.status] ?? ''}`.trimEnd() +
        excerpt.replace(/[\r\n]+/g, ' '),
    );
    this.name = 'ArHttpStatusError';
    this.status = details.status;
    this.body = details.body;
    this.headers = details.headers;
    this.method = details.method;
    this.url = details.url;
  }
}
