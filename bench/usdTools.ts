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

/** `usdcat --flatten stage` with `env` added: its time, and its output when `keepOutput`. */
export function flatten(
  usdcat: string,
  stage: string,
  env: Record<string, string>,
  keepOutput = false,
): Promise<{ ms: number; output: string }> {
  const start = process.hrtime.bigint();
  const child = spawn(usdcat, ['--flatten', stage], {
    env: { ...process.env, ...env },
    stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', 'pipe'],
  });
  const output: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((done, fail) =>
    child.on('close', (code) =>
      code === 0
        ? done({ ms: Number(process.hrtime.bigint() - start) / 1e6, output: Buffer.concat(output).toString() })
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
