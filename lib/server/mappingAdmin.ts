import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

import { ArHttpError, ErrorCodes } from '../errors';
import { resolvedPathProblem } from '../protocol';
import { errorBodySchema, sendError } from './errorReplies';
import { assetPathLimit, Limits } from './limits';
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
  required: ['assetPath', 'resolvedPath'],
  properties: { assetPath: { type: 'string' }, resolvedPath: { type: 'string' } },
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

/** The admin API's routes over `map`. */
function registerMappingRoutes(app: FastifyInstance, map: Map<string, string>): void {
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
    async () => ({ mappings: Object.fromEntries(map) }),
  );

  app.get<One>(
    one,
    {
      onRequest: assetPathLimit('asset_path'),
      schema: {
        summary: 'One mapping',
        operationId: 'getMapping',
        params,
        response: { 200: { description: 'The mapping', ...mapping }, 404: error('No such mapping'), 414: tooLong },
      },
    },
    async (request, reply) => {
      const assetPath = request.params.asset_path;
      const resolvedPath = map.get(assetPath);
      if (resolvedPath === undefined) return sendError(reply, 404, 'no mapping for this asset path');
      return { assetPath, resolvedPath };
    },
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
          'holding a control character or a space at either end).',
        params,
        body: {
          type: 'object',
          required: ['resolvedPath'],
          properties: { resolvedPath: { type: 'string' } },
        },
        response: {
          200: { description: 'Replaced', ...mapping },
          201: { description: 'Added', ...mapping },
          400: error('Refused asset path or resolved path'),
          413: error(`Body over ${Limits.bodyBytes} bytes`),
          414: tooLong,
        },
      },
    },
    async (request, reply) => {
      const assetPath = request.params.asset_path;
      const problem = assetPathProblem(assetPath);
      if (problem !== null) return sendError(reply, 400, problem);
      const { resolvedPath } = request.body;
      const refused = resolvedPathProblem(resolvedPath);
      if (refused !== null) return sendError(reply, 400, refused);
      const status = map.has(assetPath) ? 200 : 201;
      map.set(assetPath, resolvedPath);
      return reply.code(status).send({ assetPath, resolvedPath });
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
        response: { 204: { description: 'Removed', type: 'null' }, 404: error('No such mapping'), 414: tooLong },
      },
    },
    async (request, reply) => {
      if (!map.delete(request.params.asset_path)) return sendError(reply, 404, 'no mapping for this asset path');
      return reply.code(204).send();
    },
  );
}

export interface MappingAdminOptions extends PluginScopeOptions {
  /** The map to read and change: give the same `Map` to {@link resolutionRoutes}. */
  map: Map<string, string>;
}

/**
 * Fastify plugin: the admin API of a map, `GET /_ar/mappings` and `GET`/`PUT`/`DELETE`
 * `/_ar/mappings/{asset_path}`, under the prefix it is registered with. It refuses what the
 * resolver would refuse; changes apply to the next request. With `token`, its routes require it.
 */
export const mappingAdmin = fastifyPlugin<MappingAdminOptions>(
  async (scope, options) => {
    if (!(options.map instanceof Map)) throw new ArHttpError(ErrorCodes.BAD_OPTION, 'mappingAdmin needs map: a Map');
    setUpPluginScope(scope, options);
    registerMappingRoutes(scope, options.map);
  },
  { name: 'ar-http-mapping-admin', fastify: '5.x', encapsulate: true },
);
