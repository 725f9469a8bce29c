import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer } from '../lib';
import { rawRequest, type RawResponse } from './helpers/rawHttp';

// A file beside the mapped one, which no request may reveal, by name or content.
let folder: string;
let secret: string;
let app: FastifyInstance;
let port: number;
const token = 'hostile-token';
const bearer = `Authorization: Bearer ${token}`;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-hostile-'));
  writeFileSync(path.join(folder, 'mapped.usda'), '#usda 1.0\n');
  secret = path.join(folder, 'secret.txt');
  writeFileSync(secret, 'SECRET-CONTENT-0xdeadbeef\n');
  app = await createResolutionServer({ map: { id0x01: path.join(folder, 'mapped.usda') }, token });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  port = Number(new URL(address).port);
});
afterAll(async () => {
  await app.close();
  rmSync(folder, { recursive: true, force: true });
});

const get = (target: string, headers = [bearer]) => rawRequest(port, [`GET ${target} HTTP/1.1`, ...headers].join('\r\n'));

/** Empty, or a JSON error without a slash: no file content, no filesystem path. */
function expectRevealsNothing(response: RawResponse): void {
  expect(response.body).toMatch(/^(|\{"error":"[^/"]{1,80}"\})$/);
  for (const leak of ['SECRET-CONTENT', 'root:', folder, secret]) expect(response.body).not.toContain(leak);
}

const etcPasswd = readFileSync('/etc/passwd', 'utf8').split('\n')[0];

describe('path traversal never reaches a file', () => {
  const secretName = () => path.relative('/', secret);
  test.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/..%2F..%2Fetc%2Fpasswd',
    '/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/etc/passwd',
    '//etc/passwd',
    '/%2Fetc%2Fpasswd',
    '/id0x01/../../etc/passwd',
    '/id0x01%00/../../etc/passwd',
    '/%00',
    '/etc%00passwd',
    '/..\\..\\etc\\passwd',
    '/%5c..%5c..%5cetc%5cpasswd',
    '/....//....//etc/passwd',
    '/file:%2F%2F%2Fetc%2Fpasswd',
    '/_ar/../etc/passwd',
    '/_ar/mappings/..%2F..%2Fetc%2Fpasswd',
    '/_ar/mappings/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/_ar/mappings/..',
    '/_ar/mappings/%00',
    '/_ar/mappings/%2Fetc%2Fpasswd',
  ])('GET %s: 404, nothing revealed', async (target) => {
    const response = await get(target);
    expect(response.status).toBe(404);
    expectRevealsNothing(response);
    expect(response.body).not.toContain(etcPasswd);
  });

  test('the secret file, named every way, is not found', async () => {
    const name = secretName();
    for (const target of [`/${name}`, `/${encodeURIComponent(`/${name}`)}`, `/id0x01/../${path.basename(secret)}`, `/_ar/mappings/${encodeURIComponent(secret)}`]) {
      const response = await get(target);
      expect(response.status).toBe(404);
      expectRevealsNothing(response);
    }
  });

  test.each([
    '/docs/static/../../../../../../etc/passwd',
    '/docs/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/docs/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/docs/static/..%5c..%5c..%5cpackage.json',
    '/docs/..%2f..%2fpackage.json',
  ])('the docs files (served from disk): GET %s is refused, nothing revealed', async (target) => {
    const response = await get(target);
    // @fastify/static answers a path out of its folder with 403.
    expect([403, 404]).toContain(response.status);
    expectRevealsNothing(response);
    expect(response.body).not.toContain('"name": "ar-http"');
  });

  test.each([
    ['..%2F..%2Fetc%2Fpasswd', '../../etc/passwd'],
    ['%2e%2e%5c%2e%2e%5cetc', '..\\..\\etc'],
  ])('an admin asset_path %s is an opaque key, stored and served as written', async (segment, assetPath) => {
    const body = '{"resolvedPath":"/opaque"}';
    const stored = await rawRequest(
      port,
      `PUT /_ar/mappings/${segment} HTTP/1.1\r\n${bearer}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`,
      body,
    );
    expect(stored.status).toBe(201);
    expect(JSON.parse(stored.body)).toMatchObject({ assetPath, resolvedPath: '/opaque' });
    expect((await get(`/${encodeURIComponent(assetPath)}`)).body).toBe('/opaque');
    expect((await rawRequest(port, `DELETE /_ar/mappings/${segment} HTTP/1.1\r\n${bearer}`)).status).toBe(204);
    expect((await get('/id0x01')).body).toBe(path.join(folder, 'mapped.usda'));
  });
});

describe('invalid percent-encoding: 400, never a 500 or a crash', () => {
  test.each([
    '/%',
    '/%zz',
    '/%E0%A4%A',
    '/%c0%ae%c0%ae/etc/passwd',
    '/%c0%af',
    '/%ed%a0%80',
    '/%ff%fe',
    '/_ar/mappings/%c0%ae%c0%ae',
    '/_ar/mappings/%zz',
  ])('GET %s', async (target) => {
    const response = await get(target);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'the URL is not validly percent-encoded' });
    expectRevealsNothing(response);
  });

  test('the server still answers afterwards', async () => {
    expect((await get('/id0x01')).status).toBe(200);
    expect((await get('/_ar/health', [])).body).toBe('{"status":"ok"}');
  });
});

describe('absurd sizes: 414, 431, 413', () => {
  test('an asset path over 4096 bytes: 414; 4096 bytes are asked for', async () => {
    expect((await get(`/${'a'.repeat(4096)}`)).status).toBe(404);
    expect((await get(`/${'%C3%A9'.repeat(2048)}`)).status).toBe(404);
    for (const target of [`/${'a'.repeat(4097)}`, `/${'%C3%A9'.repeat(2049)}`, `/a/${'b/'.repeat(2048)}`, `/_ar/mappings/${'a'.repeat(5000)}`]) {
      const response = await get(target);
      expect(response.status).toBe(414);
      expectRevealsNothing(response);
    }
  });

  test('a request line or headers over 16 KiB: 431', async () => {
    expect((await get('/id0x01', [bearer, `X-Filler: ${'f'.repeat(12 * 1024)}`])).status).toBe(200);
    for (const head of [
      `GET /id0x01 HTTP/1.1\r\n${bearer}\r\nX-Filler: ${'f'.repeat(17 * 1024)}`,
      `GET /id0x01 HTTP/1.1\r\n${bearer}\r\n${Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'v'.repeat(40)}`).join('\r\n')}`,
      `GET /${'a'.repeat(17 * 1024)} HTTP/1.1\r\n${bearer}`,
    ]) {
      const response = await rawRequest(port, head);
      expect(response.status).toBe(431);
      expect(response.body).not.toContain('fff');
    }
  });

  test('a batch body over 4 MiB and a mapping body over 64 KiB: 413', async () => {
    const post = (length: number) =>
      rawRequest(
        port,
        `POST /_ar/resolve HTTP/1.1\r\n${bearer}\r\nContent-Type: text/plain\r\nContent-Length: ${length}`,
        'id0x01\n'.padEnd(length, 'x'),
      );
    expect((await post(4 * 1024 * 1024)).status).toBe(200);
    const refused = await post(4 * 1024 * 1024 + 1);
    expect(refused.status).toBe(413);
    expectRevealsNothing(refused);

    // Without a length: refused once past the limit.
    const chunk = `${(1024 * 1024).toString(16)}\r\n${'x'.repeat(1024 * 1024)}\r\n`;
    const chunked = await rawRequest(
      port,
      `POST /_ar/resolve HTTP/1.1\r\n${bearer}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked`,
      `${chunk.repeat(5)}0\r\n\r\n`,
    );
    expect(chunked.status).toBe(413);

    // Announced but never sent: refused from the header alone.
    const announced = await rawRequest(
      port,
      `PUT /_ar/mappings/big HTTP/1.1\r\n${bearer}\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 + 1}`,
    );
    expect(announced.status).toBe(413);
    expectRevealsNothing(announced);
  });
});
