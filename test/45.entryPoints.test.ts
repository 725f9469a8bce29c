import path from 'node:path';

import { run } from './helpers/run';

const root = path.join(__dirname, '..');

/**
 * Loads `specifier` by the package's name (its exports map) in a new Node, runs `then` (which may
 * await) with it as `loaded`, and lists what it exports and the native addons loaded by then.
 */
async function load(specifier: string, then = ''): Promise<{ exports: string[]; native: string[]; packages: string[] }> {
  const script = `(async () => {
    const loaded = require(${JSON.stringify(specifier)});
    ${then};
    const files = Object.keys(require.cache);
    const native = files.filter((file) => file.endsWith('.node')).map((file) => require('path').basename(file));
    const packages = [...new Set(files.map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean))].sort();
    process.stdout.write(JSON.stringify({ exports: Object.keys(loaded).sort(), native, packages }));
  })();`;
  const result = await run(process.execPath, ['-e', script], {}, { cwd: root });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { exports: string[]; native: string[]; packages: string[] };
}

describe('entry points by role', () => {
  test('ar-http/server: the resolution server and its errors, and no native code', async () => {
    const server = await load('ar-http/server');
    expect(server.exports).toEqual(
      expect.arrayContaining(['createResolutionServer', 'loadMapFile', 'sampleMap', 'ReservedRoutes', 'ArHttpError', 'ErrorCodes']),
    );
    expect(server.exports).not.toContain('resolve');
    expect(server.native).toEqual([]);
    // Fastify and the rest load when a server is made.
    expect(server.packages).toEqual(['fastify-plugin']);
    expect((await load('ar-http/server', 'await loaded.createResolutionServer()')).packages).toEqual(
      expect.arrayContaining(['fastify', '@fastify/swagger', '@fastify/swagger-ui']),
    );
  });

  test('ar-http/client: the AsyncClient and its errors, and no native code', async () => {
    const client = await load('ar-http/client');
    expect(client.exports).toEqual(expect.arrayContaining(['AsyncClient', 'ArHttpStatusError', 'ArHttpError', 'ErrorCodes']));
    expect(client.exports).not.toContain('createResolutionServer');
    expect(client.native).toEqual([]);
    expect(client.packages).toEqual([]);
    expect((await load('ar-http/client', "new loaded.AsyncClient('http://127.0.0.1:9')")).packages).toEqual(['undici']);
  });

  test('ar-http: resolution, and everything the other two export; the binding loads on the first call', async () => {
    const all = await load('ar-http');
    expect(all.exports).toEqual(expect.arrayContaining(['resolve', 'resolveAsync', 'resolveMany', 'createResolutionServer', 'AsyncClient']));
    expect(all.native).toEqual([]);
    expect(all.packages).toEqual(['fastify-plugin']);
    expect((await load('ar-http', "loaded.createIdentifier('./layer.usda', '/shots/a.usda')")).native).toHaveLength(1);
  });

  test('deep imports are closed: only the entry points and package.json', async () => {
    const result = await run(process.execPath, ['-e', "require('ar-http/dist/lib/resolve/resolve.js')"], {}, { cwd: root });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect((await load('ar-http/package.json')).exports).toContain('name');
  });
});
