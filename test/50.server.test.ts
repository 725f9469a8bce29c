import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { backend, createResolutionServer, ErrorCodes, loadMapFile, resolveAsync, resolveMany, sampleMap } from '../lib';
import { setResolverEnv } from './helpers/env';

const samples = path.join(__dirname, '..', 'samples');

async function listening(app: FastifyInstance): Promise<string> {
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  setResolverEnv({ AR_HTTP_SERVER_URL: address });
  return address;
}

afterAll(() => setResolverEnv({}));

describe('the sample resolution server', () => {
  let app: FastifyInstance;
  let address: string;

  beforeAll(async () => {
    app = await createResolutionServer();
    address = await listening(app);
  });
  afterAll(() => app.close());

  test('maps id0x01 and id0x02 to the absolute paths of the sample layers', async () => {
    const response = await fetch(`${address}/id0x01`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(path.join(samples, 'layer1.usda'));
    expect(await resolveMany(['id0x01', 'id0x02'])).toEqual([
      path.join(samples, 'layer1.usda'),
      path.join(samples, 'layer2.usda'),
    ]);
    for (const file of sampleMap().values()) expect(existsSync(file)).toBe(true);
  });

  test('unknown asset paths get 404 with an empty body', async () => {
    for (const url of ['/id0xThisIsUnknown', '/models/a/b/c', '/']) {
      const response = await fetch(`${address}${url}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('');
    }
  });

  test('POST /_ar/resolve answers many asset paths at once, line for line', async () => {
    const post = (body: string, type = 'text/plain') =>
      fetch(`${address}/_ar/resolve`, { method: 'POST', headers: { 'content-type': type }, body });
    const answer = await post('id0x01\nmodels%2Funknown\nid0x02\n');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(
      `${path.join(samples, 'layer1.usda')}\n\n${path.join(samples, 'layer2.usda')}\n`,
    );
    expect((await post('{"a": 1}', 'application/json')).status).toBe(415);
    // A JSON string parses to a string: still not text/plain.
    expect((await post('"id0x01"', 'application/json')).status).toBe(415);
    expect((await post('id0x01\n', 'text/plain; charset=utf-8')).status).toBe(200);
    const bad = await post('%E0%A4%A\n');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('line 1 is not percent-encoded');
    expect((await post('x\n'.repeat(10001))).status).toBe(413);
  });

  test('health check, OpenAPI description and interactive docs', async () => {
    const health = await fetch(`${address}/_ar/health`);
    expect(await health.json()).toEqual({ status: 'ok' });

    const description = (await (await fetch(`${address}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(description.openapi).toMatch(/^3\./);
    expect(description.paths['/_ar/health']).toHaveProperty('get');
    expect(Object.keys(description.paths)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/\{.+\}$/)]));

    const docs = await fetch(`${address}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});

describe('createResolutionServer({ resolve }): a resolver prototyped in TypeScript', () => {
  test('asset paths reach the function percent-decoded, whole and multi-segment', async () => {
    const seen: string[] = [];
    const app = await createResolutionServer({
      resolve: (assetPath) => {
        seen.push(assetPath);
        return `/resolved/${assetPath}`;
      },
    });
    await listening(app);
    try {
      const paths = [
        'models/3a20efb0-76fa-4a76-8e49-24c46ecfd87c',
        'with space#hash?query%percent',
        'été/ü.usda',
        'a+b=c&d;e,f@g:h',
      ];
      // resolveAsync: a synchronous resolve could never be answered by a server in this process.
      await expect(resolveMany(paths)).resolves.toEqual(paths.map((p) => `/resolved/${p}`));
      expect(seen.sort()).toEqual([...paths].sort());
    } finally {
      await app.close();
    }
  });

  // Through OpenUSD, Ar resolves one asset path at a time.
  (backend() === 'standalone' ? test : test.skip)('standalone: resolveMany sends what the filesystem lacks in batch requests of 1,000', async () => {
    const app = await createResolutionServer({ resolve: (assetPath) => `/store/${assetPath}.usda` });
    const log: string[] = [];
    app.addHook('onRequest', async (request) => {
      log.push(`${request.method} ${request.url}`);
    });
    await listening(app);
    try {
      const paths = Array.from({ length: 2500 }, (_, i) => `batch/${i}`);
      const local = path.join(samples, 'layer1.usda');
      await expect(resolveMany([...paths, local])).resolves.toEqual([
        ...paths.map((p) => `/store/${p}.usda`),
        local,
      ]);
      expect(log).toEqual(['POST /_ar/resolve', 'POST /_ar/resolve', 'POST /_ar/resolve']);
    } finally {
      await app.close();
    }
  });

  test('async functions, null for not found, and a throwing function answers 500', async () => {
    const app = await createResolutionServer({
      resolve: async (assetPath) => {
        await new Promise((done) => setTimeout(done, 5));
        if (assetPath === 'boom') throw new Error('resolver bug');
        return assetPath === 'known' ? '/known.usda' : null;
      },
    });
    const address = await listening(app);
    try {
      await expect(resolveAsync('known')).resolves.toBe('/known.usda');
      await expect(resolveAsync('unknown')).resolves.toBe('');
      expect((await fetch(`${address}/boom`)).status).toBe(500);
      await expect(resolveAsync('boom')).resolves.toBe('');
    } finally {
      await app.close();
    }
  });

  test('a map object or Map replaces the sample map', async () => {
    for (const map of [{ a: '/a.usda' }, new Map([['a', '/a.usda']])]) {
      const app = await createResolutionServer({ map });
      const response = await app.inject({ method: 'GET', url: '/a' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('/a.usda');
      expect((await app.inject({ method: 'GET', url: '/id0x01' })).statusCode).toBe(404);
      await app.close();
    }
  });

  test('map and resolve together are refused', async () => {
    await expect(createResolutionServer({ map: {}, resolve: () => null })).rejects.toMatchObject({
      code: ErrorCodes.BAD_OPTION,
    });
    await expect(createResolutionServer({ resolve: 'x' as never })).rejects.toMatchObject({
      code: ErrorCodes.BAD_OPTION,
    });
  });
});

describe('map files', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-map-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function mapFile(name: string, content: string): string {
    const file = path.join(folder, name);
    writeFileSync(file, content);
    return file;
  }

  test('relative paths are taken from the map file folder', () => {
    const file = mapFile('map.json', JSON.stringify({ a: 'layers/a.usda', b: '/abs/b.usda' }));
    expect([...loadMapFile(file)]).toEqual([
      ['a', path.join(folder, 'layers', 'a.usda')],
      ['b', '/abs/b.usda'],
    ]);
  });

  test.each([
    ['bad JSON', '{ nope', /map file .*bad-JSON\.json: /],
    ['an array', '["a"]', /must hold a JSON object/],
    ['a number value', '{"a": 1}', /entry for "a" must be a string/],
    ['an empty value', '{"a": ""}', /entry for "a": a resolved path must not be empty/],
    ['a multi-line value', '{"a": "/x\\n/y"}', /entry for "a": a resolved path holds no control character/],
    ['a tab', '{"a": "/x\\ty"}', /entry for "a": a resolved path holds no control character/],
    ['a space at the end', '{"a": "/x "}', /entry for "a": .*no space at either end/],
    ['a path over the protocol\'s limit', `{"a": "/${'x'.repeat(16384)}"}`, /entry for "a": a resolved path holds at most 16384 bytes/],
    ['an empty asset path', '{"": "/x"}', /asset path must not be empty/],
  ])('%s is refused with a clear error', (label, content, message) => {
    const file = mapFile(`${label.replace(/\W+/g, '-')}.json`, content);
    expect(() => loadMapFile(file)).toThrow(message);
    expect(() => loadMapFile(file)).toThrow(expect.objectContaining({ code: ErrorCodes.BAD_MAP }));
  });

  test('a missing map file is named in the error', () => {
    expect(() => loadMapFile(path.join(folder, 'absent.json'))).toThrow(/absent\.json/);
  });
});
