import { ErrorCodes, resolve, resolveAsync, resolveMany, type ResolverContext } from '../lib';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let home: TestServer;
let other: TestServer;

beforeAll(async () => {
  home = await startTestServer({ '/asset': { body: '/home/asset.usda' }, '*': { status: 404 } });
  other = await startTestServer({
    '/asset': { body: '/other/asset.usda' },
    '/v2/asset.json': { body: '/other/v2/asset.usda' },
    '/_ar/resolve': { body: '/other/a.usda\n/other/b.usda\n' },
    '*': { status: 404 },
  });
});

afterAll(async () => {
  setResolverEnv({});
  await home.close();
  await other.close();
});

async function lastRequest(server: TestServer) {
  const { requests } = await server.stats();
  return requests[requests.length - 1];
}

describe('resolve(path, { context })', () => {
  test('resolves through the server the context names; without one, through the environment\'s', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: home.url });
    expect(resolve('asset')).toBe('/home/asset.usda');
    expect(resolve('asset', { context: { serverUrl: other.url } })).toBe('/other/asset.usda');
    await expect(resolveAsync('asset', { context: { serverUrl: other.url } })).resolves.toBe('/other/asset.usda');
    expect(resolve('asset', { context: {} })).toBe('/home/asset.usda');
  });

  test('the context\'s path format and headers are used', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: home.url });
    const context = { serverUrl: other.url, pathFormat: '/v2/%s.json', headers: { 'X-Show': 'alpha' } };
    expect(resolve('asset', { context })).toBe('/other/v2/asset.usda');
    const request = await lastRequest(other);
    expect(request.url).toBe('/v2/asset.json');
    expect(request.headers['x-show']).toBe('alpha');
  });

  test('the environment\'s credentials never go to another server, but do with a context of the same server', async () => {
    setResolverEnv({
      AR_HTTP_SERVER_URL: home.url,
      AR_HTTP_HEADER_Authorization: 'Bearer home-only',
      AR_HTTP_HEADER_X_Trace: 'env',
    });
    resolve('asset', { context: { serverUrl: other.url } });
    expect((await lastRequest(other)).headers.authorization).toBeUndefined();
    resolve('asset', { context: { headers: { 'x-trace': 'context' } } });
    const request = await lastRequest(home);
    expect(request.headers.authorization).toBe('Bearer home-only');
    expect(request.headers['x-trace']).toBe('context');
  });

  test('answers are kept apart per context', () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: home.url, AR_HTTP_CACHE_TTL_MS: '60000' });
    for (let round = 0; round < 2; round++) {
      expect(resolve('asset')).toBe('/home/asset.usda');
      expect(resolve('asset', { context: { serverUrl: other.url } })).toBe('/other/asset.usda');
    }
  });

  test('resolveMany sends its batch to the context\'s server', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: home.url });
    const resolved = await resolveMany(['a', 'b'], { context: { serverUrl: other.url } });
    expect(resolved).toEqual(['/other/a.usda', '/other/b.usda']);
    expect((await lastRequest(other)).url).toBe('/_ar/resolve');
  });
});

describe('hostile contexts are refused with a TypeError naming the problem', () => {
  beforeAll(() => setResolverEnv({ AR_HTTP_SERVER_URL: home.url }));

  test.each<[string, unknown, RegExp]>([
    ['a string', 'http://127.0.0.1:1', /context must be an object/],
    ['an array', [], /context must be an object/],
    ['a bad scheme', { serverUrl: 'file:///etc/passwd' }, /server URL "file:\/\/\/etc\/passwd" must start with http/],
    ['a non-string URL', { serverUrl: 42 }, /context.serverUrl must be a string/],
    ['a URL with a NUL', { serverUrl: 'http://a\u0000b' }, /must not contain NUL/],
    ['a format with two %s', { pathFormat: '/%s/%s' }, /path format "\/%s\/%s" holds a '%'/],
    ['a format without /', { pathFormat: '%s' }, /must start with '\/'/],
    ['headers as an array', { headers: ['x'] }, /context.headers must be an object/],
    ['a header name with a space', { headers: { 'Bad Name': 'x' } }, /"Bad Name" is not a valid header name/],
    ['a CR LF in a header value', { headers: { 'X-A': 'ok\r\nX-Injected: 1' } }, /value of X-A holds a CR, LF/],
    ['a framing header', { headers: { Host: 'evil.example' } }, /manages the Host header/],
    ['a header given twice', { headers: { 'x-a': '1', 'X-A': '2' } }, /given twice/],
    ['a non-string header value', { headers: { 'X-A': 1 } }, /each value of context.headers must be a string/],
  ])('%s', async (_, context, message) => {
    const options = { context: context as ResolverContext };
    const check = (error: unknown): void => {
      expect((error as Error).name).toBe('TypeError');
      expect(error).toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT, message: expect.stringMatching(/^ar-http: (?!ar-http: )/) });
      expect((error as Error).message).toMatch(message);
    };
    expect(() => resolve('asset', options)).toThrow(message);
    try {
      resolve('asset', options);
    } catch (error) {
      check(error);
    }
    try {
      await resolveAsync('asset', options);
      throw new Error('resolveAsync should have rejected');
    } catch (error) {
      check(error);
    }
    await expect(resolveMany(['asset'], options)).rejects.toThrow(message);
  });

  test('credentials in a context URL are refused, and never shown', () => {
    let message = '';
    try {
      resolve('asset', { context: { serverUrl: 'http://user:hunter2@127.0.0.1:1' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/holds credentials/);
    expect(message).not.toContain('hunter2');
  });

  test('a secret header value never appears in an error', () => {
    expect(() =>
      resolve('asset', { context: { headers: { Authorization: 'Bearer hunter2\n' } } }),
    ).toThrow(/^(?!.*hunter2).*value of Authorization holds a CR, LF/);
  });
});
