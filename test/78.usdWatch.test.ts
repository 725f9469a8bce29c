import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer, MemoryStore } from '../lib';
import { buildUsdProgram, describeWithUsd, usd } from './helpers/usd';

const layer = (version: string): string => `#usda 1.0\n(\n    defaultPrim = "Root"\n)\n\ndef "Root"\n{\n    string version = "${version}"\n}\n`;

describeWithUsd('AR_HTTP_WATCH=1 in a USD program: ArNotice::ResolverChanged, and the open stage recomposes', () => {
  let folder: string;
  let program: string;
  let app: FastifyInstance;
  let address: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-usd-watch-'));
    // A tiny program of this repository's, built against the OpenUSD install the tests use.
    program = await buildUsdProgram('watchStage', folder);
    writeFileSync(path.join(folder, 'v1.usda'), layer('1'));
    writeFileSync(path.join(folder, 'v2.usda'), layer('2'));
    writeFileSync(path.join(folder, 'stage.usda'), '#usda 1.0\n\ndef "Chair" (\n    references = @chair@\n)\n{\n}\n');
    app = await createResolutionServer({ store: new MemoryStore(new Map([['chair', path.join(folder, 'v1.usda')]])) });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('a remapped id reaches the open stage without reopening it', async () => {
    const child = spawn(program, [path.join(folder, 'stage.usda')], {
      env: {
        ...process.env,
        PXR_PLUGINPATH_NAME: usd!.pluginPath,
        AR_HTTP_SERVER_URL: address,
        AR_HTTP_WATCH: '1',
        AR_HTTP_CACHE_TTL_MS: '600000',
      },
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (errors += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      for (let i = 0; i < 500 && !output.includes('before'); i += 1) await new Promise((done) => setTimeout(done, 20));
      expect(output).toBe('before 1\n');
      // The stage is open, with the feed followed: remap the id.
      await new Promise((done) => setTimeout(done, 300));
      const put = await fetch(`${address}/_ar/mappings/chair`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resolvedPath: path.join(folder, 'v2.usda') }),
      });
      expect(put.status).toBe(200);
      expect(await exited).toBe(0);
      expect(output).toBe('before 1\nnotice\nafter 2\n');
      expect(errors).toBe('');
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });
});
