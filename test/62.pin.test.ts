import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { staticServer } from '../bench/staticServer';
import { config, createResolutionServer, ErrorCodes, pin, type PinFile } from '../lib';
import { Protocol } from '../lib/protocol';
import { cliPath, runCli } from './helpers/cli';
import { writeCrate } from './helpers/crate';
import { setResolverEnv } from './helpers/env';
import { run } from './helpers/run';
import { describeWithUsd, usd } from './helpers/usd';
import { writeUsdz } from './helpers/usdz';

let folder: string;
let far: string;
let app: FastifyInstance;
let url: string;
const map: Record<string, string> = {};

const layer = (file: string, body: string): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#usda 1.0\n${body}\n`);
};

/** The pin file less its `created` line: what two pins of the same thing share byte for byte. */
const timeless = (text: string): string => text.replace(/\n {2}"created": "[^"]*",\n/, '\n');

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-pin-'));
  far = path.join(folder, 'far');
  // Local: the stage, a sublayer and a payload by relative path.
  layer(
    path.join(folder, 'stage.usda'),
    `(\n  subLayers = [@./sub/a.usda@, @layer/b@]\n)\n` +
      `def "Asset" (references = @asset/c@ payload = @./d.usda@) {\n` +
      `  asset tex = @tex/unknown@\n  asset twelve = @12@\n}\n`,
  );
  layer(path.join(folder, 'sub', 'a.usda'), `def "A" (references = @../missing.usda@) {}`);
  layer(path.join(folder, 'd.usda'), `def "D" (payload = @./d.usda@) {}`);
  // Reached only through the server's answers: a cycle, a layer whose name says text file, a package.
  layer(path.join(far, 'remote.usda'), `def "R" {}`);
  layer(path.join(far, 'b.usda'), `def "B" (references = @loop/a@) {}`);
  layer(path.join(far, 'cycle.usda'), `(\n  subLayers = [@layer/b@, @fifo/id@]\n)`);
  writeFileSync(path.join(far, 'fromPackage.txt'), '#usda 1.0\ndef "P" (references = @deep/id@) {}\n');
  const root = Buffer.from(
    '#usda 1.0\ndef "Pkg" (references = [@./inner.usda@, @pkgid/x@]) {\n  asset t = @textures/t.png@\n}\n',
  );
  writeUsdz(path.join(far, 'pkg.usdz'), [
    { name: 'root.usda', data: root },
    { name: 'inner.usda', data: Buffer.from('#usda 1.0\ndef "Inner" (references = @sub.usda@) {}\n') },
    { name: 'sub.usda', data: Buffer.from('#usda 1.0\n') },
    { name: 'textures/t.png', data: Buffer.from('not a layer') },
  ]);
  // A FIFO handed over as a layer must not stall the crawl.
  expect(spawnSync('mkfifo', [path.join(far, 'fifo')]).status).toBe(0);
  Object.assign(map, {
    [path.join(folder, 'missing.usda')]: path.join(far, 'remote.usda'),
    'layer/b': path.join(far, 'b.usda'),
    'loop/a': path.join(far, 'cycle.usda'),
    'asset/c': path.join(far, 'pkg.usdz'),
    'pkgid/x': path.join(far, 'fromPackage.txt'),
    'fifo/id': path.join(far, 'fifo'),
  });
  app = await createResolutionServer({ map });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  setResolverEnv({ AR_HTTP_SERVER_URL: url });
});

afterAll(async () => {
  setResolverEnv({});
  await app.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('pin(): a stage\'s resolution frozen', () => {
  test('every asset path the filesystem lacks is pinned, layers reached through answers are followed, cycles end', async () => {
    const result = await pin([path.join(folder, 'stage.usda')]);
    const expected: [string, string | null][] = [
      // "../missing.usda" anchored on the layer naming it; search-path-style ids stay bare.
      [path.join(folder, 'missing.usda'), path.join(far, 'remote.usda')],
      ['12', null],
      ['asset/c', path.join(far, 'pkg.usdz')],
      ['deep/id', null],
      ['fifo/id', path.join(far, 'fifo')],
      ['layer/b', path.join(far, 'b.usda')],
      ['loop/a', path.join(far, 'cycle.usda')],
      ['pkgid/x', path.join(far, 'fromPackage.txt')],
      ['tex/unknown', null],
    ];
    expect(Object.entries(result.file.pins).sort()).toEqual([...expected].sort());
    expect(result.file).toMatchObject({ format: 'ar-http-pins', version: 1, server: url, snapshot: null });
    expect(new Date(result.file.created).toISOString()).toBe(result.file.created);
    // stage, sub/a, d, remote, b, cycle, pkg.usdz, fromPackage.txt: each once.
    expect(result).toMatchObject({ layers: 8, pinned: 6, unresolved: 3 });
    // The 9 pinned plus what the filesystem answered: the stage, ./sub/a.usda, ./d.usda.
    expect(result.assetPaths).toBe(12);
    expect(result.unresolvedPaths).toEqual([
      { identifier: '12', namedBy: path.join(folder, 'stage.usda') },
      { identifier: 'deep/id', namedBy: path.join(far, 'fromPackage.txt') },
      { identifier: 'tex/unknown', namedBy: path.join(folder, 'stage.usda') },
    ]);
    expect(result.problems).toEqual([{ path: path.join(far, 'fifo'), reason: 'not a regular file' }]);
    // Keys in byte order, written as the file holds them: "12" is not moved first as an object would.
    const text = JSON.parse(result.text) as PinFile;
    expect(Object.keys(text).slice(0, 6)).toEqual(['format', 'version', 'server', 'snapshot', 'created', 'pins']);
    const keys = [...result.text.matchAll(/^ {4}("(?:[^"\\]|\\.)*"):/gm)].map((match) => JSON.parse(match[1]) as string);
    expect(keys).toEqual(expected.map(([key]) => key));
    expect(text.pins).toEqual(result.file.pins);
  });

  test('two pins of the same thing are byte-identical but for created; the server given is written in', async () => {
    const first = await pin([path.join(folder, 'stage.usda')]);
    const second = await pin([path.join(folder, 'stage.usda')], { server: url });
    expect(second.file.created >= first.file.created).toBe(true);
    expect(timeless(second.text)).toBe(timeless(first.text));
    const other = `${url}/`;
    expect(JSON.parse((await pin([path.join(folder, 'stage.usda')], { server: other })).text)).toMatchObject({ server: other });
  });

  test('a stage given by id is resolved by the server and pinned too', async () => {
    const result = await pin(['layer/b']);
    expect(result.file.pins).toMatchObject({ 'layer/b': path.join(far, 'b.usda'), 'loop/a': path.join(far, 'cycle.usda') });
    expect(result.layers).toBe(2);
  });

  test('refused arguments and stages that are not there fail with a code', async () => {
    await expect(pin([])).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(pin(['x'], { snapshot: 'no spaces' })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
      message: expect.stringContaining('snapshot "no spaces" is not 1 to 128 characters'),
    });
    await expect(pin([path.join(folder, 'nowhere.usda')])).rejects.toMatchObject({
      code: ErrorCodes.PIN_FAILED,
      message: expect.stringContaining('neither the filesystem nor the server resolves it'),
    });
    await expect(pin([path.join(far, 'pkg.usdz'), path.join(folder, 'sub')])).rejects.toMatchObject({
      code: ErrorCodes.PIN_FAILED,
      message: `ar-http: stage ${path.join(folder, 'sub')}: not a regular file`,
    });
  });

  test('a server that fails while pinning fails the pin: nothing is frozen as unresolved', async () => {
    const stopped = await createResolutionServer({ map });
    const stoppedUrl = await stopped.listen({ host: '127.0.0.1', port: 0 });
    await stopped.close();
    const out = path.join(folder, 'failed.json');
    // Twice: the second pin is not answered from the first one's failure (fail-fast) without a word.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(pin([path.join(folder, 'stage.usda')], { server: stoppedUrl, out })).rejects.toMatchObject({
        code: ErrorCodes.PIN_FAILED,
        message: expect.stringContaining('the server failed'),
      });
    }
    expect(readdirSync(folder)).not.toContain('failed.json');
  });
});

describe('the pin file is written atomically', () => {
  test('an existing file is replaced whole, and no temporary file is left', async () => {
    const outFolder = mkdtempSync(path.join(folder, 'out-'));
    const out = path.join(outFolder, 'pins.json');
    writeFileSync(out, 'x'.repeat(100000));
    const result = await pin([path.join(folder, 'stage.usda')], { out });
    expect(readFileSync(out, 'utf8')).toBe(result.text);
    expect(readdirSync(outFolder)).toEqual(['pins.json']);
  });

  test('a write that fails leaves the old file as it was, and no temporary file', async () => {
    const outFolder = mkdtempSync(path.join(folder, 'out-'));
    const out = path.join(outFolder, 'pins.json');
    writeFileSync(out, 'the old pins');
    // No file may grow past 0 bytes (SIGXFSZ ignored: the write fails with EFBIG).
    const failed = await run('bash', [
      '-c',
      `trap '' XFSZ; ulimit -f 0; exec "${process.execPath}" "${cliPath}" pin stage.usda --out "${out}"`,
    ], { AR_HTTP_SERVER_URL: url }, { cwd: folder });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`ar-http: cannot write the pin file ${out}: `);
    expect(readFileSync(out, 'utf8')).toBe('the old pins');
    expect(readdirSync(outFolder)).toEqual(['pins.json']);
    await expect(pin([path.join(folder, 'stage.usda')], { out: path.join(folder, 'no', 'such', 'folder.json') })).rejects.toMatchObject({
      code: ErrorCodes.PIN_FAILED,
    });
  });
});

describe('ar-http pin', () => {
  test('writes the same content as pin(), prints a summary, lists the unresolved on stderr, exits 0', async () => {
    const out = path.join(folder, 'cli.json');
    const cli = await runCli(['pin', path.join(folder, 'stage.usda'), '--out', out], { AR_HTTP_SERVER_URL: url });
    expect(cli.stdout).toBe(`8 layers, 12 asset paths, 6 pinned, 3 unresolved -> ${out}\n`);
    expect(cli.stderr).toContain(`ar-http: unresolved: tex/unknown (named by ${path.join(folder, 'stage.usda')})\n`);
    expect(cli.stderr).toContain(`ar-http: not followed: ${path.join(far, 'fifo')}: not a regular file\n`);
    // No terminal: no progress line.
    expect(cli.stderr).not.toContain('layers read');
    expect(cli.status).toBe(0);
    const api = await pin([path.join(folder, 'stage.usda')]);
    expect(timeless(readFileSync(out, 'utf8'))).toBe(timeless(api.text));
  });

  test('--strict fails on unresolved asset paths (the file is written); without --out the file goes to stdout', async () => {
    const strict = await runCli(['pin', path.join(folder, 'stage.usda'), '--strict', '--server', url], {});
    expect(strict.status).toBe(1);
    const file = JSON.parse(strict.stdout) as PinFile;
    expect(file).toMatchObject({ server: url, snapshot: null });
    expect(strict.stderr).toContain('8 layers, 12 asset paths, 6 pinned, 3 unresolved\n');
    const complete = await runCli(['pin', path.join(far, 'b.usda'), '--strict', '--out', path.join(folder, 'b.json')], {
      AR_HTTP_SERVER_URL: url,
    });
    // b names loop/a, whose cycle names layer/b and fifo/id: all known.
    expect(complete).toMatchObject({ status: 0, stdout: `2 layers, 4 asset paths, 3 pinned, 0 unresolved -> ${path.join(folder, 'b.json')}\n` });
  });

  test('usage errors exit 2', async () => {
    const bare = await runCli(['pin']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('ar-http: pin needs at least one stage');
  });
});

describe('layers by URL (remote content)', () => {
  test('the ids named inside remote layers are pinned, relative paths anchored on the URL; a pinned run needs no id server', async () => {
    const served = mkdtempSync(path.join(folder, 'served-'));
    const work = mkdtempSync(path.join(folder, 'remote-'));
    // The chair names an id, a file beside it, one that is missing, and a package by URL.
    layer(
      path.join(served, 'chair', 'chair.usda'),
      `def "Chair" (references = [@chair/material@</Material>, @./geom.usda@</Geom>, @./missing.usda@</M>, @remote/pkg@</Pkg>]) {}`,
    );
    layer(path.join(served, 'chair', 'geom.usda'), `def "Geom" (references = @geom/inner@</Inner>) {}`);
    writeUsdz(path.join(served, 'chair', 'pkg.usdz'), [
      { name: 'root.usda', data: Buffer.from('#usda 1.0\ndef "Pkg" (references = [@./inner.usda@</PkgInner>, @pkgid/y@</Y>]) {\n  asset t = @textures/t.png@\n}\n') },
      { name: 'inner.usda', data: Buffer.from('#usda 1.0\ndef "PkgInner" (references = @sub.usda@</Sub>) {\n  custom int pkgInner = 1\n}\n') },
      { name: 'sub.usda', data: Buffer.from('#usda 1.0\ndef "Sub" {}\n') },
    ]);
    layer(path.join(work, 'material.usda'), 'def "Material" {\n  custom int material = 1\n}');
    layer(path.join(work, 'inner.usda'), 'def "Inner" {\n  custom int inner = 1\n}');
    layer(path.join(work, 'stage.usda'), 'def "Seat" (references = @remote/chair@</Chair>) {}');
    const content = await staticServer(served);
    const ids = await createResolutionServer({
      map: {
        'remote/chair': content.urlOf('chair/chair.usda'),
        'remote/pkg': content.urlOf('chair/pkg.usdz'),
        'chair/material': path.join(work, 'material.usda'),
        'geom/inner': path.join(work, 'inner.usda'),
      },
    });
    const cache = path.join(work, 'cache');
    try {
      const idsUrl = await ids.listen({ host: '127.0.0.1', port: 0 });
      setResolverEnv({ AR_HTTP_SERVER_URL: idsUrl, AR_HTTP_CONTENT_CACHE_DIR: cache });
      const out = path.join(work, 'pins.json');
      const result = await pin([path.join(work, 'stage.usda')], { out });
      // URLs are their own answers: only ids are pinned, those inside remote layers and packages too.
      expect(result.file.pins).toEqual({
        'chair/material': path.join(work, 'material.usda'),
        'geom/inner': path.join(work, 'inner.usda'),
        'pkgid/y': null,
        'remote/chair': content.urlOf('chair/chair.usda'),
        'remote/pkg': content.urlOf('chair/pkg.usdz'),
      });
      // stage, chair, geom, pkg.usdz, material, inner; the package's ./inner.usda and textures stay inside it.
      expect(result).toMatchObject({ layers: 6, pinned: 4, unresolved: 1 });
      expect(result.problems).toEqual([
        { path: content.urlOf('chair/missing.usda'), reason: expect.stringMatching(/^unavailable: .*404/) },
      ]);
      expect(content.notFound.get('chair/missing.usda')).toBe(1);
      // A stage given by URL is read the same way.
      const byUrl = await pin([content.urlOf('chair/chair.usda')]);
      expect(Object.keys(byUrl.file.pins).sort()).toEqual(['chair/material', 'geom/inner', 'pkgid/y', 'remote/pkg']);
      if (!usd || !('pinFile' in config())) return;
      await ids.close();
      // The id server is gone: the pin answers every id, the remote layers come from the content server.
      const flattened = await run(usd.usdcat, ['--flatten', path.join(work, 'stage.usda')], {
        PXR_PLUGINPATH_NAME: usd.pluginPath,
        AR_HTTP_SERVER_URL: idsUrl,
        AR_HTTP_PIN_FILE: out,
        AR_HTTP_CONTENT_CACHE_DIR: cache,
      });
      expect(flattened.status).toBe(0);
      // Each layer's content, composed: Material, Geom with Inner's, the package's inner layer.
      for (const marker of ['material', 'inner', 'pkgInner']) expect(flattened.stdout).toContain(`${marker} = 1`);
      // What USD could not open is only what was missing when pinned.
      const missing = [...flattened.stderr.matchAll(/Could not open asset @([^@]*)@/g)].map((match) => match[1]);
      expect(missing.sort()).toEqual([content.urlOf('chair/missing.usda'), 'pkgid/y'].sort());
    } finally {
      setResolverEnv({ AR_HTTP_SERVER_URL: url });
      if (ids.server.listening) await ids.close();
      await content.close();
    }
  });
});

describe('a 10,000-layer stage', () => {
  test('pins completely', async () => {
    const big = mkdtempSync(path.join(folder, 'big-'));
    const bigMap: Record<string, string> = {};
    const ids: string[] = [];
    writeFileSync(path.join(big, 'texture.png'), 'png');
    for (let i = 0; i < 10000; i += 1) {
      const id = `layers/${String(i).padStart(5, '0')}`;
      ids.push(id);
      const file = path.join(big, `l${i}.usda`);
      writeFileSync(file, `#usda 1.0\ndef "L${i}" {\n  asset t = @./texture.png@\n  asset u = @tex/${i}@\n}\n`);
      bigMap[id] = file;
      bigMap[`tex/${i}`] = path.join(big, 'texture.png');
    }
    writeFileSync(path.join(big, 'stage.usda'), `#usda 1.0\n(\n  subLayers = [\n${ids.map((id) => `    @${id}@`).join(',\n')}\n  ]\n)\n`);
    const bigServer = await createResolutionServer({ map: bigMap });
    try {
      const bigUrl = await bigServer.listen({ host: '127.0.0.1', port: 0 });
      const result = await pin([path.join(big, 'stage.usda')], { server: bigUrl });
      expect(result).toMatchObject({ layers: 10001, pinned: 20000, unresolved: 0, problems: [] });
      expect(Object.keys(result.file.pins)).toHaveLength(20000);
      expect(result.file.pins['layers/09999']).toBe(path.join(big, 'l9999.usda'));
    } finally {
      await bigServer.close();
    }
  });
});

describeWithUsd('a crate stage', () => {
  test('its asset paths are read by the crate scanner and pinned', async () => {
    const text = path.join(folder, 'crate-source.usda');
    layer(text, `(\n  subLayers = [@layer/b@]\n)\ndef "C" (references = @asset/c@) {}`);
    const crate = path.join(folder, 'crate.usdc');
    const converted = await writeCrate(usd!.usdcat, text, crate);
    expect(converted.status).toBe(0);
    const result = await pin([crate]);
    expect(result.file.pins).toMatchObject({
      'layer/b': path.join(far, 'b.usda'),
      'asset/c': path.join(far, 'pkg.usdz'),
      'pkgid/x': path.join(far, 'fromPackage.txt'),
    });
  });
});

// The resolver reads pin files and asks as of snapshots once issue 20's native side is in the binding.
const readsPins = 'pinFile' in config();
if (!readsPins) process.stderr.write('\n*** SKIPPING the pin round trips: this binding reads no pin files (no AR_HTTP_PIN_FILE) ***\n\n');
const describeWithPins = readsPins ? describe : describe.skip;

describeWithPins('round trips through the resolver', () => {
  test('with AR_HTTP_PIN_FILE and the server stopped, every pinned id answers what the server answered', async () => {
    const server = await createResolutionServer({ map });
    const serverUrl = await server.listen({ host: '127.0.0.1', port: 0 });
    const out = path.join(folder, 'round-trip.json');
    const result = await pin([path.join(folder, 'stage.usda')], { server: serverUrl, out });
    await server.close();
    const ids = Object.keys(result.file.pins);
    const resolved = await runCli(['resolve', ...ids], { AR_HTTP_PIN_FILE: out, AR_HTTP_SERVER_URL: serverUrl });
    expect(resolved.stdout).toBe(ids.map((id) => `${result.file.pins[id] ?? ''}\n`).join(''));
  });

  test('a pin as of a snapshot holds its answers, whatever changed since; an unknown snapshot fails the pin', async () => {
    const server = await createResolutionServer({ map });
    try {
      const serverUrl = await server.listen({ host: '127.0.0.1', port: 0 });
      const taken = (await (await fetch(`${serverUrl}${Protocol.snapshotsPath}`, { method: 'POST' })).json()) as { id: string };
      const moved = await fetch(`${serverUrl}/_ar/mappings/${encodeURIComponent('layer/b')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resolvedPath: path.join(far, 'remote.usda') }),
      });
      expect(moved.ok).toBe(true);
      const asOf = await pin([path.join(folder, 'stage.usda')], { server: serverUrl, snapshot: taken.id });
      expect(asOf.text).toContain(`\n  "snapshot": ${JSON.stringify(taken.id)},\n`);
      expect(asOf.file).toMatchObject({ snapshot: taken.id, pins: { 'layer/b': path.join(far, 'b.usda'), 'loop/a': path.join(far, 'cycle.usda') } });
      const latest = await pin([path.join(folder, 'stage.usda')], { server: serverUrl });
      expect(latest.file.pins['layer/b']).toBe(path.join(far, 'remote.usda'));
      // remote.usda names nothing: the cycle is no longer reached.
      expect(latest.file.pins).not.toHaveProperty('loop/a');
      // Twice: the resolver warns of an unknown snapshot once, but no pin of it may succeed.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        await expect(pin([path.join(folder, 'stage.usda')], { server: serverUrl, snapshot: 'no-such-snapshot' })).rejects.toMatchObject({
          code: ErrorCodes.PIN_FAILED,
        });
      }
    } finally {
      await server.close();
    }
  });
});
