import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createResolutionServer } from '../lib';
import { format, type Row } from './table';

const pluginPath = path.join(__dirname, '..', '..', 'build-usd', 'plugin');
const SUBLAYERS = 3;

/** Writes a stage of `count` layers: a few sublayers, the rest references; by id and by path. */
function writeStages(folder: string, count: number): { byId: string; byPath: string; map: Map<string, string> } {
  const map = new Map<string, string>();
  mkdirSync(path.join(folder, 'layers'), { recursive: true });
  const refs: { id: string; file: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const file = path.join(folder, 'layers', `layer${i}.usda`);
    writeFileSync(file, `#usda 1.0\n(\n    defaultPrim = "Asset"\n)\n\ndef Xform "Asset" {\n    custom int index = ${i}\n}\n`);
    const id = `assets/${i.toString(16).padStart(6, '0')}`;
    map.set(id, file);
    refs.push({ id, file });
  }
  const stage = (name: (ref: { id: string; file: string }) => string): string => {
    const sublayers = refs.slice(0, SUBLAYERS).map((ref) => `        @${name(ref)}@`).join(',\n');
    const prims = refs
      .slice(SUBLAYERS)
      .map((ref, i) => `def "P${i}" (\n    references = @${name(ref)}@\n)\n{\n}\n`)
      .join('\n');
    return `#usda 1.0\n(\n    subLayers = [\n${sublayers}\n    ]\n)\n\n${prims}`;
  };
  const byId = path.join(folder, `byId${count}.usda`);
  const byPath = path.join(folder, `byPath${count}.usda`);
  writeFileSync(byId, stage((ref) => ref.id));
  writeFileSync(byPath, stage((ref) => ref.file));
  return { byId, byPath, map };
}

function timeUsdcat(usdcat: string, stage: string, env: Record<string, string>): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(usdcat, ['--flatten', stage], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((done, fail) =>
    child.on('exit', (code) =>
      code === 0 ? done(Number(process.hrtime.bigint() - start) / 1e6) : fail(new Error(`usdcat failed: ${stderr}`)),
    ),
  );
}

/** Benchmark 3: usdcat --flatten through ArHttpResolver against local paths and the default resolver. */
export async function usdBenchmarks(): Promise<Row[]> {
  const location = process.env.PXR_USD_LOCATION || '/opt/openusd';
  const usdcat = path.join(location, 'bin', 'usdcat');
  if (!existsSync(usdcat) || !existsSync(path.join(pluginPath, 'plugInfo.json'))) {
    console.log(`3. skipped: needs ${usdcat} and the plugin (npm run build:usd)`);
    return [];
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-usd-bench-'));
  const rows: Row[] = [];
  try {
    for (const count of [100, 1000, 10000]) {
      const { byId, byPath, map } = writeStages(folder, count);
      const requests = new Map<string, number>();
      const app = await createResolutionServer({
        resolve: (assetPath) => {
          requests.set(assetPath, (requests.get(assetPath) ?? 0) + 1);
          return map.get(assetPath);
        },
      });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const env = { PXR_PLUGINPATH_NAME: pluginPath, AR_HTTP_SERVER_URL: url };
        await timeUsdcat(usdcat, byPath, {}); // warm the page cache
        const local = await timeUsdcat(usdcat, byPath, {});
        requests.clear();
        const http = await timeUsdcat(usdcat, byId, env);
        const perId = [...requests.values()];
        rows.push({
          benchmark: `3. usdcat --flatten, ${count} layers by id`,
          figure: `${format(http)} ms; ${Math.min(...perId)}-${Math.max(...perId)} req/id for ${requests.size} ids`,
          baseline: `${format(local)} ms local paths`,
          ratio: (http / local).toFixed(2),
          target: count === 1000 ? '<= 1.3' : '-',
        });
      } finally {
        await app.close();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}
