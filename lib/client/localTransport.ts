import * as http from 'node:http';

import type { InjectOptions } from 'light-my-request';

import { ArHttpError, ErrorCodes } from '../errors';
import type { Transport, TransportRequest, TransportResponse } from './transport';

/** What `inject()` of a Fastify instance (or of light-my-request) answers; the parts the client reads. */
export interface InjectedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  rawPayload?: Buffer;
  body?: string;
  payload?: string;
}

/** Anything with Fastify's `inject()`: a Fastify instance, registered or not yet ready. */
export interface Injectable {
  inject(options: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string | Buffer;
  }): PromiseLike<InjectedResponse>;
}

/**
 * The application a `local://` client calls in-process: a Fastify instance
 * (or anything with its `inject()`), a plain Node request handler
 * `(req, res) => void` (an Express app is one), or an `http.Server`
 * (its `request` listeners are called; it need not listen).
 */
export type LocalApp = Injectable | http.RequestListener | http.Server;

type Dispatch = (options: { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer }) => PromiseLike<InjectedResponse>;

// Required when a plain handler or http.Server needs it: importing the client loads none of it.
function lightMyRequest(handler: http.RequestListener, options: InjectOptions): Promise<InjectedResponse> {
  return (require('light-my-request') as typeof import('light-my-request'))(handler, options);
}

function dispatcherOf(app: unknown): Dispatch {
  if (app instanceof http.Server) {
    const server = app;
    return (options) =>
      lightMyRequest((req, res) => server.emit('request', req, res), options as InjectOptions);
  }
  if (typeof app === 'function') {
    const handler = app as http.RequestListener;
    return (options) => lightMyRequest(handler, options as InjectOptions);
  }
  if (app !== null && typeof app === 'object' && typeof (app as Injectable).inject === 'function') {
    const injectable = app as Injectable;
    return (options) => injectable.inject(options);
  }
  throw new ArHttpError(
    ErrorCodes.BAD_OPTION,
    'a local:// client needs options.app: a Fastify instance (or anything with inject()), ' +
      'a (req, res) request handler or an http.Server',
  );
}

/**
 * Calls the application in-process, with no socket: Fastify's `inject()`,
 * or light-my-request's for a plain handler. The app stays the caller's:
 * `close()` does not close it.
 */
export class LocalTransport implements Transport {
  private readonly dispatch: Dispatch;

  constructor(
    app: unknown,
    readonly label: string,
  ) {
    this.dispatch = dispatcherOf(app);
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const response = await this.dispatch({
      method: request.method,
      url: request.target,
      headers: request.headers,
      payload: typeof request.body === 'string' || request.body === undefined ? request.body : Buffer.from(request.body),
    });
    const body =
      response.rawPayload ?? Buffer.from(response.body ?? response.payload ?? '', 'utf8');
    const headers: Record<string, string | string[] | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
    }
    return { status: response.statusCode, headers, body };
  }

  async close(): Promise<void> {}
}
