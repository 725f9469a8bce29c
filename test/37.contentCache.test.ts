import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ArHttpError, createResolutionServer, ErrorCodes, fetchAsset, fetchAssetAsync, WarningCodes } from '../lib';
import { Protocol } from '../lib/protocol';
import { makeCertificates } from './helpers/certificates';
import { distLib } from './helpers/cli';
import { type ContentFile, type ContentServer, startContentServer } from './helpers/contentServer';
import { setResolverEnv } from './helpers/env';
import { withRssPeak } from './helpers/rssPeak';
import { run } from './helpers/run';
import { startTestServer } from './helpers/testServer';

// The content cache through fetchAsset and fetchAssetAsync, against real loopback servers: what is downloaded when,
// shared by processes, bounded, and every hostile answer refused with a warning naming the URL, no partial file kept.

const scratch = mkdtempSync(path.join(tmpdir(), 'ar-http-37-'));
afterAll(() => {
  setResolverEnv({});
  rmSync(scratch, { recursive: true, force: true });
});

let folders = 0;
/** A new, empty cache folder. */
function newCacheDir(): string {
  folders += 1;
  return path.join(scratch, `cache-${folders}`);
}

const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Bytes that start as a text layer does, `size` long, different per `seed`. */
function usda(seed: string, size = 1000): Buffer {
  const text = `#usda 1.0\n# ${seed}\n`;
  return Buffer.concat([Buffer.from(text), Buffer.alloc(Math.max(0, size - text.length), seed)]);
}

/** What the folder holds by kind of file: data, meta, lock, download, meta-new. */
function folderFiles(dir: string): Record<string, string[]> {
  const kinds: Record<string, string[]> = {};
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const kind = name.slice(name.indexOf('.') + 1);
    (kinds[kind] ??= []).push(path.join(dir, name));
  }
  return kinds;
}

/**
 * The process warnings emitted while `body` runs, and just after until `count` came: they cross from the core's threads.
 */
async function warningsDuring<T>(
  body: () => Promise<T> | T,
  count = 1,
): Promise<[T | unknown, { code?: string; message: string }[]]> {
  const seen: { code?: string; message: string }[] = [];
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(((message: string, options: { code: string }) => {
    seen.push({ message, code: options?.code });
  }) as typeof process.emitWarning);
  try {
    let result: T | unknown;
    try {
      result = await body();
    } catch (error) {
      result = error;
    }
    for (let i = 0; i < 100 && seen.length < count; i += 1) await new Promise((done) => setTimeout(done, 20));
    return [result, seen];
  } finally {
    emitWarning.mockRestore();
  }
}

describe('fetchAsset: the content cache', () => {
  let server: ContentServer;
  const a = usda('a', 200_000);
  const b = usda('b', 3000);
  beforeAll(async () => {
    server = await startContentServer({
      '/set/a.usda': { body: a },
      '/set/b.usda': { body: b, lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' },
      '/set/immutable.usda': { body: usda('i'), immutable: true },
      '/set/changing.usda': { body: usda('v1') },
      '/set/ttl.usda': { body: usda('t') },
    });
  });
  afterAll(() => server.close());

  test('downloads once cold, and not at all warm within the time to live; the file is the bytes sent', async () => {
    const dir = newCacheDir();
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: dir, AR_HTTP_CACHE_TTL_MS: '60000' });
    const url = `${server.url}/set/a.usda`;
    const before = (await server.requests()).length;
    const cold = fetchAsset(url);
    expect(path.dirname(cold)).toBe(dir);
    expect(sha(readFileSync(cold))).toBe(sha(a));
    expect(await fetchAssetAsync(url)).toBe(cold);
    expect(fetchAsset(url)).toBe(cold);
    expect(await server.count('/set/a.usda')).toBe(1);
    expect((await server.requests()).length - before).toBe(1);
    // The cache holds the data and its metadata, and nothing half-made.
    const files = folderFiles(dir);
    expect(files.data).toHaveLength(1);
    expect(files.meta).toHaveLength(1);
    expect(files.download).toBeUndefined();
    expect(readFileSync(files.meta[0], 'utf8')).toContain(`url ${url}\n`);
  });

  test('ETag, Last-Modified, size and timestamp are reported, asked with Accept-Encoding: identity', async () => {
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir() });
    const fetched = fetchAsset(`${server.url}/set/b.usda`, { detailed: true });
    expect(fetched).toEqual({
      localPath: expect.any(String),
      etag: expect.stringMatching(/^"[0-9a-f]{16}"$/),
      lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
      timestamp: Date.UTC(2015, 9, 21, 7, 28, 0) / 1000,
      size: b.length,
    });
    expect(await fetchAssetAsync(`${server.url}/set/b.usda`, { detailed: true })).toEqual(fetched);
    const asked = (await server.requests()).filter((request) => request.path === '/set/b.usda');
    expect(asked.every((request) => request.headers['accept-encoding'] === 'identity')).toBe(true);
  });

  test('with no time to live, each fetch revalidates with If-None-Match: 304 keeps the file, a change brings the new bytes', async () => {
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_CACHE_TTL_MS: '0' });
    const url = `${server.url}/set/changing.usda`;
    const first = fetchAsset(url, { detailed: true });
    const again = fetchAsset(url, { detailed: true });
    expect(again).toEqual(first);
    const asked = (await server.requests()).filter((request) => request.path === '/set/changing.usda');
    expect(asked.map((request) => [request.status, request.ifNoneMatch])).toEqual([
      [200, undefined],
      [304, first.etag],
    ]);
    await server.set('/set/changing.usda', { body: usda('v2') });
    const changed = fetchAsset(url, { detailed: true });
    expect(changed.etag).not.toBe(first.etag);
    expect(readFileSync(changed.localPath, 'utf8')).toContain('# v2');
    expect(await server.count('/set/changing.usda')).toBe(2);
  });

  test('revalidated once the time to live has passed, and not before', async () => {
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_CACHE_TTL_MS: '1500' });
    const url = `${server.url}/set/ttl.usda`;
    fetchAsset(url);
    fetchAsset(url);
    expect(await server.count('/set/ttl.usda', 304)).toBe(0);
    await new Promise((done) => setTimeout(done, 1700));
    fetchAsset(url);
    fetchAsset(url);
    expect(await server.count('/set/ttl.usda', 304)).toBe(1);
    expect(await server.count('/set/ttl.usda', 200)).toBe(1);
  });

  test('Cache-Control: immutable is never revalidated', async () => {
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_CACHE_TTL_MS: '0' });
    const url = `${server.url}/set/immutable.usda`;
    for (let i = 0; i < 3; i += 1) fetchAsset(url);
    await fetchAssetAsync(url);
    expect((await server.requests()).filter((request) => request.path === '/set/immutable.usda')).toHaveLength(1);
  });

  test('a local path is itself; a missing file, another scheme and a 404 throw ERR_AR_HTTP_CONTENT_UNAVAILABLE', async () => {
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir() });
    const local = path.join(scratch, 'local.usda');
    writeFileSync(local, '#usda 1.0\n');
    expect(fetchAsset(local)).toBe(local);
    expect(await fetchAssetAsync(local)).toBe(local);
    for (const [wanted, why] of [
      [path.join(scratch, 'missing.usda'), 'no such file'],
      ['s3://bucket/chair.usd', 'only http:// and https:// URLs are fetched'],
      ['file:///etc/passwd', 'only http:// and https:// URLs are fetched'],
    ]) {
      expect(() => fetchAsset(wanted)).toThrow(new ArHttpError(ErrorCodes.CONTENT_UNAVAILABLE, `${JSON.stringify(wanted)} is unavailable: ${why}`));
      await expect(fetchAssetAsync(wanted)).rejects.toMatchObject({ code: ErrorCodes.CONTENT_UNAVAILABLE });
    }
    const missing = `${server.url}/set/none.usda`;
    const [error, warnings] = await warningsDuring(() => fetchAssetAsync(missing));
    expect(error).toMatchObject({ code: ErrorCodes.CONTENT_UNAVAILABLE, message: expect.stringContaining(`${missing}" is unavailable: its server answered 404`) });
    expect(warnings).toEqual([{ code: WarningCodes.CONTENT_FAILED, message: `the content ${missing} is unavailable: its server answered 404` }]);
    expect(() => fetchAsset(42 as unknown as string)).toThrow(TypeError);
  });
});

/** A script for child processes: fetches each URL of argv and prints {url: sha256 or error} as JSON. */
function childScript(): string {
  const script = path.join(scratch, 'fetch.js');
  writeFileSync(
    script,
    `const { fetchAsset } = require(${JSON.stringify(distLib)});
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const out = {};
for (const url of process.argv.slice(2)) {
  try { out[url] = createHash('sha256').update(readFileSync(fetchAsset(url))).digest('hex'); }
  catch (error) { out[url] = error.message; }
}
process.stdout.write(JSON.stringify(out));
`,
  );
  return script;
}

describe('fetchAsset: one cache for every process', () => {
  test('4 processes at once on one cold cache: right bytes in each, each URL downloaded once', async () => {
    const files: Record<string, ContentFile> = {};
    const bodies: Record<string, Buffer> = {};
    for (let i = 0; i < 24; i += 1) {
      bodies[`/f/${i}.usda`] = usda(`file ${i}`, 50_000 + 10_000 * i);
      // Some slow to serve, so that the processes surely overlap on them.
      files[`/f/${i}.usda`] = { body: bodies[`/f/${i}.usda`], ...(i % 4 === 0 ? { kind: 'slow', intervalMs: 30 } : {}) };
    }
    const server = await startContentServer(files);
    try {
      const dir = newCacheDir();
      const urls = Object.keys(files).map((name) => `${server.url}${name}`);
      const script = childScript();
      const children = await Promise.all(
        [0, 1, 2, 3].map((k) =>
          // Each in its own order, so that they meet on every file.
          run(process.execPath, [script, ...(k % 2 ? [...urls].reverse() : urls)], { AR_HTTP_CONTENT_CACHE_DIR: dir, AR_HTTP_TIMEOUT_MS: '20000' }),
        ),
      );
      for (const child of children) {
        expect(child.status).toBe(0);
        const fetched = JSON.parse(child.stdout);
        for (const [name, body] of Object.entries(bodies)) expect(fetched[`${server.url}${name}`]).toBe(sha(body));
      }
      const bodiesSent = (await server.requests()).filter((request) => request.status === 200).map((request) => request.path);
      expect(bodiesSent.sort()).toEqual(Object.keys(files).sort());
    } finally {
      await server.close();
    }
  }, 120000);

  test('the bound holds: least recently used files go, a file open elsewhere stays readable', async () => {
    const bodies = [0, 1, 2, 3, 4, 5].map((i) => usda(`lru ${i}`, 100_000));
    const server = await startContentServer(Object.fromEntries(bodies.map((body, i) => [`/lru/${i}.usda`, { body }])));
    try {
      const dir = newCacheDir();
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: dir, AR_HTTP_CONTENT_CACHE_MAX_BYTES: '350000', AR_HTTP_CACHE_TTL_MS: '60000' });
      const url = (i: number): string => `${server.url}/lru/${i}.usda`;
      const first = fetchAsset(url(0));
      const open = openSync(first, 'r');
      try {
        for (let i = 1; i < 6; i += 1) {
          fetchAsset(url(i));
          const held = (folderFiles(dir).data ?? []).reduce((sum, file) => sum + statSync(file).size, 0);
          expect(held).toBeLessThanOrEqual(350_000);
        }
        // The oldest went, the newest three stay.
        expect(existsSync(first)).toBe(false);
        expect(folderFiles(dir).data).toHaveLength(3);
        const read = Buffer.alloc(bodies[0].length);
        expect(readSync(open, read, 0, read.length, 0)).toBe(read.length);
        expect(read.equals(bodies[0])).toBe(true);
      } finally {
        closeSync(open);
      }
      // Evicted, it comes again: once more from the server.
      expect(sha(readFileSync(fetchAsset(url(0))))).toBe(sha(bodies[0]));
      expect(await server.count('/lru/0.usda')).toBe(2);
      expect(await server.count('/lru/5.usda')).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a 200 MB body streams to disk: the process grows by far less than the file', async () => {
    const size = 200 * 1024 * 1024;
    const server = await startContentServer({ '/big/layer.usda': { kind: 'large', size } });
    try {
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_TIMEOUT_MS: '20000' });
      const { result, peakGrowth } = await withRssPeak(() => fetchAssetAsync(`${server.url}/big/layer.usda`));
      expect(statSync(result).size).toBe(size);
      expect(peakGrowth).toBeLessThan(48 * 1024 * 1024);
    } finally {
      await server.close();
    }
  }, 60000);

  test('kill -9 in the middle of a download: no partial file used, what it left cleared, the next run gets the right bytes', async () => {
    const body = usda('killed', 3_000_000);
    const server = await startContentServer({
      '/k/big.usda': { body, kind: 'slow', intervalMs: 20 },
      '/k/other.usda': { body: usda('other') },
    });
    try {
      const dir = newCacheDir();
      const url = `${server.url}/k/big.usda`;
      const child = spawn(process.execPath, [childScript(), url], {
        env: { ...process.env, AR_HTTP_CONTENT_CACHE_DIR: dir, AR_HTTP_TIMEOUT_MS: '20000' },
        stdio: 'ignore',
      });
      // Killed once part of the body is on disk.
      const partial = (): number => (folderFiles(dir).download ?? []).reduce((sum, file) => sum + statSync(file).size, 0);
      for (let i = 0; i < 500 && partial() < 200_000; i += 1) await new Promise((done) => setTimeout(done, 20));
      expect(partial()).toBeGreaterThanOrEqual(200_000);
      child.kill('SIGKILL');
      await new Promise((done) => child.on('close', done));
      expect(folderFiles(dir).data).toBeUndefined();

      await server.set('/k/big.usda', { body });
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: dir });
      // The first download of a process clears what killed ones left, whatever URL it is for.
      expect(folderFiles(dir).download).toHaveLength(1);
      fetchAsset(`${server.url}/k/other.usda`);
      expect(folderFiles(dir).download).toBeUndefined();
      const fetched = fetchAsset(url);
      expect(sha(readFileSync(fetched))).toBe(sha(body));
      expect(folderFiles(dir).download).toBeUndefined();
      expect(await server.count('/k/big.usda')).toBe(2);
    } finally {
      await server.close();
    }
  }, 60000);
});

describe('fetchAsset: hostile content servers', () => {
  const timeoutMs = 2000;
  const maxContentBytes = 1024 * 1024;
  let server: ContentServer;
  const good = usda('good', 20_000);
  const hostile: [string, string, ContentFile, string][] = [
    ['a body cut short (the connection closes)', '/h/truncated.usda', { body: good, kind: 'truncated' }, 'broke off'],
    ['a Content-Length beyond the bytes sent', '/h/longer.usda', { body: good, kind: 'longerLength' }, 'timeout'],
    ['two Content-Length headers that differ', '/h/two.usda', { body: good, kind: 'twoLengths' }, 'Content-Length'],
    ['a body trickled a byte every 50 ms', '/h/trickle.usda', { body: usda('t', 64 * 1024), kind: 'trickle', intervalMs: 50 }, 'slower than 64 KiB/s'],
    ['a head trickled a byte every 100 ms', '/h/trickle-head.usda', { kind: 'trickleHead' }, 'timeout'],
    ['a chunked body that never ends', '/h/endless.usda', { kind: 'endless' }, 'AR_HTTP_MAX_CONTENT_BYTES'],
    // Identity was asked for: an encoded body is refused before a byte of it is read.
    ['a 300 KB gzip body inflating to 300 MB', '/h/bomb.usda', { kind: 'gzipBomb' }, 'a body in gzip, which was not asked for'],
    ['a gzip body although identity was asked for', '/h/gzip.usda', { body: good, kind: 'gzip' }, 'a body in gzip, which was not asked for'],
    ['a Repr-Digest the bytes do not match', '/h/digest.usda', { body: good, kind: 'wrongDigest' }, 'SHA-256 digest'],
    ['a redirect to ftp://', '/h/ftp.usda', { kind: 'redirect', location: 'ftp://127.0.0.1/good.usda' }, 'never followed'],
    ['a redirect to file://', '/h/file.usda', { kind: 'redirect', location: 'file:///etc/passwd' }, 'never followed'],
    ['redirects in a circle', '/h/loop.usda', { kind: 'redirect', location: '/h/loop.usda' }, 'AR_HTTP_MAX_REDIRECTS'],
    ['a 200 HTML page for a .usdc', '/h/chair.usdc', { kind: 'html' }, 'an error page'],
    ['a 200 HTML page for a .usdz', '/h/chair.usdz', { kind: 'html' }, 'an error page'],
    ['a 200 HTML page for a .usda', '/h/chair.usda', { kind: 'html' }, 'an error page'],
  ];
  const fine: [string, string, ContentFile][] = [
    ['a Repr-Digest that matches (among other algorithms)', '/ok/digest.usda', { body: good, kind: 'rightDigest' }],
    ['a legacy Digest that matches', '/ok/legacy.usda', { body: good, kind: 'legacyDigest' }],
    ['a relative redirect to the file', '/ok/moved.usda', { kind: 'redirect', location: 'digest.usda' }],
    ['a file named for no layer format', '/ok/texture.png', { body: 'not a layer' }],
  ];
  beforeAll(async () => {
    server = await startContentServer(Object.fromEntries([...hostile, ...fine].map(([, name, file]) => [name, file])));
  });
  afterAll(() => server.close());

  test.each(hostile)('%s: refused within its deadline, a warning naming the URL, no file kept', async (_, name, _file, why) => {
    const dir = newCacheDir();
    setResolverEnv({
      AR_HTTP_CONTENT_CACHE_DIR: dir,
      AR_HTTP_TIMEOUT_MS: String(timeoutMs),
      AR_HTTP_MAX_CONTENT_BYTES: String(maxContentBytes),
    });
    const url = `${server.url}${name}`;
    const start = Date.now();
    const [error, warnings] = await warningsDuring(async () => {
      await expect(fetchAssetAsync(url)).rejects.toThrow(why);
      // The head's timeout, then the body's allowance at 64 KiB/s (1 s for the trickled 64 KiB), and slack for a loaded machine.
      expect(Date.now() - start).toBeLessThan(timeoutMs + 1000 + 4000);
      expect(folderFiles(dir)).toEqual({});
      // Nothing kept, so asked again.
      return fetchAssetAsync(url);
    }, 2);
    expect(error).toMatchObject({ code: ErrorCodes.CONTENT_UNAVAILABLE, message: expect.stringContaining(`"${url}" is unavailable: `) });
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) {
      expect(warning).toMatchObject({ code: WarningCodes.CONTENT_FAILED, message: expect.stringContaining(`the content ${url} is unavailable: `) });
    }
    expect(folderFiles(dir)).toEqual({});
  });

  test.each(fine)('%s: kept', async (_, name, file) => {
    setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_MAX_CONTENT_BYTES: String(maxContentBytes) });
    const fetched = await fetchAssetAsync(`${server.url}${name}`);
    expect(readFileSync(fetched)).toEqual(file.kind === 'redirect' ? good : Buffer.from(file.body ?? ''));
  });
});

describe('fetchAsset: credentials and TLS', () => {
  test('AR_HTTP_CONTENT_HEADER_* go to the content origin, secret ones not on to another origin; AR_HTTP_HEADER_* secrets never', async () => {
    const elsewhere = await startContentServer({ '/moved/chair.usda': { body: usda('chair') } });
    const cdn = await startContentServer({
      '/chair.usda': { kind: 'redirect', location: `${elsewhere.url}/moved/chair.usda` },
      '/table.usda': { body: usda('table') },
    });
    try {
      setResolverEnv({
        AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(),
        AR_HTTP_CONTENT_HEADER_Authorization: 'Bearer cdn-token',
        AR_HTTP_CONTENT_HEADER_X_Studio: 'north',
        AR_HTTP_HEADER_X_Api_Key: 'resolver-key',
        AR_HTTP_HEADER_X_Resolver_Note: 'public',
      });
      expect(readFileSync(fetchAsset(`${cdn.url}/table.usda`), 'utf8')).toContain('# table');
      expect(readFileSync(fetchAsset(`${cdn.url}/chair.usda`), 'utf8')).toContain('# chair');
      for (const request of await cdn.requests()) {
        expect(request.headers).toMatchObject({ authorization: 'Bearer cdn-token', 'x-studio': 'north' });
        expect(request.headers['x-api-key']).toBeUndefined();
        expect(request.headers['x-resolver-note']).toBeUndefined();
      }
      const [moved] = await elsewhere.requests();
      expect(moved.headers['x-studio']).toBe('north');
      expect(moved.headers.authorization).toBeUndefined();
      expect(moved.headers['x-api-key']).toBeUndefined();
    } finally {
      await Promise.all([cdn.close(), elsewhere.close()]);
    }
  });

  test('AR_HTTP_HEADER_* go to content on the resolution server\'s own origin', async () => {
    const own = await startContentServer({ '/_ar/content/chair.usda': { body: usda('own') } });
    try {
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_SERVER_URL: own.url, AR_HTTP_HEADER_X_Api_Key: 'resolver-key' });
      fetchAsset(`${own.url}/_ar/content/chair.usda`);
      expect((await own.requests())[0].headers['x-api-key']).toBe('resolver-key');
    } finally {
      await own.close();
    }
  });

  test('https content is verified against AR_HTTP_CA_FILE; an untrusted server and a step down to http are refused', async () => {
    const certificates = makeCertificates();
    const plain = await startContentServer({ '/x.usda': { body: usda('plain') } });
    const secure = await startTestServer(
      {
        '/x.usda': { body: '#usda 1.0\n# secure\n' },
        '/down.usda': { status: 302, headers: { location: `${plain.url}/x.usda` } },
      },
      undefined,
      certificates.server,
    );
    try {
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(), AR_HTTP_CA_FILE: certificates.caFile });
      expect(readFileSync(fetchAsset(`${secure.url}/x.usda`), 'utf8')).toContain('# secure');
      await expect(fetchAssetAsync(`${secure.url}/down.usda`)).rejects.toThrow('a redirect from https to http, which is never followed');
      expect(await plain.requests()).toEqual([]);
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir() });
      await expect(fetchAssetAsync(`${secure.url}/x.usda`)).rejects.toMatchObject({ code: ErrorCodes.CONTENT_UNAVAILABLE });
    } finally {
      await Promise.all([secure.close(), plain.close()]);
      certificates.remove();
    }
  });
});

describe('fetchAsset: the sample server\'s content (ar-http serve --content)', () => {
  test('fetchAssetAsync downloads once (its Repr-Digest checked), then 304s; fetchAsset will not wait on a server of its own process', async () => {
    const root = path.join(scratch, 'served');
    const chair = usda('served chair', 50_000);
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'chair.usda'), chair);
    const app = await createResolutionServer({ content: { root } });
    const statuses: number[] = [];
    app.addHook('onResponse', async (_request, reply) => {
      statuses.push(reply.statusCode);
    });
    try {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `${address}${Protocol.contentPath}/chair.usda`;
      setResolverEnv({ AR_HTTP_CONTENT_CACHE_DIR: newCacheDir() });
      const first = await fetchAssetAsync(url, { detailed: true });
      expect(readFileSync(first.localPath).equals(chair)).toBe(true);
      expect(first.etag).not.toBe('');
      expect(await fetchAssetAsync(url, { detailed: true })).toEqual(first);
      expect(statuses).toEqual([200, 304]);
      expect(() => fetchAsset(url)).toThrow(`listens in this process, which cannot answer while the call blocks; use fetchAssetAsync()`);
    } finally {
      await app.close();
    }
  });
});

describe('fetchAsset: a full disk', () => {
  const body = usda('big', 600_000);
  let server: ContentServer;
  beforeAll(async () => {
    server = await startContentServer({ '/d/big.usda': { body }, '/d/small.usda': { body: usda('small', 1000) } });
  });
  afterAll(() => server.close());

  /** Runs the child script in a mount namespace with a 256 KiB tmpfs on the cache folder; null when none can be made. */
  function inSmallTmpfs(urls: string[]): { status: number | null; stdout: string; stderr: string } | null {
    const dir = newCacheDir();
    const script = `mkdir -p ${dir} && mount -t tmpfs -o size=256k tmpfs ${dir} && exec "$0" "$@"`;
    const probe = spawnSync('unshare', ['-m', 'sh', '-c', `mkdir -p ${dir} && mount -t tmpfs -o size=256k tmpfs ${dir}`]);
    if (probe.status !== 0) return null;
    const child = spawnSync('unshare', ['-m', 'sh', '-c', script, process.execPath, childScript(), ...urls], {
      env: { ...process.env, AR_HTTP_CONTENT_CACHE_DIR: dir },
      encoding: 'utf8',
      timeout: 30000,
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  }

  test('a cache folder that fills up (a 256 KiB tmpfs): one warning naming the URL, no crash; what fits still comes', () => {
    const big = `${server.url}/d/big.usda`;
    const small = `${server.url}/d/small.usda`;
    const child = inSmallTmpfs([big, small]);
    if (child === null) {
      process.stderr.write('\n*** SKIPPING the full tmpfs: `unshare -m` with a tmpfs mount is not allowed here ***\n\n');
      return;
    }
    expect(child.status).toBe(0);
    const fetched = JSON.parse(child.stdout);
    expect(fetched[big]).toContain(`"${big}" is unavailable: the content cache folder`);
    expect(fetched[big]).toContain('is full (No space left on device)');
    expect(fetched[small]).toBe(sha(usda('small', 1000)));
    const warnings = child.stderr.split('\n').filter((line) => line.includes('AR_HTTP_CONTENT_FAILED'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(big);
  });

  test('a file-size limit (ulimit -f): EFBIG is the same clear failure', () => {
    const dir = newCacheDir();
    const big = `${server.url}/d/big.usda`;
    // SIGXFSZ would end the process; a program that handles it, as Node then does, sees EFBIG.
    const script = path.join(scratch, 'fsize.js');
    writeFileSync(script, `process.on('SIGXFSZ', () => {});\nrequire(${JSON.stringify(childScript())});\n`);
    const child = spawnSync('sh', ['-c', 'ulimit -f 256 && exec "$0" "$@"', process.execPath, script, big], {
      env: { ...process.env, AR_HTTP_CONTENT_CACHE_DIR: dir },
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)[big]).toContain('is full (File too large)');
    expect(folderFiles(dir).data).toBeUndefined();
    expect(folderFiles(dir).download).toBeUndefined();
  });
});

describe('fetchAsset: the end of a Node process', () => {
  test('process.exit() while downloads are under way against a trickling server: exit 0 at once, 10 times in a row', async () => {
    // Each head trickles a byte every 200 ms: with a 60 s timeout, 40 of them would hold the process for minutes.
    const files: Record<string, ContentFile> = {};
    for (let i = 0; i < 40; i += 1) files[`/exit/${i}.usda`] = { kind: 'trickleHead', intervalMs: 200 };
    const server = await startContentServer(files);
    const script = path.join(scratch, 'exit.js');
    writeFileSync(
      script,
      `const { fetchAssetAsync } = require(${JSON.stringify(distLib)});
for (const url of process.argv.slice(2)) fetchAssetAsync(url).catch(() => {});
setTimeout(() => process.exit(0), 1000);
`,
    );
    try {
      const urls = Object.keys(files).map((file) => `${server.url}${file}`);
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const asked = (await server.requests()).length;
        const child = await run(process.execPath, [script, ...urls], {
          AR_HTTP_CONTENT_CACHE_DIR: newCacheDir(),
          AR_HTTP_TIMEOUT_MS: '60000',
        }, { timeoutMs: 90000 });
        expect({ attempt, status: child.status, signal: child.signal }).toEqual({ attempt, status: 0, signal: null });
        // The process's second under way, then its end: far less than the trickles' minutes.
        expect(child.elapsedMs).toBeLessThan(20000);
        // The downloads had started.
        expect((await server.requests()).length).toBeGreaterThan(asked);
      }
    } finally {
      await server.close();
    }
  }, 200000);

  test('a worker thread that used ar-http and ended stops nothing the main thread still uses', async () => {
    const body = usda('after the worker');
    const server = await startContentServer({ '/w/layer.usda': { body } });
    const script = path.join(scratch, 'worker.js');
    writeFileSync(
      script,
      `const { Worker } = require('node:worker_threads');
const { config, fetchAssetAsync } = require(${JSON.stringify(distLib)});
const lib = ${JSON.stringify(distLib)};
config();
new Worker('require(' + JSON.stringify(lib) + ').config()', { eval: true }).on('exit', async () => {
  try { process.stdout.write(require('node:fs').readFileSync(await fetchAssetAsync(process.argv[2]), 'utf8')); }
  catch (error) { process.stdout.write(error.message); }
});
`,
    );
    try {
      const child = await run(process.execPath, [script, `${server.url}/w/layer.usda`], { AR_HTTP_CONTENT_CACHE_DIR: newCacheDir() });
      expect(child.status).toBe(0);
      expect(child.stdout).toBe(body.toString());
    } finally {
      await server.close();
    }
  });
});
