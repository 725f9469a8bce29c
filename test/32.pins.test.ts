import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { clearCache, resolve, resolveMany } from '../lib';
import { distLib } from './helpers/cli';
import { setResolverEnv } from './helpers/env';
import { run } from './helpers/run';
import { startSnapshotServer, type SnapshotServer } from './helpers/snapshotServer';
import { stderrLines } from './helpers/warnings';

let server: SnapshotServer;
let folder: string;

function pinFile(name: string, pins: Record<string, string | null>, extra: Record<string, unknown> = {}): string {
  const file = path.join(folder, name);
  const sorted = Object.fromEntries(Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(file, JSON.stringify({
    format: 'ar-http-pins', version: 1, server: server.url, snapshot: 's12', created: '2026-12-02T04:00:00.000Z', pins: sorted, ...extra,
  }, null, 2));
  return file;
}

/** Resolves `ids` one by one and all at once in a child process; its answers and its stderr lines. */
async function resolveInChild(ids: string[], env: Record<string, string>): Promise<{ answers: string[]; warnings: string[] }> {
  const script = `
    const { resolve, resolveMany } = require(${JSON.stringify(distLib)});
    const one = ${JSON.stringify(ids)}.map((id) => resolve(id));
    resolveMany(${JSON.stringify(ids)}).then((many) => console.log(JSON.stringify([...one, ...many])));
  `;
  const { status, stdout, stderr } = await run(process.execPath, ['-e', script], { AR_HTTP_SERVER_URL: server.url, ...env });
  expect(status).toBe(0);
  return { answers: JSON.parse(stdout) as string[], warnings: stderrLines(stderr) };
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-pins-'));
  server = await startSnapshotServer({
    latest: { chair: '/latest/chair.usda', table: '/latest/table.usda', lamp: '/latest/lamp.usda', extra: '/latest/extra.usda' },
    snapshots: { s12: { chair: '/s12/chair.usda', extra: '/s12/extra.usda' } },
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

describe('pin files', () => {
  test('AR_HTTP_PIN_FILE answers, and the server is never contacted, not even by a connection', async () => {
    const file = pinFile('pins.json', { chair: '/pinned/chair.usda', gone: null, 'x y/é': '/pinned/x y é.usda' });
    const before = (await server.stats()).connections;
    expect(setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_PIN_FILE: file }).pinFile).toBe(file);
    expect(resolve('chair')).toBe('/pinned/chair.usda');
    expect(resolve('gone')).toBe('');
    expect(resolve('x y/é')).toBe('/pinned/x y é.usda');
    expect(await resolveMany(['chair', 'gone', 'x y/é'])).toEqual(['/pinned/chair.usda', '', '/pinned/x y é.usda']);
    const stats = await server.stats();
    expect(stats.requests).toEqual([]);
    expect(stats.connections).toBe(before);
  });

  test('{ pins } in a context and ;pins= answer from the file; other contexts still ask the server', async () => {
    const file = pinFile('context.json', { chair: '/pinned/chair.usda' });
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
    expect(resolve('chair', { context: { pins: file } })).toBe('/pinned/chair.usda');
    expect(await resolveMany(['chair', 'table'], { context: { pins: file } })).toEqual(['/pinned/chair.usda', '']);
    expect((await server.stats()).requests).toEqual([]);
    expect(resolve('chair')).toBe('/latest/chair.usda');
  });

  test('an asset path missing from the pin file: unresolved, one warning naming it and the file, no request', async () => {
    const file = pinFile('missing.json', { chair: '/pinned/chair.usda' });
    const { answers, warnings } = await resolveInChild(['chair', 'table', 'table', 'lamp'], { AR_HTTP_PIN_FILE: file });
    expect(answers).toEqual(['/pinned/chair.usda', '', '', '', '/pinned/chair.usda', '', '', '']);
    expect(warnings.map((line) => line.slice(line.indexOf('the asset path')))).toEqual([
      `the asset path "table" is not in the pin file "${file}": it stays unresolved`,
      `the asset path "lamp" is not in the pin file "${file}": it stays unresolved`,
    ]);
    const stats = await server.stats();
    expect(stats.requests).toEqual([]);
  });

  test('TF_DEBUG=AR_HTTP names the way: pin file', async () => {
    const file = pinFile('debug.json', { chair: '/pinned/chair.usda', gone: null });
    const { answers, warnings } = await resolveInChild(['chair', 'gone'], { AR_HTTP_PIN_FILE: file, TF_DEBUG: 'AR_HTTP' });
    expect(answers).toEqual(['/pinned/chair.usda', '', '/pinned/chair.usda', '']);
    expect(warnings).toContain('ar-http: "chair" -> "/pinned/chair.usda" (pin file)');
    expect(warnings).toContain('ar-http: "gone" -> not found (pin file)');
    expect((await server.stats()).requests).toEqual([]);
  });

  test('AR_HTTP_PIN_FALLBACK=server asks the server only what the pins lack, as of the pins\' snapshot', async () => {
    const file = pinFile('fallback.json', { chair: '/pinned/chair.usda', gone: null });
    const { answers } = await resolveInChild(['chair', 'extra', 'gone', 'lamp'], {
      AR_HTTP_PIN_FILE: file,
      AR_HTTP_PIN_FALLBACK: 'server',
    });
    expect(answers).toEqual(['/pinned/chair.usda', '/s12/extra.usda', '', '', '/pinned/chair.usda', '/s12/extra.usda', '', '']);
    const { requests } = await server.stats();
    expect(requests.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual([
      'GET /extra?snapshot=s12 ',
      'GET /lamp?snapshot=s12 ',
      'POST /_ar/resolve?snapshot=s12 extra\nlamp\n',
    ]);
  });

  describe('a hostile pin file: one warning naming the file and the problem, no live answer, no connection', () => {
    const cases: [string, () => string, RegExp][] = [
      ['truncated', () => {
        const file = pinFile('truncated.json', { chair: '/pinned/chair.usda' });
        const text = JSON.stringify({ format: 'ar-http-pins', version: 1, pins: { chair: '/pinned/chair.usda' } });
        writeFileSync(file, text.slice(0, text.length - 5));
        return file;
      }, /is refused: .*the file ends early/],
      ['not JSON', () => {
        const file = path.join(folder, 'notjson.json');
        writeFileSync(file, 'chair=/pinned/chair.usda\n');
        return file;
      }, /is not JSON/],
      ['1 GB (sparse)', () => {
        const file = path.join(folder, 'huge.json');
        const fd = openSync(file, 'w');
        closeSync(fd);
        require('node:fs').truncateSync(file, 1024 ** 3);
        return file;
      }, /is larger than 512 MiB/],
      ['another version', () => pinFile('v2.json', { chair: '/pinned/chair.usda' }, { version: 2 }), /has format version 2, which this ar-http does not read/],
      ['another format', () => pinFile('other.json', { chair: '/pinned/chair.usda' }, { format: 'ayon-pins' }), /is not a pin file/],
      ['control characters', () => pinFile('control.json', { chair: '/pinned/\u001b[2Jchair.usda' }), /the resolved path of "chair" holds a line break, NUL or control character/],
      ['duplicate keys', () => {
        const file = path.join(folder, 'duplicate.json');
        writeFileSync(file, '{"format": "ar-http-pins", "version": 1, "pins": {"chair": "/a.usda", "chair": "/b.usda"}}');
        return file;
      }, /the key "chair" is in "pins" twice/],
      ['a number for a path', () => {
        const file = path.join(folder, 'number.json');
        writeFileSync(file, '{"format": "ar-http-pins", "version": 1, "pins": {"chair": 12}}');
        return file;
      }, /neither a string nor null/],
      ['deep nesting', () => {
        const file = path.join(folder, 'deep.json');
        writeFileSync(file, `{"x": ${'['.repeat(1000000)}${']'.repeat(1000000)}, "format": "ar-http-pins", "version": 1, "pins": {}}`);
        return file;
      }, /nested more than 64 deep/],
      ['missing', () => path.join(folder, 'does-not-exist.json'), /cannot be read/],
    ];
    test.each(cases)('%s', async (_name, make, problem) => {
      const file = make();
      const { answers, warnings } = await resolveInChild(['chair', 'table'], { AR_HTTP_PIN_FILE: file, AR_HTTP_PIN_FALLBACK: 'server' });
      expect(answers).toEqual(['', '', '', '']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`the pin file "${file}" `);
      expect(warnings[0]).toMatch(problem);
      expect(warnings[0]).toMatch(/every asset resolved through it stays unresolved$/);
      expect(warnings[0].length).toBeLessThan(600);
      const stats = await server.stats();
      expect(stats.requests).toEqual([]);
    });
  });
});
