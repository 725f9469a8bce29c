import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { createResolutionServer } from '../lib';

export interface UsdTools {
  usdcat: string;
  /** The folder for PXR_PLUGINPATH_NAME. */
  pluginPath: string;
}

/** usdcat and the built plugin, or null after one line saying benchmark `label` is skipped. */
export function usdTools(label: string): UsdTools | null {
  const usdcat = path.join(process.env.PXR_USD_LOCATION || '/opt/openusd', 'bin', 'usdcat');
  const pluginPath = path.join(__dirname, '..', '..', 'build-usd', 'plugin');
  if (!existsSync(usdcat) || !existsSync(path.join(pluginPath, 'plugInfo.json'))) {
    console.log(`${label} skipped: needs ${usdcat} and the plugin (npm run build:usd)`);
    return null;
  }
  return { usdcat, pluginPath };
}

/** What one `usdcat --flatten` took: wall-clock ms, and the CPU (user + system) ms of usdcat itself. */
export interface FlattenRun {
  ms: number;
  cpuMs: number;
  output: string;
}

/** The children's CPU line of bash's `times` ("0m0.650s 0m0.121s"): user + system, in ms. */
function childrenCpuMs(times: string): number {
  const line = times.trim().split('\n')[1] ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60_000 + Number(match[2]) * 1000);
  if (parts.length !== 2) throw new Error(`unexpected output of times: ${JSON.stringify(times)}`);
  return parts[0] + parts[1];
}

/**
 * `usdcat --flatten stage` with `env` added: its time, its CPU, and its output when `keepOutput`. It runs
 * under bash, whose `times` reads the CPU of its finished child from the kernel (getrusage), to the ms.
 */
export function flatten(
  usdcat: string,
  stage: string,
  env: Record<string, string>,
  keepOutput = false,
): Promise<FlattenRun> {
  const start = process.hrtime.bigint();
  const child = spawn('bash', ['-c', '"$@"; status=$?; times >&3; exit $status', 'bash', usdcat, '--flatten', stage], {
    env: { ...process.env, ...env },
    stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  let stderr = '';
  let times = '';
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  child.stdio[3]?.on('data', (chunk) => (times += chunk));
  return new Promise((done, fail) =>
    child.on('close', (code) =>
      code === 0
        ? done({
            ms: Number(process.hrtime.bigint() - start) / 1e6,
            cpuMs: childrenCpuMs(times),
            output: Buffer.concat(output).toString(),
          })
        : fail(new Error(`usdcat failed: ${stderr}`)),
    ),
  );
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * The sample server answering `lookup`, counting the asset paths asked of it, GET or batch.
 * Without `batches` it is a server of the seed's protocol: GET only, the batch path unknown.
 */
export async function countingServer(lookup: (assetPath: string) => string | undefined, batches = true) {
  const requests = new Map<string, number>();
  const app = await createResolutionServer({
    resolve: (assetPath) => {
      requests.set(assetPath, (requests.get(assetPath) ?? 0) + 1);
      return lookup(assetPath);
    },
  });
  if (!batches) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.method === 'POST') await reply.code(404).send();
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, requests, close: () => app.close() };
}
