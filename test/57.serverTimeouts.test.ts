import net from 'node:net';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer } from '../lib';

/**
 * Opens a connection, writes `first`, then `drip` every 100 ms, and reports what the server
 * answered and how long it kept the connection (at most 5 s: then the test ends it).
 */
function trickle(port: number, first: string, drip: string): Promise<{ answer: string; ms: number }> {
  return new Promise((done) => {
    const start = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const timer = setInterval(() => socket.writable && socket.write(drip), 100);
    const limit = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(limit);
      done({ answer, ms: Date.now() - start });
    });
    if (first) socket.write(first);
  });
}

describe('the sample server bounds how long a client may take', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = await createResolutionServer({ timeouts: { headersMs: 300, requestMs: 600, idleMs: 800 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => app.close());

  test('headers trickled one a tenth of a second: 408 and closed', async () => {
    const { answer, ms } = await trickle(port, 'GET /id0x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(2500);
  });

  test('a batch body trickled one byte a tenth of a second: 408 and closed', async () => {
    const head = 'POST /_ar/resolve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n';
    const { answer, ms } = await trickle(port, head, 'a');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(2500);
  });

  test('a connection that sends nothing is closed, at the latest when its headers are due', async () => {
    const { answer, ms } = await trickle(port, '', '');
    expect(answer).toMatch(/^(HTTP\/1\.1 408 [\s\S]*)?$/);
    expect(ms).toBeLessThan(2500);
  });

  test('a request sent at once is answered as ever', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/id0x01`);
    expect(response.status).toBe(200);
  });

  test('the defaults: 10 s for the headers, 30 s for the request', async () => {
    const defaults = await createResolutionServer();
    try {
      expect(defaults.server.headersTimeout).toBe(10_000);
      expect(defaults.server.requestTimeout).toBe(30_000);
      expect(defaults.server.keepAliveTimeout).toBe(5_000);
    } finally {
      await defaults.close();
    }
  });
});
