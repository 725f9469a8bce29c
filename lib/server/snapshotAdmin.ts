import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

import { isSnapshotId, Protocol } from '../protocol';
import type { MappingStore } from '../store/MappingStore';
import { errorBodySchema, sendError, sendMalformedSnapshotId, sendUnknownSnapshot } from './errorReplies';
import { type PluginScopeOptions, setUpPluginScope } from './pluginScope';

const maxLabelLength = 256;

const snapshot = {
  type: 'object',
  required: ['id', 'change', 'label', 'created'],
  properties: {
    id: { type: 'string', description: `What ?${Protocol.snapshotParameter}= takes` },
    change: { type: 'integer', description: 'The number of the last change it holds (0: none)' },
    label: { type: 'string', nullable: true },
    created: { type: 'string', format: 'date-time' },
  },
} as const;

const error = (description: string) => ({ description, ...errorBodySchema });

/** The snapshot routes over `store`. */
function registerSnapshotRoutes(app: FastifyInstance, store: MappingStore): void {
  app.post<{ Body: { label?: string | null } | undefined }>(
    Protocol.snapshotsPath,
    {
      // No body is an empty one: `.post()` with no label.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        summary: 'Name the current change as a snapshot',
        operationId: 'createSnapshot',
        description:
          `Resolving with ?${Protocol.snapshotParameter}=<id> then answers, for every asset path, what the latest resolution ` +
          'answers now, for ever. A read-only map file is one change: its one snapshot, named by its content, is answered.',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            label: {
              type: 'string',
              nullable: true,
              maxLength: maxLabelLength,
              pattern: '^[^\\u0000-\\u001f\\u007f]*$',
              description: `What it is for (shot010 submit): at most ${maxLabelLength} characters, no control character`,
            },
          },
        },
        response: { 201: { description: 'Made', ...snapshot }, 400: error('A label that is not text, too long or with a control character') },
      },
    },
    async (request, reply) => reply.code(201).send(await store.createSnapshot(request.body?.label ?? null)),
  );

  app.get(
    Protocol.snapshotsPath,
    {
      schema: {
        summary: 'Every snapshot, oldest first',
        operationId: 'listSnapshots',
        response: { 200: { description: 'The snapshots', type: 'object', required: ['snapshots'], properties: { snapshots: { type: 'array', items: snapshot } } } },
      },
    },
    async () => ({ snapshots: await store.listSnapshots() }),
  );

  app.get<{ Params: { id: string } }>(
    `${Protocol.snapshotsPath}/:id`,
    {
      schema: {
        summary: 'One snapshot',
        operationId: 'getSnapshot',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 200: { description: 'The snapshot', ...snapshot }, 400: error('A malformed snapshot id'), 404: error('No such snapshot') },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!isSnapshotId(id)) return sendMalformedSnapshotId(reply);
      return (await store.getSnapshot(id)) ?? sendUnknownSnapshot(reply, `no snapshot ${JSON.stringify(id)} on this server`);
    },
  );
}

export interface SnapshotAdminOptions extends PluginScopeOptions {
  /** The store whose changes are named. */
  store: MappingStore;
}

/**
 * Fastify plugin: the snapshots of a store, `POST /_ar/snapshots` (make one, 201), `GET
 * /_ar/snapshots` (list) and `GET /_ar/snapshots/{id}`, under the prefix it is registered with;
 * with `token`, its routes require it (give the admin API's).
 */
export const snapshotAdmin = fastifyPlugin<SnapshotAdminOptions>(
  async (scope, options) => {
    setUpPluginScope(scope, options);
    registerSnapshotRoutes(scope, options.store);
  },
  { name: 'ar-http-snapshot-admin', fastify: '5.x', encapsulate: true },
);

/** For a server resolving through a function: its snapshot routes say why there are none (501). */
export function refuseSnapshots(app: FastifyInstance): void {
  const refuse = { schema: { hide: true } };
  const handler = async (_request: unknown, reply: Parameters<typeof sendError>[0]) =>
    sendError(reply, 501, 'this server resolves through a function and keeps no history: it has no snapshots');
  app.all(Protocol.snapshotsPath, refuse, handler);
  app.all(`${Protocol.snapshotsPath}/*`, refuse, handler);
}
