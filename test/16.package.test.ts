/**
 * The package as an app gets it: `npm pack` with the prebuild, installed into an empty app with
 * `--ignore-scripts` and a PATH holding node and npm only (no compiler, no pkg-config, no shell), then used
 * from CommonJS, ESM and TypeScript. One tarball and one installed app serve the suite; the npm cache is
 * the user's, so dependencies come from the registry once.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { run, type RunResult } from './helpers/run';
import { startTestServer, type TestServer } from './helpers/testServer';

const root = path.join(__dirname, '..');
const platform = `${process.platform}-${process.arch}`;
const prebuilds = path.join(root, 'prebuilds', platform);
// The same parsing of `ldd` as the script that made the prebuild.
const { dependencies, system } = require(path.join(root, 'native', 'bundleLibraries.js')) as {
  dependencies(file: string): { name: string; found: string }[];
  system: RegExp;
};
const versionOf = (name: string): string => (require(path.join(root, 'node_modules', name, 'package.json')) as { version: string }).version;

const describeOnLinuxX64 = platform === 'linux-x64' ? describe : describe.skip;
if (platform !== 'linux-x64') console.error(`test/16: prebuilds are made for linux-x64 only; skipping the package suite on ${platform}`);

let work: string;
let app: string;
let bin: string;
let installed: string;
let tarball: string;
let server: TestServer;

/** Runs `command` in the app, PATH holding node and npm only. */
function inApp(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120000): Promise<RunResult> {
  return run(command, args, { PATH: bin, ...env }, { cwd: app, timeoutMs });
}

/** The prebuild, made in a copy of the sources (a build in place would pull build/Release from under other suites). */
async function makePrebuild(): Promise<void> {
  const staging = path.join(work, 'staging');
  mkdirSync(staging);
  for (const entry of ['package.json', 'binding.gyp', 'native', 'protocol']) cpSync(path.join(root, entry), path.join(staging, entry), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(staging, 'node_modules'));
  const made = await run('npm', ['run', 'prebuild'], {}, { cwd: staging, timeoutMs: 20 * 60000 });
  if (made.status !== 0) throw new Error(`npm run prebuild failed:\n${made.stdout}\n${made.stderr}`);
  cpSync(path.join(staging, 'prebuilds', platform), prebuilds, { recursive: true });
}

beforeAll(async () => {
  if (platform !== 'linux-x64') return;
  if (!existsSync(path.join(root, 'dist', 'lib', 'index.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does)');
  work = mkdtempSync(path.join(os.tmpdir(), 'ar-http-package-'));
  if (!existsSync(prebuilds) || !readdirSync(prebuilds).some((name) => name.endsWith('.node'))) await makePrebuild();

  // dist/ is built already (npm test builds it first): --ignore-scripts keeps `prepare` from rewriting it under other suites.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {}, { cwd: root });
  expect(packed.status).toBe(0);
  tarball = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);

  bin = path.join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  const npmCli = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(path.join(npmCli, 'npm', 'bin', 'npm-cli.js'), path.join(bin, 'npm'));

  app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const install = await inApp(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', tarball, `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`],
    {},
    10 * 60000,
  );
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stdout}\n${install.stderr}`);
  installed = path.join(app, 'node_modules', 'ar-http');

  server = await startTestServer({ '/asset-16.usda': { body: '/layers/from-server.usda' }, '*': { status: 404 } });
}, 30 * 60000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describeOnLinuxX64('the packed package, installed with --ignore-scripts and no compiler', () => {
  test('the app had no compiler, pkg-config or shell to build with, and nothing was built', () => {
    for (const tool of ['cc', 'g++', 'make', 'pkg-config', 'sh']) {
      expect(spawnSync(tool, ['--version'], { env: { PATH: bin } }).error).toMatchObject({ code: 'ENOENT' });
    }
    expect(existsSync(path.join(installed, 'build'))).toBe(false);
    expect(existsSync(path.join(installed, 'LICENSE'))).toBe(true);
  });

  test('ldd: every library the prebuild carries is found inside the package, libcpp-httplib among them', () => {
    const folder = path.join(installed, 'prebuilds', platform);
    const needed = dependencies(path.join(folder, 'ar-http.node'));
    expect(needed.filter(({ found }) => !found)).toEqual([]);
    const carried = needed.filter(({ name }) => !system.test(name));
    expect(carried.map(({ name }) => name)).toContain('libcpp-httplib.so.0.11');
    for (const { found } of carried) expect(path.dirname(found)).toBe(folder);
  });

  test('CommonJS: require("ar-http") resolves through a loopback server with the libraries of the package', async () => {
    const script = `const ar = require('ar-http');
      const resolved = ar.resolve('asset-16.usda');
      const mapped = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n')
        .map((line) => line.split(/\\s+/)[5]).filter((file) => file && /libcpp-httplib/.test(file));
      process.stdout.write(JSON.stringify({ resolved, backend: ar.backend(), from: require.resolve('ar-http'), httplib: [...new Set(mapped)] }));`;
    const result = await inApp('node', ['-e', script], { AR_HTTP_SERVER_URL: server.url });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { resolved: string; backend: string; from: string; httplib: string[] };
    expect(out).toEqual({
      resolved: '/layers/from-server.usda',
      backend: 'standalone',
      from: path.join(installed, 'dist', 'lib', 'index.js'),
      httplib: [path.join(installed, 'prebuilds', platform, 'libcpp-httplib.so.0.11')],
    });
    expect((await server.stats()).requests.map((request) => request.url)).toContain('/asset-16.usda');
  });

  // The machine has libcpp-httplib installed (it builds the addon); a mount namespace hides every system copy of
  // what the prebuild carries, as on a machine without them. Needs the right to mount (root in a container).
  const canHide = spawnSync('unshare', ['-m', 'mount', '--bind', '/dev/null', '/dev/null'], { stdio: 'ignore' }).status === 0;
  if (!canHide) console.error('test/16: unshare -m cannot mount here; skipping the run with the system libraries hidden');
  (canHide ? test : test.skip)('with the system copies of the carried libraries hidden: the prebuild still loads and resolves', async () => {
    const folder = path.join(installed, 'prebuilds', platform);
    const carried = dependencies(path.join(folder, 'ar-http.node')).filter(({ name }) => !system.test(name)).map(({ name }) => name);
    const systemCopies = [...new Set(carried.flatMap((name) => ['/lib', '/usr/lib', '/lib64', '/usr/lib64'].flatMap((dir) =>
      [path.join(dir, 'x86_64-linux-gnu', name), path.join(dir, name)])).filter((file) => existsSync(file)).map((file) => realpathSync(file)))];
    const hide = systemCopies.map((file) => `mount --bind /dev/null '${file}'`);
    const resolveIt = `PATH='${bin}' node -p "require('ar-http').resolve('asset-16.usda')"`;
    const result = await run('unshare', ['-m', 'sh', '-c', [...hide, resolveIt].join(' && ')], { AR_HTTP_SERVER_URL: server.url }, { cwd: app });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('/layers/from-server.usda');
  });

  // npm 11's script policy (allowScripts): an app that denies the install scripts, with --strict-allow-scripts so
  // that none runs unreviewed. With no shell on the PATH, a script npm ran would fail the install.
  const policyKnown = spawnSync('npm', ['help', 'install-scripts'], { stdio: 'ignore' }).status === 0;
  (policyKnown ? test : test.skip)('install scripts denied, --strict-allow-scripts: the install passes and the prebuild resolves', async () => {
    const denying = path.join(work, 'denying');
    mkdirSync(denying);
    const allowScripts = { [`file:${tarball}`]: false, 'better-sqlite3': false };
    writeFileSync(path.join(denying, 'package.json'), JSON.stringify({ name: 'denying', version: '1.0.0', private: true, allowScripts }));
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--strict-allow-scripts', tarball], { PATH: bin }, { cwd: denying, timeoutMs: 10 * 60000 });
    expect(install.stderr).not.toMatch(/npm error/);
    expect(install.status).toBe(0);
    const resolved = await run('node', ['-p', "require('ar-http').resolve('asset-16.usda')"], { PATH: bin, AR_HTTP_SERVER_URL: server.url }, { cwd: denying });
    expect(resolved.stderr).toBe('');
    expect(resolved.stdout.trim()).toBe('/layers/from-server.usda');
  }, 10 * 60000);

  test('ESM: named imports from ar-http, ar-http/server and ar-http/client', async () => {
    writeFileSync(
      path.join(app, 'esm.mjs'),
      `import { resolveAsync, createIdentifier } from 'ar-http';
      import { createResolutionServer, ErrorCodes } from 'ar-http/server';
      import { AsyncClient, ArHttpStatusError } from 'ar-http/client';
      const kinds = [createResolutionServer, AsyncClient, ArHttpStatusError].map((value) => typeof value);
      process.stdout.write(JSON.stringify({ resolved: await resolveAsync('asset-16.usda'), anchored: createIdentifier('./a.usda', '/shots/b.usda'),
        code: ErrorCodes.BINDING_NOT_LOADED, kinds }));`,
    );
    const result = await inApp('node', ['esm.mjs'], { AR_HTTP_SERVER_URL: server.url });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      resolved: '/layers/from-server.usda',
      anchored: '/shots/a.usda',
      code: 'ERR_AR_HTTP_BINDING_NOT_LOADED',
      kinds: ['function', 'function', 'function'],
    });
  });

  describe('TypeScript without esModuleInterop, skipLibCheck false', () => {
    const resolutions: [string, string][] = [['node16', 'node16'], ['nodenext', 'nodenext'], ['bundler', 'esnext'], ['node10', 'commonjs']];

    /**
     * tsc --noEmit on the consumer `name` under `moduleResolution`: its diagnostics, one a line. Under node16 and
     * nodenext the consumer is checked both as CommonJS (.ts) and as an ES module (.mts).
     */
    async function check(name: string, moduleResolution: string, module: string): Promise<string[]> {
      const config = path.join(app, `tsconfig.${name}.${moduleResolution}.json`);
      const files = ['node16', 'nodenext'].includes(moduleResolution) ? [`${name}.ts`, `${name}.mts`] : [`${name}.ts`];
      const compilerOptions = {
        module, moduleResolution, target: 'es2022', strict: true, noEmit: true, types: ['node'],
        skipLibCheck: false, esModuleInterop: false, allowSyntheticDefaultImports: false,
      };
      writeFileSync(config, JSON.stringify({ compilerOptions, files }));
      const result = await inApp('node', [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', config]);
      return result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    }

    beforeAll(() => {
      const consumers = {
        consumer: `import { resolve, resolveAsync, type ResolverConfig, type Resolution } from 'ar-http';
        import { createResolutionServer, type ResolutionServerOptions } from 'ar-http/server';
        export const resolved: string = resolve('a.usda');
        export const later: Promise<string> = resolveAsync('a.usda');
        export type Used = [ResolverConfig, Resolution, ResolutionServerOptions, typeof createResolutionServer];`,
        client: `import { AsyncClient, ArHttpError } from 'ar-http/client';
        export const client: AsyncClient = new AsyncClient('http://127.0.0.1:9');
        export const failure: ArHttpError | undefined = undefined;`,
      };
      for (const [name, text] of Object.entries(consumers)) {
        for (const extension of ['ts', 'mts']) writeFileSync(path.join(app, `${name}.${extension}`), text);
      }
    });

    test.each(resolutions)('ar-http/client alone under %s: no error at all', async (moduleResolution, module) => {
      expect(await check('client', moduleResolution, module)).toEqual([]);
    });

    // Fastify's types reach pino's, whose `import ThreadStream from 'thread-stream'` (pino 10) needs
    // allowSyntheticDefaultImports: that error is pino's; none may come from ar-http's declarations.
    test.each(resolutions)('ar-http and ar-http/server under %s: no error in ar-http\'s declarations', async (moduleResolution, module) => {
      const errors = await check('consumer', moduleResolution, module);
      expect(errors.filter((line) => !/^node_modules\/pino\/pino\.d\.ts\(\d+,\d+\): error TS1259: .*thread-stream/.test(line))).toEqual([]);
    });
  });
});
