import { setTimeout as sleep } from 'node:timers/promises';

import { resolve, resolveAsync, resolveMany } from '../lib';
import { distLib } from './helpers/cli';
import { run } from './helpers/run';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

afterAll(() => setResolverEnv({}));

async function urlsOf(server: TestServer): Promise<string[]> {
  return (await server.stats()).requests.map((request) => request.url);
}

describe('retries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      '/flaky': [{ status: 503 }, { status: 502 }, { body: '/layers/flaky.usda' }],
      '/unavailable': { status: 503 },
      '/error': { status: 500, body: 'stack trace' },
      '*': { status: 404 },
    });
  });
  afterAll(() => server.close());

  test('502/503 are asked again with backoff until the server answers', () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_RETRY_DELAY_MS: '20' });
    expect(resolve('flaky')).toBe('/layers/flaky.usda');
  });

  test('retries stop after AR_HTTP_RETRIES; a 500 or 404 is an answer and never asked again', async () => {
    setResolverEnv({
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_RETRIES: '1',
      AR_HTTP_RETRY_DELAY_MS: '20',
      AR_HTTP_FAIL_FAST_MS: '0',
    });
    const before = (await urlsOf(server)).length;
    expect(resolve('unavailable')).toBe('');
    expect(resolve('error')).toBe('');
    expect(resolve('unknown')).toBe('');
    expect((await urlsOf(server)).slice(before)).toEqual(['/unavailable', '/unavailable', '/error', '/unknown']);
  });
});

describe('failing fast', () => {
  test('after a failure, resolves answer "" at once without a request, until AR_HTTP_FAIL_FAST_MS has passed', async () => {
    const server = await startTestServer({ '/broken': { status: 503 }, '*': { echoUrl: true } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_RETRIES: '0', AR_HTTP_FAIL_FAST_MS: '1500' });
      expect(resolve('broken')).toBe('');
      const start = Date.now();
      const ids = Array.from({ length: 200 }, (_, i) => `asset${i}`);
      expect(await Promise.all(ids.map((id) => resolveAsync(id)))).toEqual(ids.map(() => ''));
      expect(Date.now() - start).toBeLessThan(1000);
      expect(await urlsOf(server)).toEqual(['/broken']);
      await sleep(1600);
      expect(resolve('asset0')).toBe('/asset0');
    } finally {
      await server.close();
    }
  });

  test('a server that accepts and never answers stalls nothing: 100 resolves end in about one timeout', async () => {
    const server = await startTestServer({ '*': { hang: true } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_TIMEOUT_MS: '500' });
      const start = Date.now();
      const ids = Array.from({ length: 100 }, (_, i) => `asset${i}`);
      expect(await Promise.all(ids.map((id) => resolveAsync(id)))).toEqual(ids.map(() => ''));
      // One connection each asked, then every other resolve failed fast:
      // without that, 100 / 8 connections x 500 ms would be 6 s or more.
      expect(Date.now() - start).toBeLessThan(3000);
      expect((await urlsOf(server)).length).toBeLessThanOrEqual(16);
    } finally {
      await server.close();
    }
  });

  test('a server that is down, then back on its port: resolves succeed again', async () => {
    const gone = await startTestServer({});
    await gone.close();
    setResolverEnv({ AR_HTTP_SERVER_URL: gone.url, AR_HTTP_RETRY_DELAY_MS: '20', AR_HTTP_FAIL_FAST_MS: '500' });
    const start = Date.now();
    expect(await resolveMany(['a', 'b', 'c'])).toEqual(['', '', '']);
    expect(resolve('a')).toBe('');
    expect(Date.now() - start).toBeLessThan(2000);
    const back = await startTestServer({ '*': { echoUrl: true } }, gone.port);
    try {
      await sleep(600);
      expect(resolve('a')).toBe('/a');
      expect(await resolveMany(['b', 'c'])).toEqual(['/b', '/c']);
    } finally {
      await back.close();
    }
  });

  test('one warning when the server fails, one when it answers again', async () => {
    const server = await startTestServer({ '/bad': { status: 503 }, '*': { echoUrl: true } });
    try {
      const script = `const { resolve } = require(${JSON.stringify(distLib)});
        process.stdout.write(['bad', 'bad', 'a', 'b'].map((id) => resolve(id)).join(','));`;
      const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
        AR_HTTP_SERVER_URL: server.url,
        AR_HTTP_RETRIES: '0',
        AR_HTTP_FAIL_FAST_MS: '0',
      });
      expect(status).toBe(0);
      expect(stdout).toBe(',,/a,/b');
      expect(stderr.match(/the resolution server at \S+ failed \(answered 503 for \S+\/bad\)/g)).toHaveLength(1);
      expect(stderr.match(/the resolution server at \S+ answers again/g)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('redirects', () => {
  let target: TestServer;
  let server: TestServer;
  beforeAll(async () => {
    target = await startTestServer({ '*': { echoUrl: true } });
    server = await startTestServer({
      '/moved': { status: 301, headers: { location: '/layers/moved' } },
      '/layers/moved': { echoUrl: true },
      '/hop1': { status: 302, headers: { location: '/hop2' } },
      '/hop2': { status: 307, headers: { location: '/hop3' } },
      '/hop3': { body: '/layers/hop3.usda' },
      '/loop': { status: 302, headers: { location: '/loop' } },
      '/elsewhere': { status: 307, headers: { location: '/other/place' } },
      '/no-location': { status: 302 },
      '/_ar/resolve': { status: 302, headers: { location: '/_ar/elsewhere' } },
      '*': { status: 404 },
    });
  });
  afterAll(async () => {
    await server.close();
    await target.close();
  });

  test('redirects on the same server are followed', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
    expect(resolve('moved')).toBe('/layers/moved');
    expect(resolve('hop1')).toBe('/layers/hop3.usda');
  });

  test('a redirect loop ends after AR_HTTP_MAX_REDIRECTS; 0 follows none', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_MAX_REDIRECTS: '3' });
    const before = (await urlsOf(server)).length;
    expect(resolve('loop')).toBe('');
    expect((await urlsOf(server)).slice(before)).toEqual(['/loop', '/loop', '/loop', '/loop']);
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_MAX_REDIRECTS: '0' });
    expect(resolve('moved')).toBe('');
    expect(resolve('no-location')).toBe('');
  });

  test('a redirect to another server is followed without the credentials: credential-like names and AR_HTTP_SECRET_HEADERS', async () => {
    const relay = await startTestServer({ '/away': { status: 307, headers: { location: `${target.url}/there` } } });
    try {
      setResolverEnv({
        AR_HTTP_SERVER_URL: relay.url,
        AR_HTTP_HEADER_Authorization: 'Bearer for-the-relay-only',
        AR_HTTP_HEADER_X_Api_Key: 'key-for-the-relay-only',
        AR_HTTP_HEADER_X_Upload_Signature: 'sig-for-the-relay-only',
        AR_HTTP_HEADER_X_Tenant: 'tenant-for-the-relay-only',
        AR_HTTP_SECRET_HEADERS: 'X-Tenant',
        AR_HTTP_HEADER_X_Trace: 't-1',
      });
      expect(resolve('away')).toBe('/there');
      const { requests } = await target.stats();
      const last = requests[requests.length - 1];
      expect(last.url).toBe('/there');
      expect(last.headers['x-trace']).toBe('t-1');
      for (const secret of ['authorization', 'x-api-key', 'x-upload-signature', 'x-tenant']) {
        expect(last.headers[secret]).toBeUndefined();
      }
      expect((await relay.stats()).requests[0].headers).toMatchObject({
        authorization: 'Bearer for-the-relay-only',
        'x-api-key': 'key-for-the-relay-only',
        'x-upload-signature': 'sig-for-the-relay-only',
        'x-tenant': 'tenant-for-the-relay-only',
      });
    } finally {
      await relay.close();
    }
  });

  test.each([
    ['an ftp URL', 'ftp://127.0.0.1/x'],
    ['a scheme-relative URL', '//evil.example/x'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'other/place'],
    ['credentials', 'http://user:pass@127.0.0.1:1/x'],
  ])('a Location with %s is not followed', async (_, location) => {
    const hostile = await startTestServer({ '*': { status: 302, headers: { location } } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: hostile.url });
      expect(resolve('asset')).toBe('');
      expect((await hostile.stats()).requests).toHaveLength(1);
    } finally {
      await hostile.close();
    }
  });

  test('a batch POST redirected by 302 (which would lose its body) falls back to one GET per path', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
    const before = (await urlsOf(server)).length;
    expect(await resolveMany(['moved', 'hop3'])).toEqual(['/layers/moved', '/layers/hop3.usda']);
    const urls = (await urlsOf(server)).slice(before);
    expect(urls[0]).toBe('/_ar/resolve');
    expect(urls.filter((url) => url !== '/_ar/resolve').sort()).toEqual(['/hop3', '/layers/moved', '/moved']);
  });
});
