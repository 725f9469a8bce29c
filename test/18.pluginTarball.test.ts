/**
 * The plugin on its own: `npm run pack:plugin` writes a tarball that works unpacked in an empty
 * folder with the clone gone (hidden under an empty tmpfs in a mount namespace of its own, where
 * this machine allows one), from usdcat and, for an OpenUSD with Python, from its python3. Its
 * libraries need nothing beyond the system's, OpenSSL 3, OpenUSD's and TBB (ldd), export only
 * ar-http's own types (nm -D), and a usdcat loading it loads one OpenUSD.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { countingServer } from '../bench/usdTools';
import { run } from './helpers/run';
import { describeWithUsd, usd } from './helpers/usd';

const root = path.join(__dirname, '..');
const { system } = require(path.join(root, 'native', 'bundleLibraries.js')) as { system: RegExp };

// Hiding the clone needs a mount namespace: root (CI), or a kernel that grants user namespaces.
const canHideClone =
  process.platform === 'linux' && spawnSync('unshare', ['-m', '--map-root-user', 'true']).status === 0;
if (usd && !canHideClone) {
  process.stderr.write('\n*** test/18: no mount namespace here (unshare -m): the tarball runs with the clone in place ***\n\n');
}

describeWithUsd('the plugin tarball (npm run pack:plugin)', () => {
  let folder: string;
  let unpacked: string;
  let tarball: string;
  let server: Awaited<ReturnType<typeof countingServer>>;

  /** `command args` with the clone hidden when the machine allows it. */
  const withoutClone = (command: string, args: string[], env: Record<string, string>) =>
    canHideClone
      ? run(
          'unshare',
          ['-m', '--map-root-user', 'sh', '-c', 'mount -t tmpfs none "$0" && exec "$@"', root, command, ...args],
          env,
          { cwd: folder },
        )
      : run(command, args, env, { cwd: folder });

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-tarball-'));
    const packed = await run('npm', ['run', 'pack:plugin'], {}, { cwd: root, timeoutMs: 300_000 });
    if (packed.status !== 0) throw new Error(`npm run pack:plugin failed:\n${packed.stdout}\n${packed.stderr}`);
    const name = /ar-http pack:plugin: (\S+\.tar\.gz)/.exec(packed.stdout)?.[1];
    if (!name) throw new Error(`npm run pack:plugin named no tarball:\n${packed.stdout}`);
    tarball = path.resolve(root, name);
    execFileSync('tar', ['xzf', tarball, '-C', folder]);
    unpacked = path.join(folder, path.basename(tarball, '.tar.gz'));
    writeFileSync(path.join(folder, 'asset.usda'), '#usda 1.0\ndef Xform "Asset" {\n    custom string tag = "from the server"\n}\n');
    writeFileSync(path.join(folder, 'shot.usda'), '#usda 1.0\ndef "Shot" (references = @assets/asset@</Asset>) {}\n');
    server = await countingServer((assetPath) => (assetPath === 'assets/asset' ? path.join(folder, 'asset.usda') : undefined));
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
    if (tarball) rmSync(tarball, { force: true });
  });

  test('is named for the OpenUSD it was built against and holds the plugin, its README and licence', () => {
    expect(path.basename(tarball)).toMatch(/^ar-http-plugin-\d+\.\d+\.\d+-usd\d+\.\d+(-monolithic)?(-python\d+\.\d+)?-linux-x64\.tar\.gz$/);
    expect(readdirSync(unpacked).sort()).toEqual(usd!.python ? ['LICENSE', 'README.md', 'plugin', 'python'] : ['LICENSE', 'README.md', 'plugin']);
    const plugin = readdirSync(path.join(unpacked, 'plugin'));
    expect(plugin).toEqual(expect.arrayContaining(['arHttp.so', 'arHttpTransport.so', 'plugInfo.json']));
    const info = JSON.parse(readFileSync(path.join(unpacked, 'plugin', 'plugInfo.json'), 'utf8'));
    expect(info.Plugins[0]).toMatchObject({ LibraryPath: 'arHttp.so', ResourcePath: '.', Root: '.' });
    // Every library carried for the transport comes with its licence notice.
    for (const name of plugin.filter((file) => /^lib.*\.so[.\d]*$/.test(file))) expect(plugin).toContain(`${name}.copyright`);
  });

  test('ldd: nothing beyond the system, OpenSSL 3, OpenUSD and TBB, the rest beside it; nm -D: only its own types', () => {
    const plugin = path.join(unpacked, 'plugin');
    const usdLib = path.join(usd!.location, 'lib');
    const ldd = (file: string) =>
      [...execFileSync('ldd', [file], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: usdLib } }).matchAll(
        /^\s*(\S+) => (\S+)/gm,
      )].map(([, name, found]) => ({ name, found }));
    for (const library of ['arHttp.so', 'arHttpTransport.so']) {
      const listed = ldd(path.join(plugin, library));
      // What OpenUSD's own libraries need (TBB, and Python's for a build with it) comes with OpenUSD.
      const usdNeeds = new Set(
        listed.filter(({ found }) => found.startsWith(`${usdLib}/`)).flatMap(({ found }) => ldd(found).map(({ name }) => name)),
      );
      for (const { name, found } of listed) {
        const fromUsd = found.startsWith(`${usdLib}/`) || usdNeeds.has(name);
        const beside = path.dirname(found) === plugin;
        expect({ library, name, found, ok: system.test(name) || fromUsd || beside }).toMatchObject({ ok: true });
      }
      const dynamic = execFileSync('readelf', ['-d', path.join(plugin, library)], { encoding: 'utf8' });
      const paths = [...dynamic.matchAll(/\((?:RPATH|RUNPATH)\).*\[(.*)\]/g)].map((match) => match[1]);
      expect({ library, paths }).toEqual({ library, paths: library === 'arHttpTransport.so' ? ['$ORIGIN'] : [] });
    }
    // What the plugin exports: ar-http's own types (and the templates USD instantiates for them), nothing else.
    const exported = execFileSync('nm', ['-D', '--defined-only', '-C', path.join(plugin, 'arHttp.so')], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').slice(2).join(' '))
      .filter((symbol) => !['_init', '_fini'].includes(symbol));
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.filter((symbol) => !symbol.includes('arhttp'))).toEqual([]);
  });

  test('unpacked in an empty folder, the clone gone: usdcat resolves through it, loading one OpenUSD', async () => {
    const result = await withoutClone(usd!.usdcat, ['--flatten', 'shot.usda'], {
      PXR_PLUGINPATH_NAME: path.join(unpacked, 'plugin'),
      AR_HTTP_SERVER_URL: server.url,
      LD_DEBUG: 'files',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('custom string tag = "from the server"');
    // The loader's log: each OpenUSD library it initialised, and from where.
    const inits = [...result.stderr.matchAll(/calling init: (\S+)/g)].map((match) => match[1]);
    const usdLibraries = inits.filter((file) => /\/libusd_\w+\.so/.test(file));
    expect(new Set(usdLibraries.map((file) => path.resolve(path.dirname(file))))).toEqual(new Set([path.join(usd!.location, 'lib')]));
    expect(usdLibraries.length).toBe(new Set(usdLibraries.map((file) => path.basename(file))).size);
    expect(inits).toContain(path.join(unpacked, 'plugin', 'arHttp.so'));
    expect(inits.filter((file) => file.startsWith(root))).toEqual([]);
  });

  const testWithPython = usd?.python ? test : test.skip;
  testWithPython('unpacked, the clone gone: python3 resolves through it with ArHttp.Context', async () => {
    const script = [
      'from pxr import Ar, Usd',
      'import ArHttp',
      `stage = Usd.Stage.Open("shot.usda", Ar.ResolverContext(ArHttp.Context(${JSON.stringify(server.url)})))`,
      'print(stage.GetPrimAtPath("/Shot").GetAttribute("tag").Get())',
      'print(Ar.GetResolver().Resolve("assets/asset"))',
    ].join('\n');
    const result = await withoutClone(usd!.python!, ['-c', script], {
      PXR_PLUGINPATH_NAME: path.join(unpacked, 'plugin'),
      PYTHONPATH: [path.join(usd!.location, 'lib', 'python'), path.join(unpacked, 'python')].join(path.delimiter),
      AR_HTTP_SERVER_URL: server.url,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`from the server\n${path.join(folder, 'asset.usda')}\n`);
  });
});
