import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { ArHttpError, backend, config, createIdentifier, ErrorCodes, pluginPath, resolve, resolveAsync, resolveMany } from '../lib';
import { usdBindingPath } from '../lib/native/binding';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let server: TestServer;

// Errors made by the addon come from Node's own realm, not Jest's sandbox, so
// `toThrow(TypeError)` cannot match them here: compare the name instead.
const typeError = (message: string | RegExp = /^ar-http: /): object =>
  expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

beforeAll(async () => {
  server = await startTestServer({ '/known': { body: '/known.usda' }, '*': { status: 404 } });
  setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
});
afterAll(async () => {
  setResolverEnv({});
  await server.close();
});

describe('the typed API', () => {
  test('backend is "usd" when the USD-linked binding is built (and not refused), else "standalone"', () => {
    const usd = existsSync(usdBindingPath) && process.env.AR_HTTP_BACKEND !== 'standalone';
    expect(backend).toBe(usd ? 'usd' : 'standalone');
  });

  test.each([
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object', { path: 'x' }],
  ])('resolve(%s) throws TypeError', (_, value) => {
    expect(thrown(() => resolve(value as unknown as string))).toEqual(typeError('assetPath must be a string'));
    expect(thrown(() => createIdentifier(value as unknown as string))).toEqual(typeError());
  });

  test('wrong anchors and options throw TypeError', () => {
    expect(thrown(() => resolve('x', { anchor: 5 as unknown as string }))).toEqual(typeError('anchor must be a string'));
    expect(thrown(() => resolve('x', 'anchor' as unknown as object))).toEqual(typeError('options must be an object'));
    expect(thrown(() => createIdentifier('x', [] as unknown as string))).toEqual(typeError('anchor must be a string'));
  });

  test('a NUL in an asset path is refused, not truncated', async () => {
    expect(thrown(() => resolve('/etc/passwd\u0000.usda'))).toEqual(typeError('must not contain NUL'));
    await expect(resolveAsync('known\u0000')).rejects.toEqual(typeError('must not contain NUL'));
  });

  test('the async forms reject instead of throwing', async () => {
    await expect(resolveAsync(1 as unknown as string)).rejects.toEqual(typeError());
    await expect(resolveMany('known' as unknown as string[])).rejects.toEqual(typeError('must be an array'));
    await expect(resolveMany(['known', 2 as unknown as string])).rejects.toEqual(typeError());
  });

  test('outside Jest the errors are instances of TypeError', () => {
    const script = `const { resolve } = require(${JSON.stringify(require.resolve('../dist/lib'))});
      try { resolve(42); } catch (e) { process.stdout.write(String(e instanceof TypeError)); }`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('true');
  });

  test('resolveMany keeps the input order', async () => {
    await expect(resolveMany(['nope', 'known', 'nope', 'known'])).resolves.toEqual(['', '/known.usda', '', '/known.usda']);
    await expect(resolveMany([])).resolves.toEqual([]);
  });

  test('config() reports the server in use', () => {
    expect(config().serverUrl).toBe(server.url);
  });

  test('pluginPath() says how to build the plugin when it is not built', () => {
    let error: unknown;
    try {
      pluginPath();
    } catch (caught) {
      error = caught;
    }
    if (error === undefined) return; // the USD plugin is built on this machine
    expect(error).toBeInstanceOf(ArHttpError);
    expect(error).toMatchObject({ code: ErrorCodes.PLUGIN_NOT_BUILT });
    expect((error as Error).message).toContain('npm run build:usd');
  });
});
