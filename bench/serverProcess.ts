import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const cli = path.join(__dirname, '..', 'lib', 'cli', 'main.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `ar-http serve` in its own process (so it never shares an event loop with
 * what is measured), serving `map` from a map file.
 */
export async function startServer(map: Record<string, string>): Promise<ServerProcess> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-bench-'));
  const mapFile = path.join(folder, 'map.json');
  writeFileSync(mapFile, JSON.stringify(map));
  const server = await startServeWith(['--map', mapFile]);
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** `ar-http serve --quiet --port 0 ...args` in its own process. */
export async function startServeWith(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [cli, 'serve', '--quiet', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) done(match[1]);
    });
    child.on('exit', (code) => fail(new Error(`the server exited (${code})`)));
  });
  return {
    url,
    child,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

/** `count` ids mapped to absolute paths that need not exist. */
export function syntheticMap(count: number): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) map[`asset/${i}`] = `/store/asset-${i}.usda`;
  return map;
}
