import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type Change, ErrorCodes, type MappingStore, MemoryStore, openStore } from '../lib';
import { startPostgres, type TestPostgres } from './helpers/postgres';

let folder: string;
let postgres: TestPostgres | undefined;
let databases = 0;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-stores-'));
  postgres = await startPostgres();
}, 120_000);
afterAll(() => {
  postgres?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** A new, empty store of each kind; PostgreSQL gets a database of its own per store. */
const kinds: [string, () => Promise<MappingStore | undefined>][] = [
  ['memory', async () => new MemoryStore(new Map())],
  ['SQLite', async () => openStore(`sqlite:${path.join(folder, `store-${Math.random().toString(36).slice(2)}.db`)}`)],
  [
    'PostgreSQL',
    async () => {
      if (postgres === undefined) return undefined;
      const name = `stores_${(databases += 1)}`;
      postgres.sql(`CREATE DATABASE ${name}`);
      return openStore(postgres.url.replace(/\/postgres$/, `/${name}`));
    },
  ],
];

const precondition = expect.objectContaining({ code: ErrorCodes.PRECONDITION_FAILED });

describe.each(kinds)('the %s store', (kind, make) => {
  let store: MappingStore;
  let heard: Change[];
  let stopListening: () => void;

  beforeEach(async () => {
    const made = await make();
    if (made === undefined) return;
    store = made;
    heard = [];
    stopListening = store.subscribe({ change: (change) => heard.push(change) });
  });
  afterEach(async () => {
    stopListening?.();
    await store?.close();
  });
  // PostgreSQL's tests run only when it is installed (startPostgres says so once, loudly).
  const it = (name: string, body: () => Promise<void>): void =>
    test(name, async () => {
      if (kind === 'PostgreSQL' && postgres === undefined) return;
      await body();
    });

  it('adds, replaces and removes, each write with a new ETag', async () => {
    const added = await store.put('chair', '/v1/chair.usda');
    expect(added).toEqual({ created: true, mapping: { assetPath: 'chair', resolvedPath: '/v1/chair.usda', etag: '"1"', updatedAt: expect.any(String) } });
    const replaced = await store.put('chair', '/v2/chair.usda');
    expect(replaced.created).toBe(false);
    expect(replaced.mapping.etag).toBe('"2"');
    expect(await store.get('chair')).toEqual(replaced.mapping);
    expect(await store.resolve('chair')).toBe('/v2/chair.usda');
    await store.put('table', '/v1/table.usda');
    expect((await store.list()).map((mapping) => mapping.assetPath).sort()).toEqual(['chair', 'table']);
    expect(await store.remove('chair')).toBe(true);
    expect(await store.remove('chair')).toBe(false);
    expect(await store.get('chair')).toBeUndefined();
    expect(await store.resolve('chair')).toBeUndefined();
  });

  it('keeps every change: history newest first, paged, nothing overwritten lost', async () => {
    await store.put('chair', '/v1');
    await store.put('other', '/o');
    await store.put('chair', '/v2');
    await store.remove('chair');
    await store.put('chair', '/v3');
    const history = await store.history('chair');
    expect(history.map(({ oldResolvedPath, newResolvedPath }) => [oldResolvedPath, newResolvedPath])).toEqual([
      [null, '/v3'],
      ['/v2', null],
      ['/v1', '/v2'],
      [null, '/v1'],
    ]);
    expect(history.map((change) => change.id)).toEqual([5, 4, 3, 1]);
    expect(Date.parse(history[0].at)).toBeGreaterThan(Date.now() - 60_000);
    const page = await store.history('chair', { limit: 2, before: 4 });
    expect(page.map((change) => change.id)).toEqual([3, 1]);
    expect(await store.lastChangeId()).toBe(5);
    expect((await store.changesAfter(3, 10)).map((change) => change.id)).toEqual([4, 5]);
  });

  it('If-Match and If-None-Match: * decide conditional writes', async () => {
    await expect(store.put('chair', '/v1', { ifMatch: '*' })).rejects.toEqual(precondition);
    const created = await store.put('chair', '/v1', { ifNoneMatch: '*' });
    await expect(store.put('chair', '/again', { ifNoneMatch: '*' })).rejects.toEqual(precondition);
    await expect(store.put('chair', '/v2', { ifMatch: ['"999"'] })).rejects.toEqual(precondition);
    const replaced = await store.put('chair', '/v2', { ifMatch: ['"999"', created.mapping.etag] });
    // The first ETag is stale now: a lost update is refused.
    await expect(store.put('chair', '/v3', { ifMatch: [created.mapping.etag] })).rejects.toEqual(precondition);
    await expect(store.remove('chair', { ifMatch: [created.mapping.etag] })).rejects.toEqual(precondition);
    expect(await store.resolve('chair')).toBe('/v2');
    expect(await store.remove('chair', { ifMatch: [replaced.mapping.etag] })).toBe(true);
    // Refused writes leave no history.
    expect((await store.history('chair')).length).toBe(3);
  });

  it('of concurrent writes holding the same ETag, exactly one wins', async () => {
    const { mapping } = await store.put('chair', '/v0');
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.put('chair', `/v${i + 1}`, { ifMatch: [mapping.etag] })),
    );
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.status === 'rejected').map((attempt) => (attempt as PromiseRejectedResult).reason)).toEqual(
      Array(19).fill(precondition),
    );
  });

  it('listeners hear each change once, in order', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.put(`asset${i % 3}`, `/p${i}`)));
    await store.remove('asset0');
    expect(heard.map((change) => change.id)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(heard[30]).toMatchObject({ assetPath: 'asset0', newResolvedPath: null });
  });

  it('snapshots name a change, and answers as of one never move', async () => {
    await store.put('chair', '/v1/chair.usda');
    await store.put('table', '/v1/table.usda');
    const before = await store.createSnapshot();
    const taken = await store.createSnapshot('shot010 submit');
    expect(before).toEqual({ id: expect.stringMatching(/^[0-9]+$/), change: 2, label: null, created: expect.any(String) });
    expect(taken).toEqual({ id: expect.stringMatching(/^[0-9]+$/), change: 2, label: 'shot010 submit', created: expect.any(String) });
    expect(taken.id).not.toBe(before.id);
    await store.put('chair', '/v2/chair.usda');
    await store.remove('table');
    await store.put('lamp', '/v1/lamp.usda');
    await store.put('chair', '/v3/chair.usda');
    expect(await store.resolveAsOf('chair', taken.change)).toEqual({ resolvedPath: '/v1/chair.usda', version: 1 });
    expect(await store.resolveAsOf('table', taken.change)).toEqual({ resolvedPath: '/v1/table.usda', version: 2 });
    expect(await store.resolveAsOf('lamp', taken.change)).toBeUndefined();
    expect(await store.resolveAsOf('never', taken.change)).toBeUndefined();
    // Right after each change, as the latest resolution answered then.
    expect(await store.resolveAsOf('chair', 0)).toBeUndefined();
    expect(await store.resolveAsOf('chair', 3)).toEqual({ resolvedPath: '/v2/chair.usda', version: 3 });
    expect(await store.resolveAsOf('table', 4)).toBeUndefined();
    expect(await store.resolveAsOf('chair', 6)).toEqual({ resolvedPath: '/v3/chair.usda', version: 6 });
    expect(await store.resolveVersioned('chair')).toEqual({ resolvedPath: '/v3/chair.usda', version: 6 });
    expect(await store.resolveVersioned('table')).toBeUndefined();
    expect(await store.listSnapshots()).toEqual([before, taken]);
    expect(await store.getSnapshot(taken.id)).toEqual(taken);
    for (const unknown of ['999', '0', 'abc', '01']) expect(await store.getSnapshot(unknown)).toBeUndefined();
  });
});

describe('opening stores', () => {
  test.each([
    ['an unknown form', 'mysql://x', /unknown store "mysql:\/\/x": give sqlite:FILE, postgres:\/\/user@host\/db or json:FILE/],
    ['sqlite: without a file', 'sqlite:', /sqlite: needs a file/],
    ['a SQLite file in a missing folder', 'sqlite:/nonexistent/folder/x.db', /sqlite:\/nonexistent\/folder\/x\.db: /],
    ['an unreachable PostgreSQL, its password never shown', 'postgres://me:secret@127.0.0.1:1/db', /^ar-http: postgres:\/\/me@127\.0\.0\.1:1\/db: /],
  ])('%s: ERR_AR_HTTP_BAD_STORE naming it', async (_, spec, message) => {
    const error = await openStore(spec).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: ErrorCodes.BAD_STORE, message: expect.stringMatching(message) });
    expect((error as Error).message).not.toContain('secret');
  });

  test('a JSON map file is a read-only store', async () => {
    const file = path.join(folder, 'map.json');
    writeFileSync(file, JSON.stringify({ chair: 'layers/chair.usda' }));
    const store = await openStore(`json:${file}`);
    expect(store.resolve('chair')).toBe(path.join(folder, 'layers', 'chair.usda'));
    await expect(store.put('x', '/x')).rejects.toMatchObject({ code: ErrorCodes.STORE_READ_ONLY, message: expect.stringContaining('--store sqlite:FILE') });
    await expect(store.remove('chair')).rejects.toMatchObject({ code: ErrorCodes.STORE_READ_ONLY });
  });

  test("a JSON map file is one change: its one snapshot is named by its content, the same after a restart", async () => {
    const file = path.join(folder, 'snapshot.json');
    writeFileSync(file, JSON.stringify({ chair: '/chair.usda' }));
    const store = await openStore(`json:${file}`);
    const snapshot = await store.createSnapshot('ignored');
    expect(snapshot).toEqual({ id: expect.stringMatching(/^map-[0-9a-f]{20}$/), change: 0, label: null, created: expect.any(String) });
    expect(await store.createSnapshot()).toEqual(snapshot);
    expect(await store.listSnapshots()).toEqual([snapshot]);
    expect(await store.resolveAsOf('chair', snapshot.change)).toEqual({ resolvedPath: '/chair.usda', version: 0 });
    expect(await store.resolveVersioned('chair')).toEqual({ resolvedPath: '/chair.usda', version: 0 });
    const again = await openStore(`json:${file}`);
    expect((await again.getSnapshot(snapshot.id))?.id).toBe(snapshot.id);
    writeFileSync(file, JSON.stringify({ chair: '/other.usda' }));
    const changed = await openStore(`json:${file}`);
    expect(await changed.getSnapshot(snapshot.id)).toBeUndefined();
    expect((await changed.createSnapshot()).id).not.toBe(snapshot.id);
  });
});
