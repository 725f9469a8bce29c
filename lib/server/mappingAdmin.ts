import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

import { ArHttpError, ErrorCodes } from '../errors';
import { resolvedPathProblem } from '../protocol';
import { errorBodySchema, sendError } from './errorReplies';
import { assetPathLimit, Limits } from './limits';
import type { MappingStore, WriteCondition } from '../store/MappingStore';
import { MemoryStore } from '../store/MemoryStore';
import { type PluginScopeOptions, setUpPluginScope } from './pluginScope';
import { isReservedAssetPath, ReservedRoutes } from './routes';

const params = {
  type: 'object',
  required: ['asset_path'],
  properties: {
    asset_path: {
      type: 'string',
      description: `The asset path as one percent-encoded segment (models/a.usda is models%2Fa.usda), at most ${Limits.assetPathBytes} bytes`,
    },
  },
} as const;

const mapping = {
  type: 'object',
  required: ['assetPath', 'resolvedPath', 'etag'],
  properties: {
    assetPath: { type: 'string' },
    resolvedPath: { type: 'string' },
    etag: { type: 'string', description: 'Its entity tag, for If-Match' },
    updatedAt: { type: 'string', format: 'date-time', nullable: true, description: 'null: as loaded from a map file' },
  },
} as const;

const error = (description: string) => ({ description, ...errorBodySchema });
const tooLong = error(`Asset path over ${Limits.assetPathBytes} bytes`);

/** Why `assetPath` cannot be mapped, or null. */
function assetPathProblem(assetPath: string): string | null {
  if (assetPath === '') return 'the asset path is empty';
  // The resolver refuses such asset paths: no client could ever ask for it.
  if (assetPath.includes('\0')) return 'the asset path holds a NUL character';
  if (isReservedAssetPath(assetPath)) return 'the asset path is reserved (docs, openapi.json, docs/..., _ar/...)';
  return null;
}

/** `If-Match` / `If-None-Match`: `*`, or the strong entity tags listed (a weak one never matches). */
function tagsOf(header: string | undefined): '*' | string[] | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => /^"[^"]*"$/.test(tag));
}

function conditionOf(headers: Record<string, string | string[] | undefined>): WriteCondition {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  return { ifMatch: tagsOf(one('if-match')), ifNoneMatch: tagsOf(one('if-none-match')) };
}

const conditionHeaders = {
  type: 'object',
  properties: {
    'if-match': { type: 'string', description: 'Write only if the mapping exists (*) or has one of these ETags; else 412' },
    'if-none-match': { type: 'string', description: 'Write only if the mapping does not exist (*); else 412' },
  },
} as const;

const change = {
  type: 'object',
  required: ['id', 'oldResolvedPath', 'newResolvedPath', 'at'],
  properties: {
    id: { type: 'integer' },
    oldResolvedPath: { type: 'string', nullable: true, description: 'null: the mapping was added' },
    newResolvedPath: { type: 'string', nullable: true, description: 'null: the mapping was removed' },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

/** The admin API's routes over `store`. */
function registerMappingRoutes(app: FastifyInstance, store: MappingStore): void {
  const one = `${ReservedRoutes.mappings}/:asset_path`;
  type One = { Params: { asset_path: string } };

  app.get(
    ReservedRoutes.mappings,
    {
      schema: {
        summary: 'All mappings',
        operationId: 'listMappings',
        response: {
          200: {
            description: 'Asset path -> resolved path',
            type: 'object',
            required: ['mappings'],
            properties: { mappings: { type: 'object', additionalProperties: { type: 'string' } } },
          },
        },
      },
    },
    async () => ({ mappings: Object.fromEntries((await store.list()).map((m) => [m.assetPath, m.resolvedPath])) }),
  );

  app.get<One>(
    one,
    {
      onRequest: assetPathLimit('asset_path'),
      schema: {
        summary: 'One mapping',
        operationId: 'getMapping',
        params,
        response: { 200: { description: 'The mapping (its ETag in the ETag header too)', ...mapping }, 404: error('No such mapping'), 414: tooLong },
      },
    },
    async (request, reply) => {
      const found = await store.get(request.params.asset_path);
      if (found === undefined) return sendError(reply, 404, 'no mapping for this asset path');
      return reply.header('etag', found.etag).send(found);
    },
  );

  app.get<One & { Querystring: { limit?: number; before?: number } }>(
    `${one}/history`,
    {
      onRequest: assetPathLimit('asset_path'),
      schema: {
        summary: 'The changes of one asset path, newest first',
        operationId: 'getMappingHistory',
        params,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            before: { type: 'integer', minimum: 1, description: 'Only changes older than this one (the id of the last change of the previous page)' },
          },
        },
        response: {
          200: { description: 'Every write kept: added, replaced, removed', type: 'object', required: ['changes'], properties: { changes: { type: 'array', items: change } } },
          414: tooLong,
        },
      },
    },
    async (request) => ({ changes: await store.history(request.params.asset_path, request.query) }),
  );

  app.put<One & { Body: { resolvedPath: string } }>(
    one,
    {
      onRequest: assetPathLimit('asset_path'),
      schema: {
        summary: 'Add or replace a mapping',
        operationId: 'putMapping',
        description:
          'Empty and reserved asset paths (docs, openapi.json, docs/..., _ar/...) and asset paths ' +
          'holding NUL are refused with 400, as are resolved paths the protocol refuses (empty, over its byte limit, ' +
          'holding a control character or a space at either end). If-Match and If-None-Match: * make it conditional.',
        params,
        headers: conditionHeaders,
        body: {
          type: 'object',
          required: ['resolvedPath'],
          properties: { resolvedPath: { type: 'string' } },
        },
        response: {
          200: { description: 'Replaced', ...mapping },
          201: { description: 'Added', ...mapping },
          400: error('Refused asset path or resolved path'),
          405: error('The store is read-only'),
          412: error('If-Match or If-None-Match does not hold'),
          413: error(`Body over ${Limits.bodyBytes} bytes`),
          414: tooLong,
        },
      },
    },
    async (request, reply) => {
      const assetPath = request.params.asset_path;
      const problem = assetPathProblem(assetPath);
      if (problem !== null) return sendError(reply, 400, problem);
      const refused = resolvedPathProblem(request.body.resolvedPath);
      if (refused !== null) return sendError(reply, 400, refused);
      const written = await store.put(assetPath, request.body.resolvedPath, conditionOf(request.headers));
      return reply.code(written.created ? 201 : 200).header('etag', written.mapping.etag).send(written.mapping);
    },
  );

  app.delete<One>(
    one,
    {
      onRequest: assetPathLimit('asset_path'),
      schema: {
        summary: 'Remove a mapping',
        operationId: 'deleteMapping',
        params,
        headers: conditionHeaders,
        response: {
          204: { description: 'Removed', type: 'null' },
          404: error('No such mapping'),
          405: error('The store is read-only'),
          412: error('If-Match does not hold'),
          414: tooLong,
        },
      },
    },
    async (request, reply) => {
      if (!(await store.remove(request.params.asset_path, conditionOf(request.headers)))) {
        return sendError(reply, 404, 'no mapping for this asset path');
      }
      return reply.code(204).send();
    },
  );
}

/**
 * Every other path under the mappings: an asset path of several segments sent unencoded
 * (`PUT /_ar/mappings/assets/a1`), answered with the form that works (`assets%2Fa1`).
 */
function registerUnencodedPaths(app: FastifyInstance): void {
  app.all<{ Params: { '*': string } }>(
    `${ReservedRoutes.mappings}/*`,
    { onRequest: assetPathLimit('*'), schema: { hide: true } },
    async (request, reply) => {
      const rest = request.params['*'];
      const history = request.method === 'GET' && rest.endsWith('/history');
      const assetPath = history ? rest.slice(0, -'/history'.length) : rest;
      const encoded = `${ReservedRoutes.mappings}/${encodeURIComponent(assetPath)}${history ? '/history' : ''}`;
      return sendError(reply, 404, `an asset path goes as one percent-encoded segment, its slashes as %2F: ${request.method} ${encoded}`);
    },
  );
}

export type MappingAdminOptions = PluginScopeOptions &
  (
    | {
        /** The store to read and change. */
        store: MappingStore;
        map?: undefined;
      }
    | {
        /** A map in memory to read and change: give the same `Map` to {@link resolutionRoutes}. */
        map: Map<string, string>;
        store?: undefined;
      }
  );

/**
 * Fastify plugin: the admin API of a store or map, `GET /_ar/mappings`, `GET`/`PUT`/`DELETE`
 * `/_ar/mappings/{asset_path}` (conditional with `If-Match` and `If-None-Match: *`) and
 * `GET /_ar/mappings/{asset_path}/history`, under the prefix it is registered with. It refuses
 * what the resolver would refuse; changes apply to the next request. With `token`, its routes
 * require it.
 */
export const mappingAdmin = fastifyPlugin<MappingAdminOptions>(
  async (scope, options) => {
    const store = storeOf(options);
    setUpPluginScope(scope, options);
    registerMappingRoutes(scope, store);
    registerUnencodedPaths(scope);
  },
  { name: 'ar-http-mapping-admin', fastify: '5.x', encapsulate: true },
);

/** The store of a plugin's `store` or `map` option (exactly one). */
export function storeOf(options: { store?: MappingStore; map?: unknown }): MappingStore {
  const { store, map } = options;
  if ((store === undefined) === (map === undefined)) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, 'give either store or map (a Map), not both nor neither');
  }
  if (store !== undefined) return store;
  if (!(map instanceof Map)) throw new ArHttpError(ErrorCodes.BAD_OPTION, 'map must be a Map (or give store)');
  return new MemoryStore(map);
}
