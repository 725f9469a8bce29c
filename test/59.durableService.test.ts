import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { runCli } from './helpers/cli';
import { startPostgres, type TestPostgres } from './helpers/postgres';
import { startServe } from './helpers/serve';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-durable-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const json = { 'content-type': 'application/json' };
const put = (address: string, assetPath: string, resolvedPath: string, headers: Record<string, string> = {}) =>
  fetch(`${address}/_ar/mappings/${encodeURIComponent(assetPath)}`, {
    method: 'PUT',
    headers: { ...json, ...headers },
    body: JSON.stringify({ resolvedPath }),
  });
const resolveText = async (address: string, assetPath: string): Promise<[number, string]> => {
  const response = await fetch(`${address}/${assetPath}`);
  return [response.status, await response.text()];
};

interface FeedEvent {
  id: number;
  lines: string[];
}

/** `GET /_ar/events` read as the protocol says: events with an id and two percent-encoded data lines. */
function openFeed(address: string, lastEventId?: number) {
  const events: FeedEvent[] = [];
  let buffer = '';
  let wake: (() => void) | undefined;
  const request = http.get(`${address}/_ar/events`, { headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) } }, (response) => {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const id = block.find((line) => line.startsWith('id: '));
        if (id === undefined) continue;
        events.push({ id: Number(id.slice(4)), lines: block.filter((line) => line.startsWith('data: ')).map((line) => decodeURIComponent(line.slice(6))) });
        wake?.();
      }
    });
  });
  request.on('error', () => {});
  return {
    events,
    /** Resolves once `count` events came, or rejects after `ms`. */
    async waitFor(count: number, ms = 5000): Promise<FeedEvent[]> {
      const deadline = Date.now() + ms;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`${events.length} of ${count} events within ${ms} ms`);
        await new Promise<void>((done) => {
          wake = done;
          setTimeout(done, 50);
        });
      }
      return events;
    },
    close: () => request.destroy(),
  };
}

describe('a SQLite store', () => {
  test('what the admin API acknowledged survives kill -9 and a restart, with its history', async () => {
    const store = ['--quiet', '--store', `sqlite:${path.join(folder, 'kill9.db')}`];
    const first = await startServe(store);
    try {
      expect((await put(first.address, 'chair', '/v1/chair.usda')).status).toBe(201);
      expect((await put(first.address, 'chair', '/v2/chair.usda')).status).toBe(200);
    } finally {
      await first.kill();
    }
    const second = await startServe(store);
    try {
      expect(await resolveText(second.address, 'chair')).toEqual([200, '/v2/chair.usda']);
      const history = await (await fetch(`${second.address}/_ar/mappings/chair/history`)).json();
      expect(history).toEqual({
        changes: [
          { id: 2, oldResolvedPath: '/v1/chair.usda', newResolvedPath: '/v2/chair.usda', at: expect.any(String) },
          { id: 1, oldResolvedPath: null, newResolvedPath: '/v1/chair.usda', at: expect.any(String) },
        ],
      });
    } finally {
      await second.stop();
    }
  });

  test('ETags: If-Match refuses a lost update with 412, If-None-Match: * creates only', async () => {
    const server = await startServe(['--quiet', '--store', `sqlite:${path.join(folder, 'etags.db')}`]);
    try {
      const created = await put(server.address, 'table', '/v1', { 'if-none-match': '*' });
      expect(created.status).toBe(201);
      const etag = created.headers.get('etag') as string;
      expect(etag).toMatch(/^"\d+"$/);
      expect((await put(server.address, 'table', '/again', { 'if-none-match': '*' })).status).toBe(412);
      const fetched = await fetch(`${server.address}/_ar/mappings/table`);
      expect(fetched.headers.get('etag')).toBe(etag);
      const replaced = await put(server.address, 'table', '/v2', { 'if-match': etag });
      expect(replaced.status).toBe(200);
      const lost = await put(server.address, 'table', '/v3', { 'if-match': etag });
      expect(lost.status).toBe(412);
      expect(await lost.json()).toEqual({ error: 'the mapping does not meet If-Match or If-None-Match' });
      const stale = await fetch(`${server.address}/_ar/mappings/table`, { method: 'DELETE', headers: { 'if-match': etag } });
      expect(stale.status).toBe(412);
      expect(await resolveText(server.address, 'table')).toEqual([200, '/v2']);
    } finally {
      await server.stop();
    }
  });

  test('the change feed: events in order, and Last-Event-ID replays what a client missed', async () => {
    const server = await startServe(['--quiet', '--store', `sqlite:${path.join(folder, 'feed.db')}`]);
    const feed = openFeed(server.address);
    try {
      await new Promise((done) => setTimeout(done, 200));
      await put(server.address, 'a b/c.usda', '/x y/c.usda');
      await fetch(`${server.address}/_ar/mappings/${encodeURIComponent('a b/c.usda')}`, { method: 'DELETE' });
      expect(await feed.waitFor(2)).toEqual([
        { id: 1, lines: ['a b/c.usda', '/x y/c.usda'] },
        { id: 2, lines: ['a b/c.usda', ''] },
      ]);
      await put(server.address, 'd', '/d');
      const replay = openFeed(server.address, 1);
      try {
        expect((await replay.waitFor(2)).map((event) => event.id)).toEqual([2, 3]);
      } finally {
        replay.close();
      }
    } finally {
      feed.close();
      await server.stop();
    }
  });

  test('another process writing the same file is seen at once: answers, change feed, snapshots', async () => {
    const file = path.join(folder, 'shared.db');
    const store = ['--quiet', '--store', `sqlite:${file}`];
    const server = await startServe(store);
    const feed = openFeed(server.address);
    try {
      await new Promise((done) => setTimeout(done, 200));
      // Asked first: a 404 the server keeps.
      expect((await resolveText(server.address, 'assets/a1'))[0]).toBe(404);
      const mapFile = path.join(folder, 'shared.json');
      writeFileSync(mapFile, JSON.stringify({ 'assets/a1': '/v1/a1.usda' }));
      expect((await runCli(['store', 'import', mapFile, '--store', `sqlite:${file}`])).status).toBe(0);
      // At once: no waiting for a timer.
      expect(await resolveText(server.address, 'assets/a1')).toEqual([200, '/v1/a1.usda']);
      expect(await feed.waitFor(1)).toEqual([{ id: 1, lines: ['assets/a1', '/v1/a1.usda'] }]);
      // A snapshot taken through another server on the file, then a change through it.
      const other = await startServe(store);
      try {
        const taken = (await (await fetch(`${other.address}/_ar/snapshots`, { method: 'POST' })).json()) as { id: string };
        expect((await put(other.address, 'assets/a1', '/v2/a1.usda')).status).toBe(200);
        expect(await resolveText(server.address, 'assets/a1')).toEqual([200, '/v2/a1.usda']);
        expect(await resolveText(server.address, `assets/a1?snapshot=${taken.id}`)).toEqual([200, '/v1/a1.usda']);
        expect((await feed.waitFor(2))[1]).toEqual({ id: 2, lines: ['assets/a1', '/v2/a1.usda'] });
        // With nobody asking the first server: its feed hears the write anyway (its check every 250 ms).
        expect((await fetch(`${other.address}/_ar/mappings/assets%2Fa1`, { method: 'DELETE' })).status).toBe(204);
        expect((await feed.waitFor(3))[2]).toEqual({ id: 3, lines: ['assets/a1', ''] });
      } finally {
        await other.stop();
      }
    } finally {
      feed.close();
      await server.stop();
    }
  });
});

test('ar-http store import and export: a map file into a store and back, history kept, a bad file writes nothing', async () => {
  const mapFile = path.join(folder, 'import.json');
  writeFileSync(mapFile, JSON.stringify({ chair: 'layers/chair.usda', 'a b': '/abs/a b.usda' }));
  const store = `sqlite:${path.join(folder, 'import.db')}`;
  expect(await runCli(['store', 'import', mapFile, '--store', store])).toMatchObject({
    status: 0,
    stdout: `imported 2 mappings into ${store} (2 added or changed)\n`,
  });
  // Again: nothing changes, nothing is added to the history.
  expect((await runCli(['store', 'import', mapFile, '--store', store])).stdout).toContain('(0 added or changed)');
  const exported = await runCli(['store', 'export', '--store', store]);
  expect(exported.status).toBe(0);
  expect(JSON.parse(exported.stdout)).toEqual({ 'a b': '/abs/a b.usda', chair: path.join(folder, 'layers', 'chair.usda') });

  writeFileSync(mapFile, JSON.stringify({ chair: '/new.usda', bad: 'tab\there' }));
  const refused = await runCli(['store', 'import', mapFile, '--store', store]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/^ar-http: map file .*import\.json: the entry for "bad": /);
  const out = path.join(folder, 'export.json');
  expect((await runCli(['store', 'export', '--store', store, '--out', out])).status).toBe(0);
  expect(JSON.parse(readFileSync(out, 'utf8')).chair).toBe(path.join(folder, 'layers', 'chair.usda'));

  const server = await startServe(['--quiet', '--store', store]);
  try {
    const history = (await (await fetch(`${server.address}/_ar/mappings/chair/history`)).json()) as { changes: unknown[] };
    expect(history.changes).toHaveLength(1);
  } finally {
    await server.stop();
  }
  expect(await runCli(['store', 'export'])).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: ar-http store import') });
});

test('a map file is served read-only: 405 naming the fix', async () => {
  const server = await startServe(['--quiet']);
  try {
    const refused = await put(server.address, 'id0x01', '/elsewhere.usda');
    expect(refused.status).toBe(405);
    expect(((await refused.json()) as { error: string }).error).toContain('--store sqlite:FILE');
    expect((await resolveText(server.address, 'id0x01'))[0]).toBe(200);
  } finally {
    await server.stop();
  }
});

describe('replicas on one PostgreSQL', () => {
  let postgres: TestPostgres | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(() => postgres?.stop());

  /** Two `serve` replicas on the cluster, and B's change feed open, for `body`; all stopped after. */
  async function withReplicas(body: (a: string, b: string, feed: ReturnType<typeof openFeed>) => Promise<void>): Promise<void> {
    if (postgres === undefined) return;
    const store = ['--quiet', '--store', postgres.url];
    const [a, b] = await Promise.all([startServe(store), startServe(store)]);
    const feed = openFeed(b.address);
    try {
      await new Promise((done) => setTimeout(done, 200));
      await body(a.address, b.address, feed);
    } finally {
      feed.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  }

  /**
   * What `address` answers for `assetPath` once it answers `wanted`, asked again every 10 ms for up
   * to 5 s: a replica hears another's write when PostgreSQL's notification reaches it, which on a
   * loaded machine may come after a read sent at once (the README says so).
   */
  async function answeredSoon(address: string, assetPath: string, wanted: [number, string]): Promise<[number, string]> {
    const deadline = Date.now() + 5000;
    let answer = await resolveText(address, assetPath);
    while ((answer[0] !== wanted[0] || answer[1] !== wanted[1]) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 10));
      answer = await resolveText(address, assetPath);
    }
    return answer;
  }

  test('a write through one replica is answered by the other as soon as it is notified, and its feed tells it', () =>
    withReplicas(async (a, b, feed) => {
      expect((await resolveText(b, 'chair'))[0]).toBe(404);
      for (let i = 1; i <= 20; i += 1) {
        // B has an answer kept (the previous one): the notification of A's write makes it forget it.
        expect((await put(a, 'chair', `/v${i}/chair.usda`)).status).toBe(i === 1 ? 201 : 200);
        expect(await answeredSoon(b, 'chair', [200, `/v${i}/chair.usda`])).toEqual([200, `/v${i}/chair.usda`]);
      }
      expect((await fetch(`${a}/_ar/mappings/chair`, { method: 'DELETE' })).status).toBe(204);
      expect(await answeredSoon(b, 'chair', [404, ''])).toEqual([404, '']);
      const events = await feed.waitFor(21);
      expect(events.map((event) => event.id)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(events[20].lines).toEqual(['chair', '']);
      // Both replicas tell the same history.
      const history = async (address: string) => (await fetch(`${address}/_ar/mappings/chair/history?limit=3`)).json();
      expect(await history(b)).toEqual(await history(a));
    }));

  test('a replica whose listening connection broke forgets what it kept, and its feed misses nothing', () =>
    withReplicas(async (a, b, feed) => {
      await put(a, 'lamp', '/v1/lamp.usda');
      expect(await resolveText(b, 'lamp')).toEqual([200, '/v1/lamp.usda']);
      const before = (await feed.waitFor(1)).length;
      // Every LISTEN connection breaks (both replicas'); writes go on through the pools.
      postgres!.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
      await put(a, 'lamp', '/v2/lamp.usda');
      await put(a, 'lamp', '/v3/lamp.usda');
      expect(await resolveText(b, 'lamp')).toEqual([200, '/v3/lamp.usda']);
      const events = await feed.waitFor(before + 2);
      expect(events.slice(-2).map((event) => event.lines[1])).toEqual(['/v2/lamp.usda', '/v3/lamp.usda']);
    }));
});
