import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer, MemoryStore, resolve, resolveAsync, WarningCodes } from '../lib';
import { setResolverEnv } from './helpers/env';

/**
 * A synchronous resolve() blocks the thread a resolution server of the same process answers on: it must not
 * wait out its deadline on it (and trip fail-fast for everything after), but answer from the filesystem and say
 * why, once.
 */
const samples = path.join(__dirname, '..', 'samples');
let app: FastifyInstance;
let address: string;
let emitWarning: jest.SpiedFunction<typeof process.emitWarning>;

function sameProcessWarnings(): string[] {
  return emitWarning.mock.calls
    .filter(([, options]) => typeof options === 'object' && options.code === WarningCodes.SAME_PROCESS_SERVER)
    .map(([warning]) => `${warning}`);
}

beforeAll(async () => {
  app = await createResolutionServer({ store: new MemoryStore(new Map([['chair', '/v1/chair.usda']])) });
  address = await app.listen({ host: '127.0.0.1', port: 0 });
  // A deadline long enough that waiting it out would show; fail-fast long enough to outlast the test.
  setResolverEnv({ AR_HTTP_SERVER_URL: address, AR_HTTP_TIMEOUT_MS: '20000', AR_HTTP_FAIL_FAST_MS: '600000' });
  emitWarning = jest.spyOn(process, 'emitWarning');
});

afterAll(async () => {
  emitWarning.mockRestore();
  setResolverEnv({});
  await app.close();
});

test('the server is not asked: unresolved at once, with one warning saying why and what to call', () => {
  const started = Date.now();
  expect(resolve('chair')).toBe('');
  expect(resolve('chair', { detailed: true })).toEqual({ resolvedPath: '', via: 'filesystem', error: 'refused' });
  expect(resolve('table')).toBe('');
  // Far below the 20 s deadline a wait on the server would take.
  expect(Date.now() - started).toBeLessThan(10000);
  const warnings = sameProcessWarnings();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(new URL(address).host);
  expect(warnings[0]).toContain('resolveAsync()');
});

test('the filesystem still answers a synchronous resolve', () => {
  expect(resolve('./layer1.usda', { anchor: path.join(samples, 'stage.usda') })).toBe(path.join(samples, 'layer1.usda'));
});

test('nothing was tripped: resolveAsync gets the server at once', async () => {
  await expect(resolveAsync('chair', { detailed: true })).resolves.toMatchObject({ resolvedPath: '/v1/chair.usda', via: 'server' });
});

test('localhost names the same server; a context naming another server is asked as usual', async () => {
  const port = new URL(address).port;
  expect(resolve('chair', { context: { serverUrl: `http://localhost:${port}` }, detailed: true })).toMatchObject({ error: 'refused' });
  const other = await createResolutionServer({ store: new MemoryStore(new Map([['chair', '/other/chair.usda']])) });
  try {
    const otherAddress = await other.listen({ host: '127.0.0.1', port: 0 });
    // Listening in this process too: refused, until it is closed.
    expect(resolve('chair', { context: { serverUrl: otherAddress }, detailed: true })).toMatchObject({ error: 'refused' });
    await other.close();
    expect(resolve('chair', { context: { serverUrl: otherAddress }, detailed: true })).toMatchObject({ error: 'unreachable' });
  } finally {
    await other.close();
  }
});
