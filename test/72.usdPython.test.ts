/**
 * ar-http from OpenUSD's Python, as pipeline scripts, usdview and hython reach it: the module ArHttp
 * (build-usd/python/ArHttp, built when OpenUSD has Python) wraps ArHttpContext for
 * Ar.ResolverContext, and Ar.GetResolver() resolves through the plugin. Driven by the python3 that
 * OpenUSD was built with; skipped, loudly, against an OpenUSD without Python.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { countingServer } from '../bench/usdTools';
import { sampleMap } from '../lib';
import { run } from './helpers/run';
import { usd } from './helpers/usd';

const root = path.join(__dirname, '..');
const samples = path.join(root, 'samples');
if (usd && !usd.python) {
  process.stderr.write(`\n*** SKIPPING the Python tests: the OpenUSD at ${usd.location} was built without Python ***\n\n`);
}
const describeWithPython = usd?.python ? describe : describe.skip;

describeWithPython('ArHttp from OpenUSD Python', () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  let folder: string;
  const map = sampleMap();

  /** Runs `script` in OpenUSD's python3, with ar-http's plugin and module on its paths. */
  const python = (script: string, env: Record<string, string> = {}) =>
    run(usd!.python!, ['-c', script], {
      PYTHONPATH: [path.join(usd!.location, 'lib', 'python'), path.join(root, 'build-usd', 'python')].join(path.delimiter),
      PXR_PLUGINPATH_NAME: usd!.pluginPath,
      PXR_AR_DISABLE_PLUGIN_RESOLVER: '',
      ...env,
    });

  beforeAll(async () => {
    server = await countingServer((assetPath) => map.get(assetPath));
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-python-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('Usd.Stage.Open(path, Ar.ResolverContext(ArHttp.Context(url))) resolves ids through that server alone', async () => {
    const result = await python(
      [
        'from pxr import Ar, Usd',
        'import ArHttp',
        `stage = Usd.Stage.Open(${JSON.stringify(path.join(samples, 'stage.usda'))}, Ar.ResolverContext(ArHttp.Context(${JSON.stringify(server.url)})))`,
        'print(sorted(p.GetName() for p in stage.Traverse()))',
        'print(stage.GetPathResolverContext().Get()[0])',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`['Prim1', 'Prim2']\nArHttp.Context('${server.url}')\n`);
    expect([...server.requests.keys()].sort()).toEqual(['id0x01', 'id0x02']);
  });

  test('Ar.GetResolver().Resolve("id0x01") goes through ar-http, bound contexts and the environment alike', async () => {
    const result = await python(
      [
        'from pxr import Ar',
        'import ArHttp',
        'resolver = Ar.GetResolver()',
        'print(resolver.Resolve("id0x01"))',
        `with Ar.ResolverContextBinder(Ar.ResolverContext(ArHttp.Context(${JSON.stringify(server.url)}))):`,
        '    print(resolver.Resolve("id0x02"))',
        'print(type(resolver.CreateContextFromString("https://assets.example;pathFormat=/v1/%s").Get()[0]).__name__)',
      ].join('\n'),
      { AR_HTTP_SERVER_URL: server.url },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${map.get('id0x01')}\n${map.get('id0x02')}\nContext\n`);
  });

  test('ArHttp.Context: settings, a refused URL named by GetError, equality and hashing, FromString', async () => {
    const result = await python(
      [
        'import ArHttp',
        'c = ArHttp.Context("https://assets.example:8443", "/v1/%s", {"Authorization": "Bearer secret"})',
        'print(c.IsValid(), "secret" in repr(c), "/v1/%s" in repr(c))',
        'print(c == ArHttp.Context("https://assets.example:8443", "/v1/%s", {"Authorization": "Bearer secret"}), c != ArHttp.Context())',
        'print(len({c, ArHttp.Context("https://assets.example:8443", "/v1/%s", {"Authorization": "Bearer secret"})}))',
        'bad = ArHttp.Context("ftp://nowhere")',
        'print(bad.IsValid(), "ftp://nowhere" in bad.GetError())',
        'print(ArHttp.Context.FromString("https://assets.example:8443;pathFormat=/v1/%s") == ArHttp.Context("https://assets.example:8443", "/v1/%s"))',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('True False True\nTrue True\n1\nFalse True\nTrue\n');
  });

  test('beside the default resolver: arhttp: ids resolve from Python, plain ids stay the default resolver\'s', async () => {
    const layer = path.join(folder, 'uri.usda');
    writeFileSync(layer, '#usda 1.0\ndef "A" (references = @arhttp:id0x01@</Prim1>) {}\n');
    const result = await python(
      [
        'from pxr import Ar, Usd',
        'resolver = Ar.GetResolver()',
        'print(repr(resolver.Resolve("arhttp:id0x01")), repr(resolver.Resolve("id0x01")))',
        `stage = Usd.Stage.Open(${JSON.stringify(layer)})`,
        'print(stage.GetPrimAtPath("/A").GetPrimStack()[-1].layer.realPath)',
      ].join('\n'),
      { AR_HTTP_SERVER_URL: server.url, PXR_AR_DISABLE_PLUGIN_RESOLVER: '1' },
    );
    // USD's banner for the overridden setting, nothing else.
    expect(result.stderr).toMatch(/^#+\n# +PXR_AR_DISABLE_PLUGIN_RESOLVER is overridden to 'true'.*\n#+\n$/);
    expect(result.stdout).toBe(`Ar.ResolvedPath('${map.get('id0x01')}') Ar.ResolvedPath()\n${map.get('id0x01')}\n`);
  });
});
