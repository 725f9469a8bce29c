import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runCli } from './helpers/cli';
import { startServe } from './helpers/serve';
import { startTestServer, type TestServer } from './helpers/testServer';

const samples = path.join(__dirname, '..', 'samples');

describe('ar-http serve', () => {
  test('serves the sample map, logs requests and stops cleanly on SIGTERM', async () => {
    const server = await startServe([]);
    const resolved = await runCli(['resolve', 'id0x01', 'id0x02'], { AR_HTTP_SERVER_URL: server.address });
    expect(resolved).toMatchObject({
      status: 0,
      stdout: `${path.join(samples, 'layer1.usda')}\n${path.join(samples, 'layer2.usda')}\n`,
    });
    expect(await server.stop()).toBe(0);
    // One batch request (standalone binding) or one per id (through OpenUSD).
    expect(server.output()).toMatch(/"url":"\/(id0x01|_ar\/resolve)"/);
    expect(server.output()).toContain('SIGTERM, shutting down');
  });

  test('--map replaces the sample map; --quiet logs no requests', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-cli-'));
    try {
      const map = path.join(folder, 'map.json');
      writeFileSync(map, JSON.stringify({ 'shots/010': 'shot010.usda' }));
      const server = await startServe(['--map', map, '--quiet']);
      const resolved = await runCli(['resolve', 'shots/010', 'id0x01'], { AR_HTTP_SERVER_URL: server.address });
      expect(resolved.stdout).toBe(`${path.join(folder, 'shot010.usda')}\n\n`);
      expect(resolved.stderr).toBe('ar-http: unresolved: id0x01\n');
      expect(resolved.status).toBe(1);
      expect(await server.stop()).toBe(0);
      expect(server.output()).not.toContain('"url"');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test.each([
    [['--port', 'http'], /--port "http" is not a port/],
    [['--port', '70000'], /--port "70000" is not a port/],
    [['--map', '/nonexistent/map.json'], /map file \/nonexistent\/map\.json/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('serve %j fails with a clear message', async (args, message) => {
    const result = await runCli(['serve', ...args]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});

describe('ar-http resolve', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ '/known': { body: '/known.usda' }, '*': { status: 404 } });
  });
  afterAll(() => server.close());

  test('exit status 0 when all resolve, 1 when any does not', async () => {
    const env = { AR_HTTP_SERVER_URL: server.url };
    expect(await runCli(['resolve', 'known'], env)).toEqual({ status: 0, stdout: '/known.usda\n', stderr: '' });
    expect(await runCli(['resolve', 'known', 'unknown'], env)).toEqual({
      status: 1,
      stdout: '/known.usda\n\n',
      stderr: 'ar-http: unresolved: unknown\n',
    });
  });

  test('--anchor resolves ./ paths beside the anchor, from the filesystem', async () => {
    const result = await runCli(['resolve', '--anchor', path.join(samples, 'stage.usda'), './layer2.usda'], {
      AR_HTTP_SERVER_URL: server.url,
    });
    expect(result).toEqual({ status: 0, stdout: `${path.join(samples, 'layer2.usda')}\n`, stderr: '' });
  });

  test('no asset path is a usage error', async () => {
    const result = await runCli(['resolve']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('resolve needs at least one asset path');
    expect(result.stderr).toContain('Usage: ar-http');
  });
});

describe('other commands', () => {
  test('config prints the settings as JSON, secrets redacted, warnings included', async () => {
    const result = await runCli(['config'], {
      AR_HTTP_SERVER_URL: 'http://127.0.0.1:9',
      AR_HTTP_HEADER_Authorization: 'Bearer hidden-value',
      AR_HTTP_TIMEOUT_MS: 'soon',
    });
    expect(result.status).toBe(0);
    const settings = JSON.parse(result.stdout);
    expect(settings).toMatchObject({
      serverUrl: 'http://127.0.0.1:9',
      headers: { Authorization: '<redacted>' },
      timeoutMs: 5000,
      warnings: [expect.stringContaining('AR_HTTP_TIMEOUT_MS "soon"')],
    });
    expect(result.stdout + result.stderr).not.toContain('hidden-value');
    expect(result.stderr).toContain('[AR_HTTP_CONFIG] ArHttpWarning');
  });

  test('plugin-path prints a folder holding plugInfo.json, or says how to build it', async () => {
    const result = await runCli(['plugin-path']);
    if (result.status === 0) {
      expect(result.stdout.trim()).toMatch(/build-usd\/plugin$/);
    } else {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('the USD plugin is not built');
      expect(result.stderr).toContain('npm run build:usd');
    }
  });

  test('demo runs the sample server and resolves both sample ids against it', async () => {
    const result = await runCli(['demo']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`id0x01 -> ${path.join(samples, 'layer1.usda')}`);
    expect(result.stdout).toContain(`id0x02 -> ${path.join(samples, 'layer2.usda')}`);
  });

  test('unknown commands and --help', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('plugin-path');
  });
});
