import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer } from '../lib';
import { runCli } from './helpers/cli';
import { createDemoService } from './helpers/demoService';
import { startServe } from './helpers/serve';

const root = path.join(__dirname, '..');
const token = 'cli-admin-token';

describe('ar-http mappings: the admin API through the AsyncClient', () => {
  let app: FastifyInstance;
  let address: string;

  beforeAll(async () => {
    app = await createResolutionServer({ token, map: { id0x01: '/prod/layer1.usda' } });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  const mappings = (args: string[], env: Record<string, string> = { AR_HTTP_SERVER_TOKEN: token }) =>
    runCli(['mappings', ...args, '--server', address], env);

  test('set, get, list, delete; the resolution route sees every change', async () => {
    expect(await mappings(['set', 'models/chair.usda', '/prod/chair.usda'])).toMatchObject({
      status: 0,
      stdout: 'added: models/chair.usda -> /prod/chair.usda\n',
    });
    expect(await mappings(['set', 'models/chair.usda', '/prod/chair-2.usda'])).toMatchObject({
      status: 0,
      stdout: 'replaced: models/chair.usda -> /prod/chair-2.usda\n',
    });
    const resolved = await fetch(`${address}/models%2Fchair.usda`, { headers: { authorization: `Bearer ${token}` } });
    expect(await resolved.text()).toBe('/prod/chair-2.usda');

    expect(await mappings(['get', 'models/chair.usda'])).toMatchObject({ status: 0, stdout: '/prod/chair-2.usda\n' });
    expect(await mappings(['list'])).toMatchObject({
      status: 0,
      stdout: 'id0x01\t/prod/layer1.usda\nmodels/chair.usda\t/prod/chair-2.usda\n',
    });
    const json = await mappings(['list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ id0x01: '/prod/layer1.usda', 'models/chair.usda': '/prod/chair-2.usda' });

    expect(await mappings(['delete', 'models/chair.usda'])).toMatchObject({ status: 0, stdout: 'removed: models/chair.usda\n' });
    expect((await fetch(`${address}/models%2Fchair.usda`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect(await mappings(['get', 'models/chair.usda'])).toMatchObject({
      status: 1,
      stdout: '',
      stderr: `ar-http: no mapping for "models/chair.usda" on ${address}\n`,
    });
    expect(await mappings(['delete', 'models/chair.usda'])).toMatchObject({ status: 1 });

    // Through the client's chain for /_ar/mappings/{asset_path}/history.
    const history = await mappings(['history', 'models/chair.usda']);
    expect(history.status).toBe(0);
    expect(history.stdout.split('\n').filter(Boolean).map((line) => line.split('\t')[1])).toEqual([
      '/prod/chair-2.usda -> (removed)',
      '/prod/chair.usda -> /prod/chair-2.usda',
      '(none) -> /prod/chair.usda',
    ]);
  });

  test('the server comes from AR_HTTP_SERVER_URL when --server is not given', async () => {
    const result = await runCli(['mappings', 'get', 'id0x01'], { AR_HTTP_SERVER_URL: address, AR_HTTP_SERVER_TOKEN: token });
    expect(result).toMatchObject({ status: 0, stdout: '/prod/layer1.usda\n' });
  });

  test('no token, a wrong token, a refused mapping: one clear line, exit status 1', async () => {
    expect(await mappings(['list'], {})).toMatchObject({
      status: 1,
      stdout: '',
      stderr: `ar-http: ${address} wants a bearer token (401): set AR_HTTP_SERVER_TOKEN\n`,
    });
    const wrong = await mappings(['list'], { AR_HTTP_SERVER_TOKEN: 'not-it' });
    expect(wrong).toMatchObject({ status: 1, stderr: `ar-http: ${address} refused the token in AR_HTTP_SERVER_TOKEN (401)\n` });
    expect(wrong.stderr).not.toContain('not-it');
    const reserved = await mappings(['set', '_ar/x', '/a']);
    expect(reserved.status).toBe(1);
    expect(reserved.stderr).toMatch(/answered 400: the asset path is reserved/);
  });

  test('usage errors exit with status 2', async () => {
    const none = await runCli(['mappings']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('ar-http: mappings needs one of list, get, set, delete');
    const short = await runCli(['mappings', 'set', 'only-one']);
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('ar-http: usage: ar-http mappings set <assetPath> <resolvedPath>');
  });

  test('a server without an admin API, and one that cannot be reached', async () => {
    const resolver = await createResolutionServer({ resolve: () => '/x' });
    const resolverAddress = await resolver.listen({ host: '127.0.0.1', port: 0 });
    try {
      const result = await runCli(['mappings', 'list', '--server', resolverAddress]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`ar-http: ${resolverAddress} has no admin API for mappings`);
    } finally {
      await resolver.close();
    }
    const closed = http.createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as { port: number };
    await new Promise((done) => closed.close(done));
    const unreachable = await runCli(['mappings', 'list', '--server', `http://127.0.0.1:${port}`]);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/ECONNREFUSED/);
  });

  test('end to end with `ar-http serve` and its token variable; the sample map is read-only', async () => {
    const sample = await startServe(['--quiet']);
    try {
      const refused = await runCli(['mappings', 'set', 'shots/010', '/prod/shot010.usda'], { AR_HTTP_SERVER_URL: sample.address });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe(`ar-http: ${sample.address} answered 405: this server's store is read-only (a map file or the sample map): serve --store sqlite:FILE or postgres://...\n`);
    } finally {
      expect(await sample.stop()).toBe(0);
    }
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-cli-store-'));
    const server = await startServe(['--quiet', '--store', `sqlite:${path.join(folder, 'mappings.db')}`], { AR_HTTP_SERVER_TOKEN: token });
    try {
      const env = { AR_HTTP_SERVER_URL: server.address, AR_HTTP_SERVER_TOKEN: token };
      expect(await runCli(['mappings', 'set', 'shots/010', '/prod/shot010.usda'], env)).toMatchObject({ status: 0 });
      const resolved = await runCli(['resolve', 'shots/010'], { AR_HTTP_SERVER_URL: server.address, AR_HTTP_HEADER_Authorization: `Bearer ${token}` });
      expect(resolved).toMatchObject({ status: 0, stdout: '/prod/shot010.usda\n' });
    } finally {
      expect(await server.stop()).toBe(0);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('ar-http client-types', () => {
  let folder: string;
  let demo: Awaited<ReturnType<typeof createDemoService>>;
  let address: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-types-'));
    demo = await createDemoService();
    address = await demo.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await demo.app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('writes a module that types a client; misuse fails to compile', async () => {
    const out = path.join(folder, 'demoApi.ts');
    const generated = await runCli(['client-types', address, '--out', out, '--import', path.join(root, 'dist', 'lib')]);
    expect(generated).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const module = readFileSync(out, 'utf8');
    expect(module).toContain(`// Generated by \`ar-http client-types\` from ${address}.`);
    expect(module).toContain('"/items/{item_id}": {');
    expect(module).toContain('export type Client = AsyncClient<typeof description>;');

    writeFileSync(
      path.join(folder, 'use.ts'),
      `import { AsyncClient } from ${JSON.stringify(path.join(root, 'dist', 'lib'))};
import { description, type Client } from './demoApi';

export async function use(uri: string): Promise<string> {
  const client: Client = new AsyncClient(uri, { openapi: description });
  const item = await client.items.post({ name: 'x' });
  const again: { id: string; name: string; tags: string[] } = await client.items.get({ item_id: item.id });
  const settings = await client.queue.settings.put({ workers: 3 });
  const workers: number | undefined = settings.settings.workers;
  const text: string = await client.jobs.log_lines.get({ job_id: again.id });
  return text + String(workers);
}

export async function misuse(client: Client): Promise<void> {
  // @ts-expect-error no such path
  await client.itemz.get();
  // @ts-expect-error name is required
  await client.items.post({});
  // @ts-expect-error format is png or jpg
  await client.capture_application_screenshot.get({ format: 'gif' });
}
`,
    );
    writeFileSync(
      path.join(folder, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node',
          types: ['node'],
          typeRoots: [path.join(root, 'node_modules', '@types')],
          skipLibCheck: true,
        },
        files: ['use.ts'],
      }),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = await promisify(execFile)(process.execPath, [tsc, '-p', folder]).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(compiled).toEqual({ code: 0, output: '' });

    // The same check fails when a use is wrong: the module's types are real.
    writeFileSync(path.join(folder, 'use.ts'), readFileSync(path.join(folder, 'use.ts'), 'utf8').replace("{ name: 'x' }", '{}'));
    const broken = await promisify(execFile)(process.execPath, [tsc, '-p', folder]).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/use\.ts\(6,/);
  }, 90000);

  test('reads a description file; refuses what is not OpenAPI 3', async () => {
    const file = path.join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify({ openapi: '3.1.0', paths: { '/a-b': { get: {} } } }));
    const fromFile = await runCli(['client-types', file]);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toContain('export const description = {\n  "openapi": "3.1.0",');

    writeFileSync(file, JSON.stringify({ swagger: '2.0', paths: {} }));
    const swagger = await runCli(['client-types', file]);
    expect(swagger).toMatchObject({ status: 1 });
    expect(swagger.stderr).toContain(`the OpenAPI description ${file} is Swagger 2.0`);

    const html = await runCli(['client-types', `${address}/text`]);
    expect(html.status).toBe(1);
    expect(html.stderr).toMatch(/^ar-http: GET http:\/\/127\.0\.0\.1:\d+\/text\/openapi\.json -> 404 Not Found/);
    expect((await runCli(['client-types'])).status).toBe(2);
  });
});
