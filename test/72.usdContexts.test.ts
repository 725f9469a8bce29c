import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { run } from './helpers/run';
import { startTestServer, type TestServer } from './helpers/testServer';
import { buildUsdProgram, describeWithUsd, usd } from './helpers/usd';

describeWithUsd('ArHttpContext in a USD program', () => {
  let folder: string;
  let program: string;
  const servers: Record<'a' | 'b' | 'environment', TestServer> = {} as never;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-contexts-'));
    const layer = (name: string): string => {
      const file = path.join(folder, `${name}.usda`);
      writeFileSync(file, `#usda 1.0\ndef "Model" {\n    custom string from = "${name}"\n}\n`);
      return file;
    };
    for (const name of ['a', 'b', 'environment'] as const) {
      servers[name] = await startTestServer({ '/model': { body: layer(name) }, '*': { status: 404 } });
    }
    writeFileSync(path.join(folder, 'root.usda'), '#usda 1.0\ndef "Model" (references = @model@</Model>) {}\n');

    // A C++ program of the kind a pipeline writes, linked to the plugin for ArHttpContext.
    program = await buildUsdProgram('contexts', folder, true);
  }, 300_000);

  afterAll(async () => {
    for (const server of Object.values(servers)) await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('two stages composed at once resolve through the servers their contexts name', async () => {
    const { status, stdout, stderr } = await run(
      program,
      [path.join(folder, 'root.usda'), servers.a.url, servers.b.url],
      { PXR_PLUGINPATH_NAME: usd!.pluginPath, AR_HTTP_SERVER_URL: servers.environment.url },
    );
    expect(stderr).not.toMatch(/Coding Error|Fatal|Segmentation/);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['A a', 'B b', 'environment environment', 'refused <unresolved>']);
    // A refused context string is named, once, in a warning.
    expect(stderr.match(/context string: path format "\/%s\/%s" holds a '%' other than its one %s/g)).toHaveLength(1);
    // Anything but a server URL is still a search path, as ArDefaultResolver reads it.
    expect(stdout).toMatch(/search path Search path: \[\s*\/a\/b\s*\]/);
    expect(lines).toContain('context-dependent: model 1, root layer 0');
    expect(lines).toContain(`debug string ArHttpContext(${servers.b.url};header.X-Stage=b)`);
    // Hostile context strings (test/native/contexts.cpp) are all refused, each named in a warning
    // that never holds a secret or a raw control character.
    expect(lines).toContain('hostile refused 9');
    expect(stderr).not.toContain('hunter2');
    expect(stderr).not.toMatch(/\u001b/);
    expect(stderr).toContain('\\x1B[2Jhost');
    // Each server was asked by its own stage only, with that context's headers.
    const bRequests = (await servers.b.stats()).requests.filter((request) => request.url === '/model');
    expect(bRequests.length).toBeGreaterThan(0);
    expect(bRequests.every((request) => request.headers['x-stage'] === 'b')).toBe(true);
    const aRequests = (await servers.a.stats()).requests.filter((request) => request.url === '/model');
    expect(aRequests.length).toBeGreaterThan(0);
    expect(aRequests.every((request) => request.headers['x-stage'] === undefined)).toBe(true);
  }, 60_000);
});
