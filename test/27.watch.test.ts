import net from 'node:net';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer, MemoryStore, type ResolverChange, resolveAsync, watch } from '../lib';
import { setResolverEnv } from './helpers/env';

const json = { 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('following the change feed', () => {
  let app: FastifyInstance;
  let address: string;
  let store: MemoryStore;

  beforeAll(async () => {
    store = new MemoryStore(new Map([['chair', '/v1/chair.usda']]));
    app = await createResolutionServer({ store });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    setResolverEnv({});
    await app.close();
  });
  const put = (assetPath: string, resolvedPath: string) =>
    fetch(`${address}/_ar/mappings/${encodeURIComponent(assetPath)}`, { method: 'PUT', headers: json, body: JSON.stringify({ resolvedPath }) });

  test('watch(): each change, after the kept answer of it was dropped', async () => {
    // Answers kept ten minutes: only the feed can make a resolve ask again.
    setResolverEnv({ AR_HTTP_SERVER_URL: address, AR_HTTP_CACHE_TTL_MS: '600000' });
    const changes = watch();
    const heard: ResolverChange[] = [];
    changes.on('change', (change: ResolverChange) => heard.push(change));
    try {
      expect(await resolveAsync('chair')).toBe('/v1/chair.usda');
      await sleep(300);
      await put('chair', '/v2/chair.usda');
      await fetch(`${address}/_ar/mappings/gone%20away`, { method: 'PUT', headers: json, body: JSON.stringify({ resolvedPath: '/g' }) });
      await fetch(`${address}/_ar/mappings/gone%20away`, { method: 'DELETE' });
      for (let i = 0; i < 100 && heard.length < 3; i += 1) await sleep(20);
      expect(heard).toEqual([
        { id: expect.any(Number), assetPath: 'chair', resolvedPath: '/v2/chair.usda' },
        { id: expect.any(Number), assetPath: 'gone away', resolvedPath: '/g' },
        { id: expect.any(Number), assetPath: 'gone away', resolvedPath: null },
      ]);
      expect(heard[1].id).toBe(heard[0].id + 1);
      expect(await resolveAsync('chair')).toBe('/v2/chair.usda');
    } finally {
      changes.close();
    }
    // Closed: no more events.
    await put('chair', '/v3/chair.usda');
    await sleep(300);
    expect(heard).toHaveLength(3);
  });

  test('AR_HTTP_WATCH=1 follows from the start, with no watch(); for await iterates', async () => {
    expect(setResolverEnv({ AR_HTTP_SERVER_URL: address, AR_HTTP_CACHE_TTL_MS: '600000', AR_HTTP_WATCH: '1' }).watch).toBe(true);
    await put('table', '/v1/table.usda');
    expect(await resolveAsync('table')).toBe('/v1/table.usda');
    await sleep(300);
    await put('table', '/v2/table.usda');
    for (let i = 0; i < 100 && (await resolveAsync('table')) !== '/v2/table.usda'; i += 1) await sleep(20);
    expect(await resolveAsync('table')).toBe('/v2/table.usda');

    const changes = watch();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const change of changes) {
        seen.push(`${change.assetPath}=${change.resolvedPath}`);
        if (seen.length === 2) changes.close();
      }
    })();
    await sleep(100);
    await put('table', '/v3/table.usda');
    await put('lamp', '/v1/lamp.usda');
    await Promise.race([reading, sleep(5000)]);
    expect(seen).toEqual(['table=/v3/table.usda', 'lamp=/v1/lamp.usda']);
  });
});

/** A raw TCP server answering each connection with `answer` (then closing, unless `hold`), counting them. */
async function rawFeedServer(answer: string, hold = false): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write(answer);
      if (!hold) socket.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((done) => server.close(done));
    },
  };
}

describe('a hostile or absent feed never crashes nor spins', () => {
  afterAll(() => setResolverEnv({}));
  const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n';

  test.each([
    ['a stream that ends at once', `${head}: hello\n\n`, false],
    ['an event over the protocol limit', `${head}id: 1\nevent: change\ndata: ${'x'.repeat(70_000)}\ndata: \n\n`, true],
    ['a 500', 'HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n', false],
    ['garbage', 'SSH-2.0-OpenSSH\r\n\r\n', false],
  ])('%s: a few connections in 1.6 s, no change heard', async (_, answer, hold) => {
    const server = await rawFeedServer(answer, hold);
    const changes = watch();
    const heard: unknown[] = [];
    changes.on('change', (change) => heard.push(change));
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
      await sleep(1600);
      // Waits of 250, 500, 1,000 ms between attempts: at most four.
      expect(server.connections()).toBeGreaterThanOrEqual(1);
      expect(server.connections()).toBeLessThanOrEqual(4);
      expect(heard).toEqual([]);
    } finally {
      changes.close();
      setResolverEnv({});
      await server.close();
    }
  });
});
