import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { ArHttpStatusError, AsyncClient, createResolutionServer, ErrorCodes } from '../lib';
import { rejection } from './helpers/rejection';

const samples = path.join(__dirname, '..', 'samples');
const token = 'client-test-token';
const authorization = `Bearer ${token}`;

interface Mapping {
  assetPath: string;
  resolvedPath: string;
}

type Connect = (app: FastifyInstance, headers?: Record<string, string>) => Promise<AsyncClient>;

const transports: [string, Connect][] = [
  ['http', async (app, headers) => new AsyncClient(await app.listen({ host: '127.0.0.1', port: 0 }), { headers })],
  ['local://', async (app, headers) => new AsyncClient('local://', { app, headers })],
];

describe.each(transports)('AsyncClient against the resolution server over %s', (_name, connect) => {
  describe('without a token', () => {
    let app: FastifyInstance;
    let client: AsyncClient;

    beforeAll(async () => {
      app = await createResolutionServer();
      client = await connect(app);
    });
    afterAll(async () => {
      await client.close();
      await app.close();
    });

    test('resolves asset paths through the root path /{assetPath}, as text', async () => {
      expect(await client.get({ assetPath: 'id0x01' })).toBe(path.join(samples, 'layer1.usda'));
      expect(await client.get({ assetPath: 'id0x02' })).toBe(path.join(samples, 'layer2.usda'));
      const unknown = await rejection(client.get({ assetPath: 'models/unknown.usda' }));
      expect(unknown).toBeInstanceOf(ArHttpStatusError);
      expect(unknown).toMatchObject({ status: 404, body: '' });
      expect(unknown.message).toMatch(/GET .*\/models%2Funknown\.usda -> 404 Not Found$/);
    });

    test('health, and the batch endpoint with a text body', async () => {
      expect(await client._ar.health.get()).toEqual({ status: 'ok' });
      expect(await client._ar.resolve.post({ __body__: 'id0x01\nnope\nid0x02\n' })).toBe(
        `${path.join(samples, 'layer1.usda')}\n\n${path.join(samples, 'layer2.usda')}\n`,
      );
    });

    test('the admin API: list, read, add, replace, remove; GET /<asset path> sees each change', async () => {
      expect(await client._ar.mappings.get()).toEqual({
        mappings: { id0x01: path.join(samples, 'layer1.usda'), id0x02: path.join(samples, 'layer2.usda') },
      });
      expect(await client._ar.mappings.get({ asset_path: 'id0x01' })).toMatchObject({
        assetPath: 'id0x01',
        resolvedPath: path.join(samples, 'layer1.usda'),
      });

      // A multi-segment asset path goes as one percent-encoded segment.
      const assetPath = 'models/chair v1#2?.usda';
      const added = await client._ar.mappings.put<Mapping>({ asset_path: assetPath, resolvedPath: '/prod/chair-1.usda' }, { full: true });
      expect(added).toMatchObject({ status: 201, body: { assetPath, resolvedPath: '/prod/chair-1.usda' } });
      expect(await client.get({ assetPath })).toBe('/prod/chair-1.usda');

      const replaced = await client._ar.mappings.put<Mapping>({ asset_path: assetPath, resolvedPath: '/prod/chair-2.usda' }, { full: true });
      expect(replaced.status).toBe(200);
      expect(await client.get({ assetPath })).toBe('/prod/chair-2.usda');
      expect(((await client._ar.mappings.get()) as { mappings: Record<string, string> }).mappings[assetPath]).toBe('/prod/chair-2.usda');

      expect(await client._ar.mappings.delete({ asset_path: assetPath }, { full: true })).toMatchObject({ status: 204, body: undefined });
      expect(await rejection(client.get({ assetPath }))).toMatchObject({ status: 404 });
      const again = await rejection(client._ar.mappings.delete({ asset_path: assetPath }));
      expect(again).toMatchObject({ code: ErrorCodes.CLIENT_HTTP_STATUS, status: 404, body: { error: expect.any(String) } });
      expect(await rejection(client._ar.mappings.get({ asset_path: assetPath }))).toMatchObject({ status: 404 });
    });

    test('conditional writes through the described header parameters, and the history route', async () => {
      const created = await client._ar.mappings.put<Mapping & { etag: string }>({ asset_path: 'lamp', resolvedPath: '/l1', 'if-none-match': '*' });
      expect(created.etag).toMatch(/^"\d+"$/);
      expect(await rejection(client._ar.mappings.put({ asset_path: 'lamp', resolvedPath: '/again', 'if-none-match': '*' }))).toMatchObject({ status: 412 });
      await client._ar.mappings.put({ asset_path: 'lamp', resolvedPath: '/l2', 'if-match': created.etag });
      expect(await rejection(client._ar.mappings.delete({ asset_path: 'lamp', 'if-match': created.etag }))).toMatchObject({ status: 412 });
      const { changes } = await client._ar.mappings.history.get<{ changes: { oldResolvedPath: string | null; newResolvedPath: string | null }[] }>({
        asset_path: 'lamp',
        limit: 1,
      });
      expect(changes).toEqual([expect.objectContaining({ oldResolvedPath: '/l1', newResolvedPath: '/l2' })]);
      await client._ar.mappings.delete({ asset_path: 'lamp' });
    });

    test("the server's refusals arrive with status and body", async () => {
      const reserved = await rejection(client._ar.mappings.put({ asset_path: '_ar/x', resolvedPath: '/a' }));
      expect(reserved).toMatchObject({ status: 400, body: { error: expect.stringContaining('reserved') } });
      const twoLines = await rejection(client._ar.mappings.put({ asset_path: 'x', resolvedPath: 'a\nb' }));
      expect(twoLines).toMatchObject({ status: 400 });
      const noPath = await rejection(client._ar.mappings.put({ asset_path: 'x' }));
      expect(noPath).toMatchObject({ status: 400 });
    });

    test('what the description lacks rejects before any request, naming what exists', async () => {
      const unknown = await rejection(client._ar.mapping.get());
      expect(unknown.message).toBe('ar-http: client._ar.mapping.get(): client._ar has no attribute "mapping"; it has: events, health, mappings, resolve, snapshots');
      const verb = await rejection(client._ar.mappings.post({ asset_path: 'x' }));
      expect(verb.message).toBe(
        'ar-http: client._ar.mappings.post(): POST is not defined for /_ar/mappings or /_ar/mappings/{asset_path}; defined: get(), put(), delete()',
      );
      const missing = await rejection(client._ar.mappings.put({ resolvedPath: '/a' }));
      expect(missing.message).toBe(
        'ar-http: client._ar.mappings.put() needs the path parameter asset_path (for PUT /_ar/mappings/{asset_path})',
      );
    });
  });

  describe('with a token', () => {
    let app: FastifyInstance;
    let client: AsyncClient;

    beforeAll(async () => {
      app = await createResolutionServer({ token, map: { shot: '/prod/shot.usda' } });
      client = await connect(app);
    });
    afterAll(async () => {
      await client.close();
      await app.close();
    });

    test('401 without the token (the description and health stay public)', async () => {
      expect(await client._ar.health.get()).toEqual({ status: 'ok' });
      const refused = await rejection(client._ar.mappings.get());
      expect(refused).toMatchObject({ code: ErrorCodes.CLIENT_HTTP_STATUS, status: 401 });
      expect((refused as ArHttpStatusError).headers['www-authenticate']).toBe('Bearer');
      expect(await rejection(client.get({ assetPath: 'shot' }))).toMatchObject({ status: 401 });
    });

    test('__headers__ carries the token for one call', async () => {
      expect(await client._ar.mappings.get({ __headers__: { Authorization: authorization } })).toEqual({ mappings: { shot: '/prod/shot.usda' } });
      expect(await client.get({ assetPath: 'shot', __headers__: { Authorization: authorization } })).toBe('/prod/shot.usda');
      const wrong = await rejection(client._ar.mappings.get({ __headers__: { Authorization: 'Bearer wrong' } }));
      expect(wrong).toMatchObject({ status: 401 });
      expect(wrong.message).not.toContain('wrong');
    });

    test('client-wide headers carry it for every call', async () => {
      const admin = new AsyncClient('local://', { app, headers: { Authorization: authorization } });
      try {
        expect(await admin._ar.mappings.put({ asset_path: 'new/one', resolvedPath: '/prod/new.usda' })).toMatchObject({
          assetPath: 'new/one',
          resolvedPath: '/prod/new.usda',
        });
        expect(await admin.get({ assetPath: 'new/one' })).toBe('/prod/new.usda');
        expect(await admin._ar.mappings.delete({ asset_path: 'new/one' })).toBeUndefined();
        expect(await admin._ar.mappings.get()).toEqual({ mappings: { shot: '/prod/shot.usda' } });
      } finally {
        await admin.close();
      }
    });
  });
});

test('a server with a resolve function has no admin API; the client says what it has', async () => {
  const app = await createResolutionServer({ resolve: (assetPath) => `/resolved/${assetPath}` });
  const client = new AsyncClient('local://', { app });
  try {
    expect(await client.get({ assetPath: 'a/b' })).toBe('/resolved/a/b');
    const none = await rejection(client._ar.mappings.get());
    expect(none).toMatchObject({ code: ErrorCodes.CLIENT_UNKNOWN_PATH });
    expect(none.message).toContain('client._ar has no attribute "mappings"; it has: health, resolve');
  } finally {
    await app.close();
  }
});
