import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer } from '../lib';
import { writeCrate } from './helpers/crate';
import { run } from './helpers/run';
import { describeWithUsd, usd } from './helpers/usd';
import { writeUsdz } from './helpers/usdz';

/**
 * A resolution server that records what it is asked: each GET's asset path, each batch's
 * lines, and the most GETs it served at once (each answer takes `delayMs`). Without
 * `batches` it is a server of the seed's protocol: POST answers 404.
 */
async function recordingServer(map: ReadonlyMap<string, string>, options: { batches: boolean; delayMs: number }) {
  const gets: string[] = [];
  const batches: string[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const app: FastifyInstance = await createResolutionServer({
    resolve: async (assetPath) => {
      await new Promise((done) => setTimeout(done, options.delayMs));
      return map.get(assetPath) ?? null;
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'POST' && !options.batches) return reply.code(404).send();
    if (request.method === 'GET') {
      gets.push(decodeURIComponent(request.url.slice(1)));
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
    }
    return undefined;
  });
  app.addHook('preHandler', async (request) => {
    if (request.method === 'POST') {
      batches.push(String(request.body).split('\n').filter(Boolean).map(decodeURIComponent));
    }
  });
  app.addHook('onResponse', async (request) => {
    if (request.method === 'GET') inFlight -= 1;
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    gets,
    batches,
    mostInFlight: () => mostInFlight,
    /** How many times each asset path was asked, GET and batch together. */
    asked(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const assetPath of [...gets, ...batches.flat()]) counts.set(assetPath, (counts.get(assetPath) ?? 0) + 1);
      return counts;
    },
    close: () => app.close(),
  };
}

/** A flattened stage less the line naming its root layer. */
const composed = (flattened: string): string => flattened.replace(/Generated from Composed Stage of root layer \S+/, '');

describeWithUsd('asking ahead in production layers: crate, .usdz, nested assets, GET-only servers', () => {
  let folder: string;
  const map = new Map<string, string>();
  const PROPS = 24;

  const usdcat = (args: string[], env: Record<string, string> = {}) =>
    run(usd!.usdcat, args, { PXR_PLUGINPATH_NAME: usd!.pluginPath, ...env });
  /** Writes `body` as a .usda, or converts it to crate with usdcat (the layer's asset paths kept as written). */
  const layer = async (name: string, body: string): Promise<string> => {
    const file = path.join(folder, name);
    mkdirSync(path.dirname(file), { recursive: true });
    if (name.endsWith('.usda')) {
      writeFileSync(file, `#usda 1.0\n${body}\n`);
      return file;
    }
    const text = `${file}.source.usda`;
    writeFileSync(text, `#usda 1.0\n${body}\n`);
    const converted = await writeCrate(usd!.usdcat, text, file);
    expect(converted.stderr).toBe('');
    expect(readFileSync(file).subarray(0, 8).toString('latin1')).toBe('PXR-USDC');
    return file;
  };
  const ids = Array.from({ length: PROPS }, (_, i) => `props/p${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-production-'));
    for (const [i, id] of ids.entries()) {
      map.set(id, await layer(`store/p${i}.usdc`, `def Xform "Prop" {\n    custom int index = ${i}\n}`));
    }
    const scene = (name: (id: string) => string) =>
      [
        `(\n    subLayers = [@${name(ids[0])}@]\n)`,
        ...ids.slice(1).map((id, i) => `def "P${i}" (\n    prepend references = @${name(id)}@</Prop>\n)\n{\n}`),
      ].join('\n');
    await layer('scene.usdc', scene((id) => id));
    await layer('sceneLocal.usdc', scene((id) => map.get(id)!));

    // Nested as production assets are: asset -> payload -> geometry and look layers.
    for (const name of ['chair', 'lamp', 'desk']) {
      map.set(
        `assets/${name}/geom`,
        await layer(`store/${name}_geom.usdc`, `def Xform "Asset" {\n    def Mesh "Geom" {\n        int[] faceVertexCounts = [3]\n    }\n}`),
      );
      map.set(`assets/${name}/look`, await layer(`store/${name}_look.usdc`, `over "Asset" {\n    def Material "Look" {\n    }\n}`));
      map.set(
        `assets/${name}/payload`,
        await layer(
          `store/${name}_payload.usdc`,
          `(\n    defaultPrim = "Asset"\n    subLayers = [@assets/${name}/look@, @assets/${name}/geom@]\n)`,
        ),
      );
      map.set(`assets/${name}`, await layer(`store/${name}.usda`, `def Xform "Asset" (\n    payload = @assets/${name}/payload@\n)\n{\n}`));
    }
    await layer('set.usda', ['chair', 'lamp', 'desk'].map((name) => `def "${name}" (references = @assets/${name}@</Asset>) {}`).join('\n'));

    // A package whose root layer (crate) names ids and a layer packaged beside it.
    const inner = await layer(
      'pkg/root.usdc',
      [
        'def "Packaged" {',
        `    def "A" (references = @${ids[1]}@</Prop>) {}`,
        `    def "B" (references = @${ids[2]}@</Prop>) {}`,
        '    def "C" (references = @./extra.usda@</Extra>) {}',
        '}',
      ].join('\n'),
    );
    writeUsdz(path.join(folder, 'package.usdz'), [
      { name: 'root.usdc', data: readFileSync(inner) },
      { name: 'extra.usda', data: Buffer.from(`#usda 1.0\ndef "Extra" (references = @${ids[3]}@</Prop>) {}\n`) },
    ]);
    map.set('packages/one', path.join(folder, 'package.usdz'));
    await layer('packaged.usda', 'def "Pkg" (references = @packages/one@</Packaged>) {}');
  }, 120_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('a crate stage naming 24 ids: one batch request with them all, the same output as with local paths', async () => {
    const server = await recordingServer(map, { batches: true, delayMs: 0 });
    try {
      const byId = await usdcat(['--flatten', path.join(folder, 'scene.usdc')], { AR_HTTP_SERVER_URL: server.url });
      const local = await usdcat(['--flatten', path.join(folder, 'sceneLocal.usdc')], { PXR_PLUGINPATH_NAME: '' });
      expect(byId.stderr).toBe('');
      expect(byId.status).toBe(0);
      expect(composed(byId.stdout)).toBe(composed(local.stdout));
      expect(byId.stdout).toContain('int index = 23');
      expect(server.batches).toHaveLength(1);
      expect([...server.batches[0]].sort()).toEqual([...ids].sort());
      expect(server.gets).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('against a GET-only server: one POST finds no batch endpoint, then one GET per id, several at once', async () => {
    const server = await recordingServer(map, { batches: false, delayMs: 30 });
    try {
      const byId = await usdcat(['--flatten', path.join(folder, 'scene.usdc')], { AR_HTTP_SERVER_URL: server.url });
      expect(byId.status).toBe(0);
      expect(byId.stdout).toContain('int index = 23');
      expect([...server.gets].sort()).toEqual([...ids].sort());
      expect(server.mostInFlight()).toBeGreaterThan(1);
      // AR_HTTP_MAX_CONNECTIONS bounds them.
      expect(server.mostInFlight()).toBeLessThanOrEqual(8);
    } finally {
      await server.close();
    }
  });

  test('nested assets: every id asked once, geometry and look of an asset in one request', async () => {
    const server = await recordingServer(map, { batches: true, delayMs: 0 });
    try {
      const result = await usdcat(['--flatten', path.join(folder, 'set.usda')], { AR_HTTP_SERVER_URL: server.url });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('int[] faceVertexCounts = [3]');
      const asked = server.asked();
      const nestedIds = [...map.keys()].filter((id) => id.startsWith('assets/'));
      expect([...asked.keys()].sort()).toEqual(nestedIds.sort());
      expect(Math.max(...asked.values())).toBe(1);
      for (const name of ['chair', 'lamp', 'desk']) {
        expect(server.batches).toContainEqual(expect.arrayContaining([`assets/${name}/look`, `assets/${name}/geom`]));
      }
    } finally {
      await server.close();
    }
  });

  test('a .usdz by id: the ids its layers name are asked in one request when it opens', async () => {
    const server = await recordingServer(map, { batches: true, delayMs: 0 });
    try {
      const result = await usdcat(['--flatten', path.join(folder, 'packaged.usda')], { AR_HTTP_SERVER_URL: server.url });
      expect(result.stderr).toBe('');
      for (const index of [1, 2, 3]) expect(result.stdout).toContain(`int index = ${index}`);
      expect(server.batches).toContainEqual(expect.arrayContaining([ids[1], ids[2], ids[3]]));
      expect(Math.max(...server.asked().values())).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('the HTTP transport (cpp-httplib, OpenSSL) is loaded only when a server is asked', async () => {
    const server = await recordingServer(map, { batches: true, delayMs: 0 });
    try {
      const env = { AR_HTTP_SERVER_URL: server.url, LD_DEBUG: 'files' };
      const local = await usdcat(['--flatten', path.join(folder, 'sceneLocal.usdc')], env);
      expect(local.status).toBe(0);
      expect(local.stderr).toMatch(/arHttp\.so/);
      expect(local.stderr).not.toMatch(/arHttpTransport|libssl|libcpp-httplib/);
      const byId = await usdcat(['--flatten', path.join(folder, 'scene.usdc')], env);
      expect(byId.stderr).toMatch(/arHttpTransport/);
      expect(composed(byId.stdout)).toBe(composed(local.stdout));
    } finally {
      await server.close();
    }
  });

  test('without its transport library the plugin says so once, naming the file and the fix', async () => {
    const plugin = mkdtempSync(path.join(os.tmpdir(), 'ar-http-no-transport-'));
    const server = await recordingServer(map, { batches: true, delayMs: 0 });
    try {
      for (const name of ['plugInfo.json', 'arHttp.so']) copyFileSync(path.join(usd!.pluginPath, name), path.join(plugin, name));
      const result = await usdcat(['--flatten', path.join(folder, 'scene.usdc')], {
        PXR_PLUGINPATH_NAME: plugin,
        AR_HTTP_SERVER_URL: server.url,
      });
      const warnings = result.stderr.match(/its HTTP transport \S+arHttpTransport\.so cannot be loaded/g) ?? [];
      expect(warnings).toHaveLength(1);
      expect(result.stderr).toContain('npm run build:usd');
      expect(server.asked().size).toBe(0);
    } finally {
      await server.close();
      rmSync(plugin, { recursive: true, force: true });
    }
  });
});
