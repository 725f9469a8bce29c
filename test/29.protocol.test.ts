/**
 * protocol/protocol.json is read by the C++ core and by the TypeScript server: here the C++ client
 * (this process's binding) talks to the TypeScript server over the protocol's edge cases.
 */
import { AddressInfo } from 'node:net';

import type { FastifyInstance } from 'fastify';

import { config, createResolutionServer, resolveAsync, resolveMany } from '../lib';
import { Protocol } from '../lib/protocol';
import protocolJson from '../protocol/protocol.json';
import { setResolverEnv } from './helpers/env';

const { valid, invalid } = protocolJson.resolvedPathExamples;
// Asset path -> what the server's resolve function returns for it.
const answers = new Map<string, string>([
  ...valid.map((resolved, i): [string, string] => [`valid${i}`, resolved]),
  ...invalid.map((resolved, i): [string, string] => [`invalid${i}`, resolved]),
]);

let app: FastifyInstance;
let requests: { method: string; bytes: number }[] = [];

beforeAll(async () => {
  app = await createResolutionServer({
    resolve: (assetPath) => answers.get(assetPath) ?? (assetPath.startsWith('echo/') ? `/echo/${Buffer.byteLength(assetPath)}` : null),
  });
  app.addHook('onRequest', async (request) => {
    requests.push({ method: request.method, bytes: Number(request.headers['content-length'] ?? 0) });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  setResolverEnv({ AR_HTTP_SERVER_URL: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
});

afterAll(async () => {
  setResolverEnv({});
  await app.close();
});

beforeEach(() => {
  requests = [];
});

test('both sides use the batch path protocol.json states', () => {
  expect(config().batchPath).toBe(Protocol.batchPath);
  expect(Protocol.batchPath).toBe('/_ar/resolve');
});

describe('resolved paths: what the server answers is exactly what the resolver takes', () => {
  test('by GET: every valid example arrives as it is; the server never sends an invalid one', async () => {
    for (const [assetPath, resolved] of answers) {
      await expect(resolveAsync(assetPath)).resolves.toBe(assetPath.startsWith('valid') ? resolved : '');
    }
    expect(requests).toHaveLength(answers.size);
  });

  test('in one batch: the same answers', async () => {
    const assetPaths = [...answers.keys()];
    expect(await resolveMany(assetPaths)).toEqual(assetPaths.map((assetPath) =>
      (assetPath.startsWith('valid') ? answers.get(assetPath) : '')));
    expect(requests.map((request) => request.method)).toEqual(['POST']);
  });

  test(`a resolved path of ${Protocol.maxResolvedPathBytes} bytes passes; one byte more is never sent`, async () => {
    const longest = `/${'r'.repeat(Protocol.maxResolvedPathBytes - 1)}`;
    answers.set('longest', longest);
    answers.set('longer', `${longest}r`);
    await expect(resolveAsync('longest')).resolves.toBe(longest);
    await expect(resolveAsync('longer')).resolves.toBe('');
    expect(await resolveMany(['longest', 'longer'])).toEqual([longest, '']);
  });
});

describe('asset paths: the limit is the same on both sides', () => {
  test.each([
    ['ASCII', 'a'],
    ['two-byte UTF-8', 'é'],
  ])(`${Protocol.maxAssetPathBytes} bytes of %s are asked for and answered; one byte more is never sent`, async (_, unit) => {
    const room = Protocol.maxAssetPathBytes - 'echo/'.length;
    const units = Math.floor(room / Buffer.byteLength(unit));
    const exact = `echo/${unit.repeat(units)}${'x'.repeat(room - units * Buffer.byteLength(unit))}`;
    expect(Buffer.byteLength(exact)).toBe(Protocol.maxAssetPathBytes);
    await expect(resolveAsync(exact)).resolves.toBe(`/echo/${Protocol.maxAssetPathBytes}`);
    expect(requests).toHaveLength(1);
    await expect(resolveAsync(`${exact}x`)).resolves.toBe('');
    expect(requests).toHaveLength(1);
  });
});

describe('batches: the client cuts them where the server would refuse them', () => {
  test(`${Protocol.maxBatchPaths + 1} asset paths take two requests, none refused`, async () => {
    const assetPaths = Array.from({ length: Protocol.maxBatchPaths + 1 }, (_, i) => `echo/${i}`);
    const resolved = await resolveMany(assetPaths);
    expect(resolved).toEqual(assetPaths.map((assetPath) => `/echo/${Buffer.byteLength(assetPath)}`));
    expect(requests.map((request) => request.method)).toEqual(['POST', 'POST']);
  });

  test(`long asset paths are cut by bytes: no body over ${Protocol.maxBatchBodyBytes} bytes`, async () => {
    // Each 4,096 bytes, percent-encoded to about 12 KiB: 400 of them are more than 4 MiB.
    const assetPaths = Array.from({ length: 400 }, (_, i) =>
      `echo/${'é'.repeat((Protocol.maxAssetPathBytes - 9) / 2 | 0)}${String(i).padStart(4, '0')}`);
    const resolved = await resolveMany(assetPaths);
    expect(resolved).toEqual(assetPaths.map((assetPath) => `/echo/${Buffer.byteLength(assetPath)}`));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests.every((request) => request.method === 'POST' && request.bytes <= Protocol.maxBatchBodyBytes)).toBe(true);
  });
});
