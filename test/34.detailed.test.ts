import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { clearCache, resolve, resolveAsync, resolveMany } from '../lib';
import { setResolverEnv } from './helpers/env';
import { startSnapshotServer, type SnapshotServer } from './helpers/snapshotServer';

let server: SnapshotServer;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-detailed-'));
  // chair is set by change 1, table by change 2.
  server = await startSnapshotServer({
    latest: { chair: '/v2/chair.usda', table: '/v2/table.usda' },
    snapshots: { s12: { chair: '/v1/chair.usda' } },
  });
});
afterAll(async () => {
  setResolverEnv({});
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});
beforeEach(() => clearCache());

describe('{ detailed: true }: where an answer came from, and its revision', () => {
  test('the server, then the cache; the change number from the ETag and from a versioned batch', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CACHE_TTL_MS: '600000' });
    expect(resolve('chair', { detailed: true })).toEqual({ resolvedPath: '/v2/chair.usda', via: 'server', version: 1 });
    expect(resolve('chair', { detailed: true })).toEqual({ resolvedPath: '/v2/chair.usda', via: 'cache', version: 1 });
    expect(await resolveAsync('chair', { detailed: true })).toEqual({ resolvedPath: '/v2/chair.usda', via: 'cache', version: 1 });
    expect(resolve('nothing', { detailed: true })).toEqual({ resolvedPath: '', via: 'server', error: 'not-found' });
    expect(await resolveMany(['table', 'chair', 'gone'], { detailed: true })).toEqual([
      { resolvedPath: '/v2/table.usda', via: 'server', version: 2 },
      { resolvedPath: '/v2/chair.usda', via: 'cache', version: 1 },
      { resolvedPath: '', via: 'server', error: 'not-found' },
    ]);
    // Without the option, paths as ever.
    expect(resolve('chair')).toBe('/v2/chair.usda');
    expect(await resolveMany(['chair'])).toEqual(['/v2/chair.usda']);
  });

  test('the snapshot an answer is as of; the filesystem; a pin file', async () => {
    const local = path.join(folder, 'local.usda');
    writeFileSync(local, '#usda 1.0\n');
    const pins = path.join(folder, 'pins.json');
    writeFileSync(pins, JSON.stringify({ format: 'ar-http-pins', version: 1, pins: { chair: '/pinned/chair.usda' } }));
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_SNAPSHOT: 's12' });
    expect(resolve('chair', { detailed: true })).toEqual({ resolvedPath: '/v1/chair.usda', via: 'server', version: 1, snapshot: 's12' });
    expect(resolve('chair', { detailed: true })).toEqual({ resolvedPath: '/v1/chair.usda', via: 'cache', version: 1, snapshot: 's12' });
    expect(resolve(local, { detailed: true })).toEqual({ resolvedPath: local, via: 'filesystem' });
    expect(resolve('chair', { detailed: true, context: { pins } })).toEqual({ resolvedPath: '/pinned/chair.usda', via: 'pin file' });
  });

  test('a detailed that is not a boolean is refused', () => {
    expect(() => resolve('chair', { detailed: 'yes' as unknown as true })).toThrow(/detailed must be a boolean/);
  });
});
