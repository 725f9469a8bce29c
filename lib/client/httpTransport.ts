import type { Agent } from 'undici';

import type { Transport, TransportRequest, TransportResponse } from './transport';

export interface HttpTransportOptions {
  /** Kept-alive connections at most (default 8). */
  connections: number;
  /** How long an idle connection is kept (default 4 s, under most servers' own keep-alive timeout). */
  keepAliveTimeoutMs: number;
}

/**
 * Requests over HTTP(S) through an undici Agent: connections are kept
 * alive and reused across calls; `close()` releases them.
 */
export class HttpTransport implements Transport {
  private readonly agent: Agent;

  constructor(
    /** `http(s)://host[:port]` */
    private readonly origin: string,
    readonly label: string,
    options: HttpTransportOptions,
  ) {
    // Required here, by the first HTTP client: importing the client loads no undici.
    const { Agent } = require('undici') as typeof import('undici');
    this.agent = new Agent({
      connections: options.connections,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs, 600_000),
    });
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const response = await this.agent.request({
      origin: this.origin,
      path: request.target,
      method: request.method as 'GET',
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, headers: response.headers, body };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
