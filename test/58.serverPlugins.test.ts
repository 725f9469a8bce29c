import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';

import { bearerSecurityScheme, ErrorCodes, mappingAdmin, resolutionRoutes, resolveMany } from '../lib';

const token = 'tok-58.plugins';
const bearer = { authorization: `Bearer ${token}` };

describe('resolutionRoutes and mappingAdmin inside an app of its own', () => {
  let app: FastifyInstance;
  let address: string;
  const map = new Map([['id0x01', '/layers/layer1.usda']]);

  beforeAll(async () => {
    app = Fastify();
    await app.register(swagger, { openapi: { info: { title: 'host', version: '1' }, components: { securitySchemes: bearerSecurityScheme } } });
    app.get('/hello', () => 'hi');
    // Fastify's default validation coerces a number into a string: the host keeps it.
    app.post<{ Body: { name: string } }>(
      '/echo',
      { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
      (request) => request.body.name,
    );
    app.get('/openapi.json', () => app.swagger());
    await app.register(resolutionRoutes, { prefix: '/assets', map, token });
    await app.register(mappingAdmin, { prefix: '/assets', map, token });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  const call = (url: string, init: RequestInit = {}) => fetch(`${address}${url}`, init);

  test('ours answer under the prefix, with the token; the host routes stay open', async () => {
    const resolved = await call('/assets/id0x01', { headers: bearer });
    expect([resolved.status, await resolved.text()]).toEqual([200, '/layers/layer1.usda']);
    expect((await call('/assets/id0x01')).status).toBe(401);
    expect((await call('/assets/nope', { headers: bearer })).status).toBe(404);

    const hello = await call('/hello');
    expect([hello.status, await hello.text()]).toEqual([200, 'hi']);
    // Nothing of ours outside the prefix.
    expect((await call('/id0x01', { headers: bearer })).status).toBe(404);
    expect((await call('/_ar/mappings', { headers: bearer })).status).toBe(404);
  });

  test('the batch endpoint and the admin API share the map under the prefix', async () => {
    const put = await call('/assets/_ar/mappings/chair', {
      method: 'PUT',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ resolvedPath: '/layers/chair.usda' }),
    });
    expect(put.status).toBe(201);
    const batch = await call('/assets/_ar/resolve', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'text/plain' },
      body: 'chair\nnope\nid0x01\n',
    });
    expect([batch.status, await batch.text()]).toEqual([200, '/layers/chair.usda\n\n/layers/layer1.usda\n']);
    expect((await call('/assets/_ar/mappings/chair', { method: 'DELETE' })).status).toBe(401);
    expect((await call('/assets/_ar/mappings/chair', { method: 'DELETE', headers: bearer })).status).toBe(204);
    expect(map.has('chair')).toBe(false);
  });

  test('our validation and error replies are ours; the host keeps its own', async () => {
    const number = await call('/assets/_ar/mappings/n', {
      method: 'PUT',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ resolvedPath: 7 }),
    });
    expect(number.status).toBe(400);
    expect(await number.json()).toEqual({ error: expect.stringContaining('resolvedPath') });
    expect(map.has('n')).toBe(false);

    const echoed = await call('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 7 }) });
    expect([echoed.status, await echoed.text()]).toEqual([200, '7']);
    const hostError = await call('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hostError.status).toBe(400);
    expect(await hostError.json()).toMatchObject({ statusCode: 400, code: 'FST_ERR_VALIDATION' });
  });

  test('/openapi.json shows our routes under the prefix, each requiring the token, and the host routes as they are', async () => {
    const document = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/assets/_ar/mappings',
      '/assets/_ar/mappings/{asset_path}',
      '/assets/_ar/mappings/{asset_path}/history',
      '/assets/_ar/resolve',
      '/assets/{assetPath}',
      '/echo',
      '/hello',
      '/openapi.json',
    ]);
    expect(document.paths['/assets/{assetPath}'].get.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/assets/_ar/resolve'].post.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/hello'].get.security).toBeUndefined();
  });

  test('the native resolver reaches them through a server URL with the prefix', async () => {
    map.set('id0x02', '/layers/layer2.usda');
    const context = { serverUrl: `${address}/assets`, headers: bearer };
    await expect(resolveMany(['id0x01', 'nope', 'id0x02'], { context })).resolves.toEqual(['/layers/layer1.usda', '', '/layers/layer2.usda']);
    await expect(resolveMany(['id0x01'], { context: { serverUrl: `${address}/assets` } })).resolves.toEqual(['']);
  });
});

describe('plugin options', () => {
  test('two resolutionRoutes under two prefixes answer from their own maps', async () => {
    const app = Fastify();
    try {
      await app.register(resolutionRoutes, { prefix: '/a', map: { x: '/from/a.usda' } });
      await app.register(resolutionRoutes, { prefix: '/b', resolve: (assetPath) => `/from/b/${assetPath}.usda` });
      expect((await app.inject('/a/x')).body).toBe('/from/a.usda');
      expect((await app.inject('/b/x')).body).toBe('/from/b/x.usda');
      expect((await app.inject('/a/y')).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  test.each([
    ['resolutionRoutes with none of map, resolve or store', resolutionRoutes, {}, /give one of map, resolve or store/],
    ['resolutionRoutes with both map and resolve', resolutionRoutes, { map: {}, resolve: () => null }, /give one of map, resolve or store/],
    ['mappingAdmin without a Map', mappingAdmin, { map: { a: '/a' } }, /map must be a Map \(or give store\)/],
    ['a token with a space', resolutionRoutes, { map: {}, token: 'a b' }, /the token must be one or more visible ASCII/],
  ])('%s: ERR_AR_HTTP_BAD_OPTION when registered', async (_, plugin, options, message) => {
    const app = Fastify();
    try {
      await expect(app.register(plugin as typeof resolutionRoutes, options as never)).rejects.toMatchObject({
        code: ErrorCodes.BAD_OPTION,
        message: expect.stringMatching(message),
      });
    } finally {
      await app.close();
    }
  });
});
