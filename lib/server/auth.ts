import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyInstance, onRequestHookHandler } from 'fastify';

import { ArHttpError, ErrorCodes } from '../errors';

// Visible ASCII: goes into an Authorization header as is, with nothing to trim, quote or encode.
const TOKEN = /^[\x21-\x7e]+$/;

/** The token, if usable; else a BAD_OPTION error naming `source` but never quoting the value. */
export function checkToken(token: unknown, source = 'the token'): string {
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    throw new ArHttpError(
      ErrorCodes.BAD_OPTION,
      `${source} must be one or more visible ASCII characters (no spaces, no control characters)`,
    );
  }
  return token;
}

/** For the OpenAPI description's `components.securitySchemes`. */
export const bearerSecurityScheme = { bearer: { type: 'http', scheme: 'bearer' } } as const;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Every route registered in `scope` (a plugin's context) after this call answers `401` (empty
 * body, `WWW-Authenticate: Bearer`) unless the request has `Authorization: Bearer <token>`, and
 * its OpenAPI description says so (the app's description must define {@link bearerSecurityScheme}).
 */
export function requireBearerToken(scope: FastifyInstance, token: string): void {
  const expected = digest(token);
  const guard: onRequestHookHandler = async (request, reply) => {
    const given = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    // Digests of equal length: the comparison takes as long whatever was sent.
    if (given === null || !timingSafeEqual(digest(given[1]), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('');
    }
  };
  scope.addHook('onRoute', (route) => {
    route.onRequest = [guard, ...[route.onRequest ?? []].flat()];
    route.schema = {
      ...route.schema,
      security: [{ bearer: [] }],
      response: {
        ...(route.schema?.response as object | undefined),
        401: { description: 'No or wrong bearer token (empty body)', type: 'null' },
      },
    };
  });
}
