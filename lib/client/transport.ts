/** One request as a transport sends it (built by requestPlan.ts). */
export interface TransportRequest {
  method: string;
  /** The request target: path and query string, starting with `/`. */
  target: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Fires at the call's deadline or when its caller aborts. */
  signal: AbortSignal;
  /** The call's timeout, for transports that bound their own phases too. */
  timeoutMs: number;
}

/** The whole answer. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Carries requests to the service: over HTTP (undici) or in-process (`local://`). */
export interface Transport {
  /** Where requests go, for messages, before their targets: `http://127.0.0.1:8000`, `local://`. */
  readonly label: string;
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Releases connections; requests under way finish first. */
  close(): Promise<void>;
}
