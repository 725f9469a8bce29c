import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer, sampleMap } from '../lib';
import { makeCertificates } from './helpers/certificates';
import { cliPath } from './helpers/cli';
import { run } from './helpers/run';
import { startTestServer } from './helpers/testServer';
import { describeWithUsd, usd } from './helpers/usd';

const samples = path.join(__dirname, '..', 'samples');

/** A resolution server in this process that counts the requests for each asset path. */
async function countingServer(map: ReadonlyMap<string, string>): Promise<{
  app: FastifyInstance;
  url: string;
  requests: Map<string, number>;
}> {
  const requests = new Map<string, number>();
  const app = await createResolutionServer({
    resolve: (assetPath) => {
      requests.set(assetPath, (requests.get(assetPath) ?? 0) + 1);
      return map.get(assetPath) ?? null;
    },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, requests };
}

function usdcat(args: string[], env: Record<string, string>, cwd?: string) {
  return run(usd!.usdcat, args, { PXR_PLUGINPATH_NAME: usd!.pluginPath, ...env }, { cwd });
}

describeWithUsd('ArHttpResolver inside usdcat', () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-usd-'));
    const layer = (name: string, body: string): string => {
      const file = path.join(folder, 'store', name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `#usda 1.0\n${body}\n`);
      return file;
    };
    const map = new Map(sampleMap());
    map.set('models/chair/v1', layer('chair.usda', `def Xform "Chair" (references = @materials/wood@</Wood>) {}`));
    map.set('materials/wood', layer('wood.usda', 'def Material "Wood" {\n    custom string grain = "oak"\n}'));
    map.set('props/lamp', layer('lamp.usda', 'def Xform "Lamp" {\n    custom double watts = 60\n}'));
    map.set('shots/a/layout', layer('layout.usda', '(\n    subLayers = [@id0x02@]\n)'));
    writeFileSync(
      path.join(folder, 'scene.usda'),
      [
        '#usda 1.0',
        '(\n    subLayers = [@shots/a/layout@]\n)',
        'def "Seat" (references = @models/chair/v1@</Chair>) {}',
        'def "Light" (payload = @props/lamp@</Lamp>) {}',
        'def "Missing" (references = @id0xDoesNotExist@</X>) {}',
      ].join('\n'),
    );
    writeFileSync(
      path.join(folder, 'local.usda'),
      '#usda 1.0\n(\n    subLayers = [@./store/wood.usda@, @' + path.join(samples, 'layer1.usda') + '@]\n)\n',
    );
    server = await countingServer(map);
  });

  afterAll(async () => {
    await server?.app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(() => server.requests.clear());

  test('usdcat --flatten samples/stage.usda prints both prims, one request per id', async () => {
    const result = await usdcat(['--flatten', path.join(samples, 'stage.usda')], {
      AR_HTTP_SERVER_URL: server.url,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/def "Prim2" \(\s*assetInfo = \{\s*string identifier = "id0x02"\s*\}\s*\)/);
    expect(result.stdout).toMatch(/def "Prim1" \(\s*assetInfo = \{\s*string identifier = "id0x01"\s*\}\s*\)/);
    expect(result.stdout.indexOf('"Prim2"')).toBeLessThan(result.stdout.indexOf('"Prim1"'));
    expect(Object.fromEntries(server.requests)).toEqual({ id0x01: 1, id0x02: 1 });
  });

  test('ids as references, payloads and sublayers, nested and multi-segment', async () => {
    const result = await usdcat(['--flatten', path.join(folder, 'scene.usda')], {
      AR_HTTP_SERVER_URL: server.url,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('def "Prim2"'); // sublayer of a sublayer
    // models/chair/v1 refers to materials/wood in its turn.
    expect(result.stdout).toMatch(/def Xform "Seat"\s*\{\s*custom string grain = "oak"\s*\}/);
    expect(result.stdout).toMatch(/def Xform "Light"\s*\{\s*custom double watts = 60\s*\}/);
    // The unknown id is reported, composition goes on.
    expect(result.stderr).toContain('id0xDoesNotExist');
    expect(Object.fromEntries(server.requests)).toEqual({
      'shots/a/layout': 1,
      id0x02: 1,
      'models/chair/v1': 1,
      'materials/wood': 1,
      'props/lamp': 1,
      id0xDoesNotExist: 1,
    });
  });

  test('a layer named by an id opens with the format of what it resolves to', async () => {
    // No file is called id0x01: the root layer itself comes from the server.
    const result = await usdcat(['id0x01'], { AR_HTTP_SERVER_URL: server.url }, folder);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^#usda 1\.0[\s\S]*def "Prim1"/);
    expect(Object.fromEntries(server.requests)).toEqual({ id0x01: 1 });
  });

  test('a refused setting is warned about once, and its default used', async () => {
    const result = await usdcat(['--flatten', path.join(samples, 'stage.usda')], {
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_PATH_FORMAT: '/%s?x=%d',
    });
    expect(result.status).toBe(0);
    expect(result.stderr.match(/ArHttpResolver: AR_HTTP_PATH_FORMAT "\/%s\?x=%d" holds a '%'/g)).toHaveLength(1);
    expect(result.stdout).toContain('def "Prim1"');
  });

  test('local paths cost no request', async () => {
    const result = await usdcat(['--flatten', path.join(folder, 'local.usda')], {
      AR_HTTP_SERVER_URL: server.url,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('def Material "Wood"');
    expect(result.stdout).toContain('def "Prim1"');
    expect(server.requests.size).toBe(0);
  });

  test('asking ahead: the ids a layer names are resolved in one batch request', async () => {
    const result = await usdcat(['--flatten', path.join(samples, 'stage.usda')], {
      AR_HTTP_SERVER_URL: server.url,
      TF_DEBUG: 'AR_HTTP',
      TF_DEBUG_OUTPUT_FILE: 'stderr',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('def "Prim1"');
    // One POST, then each asset path: what it resolved to, and which way.
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('ar-http:') && !line.endsWith('(filesystem)'));
    expect(lines[0]).toMatch(
      new RegExp(`^ar-http: POST ${server.url}/_ar/resolve \\(2 asset paths\\) -> 200 in [0-9.]+ ms: 2 answers$`),
    );
    expect(lines.slice(1).sort()).toEqual(['id0x01', 'id0x02'].map((id) =>
      `ar-http: "${id}" -> "${path.join(samples, `layer${id.slice(-1)}.usda`)}" (asked ahead)`));
    expect(result.stderr).toContain(`ar-http: "${path.join(samples, 'stage.usda')}" -> "${path.join(samples, 'stage.usda')}" (filesystem)`);
    expect(Object.fromEntries(server.requests)).toEqual({ id0x01: 1, id0x02: 1 });
  });

  test('a server with no batch endpoint is asked one id at a time', async () => {
    const plain = await startTestServer({
      '/id0x01': { body: path.join(samples, 'layer1.usda') },
      '/id0x02': { body: path.join(samples, 'layer2.usda') },
      '*': { status: 404 },
    });
    try {
      const result = await usdcat(['--flatten', path.join(samples, 'stage.usda')], {
        AR_HTTP_SERVER_URL: plain.url,
        TF_DEBUG: 'AR_HTTP',
        TF_DEBUG_OUTPUT_FILE: 'stderr',
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/def "Prim2"[\s\S]*def "Prim1"/);
      expect(result.stderr).toContain('-> 404');
      expect(result.stderr).toContain('no batch endpoint, resolving one by one from now on');
      const { requests } = await plain.stats();
      expect(requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
        'GET /id0x01',
        'GET /id0x02',
        'POST /_ar/resolve',
      ]);
    } finally {
      await plain.close();
    }
  });

  test('TF_DEBUG=AR_HTTP prints the request lines (batches off)', async () => {
    const result = await usdcat(['--flatten', path.join(samples, 'stage.usda')], {
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_BATCH_PATH: 'none',
      TF_DEBUG: 'AR_HTTP',
      TF_DEBUG_OUTPUT_FILE: 'stderr',
    });
    expect(result.status).toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('ar-http: GET'));
    // Sublayers open in parallel: either order.
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^ar-http: GET ${server.url}/id0x01 -> 200 in [0-9.]+ ms: ${samples}/layer1.usda$`)),
      expect.stringMatching(new RegExp(`^ar-http: GET ${server.url}/id0x02 -> 200 in [0-9.]+ ms: ${samples}/layer2.usda$`)),
    ]));
  });

  test('an unknown id: usdcat reports the missing layer and exits without a crash', async () => {
    const stage = path.join(folder, 'unknown.usda');
    writeFileSync(stage, '#usda 1.0\n(\n    subLayers = [@id0xNope@]\n)\n');
    const result = await usdcat(['--flatten', stage], { AR_HTTP_SERVER_URL: server.url });
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain('id0xNope');
    expect(result.elapsedMs).toBeLessThan(10000);
    expect(Object.fromEntries(server.requests)).toEqual({ id0xNope: 1 });
  });

  test('a server that is down: one warning, missing layers, a quick exit', async () => {
    const down = await createResolutionServer();
    const url = await down.listen({ host: '127.0.0.1', port: 0 });
    await down.close();
    const result = await usdcat(['--flatten', path.join(samples, 'stage.usda')], { AR_HTTP_SERVER_URL: url });
    expect(result.signal).toBeNull();
    expect(result.stderr.match(/the resolution server at \S+ failed/g)).toHaveLength(1);
    expect(result.stderr).toContain('id0x01');
    expect(result.elapsedMs).toBeLessThan(10000);
  });

  test('300 ids while the server hangs: usdcat ends in seconds, then resolves them all once it answers', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `props/p${i}`);
    const stage = path.join(folder, 'many.usda');
    writeFileSync(
      stage,
      ['#usda 1.0', ...ids.map((id, i) => `def "P${i}" (references = @${id}@</Lamp>) {}`)].join('\n') + '\n',
    );
    const lamp = path.join(folder, 'store', 'lamp.usda');
    const hanging = await startTestServer({ '*': { hang: true } });
    try {
      const result = await usdcat(['--flatten', stage], { AR_HTTP_SERVER_URL: hanging.url, AR_HTTP_TIMEOUT_MS: '1000' });
      expect(result.signal).toBeNull();
      // Without failing fast: 300 ids / 8 connections x 1 s = 38 s at least.
      expect(result.elapsedMs).toBeLessThan(10000);
      expect(result.stderr.match(/the resolution server at \S+ failed/g)).toHaveLength(1);
      expect((await hanging.stats()).requests.length).toBeLessThanOrEqual(20);
    } finally {
      await hanging.close();
    }
    const back = await startTestServer({ '*': { body: lamp } }, Number(new URL(hanging.url).port));
    try {
      const result = await usdcat(['--flatten', stage], { AR_HTTP_SERVER_URL: back.url });
      expect(result.status).toBe(0);
      expect(result.stdout.match(/custom double watts = 60/g)).toHaveLength(300);
    } finally {
      await back.close();
    }
  }, 60_000);

  test('an https:// server whose CA is given by AR_HTTP_CA_FILE', async () => {
    const certificates = makeCertificates();
    const secure = await startTestServer(
      { '/id0x01': { body: path.join(samples, 'layer1.usda') }, '/id0x02': { body: path.join(samples, 'layer2.usda') } },
      undefined,
      certificates.server,
    );
    try {
      const trusted = await usdcat(['--flatten', path.join(samples, 'stage.usda')], {
        AR_HTTP_SERVER_URL: secure.url,
        AR_HTTP_CA_FILE: certificates.caFile,
      });
      expect(trusted.status).toBe(0);
      expect(trusted.stdout).toContain('def "Prim1"');
      const untrusted = await usdcat(['--flatten', path.join(samples, 'stage.usda')], { AR_HTTP_SERVER_URL: secure.url });
      expect(untrusted.stdout).not.toContain('def "Prim1"');
      expect(untrusted.stderr).toMatch(/server certificate not trusted/);
    } finally {
      await secure.close();
      certificates.remove();
    }
  });
});

describeWithUsd('resolve() through OpenUSD', () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-agree-'));
    mkdirSync(path.join(folder, 'shot', 'sub'), { recursive: true });
    mkdirSync(path.join(folder, 'lib'));
    for (const file of ['shot/shot.usda', 'shot/local.usda', 'shot/sub/deep.usda', 'lib/shared.usda']) {
      writeFileSync(path.join(folder, file), '#usda 1.0\n');
    }
    server = await countingServer(sampleMap());
  });

  afterAll(async () => {
    await server?.app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** The same table resolved by one binding, in a child process (the server answers from here). */
  async function table(backend: 'standalone' | 'usd'): Promise<unknown> {
    const anchor = path.join(folder, 'shot', 'shot.usda');
    const cases = [
      [path.join(folder, 'lib', 'shared.usda'), ''],
      ['./local.usda', anchor],
      ['../lib/shared.usda', anchor],
      ['sub/deep.usda', anchor],
      ['id0x01', anchor],
      ['id0x01', ''],
      ['id0xUnknown', anchor],
      ['./missing.usda', anchor],
    ];
    const script = `
      const ar = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'lib'))});
      const cases = ${JSON.stringify(cases)};
      (async () => {
        const rows = [];
        for (const [assetPath, anchor] of cases) {
          rows.push({
            assetPath, anchor,
            identifier: ar.createIdentifier(assetPath, anchor || undefined),
            resolved: ar.resolve(assetPath, anchor ? { anchor } : undefined),
            resolvedAsync: await ar.resolveAsync(assetPath, anchor ? { anchor } : undefined),
          });
        }
        process.stdout.write(JSON.stringify({ backend: ar.backend(), rows }));
      })();`;
    const result = await run(process.execPath, ['-e', script], {
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_BACKEND: backend,
    });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  }

  test('the USD-linked binding is the default once built, and reports backend "usd"', async () => {
    const result = await run(process.execPath, [cliPath, 'config'], { AR_HTTP_SERVER_URL: server.url });
    expect(JSON.parse(result.stdout).serverUrl).toBe(server.url);
    const backend = await run(
      process.execPath,
      ['-e', `process.stdout.write(require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'lib'))}).backend())`],
      {},
    );
    expect(backend.stdout).toBe('usd');
  });

  test('standalone and USD-linked resolve() agree on a table of cases', async () => {
    const standalone = (await table('standalone')) as { backend: string; rows: object[] };
    const throughUsd = (await table('usd')) as { backend: string; rows: object[] };
    expect(standalone.backend).toBe('standalone');
    expect(throughUsd.backend).toBe('usd');
    expect(throughUsd.rows).toEqual(standalone.rows);
    const resolved = standalone.rows.map((row) => (row as { resolved: string }).resolved);
    expect(resolved).toEqual([
      path.join(folder, 'lib', 'shared.usda'),
      path.join(folder, 'shot', 'local.usda'),
      path.join(folder, 'lib', 'shared.usda'),
      path.join(folder, 'shot', 'sub', 'deep.usda'),
      path.join(samples, 'layer1.usda'),
      path.join(samples, 'layer1.usda'),
      '',
      '',
    ]);
  });
});
