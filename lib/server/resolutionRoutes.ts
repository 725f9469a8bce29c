import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

import { ArHttpError, ErrorCodes } from '../errors';
import { isSnapshotId, Protocol, resolvedPathProblem } from '../protocol';
import type { AssetMap } from './assetMap';
import { errorBodySchema, sendError, sendMalformedSnapshotId, sendUnknownSnapshot } from './errorReplies';
import { assetPathLimit, Limits } from './limits';
import { etagOf, type MappingStore, type Snapshot } from '../store/MappingStore';
import { type PluginScopeOptions, setUpPluginScope } from './pluginScope';
import { isReservedAssetPath, ReservedRoutes } from './routes';
import { keptReads } from './storeReads';
import { forgetListening, noteListening } from '../resolve/inProcessServers';

/** A resolver prototyped in TypeScript: a path, or null/undefined for "not found". */
export type ResolveFunction = (
  assetPath: string,
) => string | null | undefined | Promise<string | null | undefined>;

const text = 'text/plain; charset=utf-8';
/** An answer as of a snapshot never changes; an unknown snapshot may become known. */
const immutable = 'public, max-age=31536000, immutable';

/** One answer, with the number of the change that set it when the server keeps history. */
type Found = { resolvedPath: string; version?: number } | undefined;

/** How the routes answer: latest or (with history) as of a change. */
interface Answering {
  answer(assetPath: string, asOf?: number): Found | Promise<Found>;
  /** The snapshot of an id; absent when the server keeps no history. */
  snapshot?(id: string): Snapshot | undefined | Promise<Snapshot | undefined>;
  stop?(): void;
}

const snapshotQuery = {
  type: 'object',
  properties: {
    [Protocol.snapshotParameter]: {
      type: 'string',
      description:
        `Answer as of this snapshot (1 to ${Protocol.maxSnapshotIdBytes} characters of A-Z a-z 0-9 . _ -): for ever the same answer, ` +
        `cacheable (${immutable}). An unknown snapshot: 404 with ${Protocol.problemHeader}: ${Protocol.unknownSnapshotProblem}`,
    },
  },
} as const;

type SnapshotQuery = { Querystring: { [Protocol.snapshotParameter]?: string } };

/**
 * If-None-Match holds `etag` (or `*`): the client has this answer. Compared weakly, as RFC 9110
 * says: a cache that compressed the answer sends it back as `W/"n"`.
 */
function matches(header: string | string[] | undefined, etag: string): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined) return false;
  return value.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The change a request asks its answers as of: undefined for the latest, or the reply already
 * sent (400 for a malformed id, 404 for an unknown snapshot or a server without history).
 */
async function asOfChange(answering: Answering, id: string | undefined, reply: FastifyReply): Promise<number | undefined | FastifyReply> {
  if (id === undefined) return undefined;
  if (!isSnapshotId(id)) return sendMalformedSnapshotId(reply);
  if (answering.snapshot === undefined) {
    return sendUnknownSnapshot(reply, `no snapshot ${JSON.stringify(id)}: this server keeps no history (it answers from a resolve function or a map changed in place), so it has no snapshots`);
  }
  const snapshot = await answering.snapshot(id);
  if (snapshot === undefined) return sendUnknownSnapshot(reply, `no snapshot ${JSON.stringify(id)} on this server (unknown snapshot)`);
  return snapshot.change;
}

/** The protocol: `GET /<asset path>` and `POST /_ar/resolve`, latest or as of a snapshot. */
function registerResolveRoutes(app: FastifyInstance, answering: Answering): void {
  // What is sent for one answer.
  const checked = (assetPath: string, found: Found, log: FastifyBaseLogger): Found => {
    if (found === undefined) return undefined;
    // What no client would take is never sent: not found, said in the log.
    const problem = resolvedPathProblem(found.resolvedPath);
    if (problem !== null) {
      log.warn({ assetPath: assetPath.slice(0, 200) }, `resolve() returned an unusable resolved path (${problem}): answered as not found`);
      return undefined;
    }
    return found;
  };
  // A map answers at once: no promise is made for it, so a batch of 1,000 costs no 1,000 of them.
  const answerOf = (assetPath: string, asOf: number | undefined, log: FastifyBaseLogger): Found | Promise<Found> => {
    // A reserved path is one no client can ask for by GET: the same answer by batch.
    if (isReservedAssetPath(assetPath)) return undefined;
    const found = answering.answer(assetPath, asOf);
    return found instanceof Promise ? found.then((value) => checked(assetPath, value, log)) : checked(assetPath, found, log);
  };
  // Whether answers carry the change that set them.
  const versioned = answering.snapshot !== undefined;

  const plainText = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
  const error = (description: string) => ({ description, ...errorBodySchema });

  app.post<{ Body: unknown } & SnapshotQuery>(
    ReservedRoutes.batch,
    {
      bodyLimit: Limits.batchBodyBytes,
      schema: {
        summary: 'Resolve many asset paths at once',
        operationId: 'resolveBatch',
        description:
          `With ${Protocol.versionsHeader}: 1, a server keeping history answers the same header and each non-empty line as ` +
          "'<n> <resolved path>', n the number of the change that set it.",
        querystring: snapshotQuery,
        headers: { type: 'object', properties: { [Protocol.versionsHeader.toLowerCase()]: { type: 'string', description: "1: answer '<n> <resolved path>' lines" } } },
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
          400: error('A line is not percent-encoded, or a malformed snapshot id'),
          404: error('Unknown snapshot'),
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
      const asOf = await asOfChange(answering, request.query[Protocol.snapshotParameter], reply);
      if (typeof asOf === 'object') return asOf;
      const pending = assetPaths.map((assetPath) => answerOf(assetPath, asOf, request.log));
      const answers = pending.some((answer) => answer instanceof Promise) ? await Promise.all(pending) : (pending as Found[]);
      if (asOf !== undefined) reply.header('cache-control', immutable);
      if (versioned && request.headers[Protocol.versionsHeader.toLowerCase()] === '1') {
        reply.header(Protocol.versionsHeader, '1');
        return reply.type(text).send(answers.map((found) => (found === undefined ? '\n' : `${found.version ?? 0} ${found.resolvedPath}\n`)).join(''));
      }
      return reply.type(text).send(answers.map((found) => `${found?.resolvedPath ?? ''}\n`).join(''));
    },
  );

  app.get<{ Params: { '*': string } } & SnapshotQuery>(
    '/*',
    {
      onRequest: assetPathLimit('*'),
      schema: {
        summary: 'Resolve an asset path',
        operationId: 'resolve',
        description:
          'The asset path is the whole URL path, percent-decoded: several segments, or one segment ' +
          `with its slashes as %2F. 200 answers the resolved path as text; 404 with an empty body means ` +
          `not found. Asset paths over ${Limits.assetPathBytes} bytes are refused with 414. A server keeping history ` +
          'sends ETag: "<n>", n the number of the change that set the answer, and answers If-None-Match with 304; latest ' +
          `answers carry Cache-Control: no-cache, answers as of a snapshot ${immutable}.`,
        querystring: snapshotQuery,
        response: {
          200: plainText('The resolved path'),
          304: { description: 'Not modified (If-None-Match holds its ETag)', type: 'null' },
          400: error('A malformed snapshot id'),
          404: plainText(`Not found (empty body), or an unknown snapshot (a JSON error body and ${Protocol.problemHeader}: ${Protocol.unknownSnapshotProblem})`),
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
      const asOf = await asOfChange(answering, request.query[Protocol.snapshotParameter], reply);
      if (typeof asOf === 'object') return asOf;
      const found = await answerOf(request.params['*'], asOf, request.log);
      if (asOf !== undefined) reply.header('cache-control', immutable);
      else if (versioned) reply.header('cache-control', 'no-cache');
      if (found === undefined) return reply.code(404).type(text).send('');
      if (found.version !== undefined) {
        const etag = etagOf(found.version);
        reply.header('etag', etag);
        if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      }
      return reply.type(text).send(found.resolvedPath);
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

/** A resolve function's (or a map's) answer. */
function foundOf(resolved: string | null | undefined): Found {
  if (resolved === null || resolved === undefined) return undefined;
  if (typeof resolved !== 'string') throw new ArHttpError(ErrorCodes.BAD_OPTION, `resolve() returned ${typeof resolved}, not a string`);
  return { resolvedPath: resolved };
}

/** How the routes answer, from a map, a resolve function or a store (exactly one). */
function answeringOf(options: ResolutionRoutesOptions): Answering {
  const { map, resolve, store } = options;
  if ([map, resolve, store].filter((given) => given !== undefined).length !== 1) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'give one of map, resolve or store');
  }
  if (store !== undefined) return keptReads(store);
  if (resolve !== undefined) {
    if (typeof resolve !== 'function') throw new ArHttpError(ErrorCodes.BAD_OPTION, 'resolve must be a function');
    return {
      answer: (assetPath) => {
        const resolved = resolve(assetPath);
        return typeof (resolved as PromiseLike<unknown> | null)?.then === 'function' ? Promise.resolve(resolved).then(foundOf) : foundOf(resolved as string | null | undefined);
      },
    };
  }
  if (map === null || typeof map !== 'object') {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'map must be a Map or an object of asset path -> resolved path');
  }
  // A map changed in place keeps no history: no versions, no snapshots.
  const live = map instanceof Map ? map : new Map(Object.entries(map as Record<string, string>));
  return { answer: (assetPath) => foundOf(live.get(assetPath)) };
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
    const answering = answeringOf(options);
    setUpPluginScope(scope, options);
    registerResolveRoutes(scope, answering);
    if (answering.stop !== undefined) scope.addHook('onClose', async () => answering.stop?.());
    // So that a synchronous resolve() of this process can tell it would wait on itself.
    scope.addHook('onListen', async () =>
      noteListening(scope, scope.addresses().filter((address) => typeof address === 'object')),
    );
    scope.addHook('onClose', async () => forgetListening(scope));
  },
  { name: 'ar-http-resolution-routes', fastify: '5.x', encapsulate: true },
);
