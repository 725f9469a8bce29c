import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';

import { contentFiles, createResolutionServer, ErrorCodes, loadMapFile } from '../lib';
import { Protocol } from '../lib/protocol';
import { runCli } from './helpers/cli';
import { rawRequest } from './helpers/rawHttp';
import { withRssPeak } from './helpers/rssPeak';
import { startServe } from './helpers/serve';

let folder: string;
let root: string;
const chair = 'def "Chair" {}\n'.repeat(1000);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-content-'));
  root = path.join(folder, 'root');
  mkdirSync(path.join(root, 'chess set', 'pieces'), { recursive: true });
  mkdirSync(path.join(root, '.git'));
  writeFileSync(path.join(root, 'chair.usda'), chair);
  writeFileSync(path.join(root, 'chess set', 'pieces', 'King ♔.usdc'), 'king');
  writeFileSync(path.join(root, 'empty.usd'), '');
  writeFileSync(path.join(root, '.git', 'config'), 'secret');
  writeFileSync(path.join(folder, 'outside.txt'), 'outside');
  symlinkSync(path.join(folder, 'outside.txt'), path.join(root, 'leak.txt'));
  symlinkSync(path.join(root, 'chair.usda'), path.join(root, 'alias.usda'));
  execFileSync('mkfifo', [path.join(root, 'pipe.usda')]);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('createResolutionServer({ content })', () => {
  let app: FastifyInstance;
  let address: string;
  let port: number;
  const url = (file: string) => `${address}${Protocol.contentPath}/${file}`;

  beforeAll(async () => {
    app = await createResolutionServer({ content: { root } });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(address).port);
  });
  afterAll(() => app.close());

  test('200: the bytes, Content-Length, a strong ETag and Repr-Digest from their SHA-256, no-cache', async () => {
    const response = await fetch(url('chair.usda'));
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.toString()).toBe(chair);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(chair)));
    expect(response.headers.get('etag')).toBe(`"${sha256(chair).toString('hex')}"`);
    expect(response.headers.get('repr-digest')).toBe(`sha-256=:${sha256(chair).toString('base64')}:`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('last-modified')).toMatch(/GMT$/);

    // Names percent-encoded one by one; a link inside the folder is followed.
    const king = await fetch(url(['chess set', 'pieces', 'King ♔.usdc'].map(encodeURIComponent).join('/')));
    expect([king.status, await king.text(), king.headers.get('content-type')]).toEqual([200, 'king', 'application/octet-stream']);
    const alias = await fetch(url('alias.usda'));
    expect([alias.status, alias.headers.get('etag')]).toEqual([200, response.headers.get('etag')]);
    const empty = await fetch(url('empty.usd'));
    expect([empty.status, empty.headers.get('content-length'), await empty.text()]).toEqual([200, '0', '']);
  });

  test('If-None-Match -> 304 with the ETag; If-Modified-Since too; another tag -> 200', async () => {
    const etag = (await fetch(url('chair.usda'), { method: 'HEAD' })).headers.get('etag') as string;
    for (const sent of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await fetch(url('chair.usda'), { headers: { 'if-none-match': sent } });
      expect([response.status, response.headers.get('etag'), await response.text()]).toEqual([304, etag, '']);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    expect((await fetch(url('chair.usda'), { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    const lastModified = (await fetch(url('chair.usda'))).headers.get('last-modified') as string;
    expect((await fetch(url('chair.usda'), { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    // If-None-Match decides alone when both are sent.
    expect((await fetch(url('chair.usda'), { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } })).status).toBe(200);
  });

  test('a file replaced (renamed over) or rewritten in place gets a new ETag', async () => {
    const file = path.join(root, 'changing.usda');
    writeFileSync(file, 'one');
    const first = (await fetch(url('changing.usda'))).headers.get('etag');
    writeFileSync(`${file}.tmp`, 'two');
    renameSync(`${file}.tmp`, file);
    const second = await fetch(url('changing.usda'));
    expect([await second.text(), second.headers.get('etag')]).toEqual(['two', `"${sha256('two').toString('hex')}"`]);
    expect(second.headers.get('etag')).not.toBe(first);
    // Same size, same inode: ctime still moves.
    writeFileSync(file, 'six');
    expect((await fetch(url('changing.usda'))).headers.get('etag')).toBe(`"${sha256('six').toString('hex')}"`);
  });

  test('Range: one range -> 206 with Content-Range; outside the file -> 416; others -> the whole file', async () => {
    const size = Buffer.byteLength(chair);
    const ranged = async (range: string, extra: Record<string, string> = {}) => {
      const response = await fetch(url('chair.usda'), { headers: { range, ...extra } });
      return { status: response.status, contentRange: response.headers.get('content-range'), length: response.headers.get('content-length'), body: await response.text() };
    };
    expect(await ranged('bytes=4-9')).toEqual({ status: 206, contentRange: `bytes 4-9/${size}`, length: '6', body: chair.slice(4, 10) });
    expect(await ranged('bytes=-5')).toEqual({ status: 206, contentRange: `bytes ${size - 5}-${size - 1}/${size}`, length: '5', body: chair.slice(-5) });
    expect(await ranged(`bytes=${size - 2}-`)).toMatchObject({ status: 206, body: chair.slice(-2) });
    expect(await ranged(`bytes=10-${size + 1000}`)).toMatchObject({ status: 206, contentRange: `bytes 10-${size - 1}/${size}`, body: chair.slice(10) });
    for (const outside of [`bytes=${size}-`, `bytes=${size + 5}-${size + 9}`, 'bytes=-0']) {
      const answer = await ranged(outside);
      expect([answer.status, answer.contentRange]).toEqual([416, `bytes */${size}`]);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining('outside the file') });
    }
    // Malformed, several ranges, or If-Range naming another version: the whole file (RFC 9110 lets a server ignore Range).
    for (const [range, extra] of [['bytes=9-4', {}], ['lines=1-2', {}], ['bytes=0-1,4-5', {}], ['bytes=0-1', { 'if-range': '"old"' }]] as const) {
      expect(await ranged(range, extra)).toMatchObject({ status: 200, length: String(size), body: chair });
    }
    const etag = (await fetch(url('chair.usda'))).headers.get('etag') as string;
    expect(await ranged('bytes=0-1', { 'if-range': etag })).toMatchObject({ status: 206, body: chair.slice(0, 2) });
  });

  test('HEAD: the same headers as GET, no body', async () => {
    const head = await rawRequest(port, `HEAD ${Protocol.contentPath}/chair.usda HTTP/1.1`);
    expect(head.status).toBe(200);
    expect(head.headers).toContain(`content-length: ${Buffer.byteLength(chair)}`);
    expect(head.headers).toContain(`etag: "${sha256(chair).toString('hex')}"`);
    expect(head.body).toBe('');
    const ranged = await rawRequest(port, `HEAD ${Protocol.contentPath}/chair.usda HTTP/1.1\r\nRange: bytes=0-9`);
    expect([ranged.status, ranged.body]).toEqual([206, '']);
    expect(ranged.headers).toContain('content-length: 10');
  });

  test('hostile paths: nothing outside the folder, no listing, no dot-file, no FIFO wait; JSON errors', async () => {
    const get = (target: string) => rawRequest(port, `GET ${Protocol.contentPath}/${target} HTTP/1.1`);
    const refused = [
      '../package.json',
      '..%2Foutside.txt',
      '%2e%2e/outside.txt',
      '%2E%2E%2Foutside.txt',
      'chess%20set/../../outside.txt',
      'chess%20set%2F..%2F..%2Foutside.txt',
      '/etc/passwd',
      '%2Fetc%2Fpasswd',
      './chair.usda',
      'chess%20set//pieces',
      '..%5Coutside.txt',
      'chair.usda%00.png',
      '.git/config',
      '%2Egit/config',
    ];
    for (const target of refused) {
      const answer = await get(target);
      expect([target, answer.status]).toEqual([target, 400]);
      expect(answer.headers).toContain('content-type: application/json');
      expect(JSON.parse(answer.body).error).toMatch(/^a content path is names joined by/);
      expect(answer.body).not.toContain('outside');
    }
    // Not there, a folder (never listed), a link leading out, a FIFO (opened without waiting for a writer).
    for (const target of ['nope.usda', 'chess%20set', 'chess%20set/', 'leak.txt', 'pipe.usda', '']) {
      const answer = await get(target);
      expect([target, answer.status]).toEqual([target, target.endsWith('/') || target === '' ? 400 : 404]);
      expect(answer.body).not.toContain('outside');
    }
    expect(JSON.parse((await get('nope.usda')).body)).toEqual({ error: 'no such file in the content folder' });
    // Length limits: a name past NAME_MAX, a path past PATH_MAX.
    expect((await get('a'.repeat(256))).status).toBe(414);
    expect((await get(Array(900).fill('abcd').join('/'))).status).toBe(414);
    // Only GET and HEAD.
    expect((await rawRequest(port, `PUT ${Protocol.contentPath}/chair.usda HTTP/1.1\r\nContent-Length: 0`)).status).toBe(404);
    // The server still serves.
    expect((await fetch(url('chair.usda'))).status).toBe(200);
  });

  test('the OpenAPI description lists the route', async () => {
    const description = (await (await fetch(`${address}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const route = Object.keys(description.paths).find((key) => key.startsWith(`${Protocol.contentPath}/`)) as string;
    expect(route).toBeDefined();
    expect(description.paths[route].get).toMatchObject({ operationId: 'contentFile' });
  });
});

test('a large file is streamed: memory grows far less than its size; a client leaving mid-body leaves no file open', async () => {
  const size = 256 * 1024 * 1024;
  const big = path.join(root, 'big.usdc');
  // Sparse: costs no disk, reads as zeros.
  writeFileSync(big, '');
  truncateSync(big, size);
  const app = await createResolutionServer({ content: { root } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const { result, peakGrowth } = await withRssPeak(
      () =>
        new Promise<{ received: number; length: string | undefined; etag: string | undefined }>((done, fail) => {
          http
            .get(`${address}${Protocol.contentPath}/big.usdc`, (response) => {
              let received = 0;
              response.on('data', (chunk: Buffer) => (received += chunk.length));
              response.on('end', () => done({ received, length: response.headers['content-length'], etag: response.headers.etag }));
              response.on('error', fail);
            })
            .on('error', fail);
        }),
    );
    const zeros = createHash('sha256');
    const mebibyte = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < size / mebibyte.length; i += 1) zeros.update(mebibyte);
    expect(result).toEqual({ received: size, length: String(size), etag: `"${zeros.digest('hex')}"` });
    // Hashed and sent in chunks: a whole copy would be 256 MiB.
    expect(peakGrowth).toBeLessThan(64 * 1024 * 1024);

    // Clients that go away mid-body: each file is closed with its stream.
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for (let i = 0; i < 10; i += 1) {
      await new Promise<void>((done) => {
        const request = http.get(`${address}${Protocol.contentPath}/big.usdc`, (response) =>
          response.once('data', () => {
            request.destroy();
            done();
          }),
        );
        request.on('error', () => undefined);
      });
    }
    await new Promise((done) => setTimeout(done, 500));
    expect(openFiles()).toBeLessThanOrEqual(before + 2);
  } finally {
    await app.close();
    rmSync(big);
  }
}, 120_000);

test('the token guards the content as the other routes; Cache-Control immutable when asked', async () => {
  const token = 'tok-51.content';
  const app = await createResolutionServer({ content: { root, immutable: true }, token });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const target = `${address}${Protocol.contentPath}/chair.usda`;
    const refused = await fetch(target);
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    expect((await fetch(target, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const served = await fetch(target, { headers: { authorization: `Bearer ${token}` } });
    expect([served.status, await served.text()]).toEqual([200, chair]);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  } finally {
    await app.close();
  }
});

test('contentFiles inside an app of its own, under a prefix; a root that is not a folder is refused', async () => {
  const app = Fastify();
  await app.register(swagger, { openapi: { info: { title: 'host', version: '1' } } });
  await app.register(contentFiles, { prefix: '/files', root });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const served = await fetch(`${address}/files${Protocol.contentPath}/chair.usda`);
    expect([served.status, await served.text()]).toEqual([200, chair]);
    expect((await fetch(`${address}${Protocol.contentPath}/chair.usda`)).status).toBe(404);
  } finally {
    await app.close();
  }
  for (const bad of [path.join(root, 'chair.usda'), path.join(folder, 'absent')]) {
    await expect(createResolutionServer({ content: { root: bad } })).rejects.toMatchObject({ code: ErrorCodes.BAD_OPTION });
  }
});

test('map files keep URLs as written; relative paths still join the map folder', () => {
  const file = path.join(folder, 'urls.json');
  writeFileSync(file, JSON.stringify({ a: 'https://cdn.example/chair.usd', b: 's3://bucket/b.usd', c: 'rel/c.usd' }));
  expect([...loadMapFile(file)]).toEqual([
    ['a', 'https://cdn.example/chair.usd'],
    ['b', 's3://bucket/b.usd'],
    ['c', path.join(folder, 'rel', 'c.usd')],
  ]);
});

describe('the CLI', () => {
  test('serve --help and --help of store name the flags', async () => {
    expect((await runCli(['serve', '--help'])).stdout).toContain('--content DIR');
    expect((await runCli(['store', '--help'])).stdout).toContain('--content-url URL --content-root DIR');
  });

  test('serve --content DIR serves the files; store import --content-url writes their URLs; an id server answers them', async () => {
    const content = await startServe(['--content', root, '--quiet']);
    let ids: Awaited<ReturnType<typeof startServe>> | undefined;
    try {
      expect(content.output()).toContain(`files of ${root} at ${content.address}${Protocol.contentPath}/`);
      const mapFile = path.join(folder, 'map.json');
      writeFileSync(
        mapFile,
        JSON.stringify({ chair: path.join(root, 'chair.usda'), king: path.join(root, 'chess set', 'pieces', 'King ♔.usdc'), local: '/elsewhere/x.usd' }),
      );
      const store = `sqlite:${path.join(folder, 'urls.db')}`;
      const base = `${content.address}${Protocol.contentPath}`;
      const imported = await runCli(['store', 'import', mapFile, '--store', store, '--content-url', base, '--content-root', root]);
      expect(imported).toMatchObject({ status: 0 });
      expect(imported.stdout).toContain(`2 resolved paths under ${root} written as URLs under ${base}/; 1 kept as they are`);

      ids = await startServe(['--store', store, '--quiet']);
      const urls = await Promise.all(['chair', 'king', 'local'].map(async (id) => (await fetch(`${ids!.address}/${id}`)).text()));
      expect(urls).toEqual([`${base}/chair.usda`, `${base}/chess%20set/pieces/King%20%E2%99%94.usdc`, '/elsewhere/x.usd']);
      const bodies = await Promise.all(urls.slice(0, 2).map(async (target) => (await fetch(target)).text()));
      expect(bodies).toEqual([chair, readFileSync(path.join(root, 'chess set', 'pieces', 'King ♔.usdc'), 'utf8')]);
    } finally {
      await ids?.stop();
      await content.stop();
    }
  }, 60_000);

  test('usage errors: one content flag alone, a URL that is not http(s), --content-immutable alone, a missing folder', async () => {
    const mapFile = path.join(folder, 'map.json');
    const store = `sqlite:${path.join(folder, 'never.db')}`;
    for (const args of [
      ['--content-url', 'http://127.0.0.1:1/_ar/content/'],
      ['--content-root', root],
      ['--content-url', 'ftp://host/x/', '--content-root', root],
      ['--content-url', 'http://user:pw@host/x/', '--content-root', root],
      ['--content-url', 'not a url', '--content-root', root],
    ]) {
      const result = await runCli(['store', 'import', mapFile, '--store', store, ...args]);
      expect([args, result.status]).toEqual([args, 2]);
      expect(result.stderr).toMatch(/--content-(url|root)/);
    }
    expect((await runCli(['serve', '--content-immutable', '--port', '0'])).stderr).toContain('--content-immutable goes with --content DIR');
    const missing = await runCli(['serve', '--content', path.join(folder, 'absent'), '--port', '0']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(`the content folder ${path.join(folder, 'absent')}`);
  });
});
