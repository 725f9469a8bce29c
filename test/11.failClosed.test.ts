import { configure, resolve, resolveAsync, resolveMany } from '../lib';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

/**
 * A server URL that is set but refused names no server: nothing is asked of the default URL either, where
 * another service may listen. Listeners count every connection: on the default's port 8000 (when this machine
 * has it free) and on the port the mistyped URL names.
 */
let named: TestServer;
let defaultPort: TestServer | undefined;
// Jest's sandbox hands `process.on('warning')` no warnings (test/35 sees them in a child process): the calls are watched.
let emitWarning: jest.SpiedFunction<typeof process.emitWarning>;
function arHttpWarnings(): string[] {
  return emitWarning.mock.calls
    .filter(([, options]) => typeof options === 'object' && `${options.type}`.startsWith('ArHttp'))
    .map(([warning]) => `${warning}`);
}

beforeAll(async () => {
  named = await startTestServer({ '*': { body: '/never/used.usda' } });
  try {
    defaultPort = await startTestServer({ '*': { body: '/never/used.usda' } }, 8000);
  } catch {
    console.warn('port 8000 is taken on this machine: only the port the refused URL names is watched');
  }
  emitWarning = jest.spyOn(process, 'emitWarning');
});

afterAll(async () => {
  emitWarning.mockRestore();
  setResolverEnv({});
  configure({});
  await Promise.all([named.close(), defaultPort?.close()]);
});

beforeEach(() => {
  emitWarning.mockClear();
});

async function connections(): Promise<number> {
  const counts = await Promise.all([named, defaultPort].map(async (server) => (server ? (await server.stats()).connections : 0)));
  return counts[0] + counts[1];
}

/** Resolves a few ids every way, then lets warnings from other threads arrive. */
async function resolveEveryWay(): Promise<string[]> {
  const answers = [resolve('id0x01'), await resolveAsync('id0x02'), ...(await resolveMany(['id0x03', 'id0x04']))];
  await new Promise((done) => setTimeout(done, 50));
  return answers;
}

describe.each([
  ['AR_HTTP_SERVER_URL', (url: string) => setResolverEnv({ AR_HTTP_SERVER_URL: url, AR_HTTP_FAIL_FAST_MS: '0' })],
  ['configure()', (url: string) => (setResolverEnv({ AR_HTTP_FAIL_FAST_MS: '0' }), configure({ serverUrl: url }))],
])('a refused server URL through %s', (_how, set) => {
  afterEach(() => configure({}));

  test.each(['localhost:PORT', 'ftp://127.0.0.1:PORT', 'http://user:pw@127.0.0.1:PORT', 'http://127.0.0.1:PORT0', 'http://127.0.0.1 :PORT'])(
    '%s: no connection anywhere, unresolved, one warning naming the variable',
    async (shape) => {
      const before = await connections();
      const settings = set(shape.replace('PORT', String(named.port)));
      expect(settings.serverUrl).toBe('');
      expect(await resolveEveryWay()).toEqual(['', '', '', '']);
      expect(await resolveAsync('id0x05', { detailed: true })).toEqual({ resolvedPath: '', via: 'server', error: 'refused' });
      expect(await connections()).toBe(before);
      const warnings = arHttpWarnings();
      expect(warnings).toEqual([expect.stringMatching(/AR_HTTP_SERVER_URL .*: nothing resolves through a server$/)]);
      expect(warnings[0]).not.toContain('localhost:8000');
      expect(warnings[0]).not.toContain('pw@');
    },
  );
});

test('a context naming its own server still resolves, without the headers meant for the refused one', async () => {
  setResolverEnv({ AR_HTTP_SERVER_URL: `localhost:${named.port}`, AR_HTTP_HEADER_X_Api_Key: 'secret-for-env' });
  const before = (await named.stats()).requests.length;
  expect(await resolveAsync('id0x01', { context: { serverUrl: named.url } })).toBe('/never/used.usda');
  const requests = (await named.stats()).requests.slice(before);
  expect(requests.map((request) => request.url)).toEqual(['/id0x01']);
  expect(requests[0].headers['x-api-key']).toBeUndefined();
});
