import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { run } from './helpers/run';
import { startServe } from './helpers/serve';

// ar-http as an app gets it: the packed tarball installed into an empty app, once for the suite.
// Without scripts: what is tested here (the server, stores, build:usd) needs no native binding.
const repo = path.join(__dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'ar-http-deps-'));
const app = path.join(work, 'app');
const installed = path.join(app, 'node_modules');
const cli = path.join(installed, 'ar-http', 'dist', 'lib', 'cli', 'main.js');
let tarball: string;

/** npm, outside any `npm test` that runs this: none of its npm_* settings (its prefix, …) leak in. */
function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const flags = ['--no-audit', '--no-fund', '--prefer-offline'];
  const result = spawnSync('npm', [...args, ...(args[0] === 'install' ? flags : [])], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function emptyApp(folder: string, dependencies: Record<string, string> = {}): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies }));
}

function installs(name: string): boolean {
  return existsSync(path.join(installed, name, 'package.json'));
}

/** A script run in the app, where `require('ar-http')` is the installed copy. */
function inApp(script: string) {
  return run(process.execPath, ['-e', script], {}, { cwd: app, timeoutMs: 30_000 });
}

const openStoreScript = (spec: string): string =>
  `require('ar-http/server').openStore(${JSON.stringify(spec)}).then(` +
  `(s) => s.close().then(() => console.log('opened')), (e) => console.log(e.code + ' ' + e.message))`;

beforeAll(() => {
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo);
  expect(packed.status).toBe(0);
  tarball = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  emptyApp(app);
  const install = npm(['install', '--ignore-scripts', tarball], app);
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm install ar-http: fastify comes as its peer; pg, the docs and cmake-js do not', () => {
  test('fastify is installed; pg, @fastify/swagger-ui and cmake-js are not', () => {
    expect(installs('fastify')).toBe(true);
    expect(['pg', '@fastify/swagger-ui', 'cmake-js'].filter(installs)).toEqual([]);
  });

  test('ar-http serve answers; /docs, its log and its first line name @fastify/swagger-ui and the command', async () => {
    const server = await startServe([], {}, cli);
    try {
      const answer = await fetch(`${server.address}/id0x01`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe(path.join(installed, 'ar-http', 'samples', 'layer1.usda'));
      const docs = await fetch(`${server.address}/docs`);
      expect(docs.status).toBe(501);
      const off = 'ar-http: /docs is off: it needs @fastify/swagger-ui, an optional peer dependency that is not installed: run `npm install @fastify/swagger-ui`';
      expect(await docs.text()).toBe(`${off}\n`);
      expect(server.output()).toContain(`"msg":"${off}"`);
      expect(server.output()).toContain('(no docs: npm install @fastify/swagger-ui; store the sample map)');
    } finally {
      await server.stop();
    }
  }, 60_000);

  test('a postgres:// store names pg and `npm install pg` (ERR_AR_HTTP_BAD_STORE), from code and from serve', async () => {
    const spec = 'postgres://ar:secret@127.0.0.1:1/assets';
    const need = 'PostgreSQL stores need pg, an optional peer dependency that is not installed: run `npm install pg`';
    expect((await inApp(openStoreScript(spec))).stdout).toBe(`ERR_AR_HTTP_BAD_STORE ar-http: postgres://ar@127.0.0.1:1/assets: ${need}\n`);
    const served = await run(process.execPath, [cli, 'serve', '--port', '0', '--store', spec], {}, { cwd: app });
    expect(served.status).toBe(1);
    expect(served.stderr).toBe(`ar-http: postgres://ar@127.0.0.1:1/assets: ${need}\n`);
  }, 60_000);

  test('a sqlite: store whose better-sqlite3 was not built names npm rebuild and npm install-scripts approve', async () => {
    expect(installs('better-sqlite3')).toBe(true);
    const result = await inApp(openStoreScript(`sqlite:${path.join(work, 'mappings.db')}`));
    expect(result.stdout).toMatch(
      /^ERR_AR_HTTP_BAD_STORE ar-http: SQLite stores need better-sqlite3, whose native part did not build or load \(.+\): run `npm rebuild better-sqlite3`, after `npm install-scripts approve better-sqlite3` if npm skipped its install script\n$/,
    );
    // Nothing half-made: the store's file was never created.
    expect(existsSync(path.join(work, 'mappings.db'))).toBe(false);
  }, 60_000);

  test('npm explore ar-http -- npm run build:usd says in one line to install cmake-js', () => {
    const result = npm(['explore', 'ar-http', '--', 'npm', 'run', 'build:usd'], app);
    expect(result.status).not.toBe(0);
    const ours = result.stderr.split('\n').filter((line) => line.startsWith('ar-http:'));
    expect(ours).toEqual([
      'ar-http: npm run build:usd needs cmake-js, which ar-http does not install: run `npm install --save-dev cmake-js@8` ' +
        'in your app (a clone has it after `npm ci`), then build:usd again',
    ]);
  }, 60_000);

  test('an app on fastify 4 is told at install (ERESOLVE on the peer), not at register()', () => {
    const older = path.join(work, 'fastify4');
    emptyApp(older, { fastify: '^4.28.0' });
    const result = npm(['install', '--dry-run', '--ignore-scripts', tarball], older);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERESOLVE');
    expect(result.stderr).toMatch(/peer fastify@"\^5\.\d+\.\d+" from ar-http@/);
  }, 120_000);
});

describe('npm install --omit=peer --omit=optional: what needs a missing package names it', () => {
  beforeAll(() => {
    const install = npm(['install', '--omit=peer', '--omit=optional', '--ignore-scripts'], app);
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    expect(['fastify', 'better-sqlite3'].filter(installs)).toEqual([]);
  }, 300_000);

  test('ar-http, ar-http/server and ar-http/client load; createResolutionServer() names fastify (ERR_AR_HTTP_DEPENDENCY_MISSING)', async () => {
    const result = await inApp(
      "const [main, server, client] = ['ar-http', 'ar-http/server', 'ar-http/client'].map(require);" +
        "console.log(typeof main.resolve, typeof server.resolutionRoutes, typeof client.AsyncClient);" +
        "server.createResolutionServer().catch((e) => console.log(e.code + ' ' + e.message));",
    );
    expect(result.stdout).toBe(
      'function function function\n' +
        'ERR_AR_HTTP_DEPENDENCY_MISSING ar-http: the resolution server needs fastify 5, a peer dependency that is not installed: run `npm install fastify@5`\n',
    );
  }, 60_000);

  test('ar-http serve names fastify in one line', async () => {
    const result = await run(process.execPath, [cli, 'serve', '--port', '0'], {}, { cwd: app });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'ar-http: the resolution server needs fastify 5, a peer dependency that is not installed: run `npm install fastify@5`\n',
    );
  }, 60_000);

  test('a sqlite: store names better-sqlite3 and `npm install better-sqlite3`', async () => {
    const result = await inApp(openStoreScript(`sqlite:${path.join(work, 'mappings.db')}`));
    expect(result.stdout).toBe(
      'ERR_AR_HTTP_BAD_STORE ar-http: SQLite stores need better-sqlite3, an optional dependency that is not installed: run `npm install better-sqlite3`\n',
    );
  }, 60_000);
});
