import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ArHttpError, ArHttpTypeError, backend, config, createIdentifier, ErrorCodes, pluginPath, resolve, resolveAsync, resolveMany } from '../lib';
import { usdBindingPath } from '../lib/native/binding';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let server: TestServer;
const root = path.join(__dirname, '..');

// Wrong arguments, as the addon or the TypeScript layer refuses them: one kind of error.
const typeError = (words = ''): object =>
  expect.objectContaining({
    name: 'TypeError',
    code: ErrorCodes.INVALID_ARGUMENT,
    message: expect.stringMatching(new RegExp(`^ar-http: (?!ar-http: ).*${words}`)),
  });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

beforeAll(async () => {
  server = await startTestServer({ '/known': { body: '/known.usda' }, '*': { status: 404 } });
  setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
});
afterAll(async () => {
  setResolverEnv({});
  await server.close();
});

describe('the typed API', () => {
  test('backend is "usd" when the USD-linked binding is built (and not refused), else "standalone"', () => {
    const usd = existsSync(usdBindingPath()) && process.env.AR_HTTP_BACKEND !== 'standalone';
    expect(backend()).toBe(usd ? 'usd' : 'standalone');
  });

  test.each([
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object', { path: 'x' }],
  ])('resolve(%s) throws TypeError', (_, value) => {
    expect(thrown(() => resolve(value as unknown as string))).toEqual(typeError('assetPath must be a string'));
    expect(thrown(() => createIdentifier(value as unknown as string))).toEqual(typeError());
  });

  test('wrong anchors and options throw TypeError', () => {
    expect(thrown(() => resolve('x', { anchor: 5 as unknown as string }))).toEqual(typeError('anchor must be a string'));
    expect(thrown(() => resolve('x', 'anchor' as unknown as object))).toEqual(typeError('options must be an object'));
    expect(thrown(() => createIdentifier('x', [] as unknown as string))).toEqual(typeError('anchor must be a string'));
  });

  test('a NUL in an asset path is refused, not truncated', async () => {
    expect(thrown(() => resolve('/etc/passwd\u0000.usda'))).toEqual(typeError('must not contain NUL'));
    await expect(resolveAsync('known\u0000')).rejects.toEqual(typeError('must not contain NUL'));
  });

  test('the async forms reject instead of throwing', async () => {
    await expect(resolveAsync(1 as unknown as string)).rejects.toEqual(typeError());
    await expect(resolveMany('known' as unknown as string[])).rejects.toEqual(typeError('must be an array'));
    await expect(resolveMany(['known', 2 as unknown as string])).rejects.toEqual(typeError());
  });

  test('the errors are instances of TypeError and ArHttpTypeError, in Jest and outside', () => {
    expect(() => resolve(42 as unknown as string)).toThrow(ArHttpTypeError);
    expect(() => resolve('x', { context: { serverUrl: 'ftp://x' } })).toThrow(TypeError);
    const script = `const { resolve, ArHttpTypeError } = require(${JSON.stringify(require.resolve('../dist/lib'))});
      try { resolve(42); } catch (e) { process.stdout.write(String(e instanceof TypeError && e instanceof ArHttpTypeError)); }`;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('true');
  });

  test('a USD-linked binding that does not load: a warning with the reason, then the standalone one', () => {
    // A copy of the package whose USD-linked binding is not a shared library.
    const copy = mkdtempSync(path.join(os.tmpdir(), 'ar-http-loader-'));
    try {
      writeFileSync(path.join(copy, 'package.json'), JSON.stringify({ name: 'ar-http' }));
      cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true });
      symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
      cpSync(path.join(root, 'build', 'Release', 'ar_http.node'), path.join(copy, 'build', 'Release', 'ar_http.node'));
      mkdirSync(path.join(copy, 'build-usd', 'Release'), { recursive: true });
      writeFileSync(path.join(copy, 'build-usd', 'Release', 'ar_http_usd.node'), 'not a library');
      const script = `process.stdout.write(require(${JSON.stringify(path.join(copy, 'dist', 'lib'))}).backend())`;
      const result = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, AR_HTTP_BACKEND: '' },
      });
      expect(result.stdout).toBe('standalone');
      expect(result.stderr).toContain('[AR_HTTP_BINDING] ArHttpWarning');
      expect(result.stderr).toContain('ar_http_usd.node did not load');
      expect(result.stderr).toContain('resolving with the standalone binding');

      const forced = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, AR_HTTP_BACKEND: 'usd' },
      });
      expect(forced.status).not.toBe(0);
      expect(forced.stderr).toContain('ERR_AR_HTTP_BINDING_NOT_LOADED');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test.each([
    ['missing', null, /No native build was found/],
    ['broken', 'not a library', /invalid ELF header|file too short/],
  ])('a %s standalone build: importing works, the first call throws one error naming the fix', (_, content, reason) => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'ar-http-nobuild-'));
    try {
      writeFileSync(path.join(copy, 'package.json'), JSON.stringify({ name: 'ar-http' }));
      cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true });
      symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
      if (content !== null) {
        mkdirSync(path.join(copy, 'build', 'Release'), { recursive: true });
        writeFileSync(path.join(copy, 'build', 'Release', 'ar_http.node'), content);
      }
      const script = `const ar = require(${JSON.stringify(path.join(copy, 'dist', 'lib'))});
        process.stdout.write('imported\\n');
        for (const call of [() => ar.resolve('x'), () => ar.backend()]) {
          try { call(); } catch (e) { process.stdout.write(JSON.stringify({ code: e.code, message: e.message }) + '\\n'); }
        }`;
      const result = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, AR_HTTP_BACKEND: 'standalone' },
      });
      expect(result.stderr).toBe('');
      const [imported, ...errors] = result.stdout.split('\n').filter(Boolean);
      expect(imported).toBe('imported');
      expect(errors).toHaveLength(2);
      for (const error of errors.map((text) => JSON.parse(text) as { code: string; message: string })) {
        expect(error.code).toBe(ErrorCodes.BINDING_NOT_LOADED);
        expect(error.message).toMatch(/^ar-http: the native binding could not be loaded \(/);
        expect(error.message).toMatch(reason);
        expect(error.message).toContain('run `npm rebuild ar-http`');
        expect(error.message).toContain('`npm install-scripts approve ar-http`');
        expect(error.message).not.toContain('\n');
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('bundled away from its package folder: one error saying to keep ar-http external', () => {
    const bundle = mkdtempSync(path.join(os.tmpdir(), 'ar-http-bundled-'));
    try {
      cpSync(path.join(root, 'dist'), path.join(bundle, 'dist'), { recursive: true });
      symlinkSync(path.join(root, 'node_modules'), path.join(bundle, 'node_modules'));
      const script = `const ar = require(${JSON.stringify(path.join(bundle, 'dist', 'lib'))});
        try { ar.sampleMap(); } catch (e) { process.stdout.write(e.code + ' ' + e.message); }`;
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: bundle });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^ERR_AR_HTTP_PACKAGE_NOT_FOUND ar-http: no package.json of ar-http above .*mark it external$/);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  test('every message gets its prefix in one place: no source types it by hand', () => {
    const sources = execFileSync('git', ['ls-files', 'lib', 'native/addon', 'native/addon-usd'], { cwd: root, encoding: 'utf8' });
    const typed = sources
      .split('\n')
      .filter((file) => /\.(ts|cpp|h)$/.test(file) && file !== 'lib/errors.ts')
      .filter((file) => /["'`]ar-http: /.test(readFileSync(path.join(root, file), 'utf8')));
    expect(typed).toEqual([]);
  });

  test('resolveMany keeps the input order', async () => {
    await expect(resolveMany(['nope', 'known', 'nope', 'known'])).resolves.toEqual(['', '/known.usda', '', '/known.usda']);
    await expect(resolveMany([])).resolves.toEqual([]);
  });

  test('config() reports the server in use', () => {
    expect(config().serverUrl).toBe(server.url);
  });

  test('pluginPath() says how to build the plugin when it is not built', () => {
    let error: unknown;
    try {
      pluginPath();
    } catch (caught) {
      error = caught;
    }
    if (error === undefined) return; // the USD plugin is built on this machine
    expect(error).toBeInstanceOf(ArHttpError);
    expect(error).toMatchObject({ code: ErrorCodes.PLUGIN_NOT_BUILT });
    expect((error as Error).message).toContain('npm run build:usd');
  });
});
