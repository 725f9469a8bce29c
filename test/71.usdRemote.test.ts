/**
 * Remote content through usdcat: layers answered (or written) as http URLs, served by a plain static
 * server (bench/staticServer.ts, no ar-http code) from a folder the resolving process never reads,
 * downloaded into the content cache (AR_HTTP_CONTENT_CACHE_DIR) and opened there.
 *
 * The OpenChessSet of usd-wg/assets (AR_HTTP_CHESS_SET names its full_assets/OpenChessSet folder):
 * its root layer names its seven assets by id, the id server answers them as URLs, and the set's own
 * relative references stay as authored. Flattened, it is the local set (asset paths aside); every
 * file is downloaded once cold, nothing warm, once by four usdcat at once, within a cache bounded
 * below the set's size, and after a usdcat killed mid-download.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type RemoteChessSet, serveChessSetByUrl } from '../bench/remoteContent';
import { type StaticServer, staticServer } from '../bench/staticServer';
import { countingServer } from '../bench/usdTools';
import { run, type RunResult } from './helpers/run';
import { buildUsdProgram, describeWithUsd, usd } from './helpers/usd';
import { writeUsdz } from './helpers/usdz';

const chessSet = process.env.AR_HTTP_CHESS_SET;
const haveSet = chessSet !== undefined && existsSync(path.join(chessSet, 'chess_set.usda'));
if (usd && !haveSet) {
  process.stderr.write('\n*** SKIPPING the OpenChessSet tests of 71.usdRemote: set AR_HTTP_CHESS_SET to the full_assets/OpenChessSet folder of usd-wg/assets ***\n\n');
}
const describeWithSet = usd && haveSet ? describe : describe.skip;

// The set's seven assets, four .usd layers each.
const PIECES = 7;
const LONG = 300_000;

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'ar-http-remote-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A new, empty content cache folder. */
let caches = 0;
const newCache = (): string => path.join(work, `cache${(caches += 1)}`);

/** Every file under `folder`, with its size. */
function filesUnder(folder: string): { file: string; size: number }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, size: statSync(file).size }));
}

/** `usdcat --flatten root` with the plugin and `env` (the id server, a content cache). */
function usdcat(root: string, env: Record<string, string>): Promise<RunResult> {
  return run(usd!.usdcat, ['--flatten', root], { PXR_PLUGINPATH_NAME: usd!.pluginPath, ...env }, { timeoutMs: LONG });
}

function flattened(result: RunResult): string {
  if (result.status !== 0) throw new Error(`usdcat failed (${result.status ?? result.signal}): ${result.stderr}`);
  return result.stdout;
}

describeWithSet('the OpenChessSet by URL, from a plain static server', () => {
  let set: RemoteChessSet;
  let expected: string;

  const env = (cache: string, more: Record<string, string> = {}) => ({
    AR_HTTP_SERVER_URL: set.ids.url,
    AR_HTTP_CONTENT_CACHE_DIR: cache,
    ...more,
  });
  const remote = async (cache: string, more: Record<string, string> = {}) =>
    set.normalized(flattened(await usdcat(set.root, env(cache, more))));

  beforeAll(async () => {
    set = await serveChessSetByUrl(chessSet!, path.join(work, 'chess'));
    const local = await run(usd!.usdcat, ['--flatten', path.join(set.local, 'chess_set.usda')], { PXR_PLUGINPATH_NAME: '' }, { timeoutMs: LONG });
    expected = set.normalized(flattened(local));
  }, LONG);
  afterAll(() => set?.close());
  beforeEach(() => {
    set.content.downloads.clear();
    set.content.revalidations.clear();
    set.content.notFound.clear();
    set.ids.requests.clear();
  });

  test('cold: the same flattened stage as the local set, every file downloaded once; warm: nothing downloaded', async () => {
    const { content, ids, layers } = set;
    const cache = newCache();
    expect(await remote(cache)).toBe(expected);
    expect(Object.fromEntries(content.downloads)).toEqual(Object.fromEntries(
      [...content.downloads.keys()].map((file) => [file, 1])));
    // Each piece's four .usd layers at least (the .mtlx only where USD reads MaterialX).
    const usdLayers = layers.filter((file) => file.endsWith('.usd'));
    expect(usdLayers).toHaveLength(4 * PIECES);
    expect([...content.downloads.keys()]).toEqual(expect.arrayContaining(usdLayers));
    expect([...content.downloads.keys()].every((file) => layers.includes(file))).toBe(true);
    expect([...ids.requests.values()]).toEqual(Array(PIECES).fill(1));
    expect(content.notFound.size).toBe(0);

    content.downloads.clear();
    expect(await remote(cache)).toBe(expected);
    expect(content.downloads.size).toBe(0);
  }, LONG);

  test('four usdcat at once on one cold cache: right answers, each file downloaded once', async () => {
    const cache = newCache();
    const outputs = await Promise.all(Array.from({ length: 4 }, () => remote(cache)));
    for (const output of outputs) expect(output).toBe(expected);
    expect(set.content.downloads.size).toBeGreaterThanOrEqual(4 * PIECES);
    expect([...set.content.downloads.values()].every((count) => count === 1)).toBe(true);
  }, LONG);

  test('a cache bounded below the set\'s size: right answers, the cache within its bound afterwards', async () => {
    const cache = newCache();
    const setBytes = set.layers.reduce((sum, file) => sum + statSync(path.join(set.served, file)).size, 0);
    const bound = Math.floor(setBytes / 2);
    expect(await remote(cache, { AR_HTTP_CONTENT_CACHE_MAX_BYTES: String(bound) })).toBe(expected);
    const held = filesUnder(cache).reduce((sum, { size }) => sum + size, 0);
    expect(held).toBeLessThanOrEqual(bound);
  }, LONG);

  test('kill -9 of a usdcat mid-download, then a new run: right answers', async () => {
    const { content } = set;
    const cache = newCache();
    // The largest layer, trickled: the process dies while it comes.
    const largest = set.layers
      .map((file) => ({ file, size: statSync(path.join(set.served, file)).size }))
      .sort((a, b) => b.size - a.size)[0];
    content.trickle = Math.max(1024, Math.floor(largest.size / 100));
    const started = new Promise<void>((began) => {
      content.onBody = (file) => {
        if (file === largest.file) began();
      };
    });
    try {
      const child = spawn(usd!.usdcat, ['--flatten', set.root], {
        env: { ...process.env, PXR_PLUGINPATH_NAME: usd!.pluginPath, ...env(cache) },
        stdio: 'ignore',
      });
      const ended = new Promise((done) => child.on('close', done));
      await Promise.race([started, ended]);
      await new Promise((later) => setTimeout(later, 500));
      expect(child.exitCode).toBeNull();
      child.kill('SIGKILL');
      await ended;
    } finally {
      content.trickle = undefined;
      content.onBody = undefined;
    }
    expect(content.downloads.get(largest.file)).toBe(1);
    expect(await remote(cache)).toBe(expected);
  }, LONG);
});

describeWithUsd('remote layers through usdcat', () => {
  let served: string;
  let content: StaticServer;
  let ids: Awaited<ReturnType<typeof countingServer>>;
  const answers = new Map<string, string>();
  const layer = (name: string, body: string) => `#usda 1.0\n(\n    defaultPrim = "${name}"\n)\n\ndef "${name}"\n{\n${body}}\n`;
  // An attribute of its own per layer: composed on one prim, none hides another.
  const marker = (name: string) => `    custom string ${name} = "${name}"\n`;
  const write = (file: string, text: string | Buffer): void => {
    mkdirSync(path.dirname(path.join(served, file)), { recursive: true });
    writeFileSync(path.join(served, file), text);
  };
  const env = (more: Record<string, string> = {}) => ({
    AR_HTTP_SERVER_URL: ids.url,
    AR_HTTP_CONTENT_CACHE_DIR: newCache(),
    ...more,
  });
  const rootOf = (name: string, references: string[]): string => {
    const file = path.join(work, `${name}.usda`);
    writeFileSync(file, `#usda 1.0\n\n${references.map((reference, i) =>
      `def "R${i}" (\n    references = @${reference}@\n)\n{\n}\n`).join('\n')}`);
    return file;
  };

  beforeAll(async () => {
    served = path.join(work, 'layers');
    content = await staticServer(served);
    ids = await countingServer((assetPath) => answers.get(assetPath));
  });
  afterAll(async () => {
    await content?.close();
    await ids?.close();
  });
  beforeEach(() => {
    content.downloads.clear();
    content.notFound.clear();
    ids.requests.clear();
  });

  test('relative asset paths in a remote layer anchor to its URL (RFC 3986); an absolute URL asks no id server', async () => {
    write('a/b/layer.usda', `#usda 1.0\n(\n    defaultPrim = "Layer"\n)\n\ndef "Layer" (\n    references = [@./near.usda@, @../c/far.usda@, @geom.usda@, @chess/thing@]\n)\n{\n}\n`);
    write('a/b/near.usda', layer('Near', marker('near')));
    write('a/c/far.usda', layer('Far', marker('far')));
    write('a/b/geom.usda', layer('Geom', marker('geomBesideTheLayer')));
    write('things/thing.usda', layer('Thing', marker('thingById')));
    // An id written in a remote layer is still the id server's; its answer a URL too.
    answers.set('chess/thing', content.urlOf('things/thing.usda'));
    const root = rootOf('anchoring', [content.urlOf('a/b/layer.usda')]);
    const output = flattened(await usdcat(root, env()));
    for (const name of ['near', 'far', 'geomBesideTheLayer', 'thingById']) expect(output).toContain(`${name} = "${name}"`);
    expect(Object.fromEntries(ids.requests)).toEqual({ 'chess/thing': 1 });
    expect(Object.fromEntries(content.downloads)).toEqual({
      'a/b/layer.usda': 1, 'a/b/near.usda': 1, 'a/c/far.usda': 1, 'a/b/geom.usda': 1, 'things/thing.usda': 1,
    });
    expect(content.notFound.size).toBe(0);

    // TF_DEBUG=AR_HTTP says how the URL resolved: by itself.
    const debug = await usdcat(root, env({ TF_DEBUG: 'AR_HTTP' }));
    expect(debug.stdout + debug.stderr).toContain(`"${content.urlOf('a/b/layer.usda')}" -> "${content.urlOf('a/b/layer.usda')}" (url)`);
  }, LONG);

  test('a .usdz by URL: its packaged layers read from the cached package, package-relative paths inside it', async () => {
    const geom = Buffer.from(layer('Geom', marker('packagedGeometry')));
    const look = Buffer.from(layer('Look', marker('packagedLook')));
    const chair = Buffer.from(`#usda 1.0\n(\n    defaultPrim = "Chair"\n)\n\ndef "Chair" (\n    references = [@./parts/geom.usda@</Geom>, @parts/look.usda@</Look>]\n)\n{\n    asset texture = @./tex/wood.png@\n}\n`);
    writeUsdz(path.join(served, 'chair.usdz'), [
      { name: 'chair.usda', data: chair },
      { name: 'parts/geom.usda', data: geom },
      { name: 'parts/look.usda', data: look },
      { name: 'tex/wood.png', data: Buffer.from('not really a png') },
    ]);
    answers.set('chair', content.urlOf('chair.usdz'));
    const root = rootOf('package', ['chair', content.urlOf('chair.usdz')]);
    const output = flattened(await usdcat(root, env()));
    expect(output.match(/packagedGeometry = "packagedGeometry"/g)).toHaveLength(2);
    expect(output.match(/packagedLook = "packagedLook"/g)).toHaveLength(2);
    expect(output).toContain(`${content.urlOf('chair.usdz')}[tex/wood.png]`);
    // Nothing asked from beside the package: its relative paths are inside it.
    expect(Object.fromEntries(content.downloads)).toEqual({ 'chair.usdz': 1 });
    expect(content.notFound.size).toBe(0);
  }, LONG);

  test('asset info, timestamp and extension of a remote layer come from its content; a reload sees new content', async () => {
    // A tiny program of this repository's, built against the OpenUSD install the tests use.
    const program = await buildUsdProgram('remoteLayer', work);
    const version = (value: string) => `#usda 1.0\n\ndef "Chair"\n{\n    custom string version = "${value}"\n}\n`;
    const etagOf = (text: string) => `"${createHash('sha256').update(text).digest('base64url')}"`;
    write('chair.usda', version('one'));
    const url = content.urlOf('chair.usda');
    const cache = newCache();
    const child = spawn(program, [url, `${content.urlOf('chair.usdz')}?v=3`], {
      env: { ...process.env, PXR_PLUGINPATH_NAME: usd!.pluginPath, AR_HTTP_SERVER_URL: ids.url, AR_HTTP_CONTENT_CACHE_DIR: cache, AR_HTTP_CACHE_TTL_MS: '0' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    const ended = new Promise((done) => child.on('close', done));
    await new Promise<void>((described) => child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('value ')) described();
    }));
    // Replaced as a deployment would: a new file renamed over the old.
    writeFileSync(path.join(served, 'chair.usda.new'), version('two'));
    renameSync(path.join(served, 'chair.usda.new'), path.join(served, 'chair.usda'));
    child.stdin.end('changed\n');
    expect(await ended).toBe(0);
    const lines = output.trim().split('\n');
    const [before, after] = [lines.slice(2, 7), lines.slice(8)];
    expect(lines.slice(0, 2)).toEqual([`resolved ${url}`, 'extension usdz']);
    expect(before).toEqual([`version ${etagOf(version('one'))}`, `etag ${etagOf(version('one'))}`, expect.stringMatching(/^localPath \//), 'timestamp valid', 'value one']);
    const localPath = before[2].slice('localPath '.length);
    expect(localPath.startsWith(cache)).toBe(true);
    expect(lines[7]).toBe('reloaded yes');
    expect(after).toEqual([`version ${etagOf(version('two'))}`, `etag ${etagOf(version('two'))}`, expect.stringMatching(/^localPath \//), 'timestamp valid', 'value two']);
    expect(readFileSync(after[2].slice('localPath '.length), 'utf8')).toBe(version('two'));
  }, LONG);

  test('exit with downloads ahead under way, the first layers fresh in the cache: status 0 in 10 runs of 300 remote layers, no wait for the downloads', async () => {
    // Each layer names a layer it does not compose (an asset value): downloaded
    // ahead, from a server trickling it, so still under way when usdcat ends.
    const later = await staticServer(path.join(work, 'later'));
    later.trickle = 64;
    const timeoutMs = 60_000;
    try {
      const count = 300;
      const urls: string[] = [];
      for (let i = 0; i < count; i += 1) {
        write(`many/l${i}.usda`, layer(`L${i}`, `${marker(`l${i}`)}    asset later = @${later.urlOf(`e${i}.usda`)}@\n`));
        mkdirSync(path.join(work, 'later'), { recursive: true });
        writeFileSync(path.join(work, 'later', `e${i}.usda`), layer(`E${i}`, marker(`e${i}`.padEnd(16 * 1024, 'x'))));
        urls.push(content.urlOf(`many/l${i}.usda`));
      }
      // Fresh for an hour: the first layers opened ask nothing, the ahead downloads make the first requests.
      const more = { AR_HTTP_CACHE_TTL_MS: '3600000', AR_HTTP_TIMEOUT_MS: String(timeoutMs) };
      const first = rootOf('manyFirst', urls.slice(0, 10));
      const root = rootOf('many', urls);
      for (let run = 0; run < 10; run += 1) {
        // Warmed by a run of its own: a copied entry names another inode, and is no entry.
        const cache = newCache();
        flattened(await usdcat(first, { AR_HTTP_SERVER_URL: ids.url, AR_HTTP_CONTENT_CACHE_DIR: cache, ...more }));
        content.downloads.clear();
        const start = Date.now();
        const result = await usdcat(root, { AR_HTTP_SERVER_URL: ids.url, AR_HTTP_CONTENT_CACHE_DIR: cache, ...more });
        const took = Date.now() - start;
        expect({ run, status: result.status, signal: result.signal }).toEqual({ run, status: 0, signal: null });
        expect(result.stdout).toContain('l299 = "l299"');
        // The first ten came from the cache.
        expect(content.downloads.has('many/l0.usda')).toBe(false);
        expect(content.downloads.size).toBe(count - 10);
        // The trickled downloads stopped at exit, not at their deadline.
        expect(took).toBeLessThan(timeoutMs / 2);
        expect(result.stderr).not.toContain('unavailable');
      }
    } finally {
      await later.close();
    }
  }, 20 * LONG);

  test('unavailable content: the layer is reported missing, naming the URL, and usdcat goes on', async () => {
    write('present.usda', layer('Present', marker('present')));
    const missing = content.urlOf('missing/nowhere.usda');
    const root = rootOf('unavailable', [missing, content.urlOf('present.usda')]);
    const result = await usdcat(root, env());
    expect(result.signal).toBeNull();
    expect(result.stdout).toContain('present = "present"');
    expect(result.stderr).toContain(missing);
  }, LONG);
});
