/**
 * ArHttpUriResolver: ar-http beside another primary resolver, through the URI scheme `arhttp:`
 * (CMake's AR_HTTP_URI_SCHEMES, written into plugInfo.json). PXR_AR_DISABLE_PLUGIN_RESOLVER=1 leaves
 * USD's default resolver primary, as Maya USD's or Omniverse's would be: `@arhttp:assets/a1@`
 * resolves through ar-http, `@assets/a1@` stays the primary resolver's (unresolved). With ar-http
 * primary too, both forms share its one engine (one request per id).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { countingServer } from '../bench/usdTools';
import { type StaticServer, staticServer } from '../bench/staticServer';
import { run } from './helpers/run';
import { describeWithUsd, usd } from './helpers/usd';

const root = path.join(__dirname, '..');
const DEFAULT_PRIMARY = { PXR_AR_DISABLE_PLUGIN_RESOLVER: '1' };

/** CMake's configure step alone, into `build`: it writes plugin/plugInfo.json. */
function configure(build: string, schemes: string) {
  return spawnSync(
    'cmake',
    ['-S', root, '-B', build, `-DPXR_USD_LOCATION=${usd!.location}`, `-DAR_HTTP_URI_SCHEMES=${schemes}`],
    { encoding: 'utf8', timeout: 300_000 },
  );
}

type PlugInfo = { Plugins: Array<{ Info: { Types: Record<string, { uriSchemes?: string[] }> } }> };
const typesOf = (plugInfo: string) => (JSON.parse(readFileSync(plugInfo, 'utf8')) as PlugInfo).Plugins[0].Info.Types;

describeWithUsd('ArHttpUriResolver: ar-http through arhttp: beside another primary resolver', () => {
  let folder: string;
  let server: Awaited<ReturnType<typeof countingServer>>;
  let content: StaticServer;

  const stage = (name: string, reference: string): string => {
    const file = path.join(folder, name);
    writeFileSync(file, `#usda 1.0\ndef "Asset" (references = @${reference}@</A1>) {}\n`);
    return file;
  };
  // What the flattened stage says, less the line naming its root layer.
  const flat = (output: string) => output.replace(/doc = """Generated from Composed Stage of root layer .*\n"""/, '');
  const usdcat = (file: string, env: Record<string, string> = {}, pluginPath = usd!.pluginPath) =>
    run(usd!.usdcat, ['--flatten', file], {
      PXR_PLUGINPATH_NAME: pluginPath,
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_CONTENT_CACHE_DIR: path.join(folder, 'cache'),
      ...env,
    });

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-uri-'));
    mkdirSync(path.join(folder, 'store'));
    mkdirSync(path.join(folder, 'remote'));
    const a1 = '#usda 1.0\ndef Xform "A1" {\n    custom string tag = "a1"\n}\n';
    writeFileSync(path.join(folder, 'store', 'a1.usda'), a1);
    writeFileSync(path.join(folder, 'remote', 'a1.usda'), a1);
    content = await staticServer(path.join(folder, 'remote'));
    const answers = new Map([
      ['assets/a1', path.join(folder, 'store', 'a1.usda')],
      ['assets/remote', content.urlOf('a1.usda')],
    ]);
    server = await countingServer((assetPath) => answers.get(assetPath));
  });

  afterAll(async () => {
    await server?.close();
    await content?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(() => server.requests.clear());

  test('with the default resolver primary, @arhttp:assets/a1@ flattens like the local stage; the server is asked "assets/a1"', async () => {
    const local = await usdcat(stage('local.usda', './store/a1.usda'), DEFAULT_PRIMARY);
    const uri = await usdcat(stage('uri.usda', 'arhttp:assets/a1'), { ...DEFAULT_PRIMARY, TF_DEBUG: 'AR_HTTP', TF_DEBUG_OUTPUT_FILE: 'stderr' });
    expect(local.status).toBe(0);
    expect(uri.status).toBe(0);
    expect(local.stdout).toContain('custom string tag = "a1"');
    expect(flat(uri.stdout)).toBe(flat(local.stdout));
    // TF_DEBUG=AR_HTTP's one line at load.
    expect(uri.stderr).toMatch(
      /ArHttpResolver: loaded from \S+arHttp\.so as the resolver of URI schemes "arhttp" beside another primary resolver; server http:\/\/127\.0\.0\.1:\d+\S*; transport \S+arHttpTransport\.so loads\n/,
    );
    expect([...server.requests.keys()]).toEqual(['assets/a1']);
  });

  test('with the default resolver primary, @assets/a1@ (no scheme) stays unresolved and no server is asked', async () => {
    const bare = await usdcat(stage('bare.usda', 'assets/a1'), DEFAULT_PRIMARY);
    expect(bare.stdout).not.toContain('tag = "a1"');
    expect(bare.stderr).toMatch(/assets\/a1/);
    expect(server.requests.size).toBe(0);
  });

  test('with ar-http primary, @arhttp:assets/a1@ and @assets/a1@ share its one engine: one request in all', async () => {
    const file = path.join(folder, 'both.usda');
    writeFileSync(
      file,
      '#usda 1.0\ndef "Uri" (references = @arhttp:assets/a1@</A1>) {}\ndef "Bare" (references = @assets/a1@</A1>) {}\n' +
        // Schemes are case-insensitive (RFC 3986), for Ar and for ar-http.
        'def "Upper" (references = @ARHTTP:assets/a1@</A1>) {}\n',
    );
    const result = await usdcat(file, { TF_DEBUG: 'AR_HTTP', TF_DEBUG_OUTPUT_FILE: 'stderr' });
    expect(result.status).toBe(0);
    expect(result.stdout.match(/tag = "a1"/g)).toHaveLength(3);
    expect(result.stderr).toContain('as the primary resolver (and of URI schemes "arhttp")');
    expect(result.stderr.match(/ArHttpResolver: loaded from/g)).toHaveLength(1);
    // Asked ahead as what the URI stands for, never as "arhttp:assets/a1".
    expect(Object.fromEntries(server.requests)).toEqual({ 'assets/a1': 1 });
  });

  test('a URL answer beside another primary resolver: a warning naming the build option, unless http(s) are our schemes', async () => {
    const remote = stage('remote.usda', 'arhttp:assets/remote');
    const refused = await usdcat(remote, DEFAULT_PRIMARY);
    expect(refused.stdout).not.toContain('tag = "a1"');
    expect(refused.stderr).toContain('AR_HTTP_URI_SCHEMES="arhttp;http;https"');
    expect(content.downloads.get('a1.usda')).toBeUndefined();

    // The same library, with the plugInfo.json CMake writes for AR_HTTP_URI_SCHEMES=arhttp;http;https.
    const build = path.join(folder, 'build-schemes');
    const configured = configure(build, 'arhttp;http;https');
    expect({ status: configured.status, stderr: configured.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(typesOf(path.join(build, 'plugin', 'plugInfo.json'))['arhttp::ArHttpUriResolver'].uriSchemes).toEqual([
      'arhttp',
      'http',
      'https',
    ]);
    for (const file of readdirSync(usd!.pluginPath).filter((name) => name.endsWith('.so'))) {
      copyFileSync(path.join(usd!.pluginPath, file), path.join(build, 'plugin', file));
    }
    const opened = await usdcat(remote, DEFAULT_PRIMARY, path.join(build, 'plugin'));
    expect(opened.status).toBe(0);
    expect(opened.stdout).toContain('custom string tag = "a1"');
    expect(opened.stderr).not.toContain('AR_HTTP_URI_SCHEMES');
    expect(content.downloads.get('a1.usda')).toBe(1);
  }, 300_000);

  test('AR_HTTP_URI_SCHEMES: empty leaves the URI resolver out of plugInfo.json; a bad scheme stops CMake naming it', () => {
    const none = path.join(folder, 'build-none');
    expect(configure(none, '').status).toBe(0);
    const types = typesOf(path.join(none, 'plugin', 'plugInfo.json'));
    expect(Object.keys(types)).toEqual(['arhttp::ArHttpResolver']);

    const bad = configure(path.join(folder, 'build-bad'), 'arhttp;ar http');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.replace(/\s+/g, ' ')).toContain('AR_HTTP_URI_SCHEMES holds "ar http", which is not a URI scheme');
  }, 300_000);
});
