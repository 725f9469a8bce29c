import type { onRequestHookHandler } from 'fastify';

import { Protocol } from '../protocol';
import { sendError } from './errorReplies';

/** What the resolution server accepts; anything bigger is refused with a 4xx before it costs much. */
export const Limits = {
  /** An asset path, in UTF-8 bytes once percent-decoded: longer is 414 (the protocol's limit). */
  assetPathBytes: Protocol.maxAssetPathBytes,
  /**
   * Request line and headers together (Node's maxHeaderSize): more is 431.
   * Holds an asset path of `assetPathBytes` fully percent-encoded (12 KiB) and the usual headers.
   */
  headerBytes: 16 * 1024,
  /** A request body, such as a mapping's JSON: bigger is 413. */
  bodyBytes: 64 * 1024,
  /** A `POST /_ar/resolve` body: bigger is 413 (the protocol's limit). */
  batchBodyBytes: Protocol.maxBatchBodyBytes,
  /** A content file's path under the content folder, in UTF-8 bytes once percent-decoded: longer is 414 (Linux's PATH_MAX). */
  contentPathBytes: 4096,
  /** One name in that path, in UTF-8 bytes: longer is 414 (NAME_MAX of common filesystems). */
  contentNameBytes: 255,
} as const;

/** How long a client may take: a client trickling its request holds no connection for long. */
export interface ServerTimeouts {
  /** The request line and headers must have come by then, else 408. Default 10 s. */
  headersMs?: number;
  /** The whole request, body included, else 408. Default 30 s. */
  requestMs?: number;
  /** A connection that sends nothing for this long is closed. Default 60 s. */
  idleMs?: number;
  /** A kept-alive connection with no request for this long is closed. Default 5 s. */
  keepAliveMs?: number;
}

const defaultTimeouts: Required<ServerTimeouts> = { headersMs: 10_000, requestMs: 30_000, idleMs: 60_000, keepAliveMs: 5_000 };

/** The limits and `timeouts` as Fastify options, stated rather than left to defaults. */
export function limitOptions(timeouts: ServerTimeouts = {}) {
  const { headersMs, requestMs, idleMs, keepAliveMs } = { ...defaultTimeouts, ...timeouts };
  return {
    bodyLimit: Limits.bodyBytes,
    requestTimeout: requestMs,
    connectionTimeout: idleMs,
    keepAliveTimeout: keepAliveMs,
    http: {
      maxHeaderSize: Limits.headerBytes,
      // Node's rule: the headers' time is within the request's.
      headersTimeout: Math.min(headersMs, requestMs),
      // How often Node looks for requests past their time (its default: 30 s).
      connectionsCheckingInterval: Math.min(1_000, headersMs, requestMs),
    },
    // No parameter can be longer than the request line: the router never cuts one short, and
    // the asset path limit is checked in one place, in bytes (below).
    routerOptions: { maxParamLength: Limits.headerBytes },
  };
}

/** A route hook answering 414 when the asset path in route parameter `param` is too long. */
export function assetPathLimit(param: string): onRequestHookHandler {
  return async (request, reply) => {
    const assetPath = (request.params as Record<string, string>)[param];
    if (Buffer.byteLength(assetPath) > Limits.assetPathBytes) {
      return sendError(reply, 414, `asset paths are limited to ${Limits.assetPathBytes} bytes`);
    }
  };
}
