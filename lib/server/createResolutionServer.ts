import type { FastifyInstance, FastifyServerOptions } from 'fastify';

import { type AssetMap, sampleMap } from './assetMap';
import { ArHttpError, ErrorCodes, messageOf } from '../errors';
import { notInstalled, requireIfInstalled, requireInstalled } from '../optionalDependency';
import type { MappingStore } from '../store/MappingStore';
import { MemoryStore } from '../store/MemoryStore';
import { bearerSecurityScheme } from './auth';
import { changeFeed } from './changeFeed';
import { contentFiles } from './contentFiles';
import { installErrorReplies, replyToError } from './errorReplies';
import { limitOptions, type ServerTimeouts } from './limits';
import { mappingAdmin } from './mappingAdmin';
import { type ResolveFunction, resolutionRoutes } from './resolutionRoutes';
import { ReservedRoutes } from './routes';
import { refuseSnapshots, snapshotAdmin } from './snapshotAdmin';

export type { ResolveFunction } from './resolutionRoutes';

export interface ResolutionServerOptions {
  /**
   * Asset path -> resolved path. Default: the sample map (`id0x01`, `id0x02`). Copied: the
   * admin API (`/_ar/mappings`) changes the copy.
   */
  map?: AssetMap | Record<string, string>;
  /** Resolves each request instead of a map. The server then has no admin API and no change feed. */
  resolve?: ResolveFunction;
  /**
   * Where mappings are kept, instead of `map`: a store from `openStore('sqlite:FILE')` or
   * `openStore('postgres://…')`, which survives restarts. The caller closes it, after the server.
   */
  store?: MappingStore;
  /**
   * Every route but `/_ar/health`, `/openapi.json` and `/docs` then requires
   * `Authorization: Bearer <token>`, else `401`. Visible ASCII characters only.
   */
  token?: string;
  /** Fastify's logger: `true` logs every request as a JSON line. Default: off. */
  logger?: FastifyServerOptions['logger'];
  /** How long a client may take to send a request (defaults: 10 s of headers, 30 s in all). */
  timeouts?: ServerTimeouts;
  /**
   * Serve this folder's files under `/_ar/content/` (see {@link contentFiles}), so that resolved
   * paths can be their URLs. `immutable`: the files never change once written (Cache-Control).
   */
  content?: { root: string; immutable?: boolean };
}

/** The package of the interactive docs (`/docs`): serve's first line says where they are, or that they are off. */
export const docsPackage = '@fastify/swagger-ui';

/**
 * The interactive docs at `/docs`, by @fastify/swagger-ui when it is installed. Without it the
 * server works all the same; the log says once what to install, and so does `/docs` (501).
 */
async function serveDocs(app: FastifyInstance): Promise<void> {
  const swaggerUi = requireIfInstalled<typeof import('@fastify/swagger-ui')>(docsPackage);
  if (swaggerUi !== undefined) {
    await app.register(swaggerUi.default, { routePrefix: ReservedRoutes.docs });
    return;
  }
  const off = messageOf(notInstalled(`${ReservedRoutes.docs} is off: it needs`, docsPackage, 'an optional peer dependency'));
  app.log.warn(off);
  app.get(ReservedRoutes.docs, { schema: { hide: true } }, (_, reply) => reply.code(501).type('text/plain').send(`${off}\n`));
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
  const { resolve, token } = options;
  // Loaded here, not when ar-http/server is imported: fastify is a peer dependency, the docs' package an optional one.
  const fastify = requireInstalled<typeof import('fastify')>(
    'fastify',
    ErrorCodes.DEPENDENCY_MISSING,
    notInstalled('the resolution server needs', 'fastify 5', 'a peer dependency', 'fastify@5'),
  );
  const { default: swagger } = await import('@fastify/swagger');
  const app = fastify.fastify({
    logger: options.logger ?? false,
    ...limitOptions(options.timeouts),
    frameworkErrors: replyToError,
  });
  installErrorReplies(app);

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
  await serveDocs(app);

  // Public, as the docs are: only the plugins' routes require the token.
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

  if (options.content !== undefined) await app.register(contentFiles, { ...options.content, token });
  if (resolve !== undefined) {
    await app.register(resolutionRoutes, { resolve, map: options.map, store: options.store, token });
    refuseSnapshots(app);
    return app;
  }
  if (options.map !== undefined && options.store !== undefined) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'give one of map, resolve or store');
  }
  const given = options.map ?? sampleMap();
  const store = options.store ?? new MemoryStore(new Map(given instanceof Map ? given : Object.entries(given)));
  await app.register(mappingAdmin, { store, token });
  await app.register(snapshotAdmin, { store, token });
  await app.register(resolutionRoutes, { store, token });
  await app.register(changeFeed, { store, token });
  return app;
}
