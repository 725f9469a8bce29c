import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { clearCache, resolve, resolveMany } from '../lib';
import { distLib } from './helpers/cli';
import { setResolverEnv } from './helpers/env';
import { run } from './helpers/run';
import { otherLines, warningsFrom } from './helpers/warnings';
import { startSnapshotServer, type SnapshotServer } from './helpers/snapshotServer';

let server: SnapshotServer;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-map-'));
  server = await startSnapshotServer({
    latest: { chair: '/mnt/shows/chair.usda', table: '/mnt/showsX/table.usda', lamp: '/mnt/shows', win: 'S:\\shows\\lamp.usda' },
    snapshots: { s12: { chair: '/mnt/shows/v1/chair.usda' } },
  });
});
afterAll(async () => {
  setResolverEnv({});
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});
beforeEach(async () => {
  await server.reset();
  clearCache();
});

const map = '/mnt=/M;/mnt/shows=/Volumes/shows;S:\\shows=/Volumes/shows';

describe('AR_HTTP_PATH_MAP', () => {
  test('the longest prefix wins, at a path-segment boundary, on GET and batch answers', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_PATH_MAP: map });
    expect(resolve('chair')).toBe('/Volumes/shows/chair.usda');
    expect(resolve('table')).toBe('/M/showsX/table.usda');
    expect(resolve('lamp')).toBe('/Volumes/shows');
    expect(resolve('win')).toBe('/Volumes/shows\\lamp.usda');
    expect(await resolveMany(['chair', 'table', 'nothing'])).toEqual(['/Volumes/shows/chair.usda', '/M/showsX/table.usda', '']);
  });

  test('applied once to kept answers (the caches keep raw ones), to snapshot answers and to pin files', async () => {
    const pins = path.join(folder, 'pins.json');
    writeFileSync(pins, JSON.stringify({ format: 'ar-http-pins', version: 1, pins: { chair: '/mnt/shows/pinned.usda' } }));
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_PATH_MAP: '/mnt/shows=/mnt/shows/again', AR_HTTP_CACHE_TTL_MS: '600000' });
    for (let i = 0; i < 3; i += 1) expect(resolve('chair')).toBe('/mnt/shows/again/chair.usda');
    expect(await resolveMany(['chair', 'table'])).toEqual(['/mnt/shows/again/chair.usda', '/mnt/showsX/table.usda']);
    expect(resolve('chair', { context: { snapshot: 's12' } })).toBe('/mnt/shows/again/v1/chair.usda');
    expect(resolve('chair', { context: { snapshot: 's12' } })).toBe('/mnt/shows/again/v1/chair.usda');
    expect(resolve('chair', { context: { pins } })).toBe('/mnt/shows/again/pinned.usda');
    expect((await server.stats()).requests.map((request) => request.url)).toEqual(['/chair', '/table', '/chair?snapshot=s12']);
  });

  test('never applied to what the filesystem found', () => {
    const file = path.join(folder, 'local.usda');
    writeFileSync(file, '#usda 1.0\n');
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_PATH_MAP: `${folder}=/elsewhere` });
    expect(resolve(file)).toBe(file);
  });

  test('TF_DEBUG=AR_HTTP shows the answer before and after', async () => {
    const script = `
      const { resolve } = require(${JSON.stringify(distLib)});
      console.log(JSON.stringify([resolve('chair'), resolve('nothing')]));
    `;
    const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
      AR_HTTP_SERVER_URL: server.url, AR_HTTP_PATH_MAP: map, TF_DEBUG: 'AR_HTTP',
    });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['/Volumes/shows/chair.usda', '']);
    expect(stderr).toContain('ar-http: "chair" -> "/mnt/shows/chair.usda" (GET), change 1, mapped by AR_HTTP_PATH_MAP to "/Volumes/shows/chair.usda"');
    expect(stderr).toContain('ar-http: "nothing" -> not found (GET)');
  });

  test.each([
    ['no =', '/mnt', "without '='"],
    ['a control character', '/mnt\u001b[2J=/M', 'holds a control character'],
    ['a duplicate', '/mnt=/a;/mnt=/b', 'maps "/mnt" twice'],
    ['an empty side', '/mnt=', 'with an empty side'],
  ])('a hostile map (%s): one clear warning, no crash, no live answer, no connection', async (_name, value, why) => {
    const before = (await server.stats()).connections;
    const script = `
      const { resolve, resolveMany } = require(${JSON.stringify(distLib)});
      const one = resolve('chair');
      resolveMany(['chair', 'table']).then((many) => console.log(JSON.stringify([one, ...many])));
    `;
    const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
      AR_HTTP_SERVER_URL: server.url, AR_HTTP_PATH_MAP: value,
    });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['', '', '']);
    // One warning (the USD plugin says it too, for each engine it makes, in TfWarn's words), and nothing else.
    const warnings = new Set(warningsFrom(stderr, 'AR_HTTP_PATH_MAP'));
    expect(warnings.size).toBe(1);
    const [warning] = warnings;
    expect(warning).toContain(why);
    expect(warning).toContain('nothing resolves through the server or a pin file');
    expect(otherLines(stderr, 'AR_HTTP_PATH_MAP')).toEqual([]);
    const stats = await server.stats();
    expect(stats.requests).toEqual([]);
    expect(stats.connections).toBe(before);
  });
});
