import path from 'node:path';

import { resolve, resolveAsync, resolveMany } from '../lib';
import { distLib, runCli } from './helpers/cli';
import { run } from './helpers/run';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    '/id0x01': { body: '/layers/layer1.usda' },
    '/padded': { body: '  \t/layers/padded.usda \r\n' },
    '/empty': { body: '' },
    '/blank': { body: ' \n\t ' },
    '/inner-newline': { body: '/a.usda\n/b.usda' },
    '/inner-nul': { body: '/a.usda\u0000.txt' },
    '/oversized': { body: 'x', repeat: 1024 * 1024 },
    '/utf8': { body: '/layers/été.usda' },
    '/slow': { body: '/layers/slow.usda', delayMs: 3000 },
    '/hang': { hang: true },
    '/drop': { destroy: true },
    '*': { status: 404 },
  });
});

afterAll(async () => {
  setResolverEnv({});
  await server.close();
});

async function requestsSince(count: number): Promise<string[]> {
  const { requests } = await server.stats();
  return requests.slice(count).map((request) => request.url);
}

async function requestCount(): Promise<number> {
  return (await server.stats()).requests.length;
}

describe('the protocol against a real server', () => {
  // A dropped connection below would otherwise make the next resolves fail fast.
  beforeAll(() => setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_FAIL_FAST_MS: '0' }));

  test('200 answers the body as the resolved path, synchronously and asynchronously', async () => {
    expect(resolve('id0x01')).toBe('/layers/layer1.usda');
    await expect(resolveAsync('id0x01')).resolves.toBe('/layers/layer1.usda');
    expect(resolve('utf8')).toBe('/layers/été.usda');
  });

  test('surrounding whitespace of the body is trimmed', () => {
    expect(resolve('padded')).toBe('/layers/padded.usda');
  });

  test.each(['empty', 'blank', 'inner-newline', 'inner-nul', 'oversized'])(
    'a 200 with a %s body is refused',
    async (name) => {
      expect(resolve(name)).toBe('');
      await expect(resolveAsync(name)).resolves.toBe('');
    },
  );

  test('unknown paths give the empty path', () => {
    expect(resolve('id0xThisIsUnknown')).toBe('');
  });

  test('the server closing the connection without an answer gives the empty path', () => {
    expect(resolve('drop')).toBe('');
  });

  test('the request is a GET of the format around the percent-encoded path', async () => {
    const before = await requestCount();
    resolve('models/3a20efb0-76fa-4a76-8e49-24c46ecfd87c');
    resolve('with space#hash?query%percent');
    resolve('été/ü.usda');
    resolve('a+b=c&d;e,f@g:h!i$j\'k(l)m*n~o_p.q');
    const { requests } = await server.stats();
    expect(requests.slice(before).map((r) => [r.method, r.url])).toEqual([
      ['GET', '/models/3a20efb0-76fa-4a76-8e49-24c46ecfd87c'],
      ['GET', '/with%20space%23hash%3Fquery%25percent'],
      ['GET', '/%C3%A9t%C3%A9/%C3%BC.usda'],
      ['GET', '/a%2Bb%3Dc%26d%3Be%2Cf%40g%3Ah%21i%24j%27k%28l%29m%2An~o_p.q'],
    ]);
  });
});

describe('every non-200 status is "not found"', () => {
  let statusServer: TestServer;
  const statuses = [201, 204, 301, 302, 304, 400, 401, 403, 404, 410, 418, 500, 502, 503];

  beforeAll(async () => {
    statusServer = await startTestServer(
      Object.fromEntries(
        statuses.map((status) => [`/s${status}`, { status, body: '/should/not/be/used.usda' }]),
      ),
    );
    setResolverEnv({ AR_HTTP_SERVER_URL: statusServer.url });
  });
  afterAll(() => statusServer.close());

  test.each(statuses)('status %i', async (status) => {
    expect(resolve(`s${status}`)).toBe('');
    await expect(resolveAsync(`s${status}`)).resolves.toBe('');
  });

  test.each([204, 404, 410])('status %i is an answer: no warning', async (status) => {
    const { stderr } = await runCli(['resolve', `s${status}`], { AR_HTTP_SERVER_URL: statusServer.url });
    expect(stderr).toBe(`ar-http: unresolved: s${status}\n`);
  });
});

describe('path format and base path', () => {
  test('the format wraps the encoded path and the base path of the URL comes first', async () => {
    setResolverEnv({
      AR_HTTP_SERVER_URL: `${server.url}/api/`,
      AR_HTTP_PATH_FORMAT: '/v1/%s/resolve',
    });
    const before = await requestCount();
    expect(resolve('my asset')).toBe('');
    expect(await requestsSince(before)).toEqual(['/api/v1/my%20asset/resolve']);
  });

  test('a refused format falls back to /%s', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_PATH_FORMAT: '/%s%s' });
    const before = await requestCount();
    expect(resolve('id0x01')).toBe('/layers/layer1.usda');
    expect(await requestsSince(before)).toEqual(['/id0x01']);
  });
});

describe('headers', () => {
  test('AR_HTTP_HEADER_* are sent; injected ones never are', async () => {
    setResolverEnv({
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_HEADER_Authorization: 'Bearer abc',
      AR_HTTP_HEADER_X_Api_Key: 'key-1',
      AR_HTTP_HEADER_X_Evil: 'ok\r\nX-Injected: yes',
    });
    const before = await requestCount();
    resolve('id0x01');
    const { requests } = await server.stats();
    const [request] = requests.slice(before);
    expect(request.headers).toMatchObject({ authorization: 'Bearer abc', 'x-api-key': 'key-1' });
    expect(request.headers).not.toHaveProperty('x-evil');
    expect(request.headers).not.toHaveProperty('x-injected');
  });
});

describe('connections', () => {
  test('sequential resolves reuse one keep-alive connection', async () => {
    const own = await startTestServer({ '*': { echoUrl: true } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: own.url });
      for (let i = 0; i < 50; i += 1) expect(resolve(`asset${i}`)).toBe(`/asset${i}`);
      for (let i = 0; i < 20; i += 1) await expect(resolveAsync(`async${i}`)).resolves.toBe(`/async${i}`);
      const { requests, connections } = await own.stats();
      expect(requests).toHaveLength(70);
      expect(connections).toBe(1);
    } finally {
      await own.close();
    }
  });

  test('a keep-alive connection the server closed is replaced without losing the resolve', async () => {
    const own = await startTestServer({ '*': { echoUrl: true, closeAfterMs: 50 } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: own.url });
      expect(resolve('first')).toBe('/first');
      await new Promise((done) => setTimeout(done, 300));
      expect(resolve('second')).toBe('/second');
      expect((await own.stats()).connections).toBe(2);
    } finally {
      await own.close();
    }
  });

  test('64 concurrent resolveAsync calls all succeed on a bounded number of connections', async () => {
    const own = await startTestServer({ '*': { echoUrl: true, delayMs: 5 } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: own.url, AR_HTTP_MAX_CONNECTIONS: '3' });
      const paths = Array.from({ length: 64 }, (_, i) => `concurrent/${i}`);
      const resolved = await Promise.all(paths.map((path) => resolveAsync(path)));
      expect(resolved).toEqual(paths.map((path) => `/${path}`));
      // This server has no batch endpoint: resolveMany falls back to one request per path.
      expect(await resolveMany(paths)).toEqual(paths.map((path) => `/${path}`));
      const { requests, connections } = await own.stats();
      expect(requests.filter((request) => request.method === 'GET')).toHaveLength(128);
      expect(requests.filter((request) => request.method === 'POST').length).toBeLessThanOrEqual(1);
      expect(connections).toBeGreaterThanOrEqual(1);
      expect(connections).toBeLessThanOrEqual(3);
    } finally {
      await own.close();
    }
  });
});

describe('a server that is down or silent', () => {
  test('a server that is down gives the empty path at once', async () => {
    const gone = await startTestServer({});
    await gone.close();
    setResolverEnv({ AR_HTTP_SERVER_URL: gone.url });
    const start = Date.now();
    expect(resolve('id0x01')).toBe('');
    await expect(resolveAsync('id0x01')).resolves.toBe('');
    expect(Date.now() - start).toBeLessThan(2000);
  });

  test('a server that accepts and never answers: the resolve returns within the timeout', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_TIMEOUT_MS: '300' });
    let start = Date.now();
    expect(resolve('hang')).toBe('');
    expect(Date.now() - start).toBeLessThan(2000);
    start = Date.now();
    await expect(resolveAsync('hang')).resolves.toBe('');
    expect(Date.now() - start).toBeLessThan(2000);
  });

  test('an answer slower than the timeout is not waited for', () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_TIMEOUT_MS: '500' });
    const start = Date.now();
    expect(resolve('slow')).toBe('');
    expect(Date.now() - start).toBeLessThan(2500);
  });

  test('the outage is warned about once, not once per asset', async () => {
    const gone = await startTestServer({});
    await gone.close();
    const { status, stderr } = await runCli(['resolve', 'a', 'b', 'c', 'd'], {
      AR_HTTP_SERVER_URL: gone.url,
    });
    expect(status).toBe(1);
    expect(stderr.match(/the resolution server at \S+ failed \(connection refused/g)).toHaveLength(1);
    expect(stderr).toContain(gone.url);
  });
});

describe('TF_DEBUG=AR_HTTP', () => {
  test('prints one line per request with URL, status, time and result; secrets never appear', async () => {
    const { status, stdout, stderr } = await runCli(['resolve', 'id0x01', 'nope'], {
      AR_HTTP_SERVER_URL: server.url,
      TF_DEBUG: 'AR_*',
      AR_HTTP_HEADER_Authorization: 'Bearer sekrit-token',
      AR_HTTP_HEADER_Cookie: 'sid=sekrit-cookie',
    });
    expect(status).toBe(1);
    expect(stdout).toBe('/layers/layer1.usda\n\n');
    const lines = stderr.split('\n').filter((line) => line.startsWith('ar-http: GET'));
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^ar-http: GET ${server.url}/id0x01 -> 200 in [0-9.]+ ms: /layers/layer1.usda$`),
        ),
        expect.stringMatching(new RegExp(`^ar-http: GET ${server.url}/nope -> 404 in [0-9.]+ ms: unresolved$`)),
      ]),
    );
    expect(stderr + stdout).not.toContain('sekrit');
  });

  test('says, for every asset path, what it resolved to and which way', async () => {
    const local = path.join(__dirname, '..', 'samples', 'layer1.usda');
    const script = `
      const ar = require(${JSON.stringify(distLib)});
      ar.resolveMany(${JSON.stringify([local, 'id0x01', 'nope'])})
        .then(() => ar.resolve('id0x01'))
        .then(() => console.log('done'));`;
    const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_CACHE_TTL_MS: '60000',
      TF_DEBUG: 'AR_HTTP',
    });
    expect(status).toBe(0);
    expect(stdout).toBe('done\n');
    // The test server has no batch endpoint: one POST, then one GET per path the filesystem lacks.
    expect(stderr.split('\n').filter((line) => line.startsWith('ar-http: "'))).toEqual([
      `ar-http: "${local}" -> "${local}" (filesystem)`,
      expect.stringMatching(/^ar-http: "(id0x01" -> "\/layers\/layer1\.usda"|nope" -> not found) \(GET\)$/),
      expect.stringMatching(/^ar-http: "(id0x01" -> "\/layers\/layer1\.usda"|nope" -> not found) \(GET\)$/),
      'ar-http: "id0x01" -> "/layers/layer1.usda" (process cache)',
    ]);
    expect(stderr).toContain('ar-http: "nope" -> not found (GET)');
  });

  test('no debug lines without TF_DEBUG', async () => {
    const { stderr } = await runCli(['resolve', 'id0x01'], { AR_HTTP_SERVER_URL: server.url });
    expect(stderr).toBe('');
  });
});
