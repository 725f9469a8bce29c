import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

import { ArHttpError, ErrorCodes } from '../errors';
import { type AssetMap, sampleMap } from './assetMap';
import { MAX_BATCH, ReservedRoutes } from './routes';

/** A resolver prototyped in TypeScript: a path, or null/undefined for "not found". */
export type ResolveFunction = (
  assetPath: string,
) => string | null | undefined | Promise<string | null | undefined>;

export interface ResolutionServerOptions {
  /** Asset path -> resolved path. Default: the sample map (`id0x01`, `id0x02`). */
  map?: AssetMap | Record<string, string>;
  /** Resolves each request instead of a map. */
  resolve?: ResolveFunction;
  /** Fastify's logger: `true` logs every request as a JSON line. Default: off. */
  logger?: FastifyServerOptions['logger'];
}

function resolverOf(options: ResolutionServerOptions): ResolveFunction {
  if (options.resolve !== undefined && options.map !== undefined) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'ar-http: give either map or resolve, not both');
  }
  if (options.resolve !== undefined) {
    if (typeof options.resolve !== 'function') {
      throw new ArHttpError(ErrorCodes.BAD_OPTION, 'ar-http: resolve must be a function');
    }
    return options.resolve;
  }
  const given = options.map ?? sampleMap();
  const map: AssetMap = given instanceof Map ? given : new Map(Object.entries(given));
  return (assetPath) => map.get(assetPath);
}

/**
 * The resolution server of the protocol: `GET /<asset path>` answers `200`
 * with the resolved path as text, or `404` with an empty body. Also serves
 * its OpenAPI description, interactive docs and a health check (see
 * {@link ReservedRoutes}). Call `listen()` on the result.
 */
export async function createResolutionServer(
  options: ResolutionServerOptions = {},
): Promise<FastifyInstance> {
  const resolveAsset = resolverOf(options);
  const app = Fastify({ logger: options.logger ?? false });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ar-http resolution server',
        description: 'Resolves OpenUSD asset paths for ArHttpResolver.',
        version: '1',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: ReservedRoutes.docs });

  app.get(ReservedRoutes.openApi, { schema: { hide: true } }, () => app.swagger());

  app.get(
    ReservedRoutes.health,
    {
      schema: {
        summary: 'Health check',
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    () => ({ status: 'ok' }),
  );

  const answerOf = async (assetPath: string): Promise<string> => {
    const resolved = await resolveAsset(assetPath);
    if (resolved === null || resolved === undefined) return '';
    if (typeof resolved !== 'string') {
      throw new TypeError(`resolve() returned ${typeof resolved}, not a string`);
    }
    return resolved;
  };

  app.post<{ Body: unknown }>(
    ReservedRoutes.batch,
    {
      schema: {
        summary: 'Resolve many asset paths at once',
        description:
          `The text/plain body holds up to ${MAX_BATCH} percent-encoded asset paths, one per line. ` +
          'The text/plain answer holds as many lines, in the same order: each the resolved path, ' +
          'or empty when not found.',
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        return reply.code(415).type('text/plain; charset=utf-8').send('send text/plain\n');
      }
      const lines = request.body.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      if (lines.length > MAX_BATCH) {
        return reply.code(413).type('text/plain; charset=utf-8').send(`at most ${MAX_BATCH} asset paths\n`);
      }
      const assetPaths: string[] = [];
      for (const [index, line] of lines.entries()) {
        try {
          assetPaths.push(decodeURIComponent(line.replace(/\r$/, '')));
        } catch {
          return reply.code(400).type('text/plain; charset=utf-8').send(`line ${index + 1} is not percent-encoded\n`);
        }
      }
      // A resolved path holding a line break cannot be framed: it counts as not found.
      const answers = (await Promise.all(assetPaths.map(answerOf))).map((path) => (/[\r\n]/.test(path) ? '' : path));
      return reply.type('text/plain; charset=utf-8').send(answers.map((path) => `${path}\n`).join(''));
    },
  );

  app.get<{ Params: { '*': string } }>(
    '/*',
    {
      schema: {
        summary: 'Resolve an asset path',
        description:
          'The asset path is the whole URL path (percent-decoded). 200 answers the ' +
          'resolved path as text; 404 with an empty body means not found.',
        response: {
          200: { description: 'The resolved path', content: { 'text/plain': { schema: { type: 'string' } } } },
          404: { description: 'Not found (empty body)', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
    async (request, reply) => {
      const resolved = await answerOf(request.params['*']);
      if (resolved === '') return reply.code(404).type('text/plain; charset=utf-8').send('');
      return reply.type('text/plain; charset=utf-8').send(resolved);
    },
  );

  return app;
}
