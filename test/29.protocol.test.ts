/**
 * protocol/protocol.json is read by the C++ core and by the TypeScript server: here the C++ client
 * (this process's binding) talks to the TypeScript server over the protocol's edge cases.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { config, createIdentifier, createResolutionServer, loadMapFile, MemoryStore, resolve, resolveAsync, resolveMany } from '../lib';
import { Protocol } from '../lib/protocol';
import protocolJson from '../protocol/protocol.json';
import { setResolverEnv } from './helpers/env';

const { valid, invalid } = protocolJson.resolvedPathExamples;
const { downloaded, opaque } = protocolJson.contentUrlExamples;
// Asset path -> what the server's resolve function returns for it.
const answers = new Map<string, string>([
  ...valid.map((resolved, i): [string, string] => [`valid${i}`, resolved]),
  ...invalid.map((resolved, i): [string, string] => [`invalid${i}`, resolved]),
]);


let app: FastifyInstance;
let requests: { method: string; bytes: number }[] = [];

beforeAll(async () => {
  app = await createResolutionServer({
    // A URL of another scheme is an asset path, the server's to answer.
    resolve: (assetPath) => answers.get(assetPath) ?? (assetPath.includes(':') ? `/opaque/${assetPath}` : null) ?? (assetPath.startsWith('echo/') ? `/echo/${Buffer.byteLength(assetPath)}` : null),
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

describe('content URLs: http(s) URLs are their own answers, every other scheme is the server\'s', () => {
  test('an http(s) asset path resolves to itself with no request, by GET, batch and detailed resolves', async () => {
    for (const url of downloaded) {
      await expect(resolveAsync(url)).resolves.toBe(url);
      expect(resolve(url, { detailed: true })).toEqual({ resolvedPath: url, via: 'url' });
    }
    expect(await resolveMany([...downloaded, 'valid0'])).toEqual([...downloaded, valid[0]]);
    // One GET: the batch held one asset path the server had to answer.
    expect(requests.map((request) => request.method)).toEqual(['GET']);
  });

  test('any other scheme, or a URL without a host, is an asset path the server answers', async () => {
    for (const assetPath of opaque) {
      await expect(resolveAsync(assetPath, { detailed: true })).resolves.toEqual({ resolvedPath: expect.stringMatching(/^\/opaque\//), via: 'server' });
    }
    expect(requests).toHaveLength(opaque.length);
  });
});

describe('asset paths in a remote layer anchor to its URL (RFC 3986)', () => {
  const layer = 'https://cdn.example/chess/King/King.usd?v=2';
  test.each([
    ['./King_payload.usd', 'https://cdn.example/chess/King/King_payload.usd'],
    ['../Queen/Queen.usd', 'https://cdn.example/chess/Queen/Queen.usd'],
    ['tex/king.png', 'https://cdn.example/chess/King/tex/king.png'],
    ['https://other.example/a/./b/../c.usd', 'https://other.example/a/c.usd'],
    // An id (no extension) and an absolute path keep the filesystem's and the id server's rules.
    ['chess/Queen', 'chess/Queen'],
    ['/mnt/assets/Queen.usd', '/mnt/assets/Queen.usd'],
  ])('%s -> %s', (assetPath, identifier) => {
    expect(createIdentifier(assetPath, layer)).toBe(identifier);
  });
  test('an absolute URL in a local layer is itself', () => {
    expect(createIdentifier('https://cdn.example/chess/King.usd', '/local/layer.usda')).toBe('https://cdn.example/chess/King.usd');
  });
});

describe('URL answers through a map file, a store and the admin API', () => {
  const urls = { chair: downloaded[0], table: downloaded[1], bucket: opaque[0] };
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-urls-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('a map file keeps URLs as written (a relative path is still the map folder\'s)', () => {
    const file = path.join(folder, 'map.json');
    writeFileSync(file, JSON.stringify({ ...urls, local: 'chair.usda' }));
    expect(Object.fromEntries(loadMapFile(file))).toEqual({ ...urls, local: path.join(folder, 'chair.usda') });
  });

  test('a store written through the admin API answers them to the resolver', async () => {
    const store = new MemoryStore(new Map());
    const server = await createResolutionServer({ store, token: 't' });
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const [assetPath, url] of Object.entries(urls)) {
        const put = await fetch(`${address}/_ar/mappings/${assetPath}`, {
          method: 'PUT',
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          body: JSON.stringify({ resolvedPath: url }),
        });
        expect(put.status).toBe(201);
      }
      expect(await store.resolve('chair')).toBe(urls.chair);
      expect(await resolveAsync('table', { detailed: true, context: { serverUrl: address, headers: { Authorization: 'Bearer t' } } }))
        .toEqual({ resolvedPath: urls.table, via: 'server', version: 2 });
    } finally {
      await server.close();
    }
  });
});
