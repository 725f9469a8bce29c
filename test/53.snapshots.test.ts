import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { AsyncClient, createResolutionServer, openStore } from '../lib';
import { Protocol } from '../lib/protocol';
import { runCli } from './helpers/cli';
import { startPostgres, type TestPostgres } from './helpers/postgres';
import { startServe } from './helpers/serve';

let folder: string;
let postgres: TestPostgres | undefined;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-snapshots-'));
  postgres = await startPostgres();
}, 120_000);
afterAll(() => {
  postgres?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };
const immutable = 'public, max-age=31536000, immutable';

/** A server of this process on a free loopback port, for `body`; closed after. */
async function withServer(options: Parameters<typeof createResolutionServer>[0], body: (address: string, app: FastifyInstance) => Promise<void>) {
  const app = await createResolutionServer(options);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    await body(address, app);
  } finally {
    await app.close();
  }
}

const put = (address: string, assetPath: string, resolvedPath: string) =>
  fetch(`${address}/_ar/mappings/${encodeURIComponent(assetPath)}`, { method: 'PUT', headers: json, body: JSON.stringify({ resolvedPath }) });
const remove = (address: string, assetPath: string) => fetch(`${address}/_ar/mappings/${encodeURIComponent(assetPath)}`, { method: 'DELETE' });
const snapshot = async (address: string, label?: string) =>
  (await (await fetch(`${address}${Protocol.snapshotsPath}`, { method: 'POST', headers: json, body: JSON.stringify(label === undefined ? {} : { label }) })).json()) as {
    id: string;
    change: number;
  };
/** The batch answer as lines, as of `snapshotId` (or the latest), with versions. */
const batch = async (address: string, assetPaths: string[], snapshotId?: string): Promise<{ versions: string | null; lines: string[] }> => {
  const query = snapshotId === undefined ? '' : `?${Protocol.snapshotParameter}=${snapshotId}`;
  const response = await fetch(`${address}${Protocol.batchPath}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', [Protocol.versionsHeader]: '1' },
    body: assetPaths.map((assetPath) => `${encodeURIComponent(assetPath)}\n`).join(''),
  });
  expect(response.status).toBe(200);
  return { versions: response.headers.get(Protocol.versionsHeader), lines: (await response.text()).split('\n').slice(0, -1) };
};
/** A GET as of `snapshotId` as a batch line would say it: `<n> <path>`, or '' when not found. */
const getLine = async (address: string, assetPath: string, snapshotId: string): Promise<string> => {
  const response = await fetch(`${address}/${assetPath}?${Protocol.snapshotParameter}=${snapshotId}`);
  expect(response.headers.get('cache-control')).toBe(immutable);
  if (response.status === 404) return '';
  expect(response.status).toBe(200);
  return `${(response.headers.get('etag') ?? '').replace(/"/g, '')} ${await response.text()}`;
};

describe('answers as of a snapshot never move, on two servers of one store, under 20 concurrent writers', () => {
  const count = 400;
  const assetPaths = Array.from({ length: count }, (_, i) => `asset/${i}`);

  async function holds(store: string): Promise<void> {
    const mapFile = path.join(folder, `map-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(mapFile, JSON.stringify(Object.fromEntries(assetPaths.map((assetPath, i) => [assetPath, `/v0/${i}.usda`]))));
    expect((await runCli(['store', 'import', mapFile, '--store', store])).status).toBe(0);
    const servers = await Promise.all([startServe(['--quiet', '--store', store]), startServe(['--quiet', '--store', store])]);
    const [a, b] = servers.map((server) => server.address);
    try {
      // Some answers set later than others, and kept by both servers before the snapshot.
      for (let i = 0; i < count; i += 7) expect((await put(a, assetPaths[i], `/v1/${i}.usda`)).status).toBe(200);
      await batch(a, assetPaths);
      await batch(b, assetPaths);
      const taken = await snapshot(b, 'shot010 submit');
      const recorded = (await batch(a, assetPaths)).lines;
      expect(recorded.filter((line) => line !== '')).toHaveLength(count);

      let writing = true;
      let checks = 0;
      const writers = Array.from({ length: 20 }, async (_, writer) => {
        for (let i = writer; i < count; i += 20) {
          const address = i % 4 < 2 ? a : b;
          // Half replaced, a tenth removed.
          if (i % 10 === 1) expect((await remove(address, assetPaths[i])).status).toBe(204);
          else if (i % 2 === 0) expect((await put(address, assetPaths[i], `/v2/${i}.usda`)).status).toBe(200);
        }
      });
      const readers = [a, b].map(async (address) => {
        while (writing) {
          const start = Math.floor(Math.random() * (count - 50));
          const some = assetPaths.slice(start, start + 50);
          expect(await batch(address, some, taken.id)).toEqual({ versions: '1', lines: recorded.slice(start, start + 50) });
          const i = start + Math.floor(Math.random() * 50);
          expect(await getLine(address, assetPaths[i], taken.id)).toBe(recorded[i]);
          checks += 51;
        }
      });
      await Promise.all(writers);
      writing = false;
      await Promise.all(readers);
      expect(checks).toBeGreaterThan(0);

      for (const address of [a, b]) {
        expect(await batch(address, assetPaths, taken.id)).toEqual({ versions: '1', lines: recorded });
        for (let i = 0; i < count; i += 50) {
          const lines = await Promise.all(assetPaths.slice(i, i + 50).map((assetPath) => getLine(address, assetPath, taken.id)));
          expect(lines).toEqual(recorded.slice(i, i + 50));
        }
        // The writes are there for the latest answers.
        const latest = (await batch(address, assetPaths)).lines;
        expect(latest[0]).toMatch(/^\d+ \/v2\/0\.usda$/);
        expect(latest[1]).toBe('');
        expect(latest[3]).toBe(recorded[3]);
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }

  test('SQLite', () => holds(`sqlite:${path.join(folder, 'concurrent.db')}`), 120_000);
  test('PostgreSQL', async () => {
    if (postgres !== undefined) await holds(postgres.url);
  }, 120_000);
});

describe('caching headers', () => {
  test('latest: ETag of the change that set it, no-cache, 304; as of a snapshot: immutable', () =>
    withServer({ map: { chair: '/v0/chair.usda' } }, async (address) => {
      const loaded = await fetch(`${address}/chair`);
      expect(loaded.status).toBe(200);
      expect(loaded.headers.get('etag')).toBe('"0"');
      expect(loaded.headers.get('cache-control')).toBe('no-cache');
      const taken = await snapshot(address);
      expect((await put(address, 'chair', '/v1/chair.usda')).status).toBe(200);
      const latest = await fetch(`${address}/chair`);
      expect([latest.status, latest.headers.get('etag'), await latest.text()]).toEqual([200, '"1"', '/v1/chair.usda']);
      const again = await fetch(`${address}/chair`, { headers: { 'if-none-match': '"1"' } });
      expect([again.status, await again.text(), again.headers.get('etag')]).toEqual([304, '', '"1"']);
      expect((await fetch(`${address}/chair`, { headers: { 'if-none-match': '"0"' } })).status).toBe(200);
      expect((await fetch(`${address}/chair`, { headers: { 'if-none-match': '"7", W/"1"' } })).status).toBe(304);
      const old = await fetch(`${address}/chair?snapshot=${taken.id}`);
      expect([old.status, old.headers.get('etag'), old.headers.get('cache-control'), await old.text()]).toEqual([200, '"0"', immutable, '/v0/chair.usda']);
      const absent = await fetch(`${address}/nothing?snapshot=${taken.id}`);
      expect([absent.status, absent.headers.get('cache-control'), await absent.text()]).toEqual([404, immutable, '']);
      const missing = await fetch(`${address}/nothing`);
      expect([missing.status, missing.headers.get('cache-control')]).toEqual([404, 'no-cache']);
    }));

  test('an unknown snapshot: 404, Ar-Http-Problem: unknown-snapshot and a JSON error naming it, never the latest answer', () =>
    withServer({ map: { chair: '/chair.usda' } }, async (address) => {
      for (const url of [`${address}/chair?snapshot=42`, `${address}/chair?snapshot=no-such.snap_1`]) {
        const response = await fetch(url);
        expect(response.status).toBe(404);
        expect(response.headers.get(Protocol.problemHeader)).toBe(Protocol.unknownSnapshotProblem);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(((await response.json()) as { error: string }).error).toMatch(/^no snapshot "(42|no-such\.snap_1)" on this server/);
      }
      const batched = await fetch(`${address}${Protocol.batchPath}?snapshot=42`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'chair\n' });
      expect([batched.status, batched.headers.get(Protocol.problemHeader)]).toEqual([404, Protocol.unknownSnapshotProblem]);
      expect(await batched.text()).not.toContain('/chair.usda');
    }));

  test('a malformed snapshot id: 400', () =>
    withServer({ map: { chair: '/chair.usda' } }, async (address) => {
      for (const id of ['', 'a%2Fb', 'a%20b', 'x'.repeat(129), '%C3%A9', 'a&snapshot=b']) {
        const response = await fetch(`${address}/chair?snapshot=${id}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: string }).error).toMatch(/snapshot/);
      }
      expect((await fetch(`${address}/_ar/snapshots/a%20b`)).status).toBe(400);
    }));

  test('the batch with Ar-Http-Versions: 1 echoes it and answers `<n> <path>` lines; without it, plain lines', () =>
    withServer({ map: { a: '/a0', b: '/b0' } }, async (address) => {
      await put(address, 'b', '/b1');
      expect(await batch(address, ['a', 'none', 'b'])).toEqual({ versions: '1', lines: ['0 /a0', '', '1 /b1'] });
      const plain = await fetch(`${address}${Protocol.batchPath}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a\nnone\nb\n' });
      expect([plain.headers.get(Protocol.versionsHeader), await plain.text()]).toEqual([null, '/a0\n\n/b1\n']);
    }));

  test('a server resolving through a function has no snapshots, and says so', () =>
    withServer({ resolve: (assetPath) => `/live/${assetPath}` }, async (address) => {
      const response = await fetch(`${address}/chair?snapshot=1`);
      expect([response.status, response.headers.get(Protocol.problemHeader)]).toEqual([404, Protocol.unknownSnapshotProblem]);
      expect(((await response.json()) as { error: string }).error).toContain('keeps no history');
      const made = await fetch(`${address}${Protocol.snapshotsPath}`, { method: 'POST' });
      expect(made.status).toBe(501);
      expect(((await made.json()) as { error: string }).error).toContain('keeps no history');
      // Live answers carry no version, and a batch asking for versions gets plain lines.
      const live = await fetch(`${address}/chair`);
      expect([live.status, live.headers.get('etag'), live.headers.get('cache-control')]).toEqual([200, null, null]);
      const batched = await fetch(`${address}${Protocol.batchPath}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', [Protocol.versionsHeader]: '1' },
        body: 'chair\n',
      });
      expect([batched.headers.get(Protocol.versionsHeader), await batched.text()]).toEqual([null, '/live/chair\n']);
    }));

  test('a JSON map is one change: its snapshot is named by its content and survives a restart', async () => {
    const mapFile = path.join(folder, 'one.json');
    writeFileSync(mapFile, JSON.stringify({ chair: '/chair.usda' }));
    const ids: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const server = await startServe(['--quiet', '--map', mapFile]);
      try {
        const taken = await snapshot(server.address, 'ignored');
        ids.push(taken.id);
        const answer = await fetch(`${server.address}/chair?snapshot=${taken.id}`);
        expect([answer.status, answer.headers.get('cache-control'), await answer.text()]).toEqual([200, immutable, '/chair.usda']);
      } finally {
        await server.stop();
      }
    }
    expect(ids[0]).toMatch(/^map-[0-9a-f]{20}$/);
    expect(ids[1]).toBe(ids[0]);
  });
});

describe('the snapshot admin routes', () => {
  test('in the OpenAPI description, with the query parameter on both resolve routes; the AsyncClient reaches them', () =>
    withServer({ map: { chair: '/chair.usda' }, token: 'sesame' }, async (address) => {
      const description = (await (await fetch(`${address}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
      expect(Object.keys(description.paths[Protocol.snapshotsPath])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(description.paths[`${Protocol.snapshotsPath}/{id}`].get).toBeDefined();
      for (const operation of [description.paths['/{assetPath}'].get, description.paths[Protocol.batchPath].post]) {
        expect(operation.parameters).toContainEqual(expect.objectContaining({ name: Protocol.snapshotParameter, in: 'query' }));
      }
      expect((await fetch(`${address}${Protocol.snapshotsPath}`, { method: 'POST' })).status).toBe(401);
      const client = new AsyncClient(address, { headers: { Authorization: 'Bearer sesame' } });
      try {
        const made = await client._ar.snapshots.post<{ id: string; change: number; label: string }>({ label: 'shot010 submit' });
        expect(made).toEqual({ id: '1', change: 0, label: 'shot010 submit', created: expect.any(String) });
        expect(await client._ar.snapshots.get()).toEqual({ snapshots: [made] });
        expect(await client._ar.snapshots.get({ id: made.id })).toEqual(made);
        await expect(client._ar.snapshots.get({ id: '7' })).rejects.toMatchObject({ status: 404 });
        await expect(client._ar.snapshots.post({ label: 'bad\u0007' })).rejects.toMatchObject({ status: 400 });
        await expect(client._ar.snapshots.post({ label: 'x'.repeat(257) })).rejects.toMatchObject({ status: 400 });
      } finally {
        await client.close();
      }
    }));

  test('ar-http snapshot create | list | show', async () => {
    const server = await startServe(['--quiet', '--store', `sqlite:${path.join(folder, 'cli.db')}`]);
    const env = { AR_HTTP_SERVER_URL: server.address };
    try {
      expect((await runCli(['mappings', 'set', 'chair', '/chair.usda'], env)).status).toBe(0);
      const created = await runCli(['snapshot', 'create', '--label', 'shot010 submit'], env);
      expect(created).toMatchObject({ status: 0, stdout: '1\n' });
      const listed = await runCli(['snapshot', 'list'], env);
      expect(listed.stdout).toMatch(/^1\tchange 1\t\S+\tshot010 submit\n$/);
      const shown = await runCli(['snapshot', 'show', '1', '--json'], env);
      expect(JSON.parse(shown.stdout)).toEqual({ id: '1', change: 1, label: 'shot010 submit', created: expect.any(String) });
      expect(await runCli(['snapshot', 'show', '9'], env)).toMatchObject({ status: 1, stderr: `ar-http: no snapshot "9" on ${server.address}\n` });
      expect(await runCli(['snapshot', 'list', '--label', 'x'], env)).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: ar-http snapshot') });
    } finally {
      await server.stop();
    }
    const refusing = await runCli(['snapshot', 'list', '--server', server.address]);
    expect(refusing.status).toBe(1);
    expect(refusing.stderr).toMatch(/^ar-http: /);
  });

  test('the CLI names a server with no snapshots', () =>
    withServer({ resolve: () => null }, async (address) => {
      expect(await runCli(['snapshot', 'list', '--server', address])).toMatchObject({
        status: 1,
        stderr: `ar-http: ${address} has no snapshots (a server started with a resolve function keeps no history)\n`,
      });
    }));
});

test('a SQLite file opened twice: each store hears the other\'s writes on its next check, and answers its snapshots', async () => {
  const file = `sqlite:${path.join(folder, 'twice.db')}`;
  const [one, two] = [await openStore(file), await openStore(file)];
  try {
    const heard: number[] = [];
    two.subscribe({ change: (change) => heard.push(change.id) });
    expect(two.catchUp?.()).toBeUndefined();
    await one.put('chair', '/v1');
    // At once, before any timer: the next kept answer waits for this.
    const catchingUp = two.catchUp?.();
    expect(catchingUp).toBeInstanceOf(Promise);
    await catchingUp;
    expect(heard).toEqual([1]);
    expect(two.catchUp?.()).toBeUndefined();
    const taken = await one.createSnapshot();
    await two.put('chair', '/v2');
    expect(heard).toEqual([1, 2]);
    expect(await two.getSnapshot(taken.id)).toEqual(taken);
    expect(await two.resolveAsOf('chair', taken.change)).toEqual({ resolvedPath: '/v1', version: 1 });
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});
