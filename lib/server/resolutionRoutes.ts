import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

import { ArHttpError, ErrorCodes } from '../errors';
import { Protocol, resolvedPathProblem } from '../protocol';
import type { AssetMap } from './assetMap';
import { errorBodySchema, sendError } from './errorReplies';
import { assetPathLimit, Limits } from './limits';
import type { MappingStore } from '../store/MappingStore';
import { type PluginScopeOptions, setUpPluginScope } from './pluginScope';
import { isReservedAssetPath, ReservedRoutes } from './routes';
import { keptReads } from './storeReads';

/** A resolver prototyped in TypeScript: a path, or null/undefined for "not found". */
export type ResolveFunction = (
  assetPath: string,
) => string | null | undefined | Promise<string | null | undefined>;

const text = 'text/plain; charset=utf-8';

/** The protocol: `GET /<asset path>` and `POST /_ar/resolve`, answered by `resolveAsset`. */
function registerResolveRoutes(app: FastifyInstance, resolveAsset: ResolveFunction): void {
  // What is sent for one answer of `resolveAsset`.
  const checked = (assetPath: string, resolved: string | null | undefined, log: FastifyBaseLogger): string => {
    if (resolved === null || resolved === undefined) return '';
    if (typeof resolved !== 'string') {
      throw new ArHttpError(ErrorCodes.BAD_OPTION, `resolve() returned ${typeof resolved}, not a string`);
    }
    // What no client would take is never sent: not found, said in the log.
    const problem = resolvedPathProblem(resolved);
    if (problem !== null) {
      log.warn({ assetPath: assetPath.slice(0, 200) }, `resolve() returned an unusable resolved path (${problem}): answered as not found`);
      return '';
    }
    return resolved;
  };
  // A map answers at once: no promise is made for it, so a batch of 1,000 costs no 1,000 of them.
  const answerOf = (assetPath: string, log: FastifyBaseLogger): string | Promise<string> => {
    // A reserved path is one no client can ask for by GET: the same answer by batch.
    if (isReservedAssetPath(assetPath)) return '';
    const resolved = resolveAsset(assetPath);
    return typeof (resolved as PromiseLike<unknown> | null)?.then === 'function'
      ? Promise.resolve(resolved).then((value) => checked(assetPath, value, log))
      : checked(assetPath, resolved as string | null | undefined, log);
  };

  const plainText = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
  const error = (description: string) => ({ description, ...errorBodySchema });

  app.post<{ Body: unknown }>(
    ReservedRoutes.batch,
    {
      bodyLimit: Limits.batchBodyBytes,
      schema: {
        summary: 'Resolve many asset paths at once',
        operationId: 'resolveBatch',
        body: {
          content: {
            'text/plain': {
              schema: {
                type: 'string',
                description: `Up to ${Protocol.maxBatchPaths} percent-encoded asset paths, one per line, ${Limits.batchBodyBytes} bytes at most`,
              },
            },
          },
        },
        response: {
          200: plainText('As many lines as asked, in the same order: each the resolved path, or empty when not found'),
          400: error('A line is not percent-encoded'),
          413: error(`More than ${Protocol.maxBatchPaths} lines or ${Limits.batchBodyBytes} bytes`),
          415: error('Not text/plain'),
        },
      },
    },
    async (request, reply) => {
      // A JSON string would parse to a string too: the media type decides.
      const mediaType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (mediaType !== 'text/plain' || typeof request.body !== 'string') {
        return sendError(reply, 415, 'send text/plain');
      }
      const lines = request.body.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      if (lines.length > Protocol.maxBatchPaths) return sendError(reply, 413, `at most ${Protocol.maxBatchPaths} asset paths`);
      const assetPaths: string[] = [];
      for (const [index, line] of lines.entries()) {
        try {
          assetPaths.push(decodeURIComponent(line.replace(/\r$/, '')));
        } catch {
          return sendError(reply, 400, `line ${index + 1} is not percent-encoded`);
        }
      }
      const pending = assetPaths.map((assetPath) => answerOf(assetPath, request.log));
      const answers = pending.some((answer) => answer instanceof Promise) ? await Promise.all(pending) : pending;
      return reply.type(text).send(answers.map((path) => `${path}\n`).join(''));
    },
  );

  app.get<{ Params: { '*': string } }>(
    '/*',
    {
      onRequest: assetPathLimit('*'),
      schema: {
        summary: 'Resolve an asset path',
        operationId: 'resolve',
        description:
          'The asset path is the whole URL path, percent-decoded: several segments, or one segment ' +
          `with its slashes as %2F. 200 answers the resolved path as text; 404 with an empty body means ` +
          `not found. Asset paths over ${Limits.assetPathBytes} bytes are refused with 414.`,
        response: {
          200: plainText('The resolved path'),
          404: plainText('Not found (empty body)'),
          414: error(`Asset path over ${Limits.assetPathBytes} bytes`),
        },
      },
      config: {
        // Fastify's wildcard shows as a path parameter named `*`: give it a name clients can use.
        swaggerTransform: ({ schema, url }) => ({
          url: url.replace(/\*$/, '{assetPath}'),
          schema: {
            ...schema,
            params: {
              type: 'object',
              required: ['assetPath'],
              properties: { assetPath: { type: 'string', description: 'The asset path, percent-encoded' } },
            },
          },
        }),
      },
    },
    async (request, reply) => {
      const resolved = await answerOf(request.params['*'], request.log);
      if (resolved === '') return reply.code(404).type(text).send('');
      return reply.type(text).send(resolved);
    },
  );
}

export interface ResolutionRoutesOptions extends PluginScopeOptions {
  /**
   * Asset path -> resolved path. A `Map` is read as it changes (give the same one to
   * {@link mappingAdmin} to change it through HTTP); a plain object is copied.
   */
  map?: AssetMap | Record<string, string>;
  /** Resolves each request instead of a map. */
  resolve?: ResolveFunction;
  /** A store (SQLite, PostgreSQL, …): its answers are kept, and dropped when they change. */
  store?: MappingStore;
}

/** The function that answers, from a map, a resolve function or a store (exactly one), and what stops it. */
function answeringFunction(options: ResolutionRoutesOptions): { resolve: ResolveFunction; stop?: () => void } {
  const { map, resolve, store } = options;
  if ([map, resolve, store].filter((given) => given !== undefined).length !== 1) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'give one of map, resolve or store');
  }
  if (store !== undefined) return keptReads(store);
  if (resolve !== undefined) {
    if (typeof resolve !== 'function') throw new ArHttpError(ErrorCodes.BAD_OPTION, 'resolve must be a function');
    return { resolve };
  }
  if (map === null || typeof map !== 'object') {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'map must be a Map or an object of asset path -> resolved path');
  }
  const live = map instanceof Map ? map : new Map(Object.entries(map as Record<string, string>));
  return { resolve: (assetPath) => live.get(assetPath) };
}

/**
 * Fastify plugin: the resolution protocol, `GET /<asset path>` (200 with the resolved path as
 * text, or 404 with an empty body) and `POST /_ar/resolve` (many at once), under the prefix it is
 * registered with: `app.register(resolutionRoutes, { prefix: '/assets', map })`, then
 * `AR_HTTP_SERVER_URL=http://host/assets`. Its routes answer errors in ar-http's words and, with
 * `token`, require it; the rest of the app is not touched.
 */
export const resolutionRoutes = fastifyPlugin<ResolutionRoutesOptions>(
  async (scope, options) => {
    const answering = answeringFunction(options);
    setUpPluginScope(scope, options);
    registerResolveRoutes(scope, answering.resolve);
    if (answering.stop !== undefined) scope.addHook('onClose', async () => answering.stop?.());
  },
  { name: 'ar-http-resolution-routes', fastify: '5.x', encapsulate: true },
);
