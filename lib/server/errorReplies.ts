import { STATUS_CODES } from 'node:http';

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { ErrorCodes } from '../errors';
import { Protocol } from '../protocol';

/** The JSON body of error replies: short, and never quoting the request (paths, headers, body). */
export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } },
} as const;

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

/** `400` for a snapshot id the protocol refuses. */
export function sendMalformedSnapshotId(reply: FastifyReply): FastifyReply {
  return sendError(reply, 400, `a snapshot id is 1 to ${Protocol.maxSnapshotIdBytes} characters of A-Z a-z 0-9 . _ -`);
}

/** The protocol's `404` for a snapshot the server does not have, which may exist later: never cached. */
export function sendUnknownSnapshot(reply: FastifyReply, message: string): FastifyReply {
  return sendError(reply.header(Protocol.problemHeader, Protocol.unknownSnapshotProblem).header('cache-control', 'no-store'), 404, message);
}

// Fastify's errors that clients can cause, in words of our own: some of Fastify's quote the URL.
const errorTexts: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not validly percent-encoded',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'an application/json body must not be empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type',
};

// What stores throw, as statuses.
const storeErrors: Record<string, [number, string]> = {
  [ErrorCodes.PRECONDITION_FAILED]: [412, 'the mapping does not meet If-Match or If-None-Match'],
  [ErrorCodes.STORE_READ_ONLY]: [405, "this server's store is read-only (a map file or the sample map): serve --store sqlite:FILE or postgres://..."],
  [ErrorCodes.STORE_UNAVAILABLE]: [503, 'the store is unavailable'],
};

/**
 * Every error reply: the status of a client error, else 500 (logged); a message that names
 * the problem without quoting the request (URL, headers, body). Also the `frameworkErrors`
 * server option, which receives the errors met before routing (bad percent-encoding).
 */
export function replyToError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = storeErrors[error.code];
  if (known !== undefined) {
    if (known[0] === 503) request.log.error({ err: error }, 'store unavailable');
    return sendError(reply, known[0], known[1]);
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'request failed');
  // Validation messages name the field and the rule broken, never the value.
  const message = error.validation !== undefined ? error.message : (errorTexts[error.code] ?? STATUS_CODES[status] ?? 'error');
  return sendError(reply, status, message);
}

/** Error replies for the whole server; unknown routes get `404` with an empty body, as unknown asset paths do. */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler(replyToError);
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send(''));
}
