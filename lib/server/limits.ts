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
} as const;

/** The limits as Fastify options, stated rather than left to defaults. */
export const limitOptions = {
  bodyLimit: Limits.bodyBytes,
  http: { maxHeaderSize: Limits.headerBytes },
  // No parameter can be longer than the request line: the router never cuts one short, and
  // the asset path limit is checked in one place, in bytes (below).
  routerOptions: { maxParamLength: Limits.headerBytes },
};

/** A route hook answering 414 when the asset path in route parameter `param` is too long. */
export function assetPathLimit(param: string): onRequestHookHandler {
  return async (request, reply) => {
    const assetPath = (request.params as Record<string, string>)[param];
    if (Buffer.byteLength(assetPath) > Limits.assetPathBytes) {
      return sendError(reply, 414, `asset paths are limited to ${Limits.assetPathBytes} bytes`);
    }
  };
}
