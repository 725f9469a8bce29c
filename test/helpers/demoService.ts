import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';

/** The token `/secure/things` wants as `Authorization: Bearer <token>`. */
export const demoToken = 's3cret-token';

export interface DemoService {
  app: FastifyInstance;
  /** How many times `/openapi.json` was asked for. */
  descriptionReads(): number;
  /** TCP connections accepted (when listening). */
  connections(): number;
}

interface Item {
  id: string;
  name: string;
  tags: string[];
}

const itemSchema = {
  type: 'object',
  required: ['id', 'name', 'tags'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
} as const;
const errorSchema = { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } as const;
const itemParams = { type: 'object', required: ['item_id'], properties: { item_id: { type: 'string' } } } as const;

/**
 * A small service in Fastify with its OpenAPI description from
 * @fastify/swagger: dashed names, nested paths, path parameters, every verb,
 * query and header parameters, a route requiring a bearer token, text and
 * error answers, a slow route, and paths named like the client's own names.
 */
export async function createDemoService(): Promise<DemoService> {
  const app = Fastify();
  let descriptionReads = 0;
  let connections = 0;
  app.server.on('connection', () => (connections += 1));

  await app.register(swagger, { openapi: { info: { title: 'demo', version: '1' } } });
  app.get('/openapi.json', { schema: { hide: true } }, () => {
    descriptionReads += 1;
    return app.swagger();
  });

  app.get<{ Querystring: { format?: string } }>(
    '/capture-application-screenshot',
    {
      schema: {
        querystring: { type: 'object', properties: { format: { type: 'string', enum: ['png', 'jpg'] } } },
        response: { 200: { type: 'object', properties: { captured: { type: 'boolean' }, format: { type: 'string' } } } },
      },
    },
    async (request) => ({ captured: true, format: request.query.format ?? 'png' }),
  );

  let settings = { paused: false, workers: 2 };
  const settingsSchema = {
    type: 'object',
    required: ['settings'],
    properties: { settings: { type: 'object', properties: { paused: { type: 'boolean' }, workers: { type: 'integer' } } } },
  } as const;
  app.get('/queue/settings', { schema: { response: { 200: settingsSchema } } }, async () => ({ settings }));
  app.put<{ Body: Partial<typeof settings> }>(
    '/queue/settings',
    {
      schema: {
        body: { type: 'object', properties: { paused: { type: 'boolean' }, workers: { type: 'integer', minimum: 1 } } },
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      settings = { ...settings, ...request.body };
      return { settings };
    },
  );

  const items = new Map<string, Item>();
  let next = 1;
  app.get<{ Querystring: { limit?: number; tag?: string } }>(
    '/items',
    {
      schema: {
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 }, tag: { type: 'string' } } },
        response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: itemSchema } } } },
      },
    },
    async (request) => {
      const { limit, tag } = request.query;
      const found = [...items.values()].filter((item) => tag === undefined || item.tags.includes(tag));
      return { items: found.slice(0, limit ?? found.length) };
    },
  );
  app.post<{ Body: { name: string; tags?: string[] } }>(
    '/items',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
        },
        response: { 201: itemSchema },
      },
    },
    async (request, reply) => {
      const item = { id: `item-${next++}`, name: request.body.name, tags: request.body.tags ?? [] };
      items.set(item.id, item);
      return reply.code(201).send(item);
    },
  );
  app.get<{ Params: { item_id: string } }>(
    '/items/:item_id',
    { schema: { params: itemParams, response: { 200: itemSchema, 404: errorSchema } } },
    async (request, reply) => items.get(request.params.item_id) ?? reply.code(404).send({ error: 'no such item' }),
  );
  app.put<{ Params: { item_id: string }; Body: { name: string; tags?: string[] } }>(
    '/items/:item_id',
    {
      schema: {
        params: itemParams,
        body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
        response: { 200: itemSchema, 201: itemSchema },
      },
    },
    async (request, reply) => {
      const id = request.params.item_id;
      const existed = items.has(id);
      const item = { id, name: request.body.name, tags: request.body.tags ?? [] };
      items.set(id, item);
      return reply.code(existed ? 200 : 201).send(item);
    },
  );
  app.patch<{ Params: { item_id: string }; Body: { name?: string; tags?: string[] } }>(
    '/items/:item_id',
    {
      schema: {
        params: itemParams,
        body: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
        response: { 200: itemSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const item = items.get(request.params.item_id);
      if (item === undefined) return reply.code(404).send({ error: 'no such item' });
      Object.assign(item, request.body);
      return item;
    },
  );
  app.delete<{ Params: { item_id: string } }>(
    '/items/:item_id',
    { schema: { params: itemParams, response: { 204: { type: 'null' }, 404: errorSchema } } },
    async (request, reply) => {
      if (!items.delete(request.params.item_id)) return reply.code(404).send({ error: 'no such item' });
      return reply.code(204).send();
    },
  );

  // Two path parameters, and a dashed attribute after a templated segment.
  app.get<{ Params: { folder: string; name: string } }>(
    '/files/:folder/:name',
    {
      schema: {
        params: { type: 'object', properties: { folder: { type: 'string' }, name: { type: 'string' } } },
        response: { 200: { type: 'object', properties: { folder: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' } } } },
      },
    },
    async (request) => ({ ...request.params, url: request.url }),
  );
  app.get<{ Params: { job_id: string } }>(
    '/jobs/:job_id/log-lines',
    {
      schema: {
        params: { type: 'object', properties: { job_id: { type: 'string' } } },
        response: { 200: { description: 'The log', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => reply.type('text/plain; charset=utf-8').send(`log of ${request.params.job_id}\nline 2\n`),
  );

  // Every verb on one path, echoing where each argument arrived.
  const echo = async (request: { method: string; url: string; query: unknown; headers: Record<string, unknown>; body: unknown }) => ({
    method: request.method,
    url: request.url,
    query: request.query,
    body: request.body ?? null,
    contentType: request.headers['content-type'] ?? null,
    tag: request.headers['x-request-tag'] ?? null,
    cookie: request.headers.cookie ?? null,
  });
  const echoQuery = { type: 'object', properties: { q: { type: 'string' }, page: { type: 'integer' } } } as const;
  const echoHeaders = { type: 'object', properties: { 'x-request-tag': { type: 'string' } } } as const;
  app.get('/echo', { schema: { querystring: echoQuery, headers: echoHeaders } }, echo);
  // Required query and header parameters: the server would answer 400 without them.
  app.get(
    '/search',
    {
      schema: {
        querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string' } } },
        headers: { type: 'object', required: ['x-tenant'], properties: { 'x-tenant': { type: 'string' } } },
      },
    },
    echo,
  );
  app.delete('/echo', { schema: { querystring: echoQuery } }, echo);
  app.post('/echo', { schema: { querystring: echoQuery, body: { type: 'object', properties: { a: { type: 'integer' } } } } }, echo);
  app.put('/echo', { schema: { body: { type: 'object' } } }, echo);
  app.patch('/echo', { schema: { body: { type: 'object' } } }, echo);
  app.post('/echo/text', echo);

  // Requires a header: Authorization: Bearer <demoToken>.
  app.get(
    '/secure/things',
    { schema: { response: { 200: { type: 'object', properties: { things: { type: 'array', items: { type: 'string' } } } }, 401: errorSchema } } },
    async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${demoToken}`) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'token required' });
      }
      return { things: ['a', 'b'] };
    },
  );

  app.get('/text', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('plain words'));
  app.get('/fail', async (_request, reply) => reply.code(500).send({ error: 'broken on purpose' }));
  app.get('/teapot', async (_request, reply) => reply.code(418).type('text/plain').send('short and stout'));
  app.get<{ Querystring: { ms: number } }>(
    '/slow',
    { schema: { querystring: { type: 'object', required: ['ms'], properties: { ms: { type: 'integer' } } } } },
    async (request) => {
      // unref: a call that timed out leaves no timer keeping the test process alive.
      await new Promise((done) => setTimeout(done, request.query.ms).unref());
      return { waited: request.query.ms };
    },
  );

  // Named like the client's own names: reachable through client.path().
  app.get('/then', async () => ({ reached: 'then' }));
  app.post('/close', async () => ({ reached: 'close' }));
  app.get('/queue/get', async () => ({ reached: 'queue/get' }));

  await app.ready();
  return { app, descriptionReads: () => descriptionReads, connections: () => connections };
}
