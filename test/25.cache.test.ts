import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { clearCache, resolve, resolveAsync } from '../lib';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    '/slow': { body: '/slow.usda', delayMs: 300 },
    '/missing': { status: 404 },
    '*': { echoUrl: true },
  });
});
afterAll(async () => {
  setResolverEnv({});
  await server.close();
});

async function requestsFor(url: string): Promise<number> {
  return (await server.stats()).requests.filter((request) => request.url === url).length;
}

describe('single-flight', () => {
  test('concurrent resolves of one path make one request, even with no cache', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
    const before = await requestsFor('/slow');
    // libuv runs four resolves at once by default: all four wait on one request.
    const answers = await Promise.all([1, 2, 3, 4].map(() => resolveAsync('slow')));
    expect(answers).toEqual(Array(4).fill('/slow.usda'));
    expect((await requestsFor('/slow')) - before).toBe(1);
    // With no cache, a later resolve asks again.
    expect(resolve('slow')).toBe('/slow.usda');
    expect((await requestsFor('/slow')) - before).toBe(2);
  });
});

describe('the process-wide cache (AR_HTTP_CACHE_TTL_MS)', () => {
  test('keeps positive and negative answers until cleared', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CACHE_TTL_MS: '60000' });
    for (let i = 0; i < 5; i += 1) {
      expect(resolve('kept')).toBe('/kept');
      expect(resolve('missing')).toBe('');
    }
    expect(await requestsFor('/kept')).toBe(1);
    expect(await requestsFor('/missing')).toBe(1);
    clearCache();
    expect(resolve('kept')).toBe('/kept');
    expect(await requestsFor('/kept')).toBe(2);
  });

  // Through OpenUSD, the default resolver looks at the filesystem every time.
  test('the filesystem is always asked first: a file that appears wins at once, kept answers notwithstanding', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-cache-'));
    try {
      const file = path.join(folder, 'layer.usda');
      setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CACHE_TTL_MS: '60000' });
      const requests = async () => (await server.stats()).requests.length;
      const before = await requests();
      // Not on disk: asked of the server, which echoes the URL path; the answer is kept.
      expect(resolve(file)).toBe(`/${file}`);
      writeFileSync(file, '#usda 1.0\n');
      expect(resolve(file)).toBe(file);
      rmSync(file);
      // Gone again: the kept answer of the server, with no new request.
      expect(resolve(file)).toBe(`/${file}`);
      expect((await requests()) - before).toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('answers expire after their time to live', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CACHE_TTL_MS: '200' });
    expect(resolve('expiring')).toBe('/expiring');
    expect(resolve('expiring')).toBe('/expiring');
    expect(await requestsFor('/expiring')).toBe(1);
    await new Promise((done) => setTimeout(done, 350));
    expect(resolve('expiring')).toBe('/expiring');
    expect(await requestsFor('/expiring')).toBe(2);
  });

  test('holds at most AR_HTTP_CACHE_MAX_ENTRIES answers, the oldest going first', async () => {
    setResolverEnv({
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_CACHE_TTL_MS: '60000',
      AR_HTTP_CACHE_MAX_ENTRIES: '2',
    });
    for (const name of ['e1', 'e2', 'e3', 'e3', 'e2', 'e1']) expect(resolve(name)).toBe(`/${name}`);
    expect(await requestsFor('/e1')).toBe(2);
    expect(await requestsFor('/e2')).toBe(1);
    expect(await requestsFor('/e3')).toBe(1);
  });

  test('a server that is down is not remembered as "not found"', async () => {
    const later = await startTestServer({ '*': { echoUrl: true } });
    await later.close();
    // Without failing fast for a while, so that the next resolve asks again.
    setResolverEnv({ AR_HTTP_SERVER_URL: later.url, AR_HTTP_CACHE_TTL_MS: '60000', AR_HTTP_FAIL_FAST_MS: '0' });
    expect(resolve('asset')).toBe('');
    // The same port served again; the settings, and so the cache, stay.
    const back = await startTestServer({ '*': { echoUrl: true } }, later.port);
    try {
      expect(resolve('asset')).toBe('/asset');
    } finally {
      await back.close();
    }
  });
});
