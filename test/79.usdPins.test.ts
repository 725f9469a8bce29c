import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { run } from './helpers/run';
import { startSnapshotServer, type SnapshotServer } from './helpers/snapshotServer';
import { describeWithUsd, usd } from './helpers/usd';

function usdcat(args: string[], env: Record<string, string>, cwd: string) {
  return run(usd!.usdcat, args, { PXR_PLUGINPATH_NAME: usd!.pluginPath, ...env }, { cwd });
}

describeWithUsd('ArHttpResolver with snapshots, pin files and path mapping (issue 20)', () => {
  let folder: string;
  let server: SnapshotServer;
  let localFlatten: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-usd-pins-'));
    writeFileSync(path.join(folder, 'chair.usda'), '#usda 1.0\ndef Xform "Chair" {\n    custom double legs = 4\n}\n');
    writeFileSync(path.join(folder, 'lamp.usda'), '#usda 1.0\ndef Xform "Lamp" {\n    custom double watts = 60\n}\n');
    writeFileSync(path.join(folder, 'byId.usda'),
      '#usda 1.0\ndef "Seat" (references = @models/chair@</Chair>) {}\ndef "Light" (references = @props/lamp@</Lamp>) {}\n');
    writeFileSync(path.join(folder, 'byPath.usda'),
      '#usda 1.0\ndef "Seat" (references = @./chair.usda@</Chair>) {}\ndef "Light" (references = @./lamp.usda@</Lamp>) {}\n');
    // The server's paths are another site's: AR_HTTP_PATH_MAP brings them here.
    server = await startSnapshotServer({
      latest: { 'models/chair': '/site-b/chair.usda', 'props/lamp': '/site-b/lamp.usda' },
      snapshots: { s7: { 'models/chair': '/site-b/chair.usda', 'props/lamp': '/site-b/lamp.usda' } },
    });
    const local = await usdcat(['--flatten', 'byPath.usda'], {}, folder);
    expect(local.status).toBe(0);
    localFlatten = local.stdout;
  });
  afterAll(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('a pin file answers with no connection to the server, and the HTTP transport is never loaded', async () => {
    const pins = path.join(folder, 'pins.json');
    writeFileSync(pins, JSON.stringify({
      format: 'ar-http-pins', version: 1, server: server.url, snapshot: 's7', created: '2026-12-02T05:00:00.000Z',
      pins: { 'models/chair': '/site-b/chair.usda', 'props/lamp': '/site-b/lamp.usda' },
    }));
    const before = (await server.stats()).connections;
    const result = await usdcat(['--flatten', 'byId.usda'], {
      AR_HTTP_SERVER_URL: server.url, AR_HTTP_PIN_FILE: pins, AR_HTTP_PATH_MAP: `/site-b=${folder}`, LD_DEBUG: 'files',
    }, folder);
    expect(result.status).toBe(0);
    // The same stage but for the root layer's name in its doc string.
    expect(result.stdout.replace('/byId.usda', '/byPath.usda')).toBe(localFlatten);
    expect(result.stderr).toContain('arHttp.so');
    expect(result.stderr).not.toContain('arHttpTransport');
    const stats = await server.stats();
    expect(stats.connections).toBe(before);
  });

  test('as of a snapshot: the query on every request, and GetAssetInfo carries the change number and the snapshot', async () => {
    await server.reset();
    const out = path.join(folder, 'flat.usda');
    const result = await usdcat(['--flatten', 'byId.usda', '-o', out], {
      AR_HTTP_SERVER_URL: server.url, AR_HTTP_SNAPSHOT: 's7', AR_HTTP_PATH_MAP: `/site-b=${folder}`, TF_DEBUG: 'AR_HTTP',
    }, folder);
    expect(result.status).toBe(0);
    const debug = result.stdout + result.stderr;
    expect(debug).toContain('ArHttpResolver: asset info of "models/chair": cache, version 1, snapshot s7');
    expect(debug).toContain('ArHttpResolver: asset info of "props/lamp": cache, version 2, snapshot s7');
    const urls = (await server.stats()).requests.map((request) => request.url);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/[?&]snapshot=s7$/);
  });
});
