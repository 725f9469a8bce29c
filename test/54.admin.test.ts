import type { FastifyInstance } from 'fastify';

import { createResolutionServer, resolveAsync, resolveMany } from '../lib';
import { setResolverEnv } from './helpers/env';

afterAll(() => setResolverEnv({}));

const token = 'admin-token';
const authorization = `Bearer ${token}`;

describe('the admin API: /_ar/mappings', () => {
  let app: FastifyInstance;
  let address: string;
  const given = { 'shots/010': '/prod/shot010.usda', id0x01: '/prod/layer1.usda' };

  beforeAll(async () => {
    app = await createResolutionServer({ map: given, token });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
    setResolverEnv({ AR_HTTP_SERVER_URL: address, AR_HTTP_HEADER_Authorization: `Bearer ${token}` });
  });
  afterAll(() => app.close());

  const url = (assetPath: string) => `${address}/_ar/mappings/${encodeURIComponent(assetPath)}`;
  const call = (method: string, target: string, body?: unknown) =>
    fetch(target, {
      method,
      headers: body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const list = async () => ((await (await call('GET', `${address}/_ar/mappings`)).json()) as { mappings: Record<string, string> }).mappings;
  const resolveByGet = async (assetPath: string) => {
    const response = await fetch(`${address}/${encodeURIComponent(assetPath)}`, { headers: { authorization } });
    return response.status === 200 ? response.text() : response.status;
  };

  test('GET /_ar/mappings lists the map', async () => {
    const response = await call('GET', `${address}/_ar/mappings`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ mappings: given });
  });

  test('GET one: 200 with the mapping, 404 with a JSON error when absent', async () => {
    const found = await call('GET', url('shots/010'));
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ assetPath: 'shots/010', resolvedPath: '/prod/shot010.usda' });
    const absent = await call('GET', url('nope'));
    expect(absent.status).toBe(404);
    expect(await absent.json()).toEqual({ error: expect.any(String) });
  });

  test('PUT adds (201) and replaces (200); GET /*, batches and the native resolver see it at once', async () => {
    const assetPath = 'models/chair v1#2?.usda';
    const added = await call('PUT', url(assetPath), { resolvedPath: '/prod/chair-1.usda' });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ assetPath, resolvedPath: '/prod/chair-1.usda' });
    expect(await resolveByGet(assetPath)).toBe('/prod/chair-1.usda');

    const replaced = await call('PUT', url(assetPath), { resolvedPath: '/prod/chair-2.usda' });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ assetPath, resolvedPath: '/prod/chair-2.usda' });
    await expect(resolveAsync(assetPath)).resolves.toBe('/prod/chair-2.usda');
    await expect(resolveMany([assetPath, 'id0x01'])).resolves.toEqual(['/prod/chair-2.usda', '/prod/layer1.usda']);
    expect((await list())[assetPath]).toBe('/prod/chair-2.usda');
  });

  test('DELETE: 204, then 404; the asset path no longer resolves', async () => {
    expect((await call('PUT', url('temp/x'), { resolvedPath: '/tmp/x.usda' })).status).toBe(201);
    const removed = await call('DELETE', url('temp/x'));
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    expect(await resolveByGet('temp/x')).toBe(404);
    await expect(resolveAsync('temp/x')).resolves.toBe('');
    const again = await call('DELETE', url('temp/x'));
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: expect.any(String) });
  });

  test('the map given is copied, not changed', async () => {
    expect((await call('PUT', url('shots/010'), { resolvedPath: '/elsewhere.usda' })).status).toBe(200);
    expect(given['shots/010']).toBe('/prod/shot010.usda');
    expect(Object.keys(given)).toEqual(['shots/010', 'id0x01']);
  });

  test('asset_path is one percent-encoded segment, up to 4096 bytes once decoded', async () => {
    for (const assetPath of ['a'.repeat(4096), 'é'.repeat(2048), `deep/${'x/'.repeat(1000)}leaf`, 'été/ü.usda', '50%', 'a+b=c&d;e,f@g:h']) {
      expect((await call('PUT', url(assetPath), { resolvedPath: `/long/${assetPath.length}` })).status).toBe(201);
      expect(await (await call('GET', url(assetPath))).json()).toMatchObject({ assetPath, resolvedPath: `/long/${assetPath.length}` });
      await expect(resolveAsync(assetPath)).resolves.toBe(`/long/${assetPath.length}`);
      expect((await call('DELETE', url(assetPath))).status).toBe(204);
    }
    for (const assetPath of ['a'.repeat(4097), 'é'.repeat(2049)]) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await call(method, url(assetPath), method === 'PUT' ? { resolvedPath: '/x' } : undefined);
        expect(response.status).toBe(414);
        expect(await response.json()).toEqual({ error: 'asset paths are limited to 4096 bytes' });
      }
    }
  });

  test('an asset path of several segments sent unencoded: 404 naming the encoded form, nothing changed', async () => {
    const before = await list();
    for (const [method, target, encoded] of [
      ['PUT', 'assets/a1', 'PUT /_ar/mappings/assets%2Fa1'],
      ['GET', 'shots/010', 'GET /_ar/mappings/shots%2F010'],
      ['DELETE', 'shots/010', 'DELETE /_ar/mappings/shots%2F010'],
      ['GET', 'shots/010/history', 'GET /_ar/mappings/shots%2F010/history'],
    ]) {
      const response = await call(method, `${address}/_ar/mappings/${target}`, method === 'PUT' ? { resolvedPath: '/x' } : undefined);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toBe(`an asset path goes as one percent-encoded segment, its slashes as %2F: ${encoded}`);
    }
    expect(await list()).toEqual(before);
    // The token still guards it.
    expect((await fetch(`${address}/_ar/mappings/assets/a1`, { method: 'PUT' })).status).toBe(401);
  });

  test.each([
    ['no body', 'ok/1', undefined],
    ['no resolvedPath', 'ok/2', { path: '/x' }],
    ['an empty resolvedPath', 'ok/3', { resolvedPath: '' }],
    ['a multi-line resolvedPath', 'ok/4', { resolvedPath: '/a\n/b' }],
    ['a resolvedPath with CR', 'ok/5', { resolvedPath: '/a\r' }],
    ['a resolvedPath with NUL', 'ok/6', { resolvedPath: '/a\u0000b' }],
    ['a number for resolvedPath', 'ok/7', { resolvedPath: 7 }],
    ['an empty asset path', '', { resolvedPath: '/x' }],
    ['an asset path with NUL', 'a\u0000b', { resolvedPath: '/x' }],
    ['the asset path docs', 'docs', { resolvedPath: '/x' }],
    ['the asset path openapi.json', 'openapi.json', { resolvedPath: '/x' }],
    ['an asset path under docs/', 'docs/static/x', { resolvedPath: '/x' }],
    ['an asset path under _ar/', '_ar/health', { resolvedPath: '/x' }],
  ])('PUT with %s: 400 with a JSON error, nothing changed', async (_label, assetPath, body) => {
    const before = await list();
    const response = await call('PUT', url(assetPath), body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    expect(await list()).toEqual(before);
  });

  test.each([
    ['an empty JSON body', 'application/json', '', 400, 'an application/json body must not be empty'],
    ['invalid JSON', 'application/json', '{"resolvedPath": "/x"', 400, 'the body is not valid JSON'],
    ['another content type', 'application/xml', '<resolvedPath>/x</resolvedPath>', 415, 'unsupported content type'],
  ])('PUT with %s: %i, said without quoting the body', async (_label, type, body, status, error) => {
    const response = await fetch(url('ok/8'), { method: 'PUT', headers: { authorization, 'content-type': type }, body });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error });
  });

  test('a PUT body over 64 KiB: 413', async () => {
    const response = await call('PUT', url('big'), { resolvedPath: `/${'x'.repeat(70 * 1024)}` });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'the body is too large' });
    expect(await resolveByGet('big')).toBe(404);
  });

  test('guarded by the token', async () => {
    for (const [method, target] of [['GET', `${address}/_ar/mappings`], ['GET', url('id0x01')], ['PUT', url('id0x01')], ['DELETE', url('id0x01')]]) {
      const body = method === 'PUT' ? '{"resolvedPath":"/evil"}' : undefined;
      const response = await fetch(target, { method, headers: body ? { 'content-type': 'application/json' } : {}, body });
      expect(response.status).toBe(401);
    }
    expect(await resolveByGet('id0x01')).toBe('/prod/layer1.usda');
  });

  test('/openapi.json describes the routes well enough to drive a generic client', async () => {
    type Operation = {
      operationId: string;
      parameters?: { name: string; in: string; required: boolean }[];
      requestBody?: { content: Record<string, { schema: { required: string[] } }> };
      responses: Record<string, { content?: Record<string, { schema: { required?: string[] } }> }>;
    };
    const { paths } = (await (await fetch(`${address}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    expect(paths['/_ar/mappings'].get.operationId).toBe('listMappings');
    const one = paths['/_ar/mappings/{asset_path}'];
    expect(Object.fromEntries(Object.entries(one).map(([method, operation]) => [method, operation.operationId]))).toEqual({
      get: 'getMapping',
      put: 'putMapping',
      delete: 'deleteMapping',
    });
    for (const operation of Object.values(one)) {
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'asset_path', in: 'path', required: true })]));
    }
    expect(one.put.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(['path:asset_path', 'header:if-match', 'header:if-none-match']);
    expect(one.put.requestBody?.content['application/json'].schema.required).toEqual(['resolvedPath']);
    expect(Object.keys(one.put.responses).sort()).toEqual(['200', '201', '400', '401', '405', '412', '413', '414']);
    expect(one.put.responses['201'].content?.['application/json'].schema.required).toEqual(['assetPath', 'resolvedPath', 'etag']);
    expect(Object.keys(one.delete.responses).sort()).toEqual(['204', '401', '404', '405', '412', '414']);
    expect(paths['/_ar/mappings/{asset_path}/history'].get.operationId).toBe('getMappingHistory');
    expect(one.get.responses['404'].content?.['application/json'].schema.required).toEqual(['error']);

    const resolveOperation = paths['/{assetPath}'].get;
    expect(resolveOperation.operationId).toBe('resolve');
    expect(resolveOperation.parameters).toEqual([
      expect.objectContaining({ name: 'snapshot', in: 'query', required: false }),
      expect.objectContaining({ name: 'assetPath', in: 'path', required: true }),
    ]);
    expect(Object.keys(resolveOperation.responses).sort()).toEqual(['200', '304', '400', '401', '404', '414']);
  });
});

describe('a server given a resolve function has no admin API', () => {
  test('/_ar/mappings is not a route, nor is it an asset path the function sees', async () => {
    const seen: string[] = [];
    const app = await createResolutionServer({
      resolve: (assetPath) => {
        seen.push(assetPath);
        return `/fn/${assetPath}`;
      },
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const [method, path] of [['GET', '/_ar/mappings'], ['GET', '/_ar/mappings/x'], ['PUT', '/_ar/mappings/x'], ['DELETE', '/_ar/mappings/x']]) {
        const body = method === 'PUT' ? '{"resolvedPath":"/x"}' : undefined;
        const response = await fetch(`${address}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body });
        expect(response.status).toBe(404);
        expect(await response.text()).toBe('');
      }
      expect(await (await fetch(`${address}/x`)).text()).toBe('/fn/x');
      expect(seen).toEqual(['x']);
      const { paths } = app.swagger() as { paths: Record<string, unknown> };
      expect(Object.keys(paths).filter((route) => route.startsWith('/_ar/mappings'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
