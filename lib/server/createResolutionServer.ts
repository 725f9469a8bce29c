import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

import { ArHttpError, ErrorCodes } from '../errors';
import { registerMappingRoutes } from './adminRoutes';
import { type AssetMap, sampleMap } from './assetMap';
import { bearerSecurityScheme, checkToken, requireBearerToken } from './auth';
import { installErrorReplies, replyToError } from './errorReplies';
import { limitOptions, type ServerTimeouts } from './limits';
import { registerResolveRoutes, type ResolveFunction } from './resolveRoutes';
import { ReservedRoutes } from './routes';

export type { ResolveFunction } from './resolveRoutes';

export interface ResolutionServerOptions {
  /**
   * Asset path -> resolved path. Default: the sample map (`id0x01`, `id0x02`). Copied: the
   * admin API (`/_ar/mappings`) changes the copy.
   */
  map?: AssetMap | Record<string, string>;
  /** Resolves each request instead of a map. The server then has no admin API. */
  resolve?: ResolveFunction;
  /**
   * Every route but `/_ar/health`, `/openapi.json` and `/docs` then requires
   * `Authorization: Bearer <token>`, else `401`. Visible ASCII characters only.
   */
  token?: string;
  /** Fastify's logger: `true` logs every request as a JSON line. Default: off. */
  logger?: FastifyServerOptions['logger'];
  /** How long a client may take to send a request (defaults: 10 s of headers, 30 s in all). */
  timeouts?: ServerTimeouts;
}

/** The map to serve and change, or the function to call. */
function sourceOf(options: ResolutionServerOptions): Map<string, string> | ResolveFunction {
  if (options.resolve !== undefined && options.map !== undefined) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'give either map or resolve, not both');
  }
  if (options.resolve !== undefined) {
    if (typeof options.resolve !== 'function') {
      throw new ArHttpError(ErrorCodes.BAD_OPTION, 'resolve must be a function');
    }
    return options.resolve;
  }
  const given = options.map ?? sampleMap();
  return new Map(given instanceof Map ? given : Object.entries(given));
}

/**
 * The resolution server of the protocol: `GET /<asset path>` answers `200`
 * with the resolved path as text, or `404` with an empty body. Also serves
 * its OpenAPI description, interactive docs, a health check and, when it
 * serves a map, an admin API to change it (see {@link ReservedRoutes}).
 * Call `listen({ host: '127.0.0.1', port })` on the result: other hosts can
 * reach it only if you listen on their interface.
 */
export async function createResolutionServer(
  options: ResolutionServerOptions = {},
): Promise<FastifyInstance> {
  const source = sourceOf(options);
  const token = options.token === undefined ? undefined : checkToken(options.token);
  const app = Fastify({
    logger: options.logger ?? false,
    ...limitOptions(options.timeouts),
    frameworkErrors: replyToError,
    // A number is not a path: JSON bodies are taken as sent.
    ajv: { customOptions: { coerceTypes: false } },
  });
  installErrorReplies(app);
  // Before any route, so that it sees them all.
  if (token !== undefined) requireBearerToken(app, token);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ar-http resolution server',
        description: 'Resolves OpenUSD asset paths for ArHttpResolver.',
        version: '1',
      },
      components: token === undefined ? {} : { securitySchemes: bearerSecurityScheme },
    },
  });
  await app.register(swaggerUi, { routePrefix: ReservedRoutes.docs });

  app.get(ReservedRoutes.openApi, { schema: { hide: true } }, () => app.swagger());

  app.get(
    ReservedRoutes.health,
    {
      schema: {
        summary: 'Health check',
        operationId: 'health',
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    () => ({ status: 'ok' }),
  );

  if (source instanceof Map) {
    registerMappingRoutes(app, source);
    registerResolveRoutes(app, (assetPath) => source.get(assetPath));
  } else {
    registerResolveRoutes(app, source);
  }
  return app;
}
