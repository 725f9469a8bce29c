import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createResolutionServer } from '../lib';
import { format, type Row } from './table';

const pluginPath = path.join(__dirname, '..', '..', 'build-usd', 'plugin');
const SUBLAYERS = 3;
const FORMATS = ['usda', 'usdc'] as const;
type Format = (typeof FORMATS)[number];

interface Stages {
  byId: string;
  byPath: string;
  map: Map<string, string>;
}

/**
 * A stage of `count` layers in `layerFormat` (a few sublayers, the rest references), by id
 * and by path, its root in the same format; layer files differ only by name.
 */
function writeStages(usdcat: string, folder: string, count: number, layerFormat: Format): Stages {
  const map = new Map<string, string>();
  const layers = path.join(folder, `layers-${layerFormat}-${count}`);
  mkdirSync(layers, { recursive: true });
  const template = path.join(layers, 'template.usda');
  writeFileSync(template, `#usda 1.0\n(\n    defaultPrim = "Asset"\n)\n\ndef Xform "Asset" {\n    custom int index = 7\n}\n`);
  const source = path.join(layers, `template.${layerFormat}`);
  if (layerFormat !== 'usda') execFileSync(usdcat, [template, '-o', source]);
  const ids: { id: string; file: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const file = path.join(layers, `layer${i}.${layerFormat}`);
    copyFileSync(source, file);
    const id = `assets/${layerFormat}/${i.toString(16).padStart(6, '0')}`;
    map.set(id, file);
    ids.push({ id, file });
  }
  const stage = (name: (ref: { id: string; file: string }) => string, file: string): string => {
    const sublayers = ids.slice(0, SUBLAYERS).map((ref) => `        @${name(ref)}@`).join(',\n');
    const prims = ids
      .slice(SUBLAYERS)
      .map((ref, i) => `def "P${i}" (\n    references = @${name(ref)}@\n)\n{\n}\n`)
      .join('\n');
    const text = path.join(folder, `${file}.usda`);
    writeFileSync(text, `#usda 1.0\n(\n    subLayers = [\n${sublayers}\n    ]\n)\n\n${prims}`);
    if (layerFormat === 'usda') return text;
    // Converted as a layer, not composed: the ids stay as written.
    const converted = path.join(folder, `${file}.${layerFormat}`);
    execFileSync(usdcat, [text, '-o', converted], { env: { ...process.env, PXR_PLUGINPATH_NAME: '' } });
    return converted;
  };
  return {
    byId: stage((ref) => ref.id, `byId-${layerFormat}-${count}`),
    byPath: stage((ref) => ref.file, `byPath-${layerFormat}-${count}`),
    map,
  };
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

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The sample server over `map`, counting the asset paths asked of it, GET or batch. */
async function countingServer(map: Map<string, string>, batches: boolean) {
  const requests = new Map<string, number>();
  const app = await createResolutionServer({
    resolve: (assetPath) => {
      requests.set(assetPath, (requests.get(assetPath) ?? 0) + 1);
      return map.get(assetPath);
    },
  });
  // A server of the seed's protocol: GET only, the batch path unknown.
  if (!batches) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.method === 'POST') await reply.code(404).send();
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, requests, close: () => app.close() };
}

/**
 * Benchmark 3: usdcat --flatten of stages naming their layers by id through ArHttpResolver,
 * against the same stages with local paths and no plugin; runs interleaved, medians.
 */
export async function usdBenchmarks(): Promise<Row[]> {
  const location = process.env.PXR_USD_LOCATION || '/opt/openusd';
  const usdcat = path.join(location, 'bin', 'usdcat');
  if (!existsSync(usdcat) || !existsSync(path.join(pluginPath, 'plugInfo.json'))) {
    console.log(`3. skipped: needs ${usdcat} and the plugin (npm run build:usd)`);
    return [];
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-usd-bench-'));
  const rows: Row[] = [];
  const noPlugin = { PXR_PLUGINPATH_NAME: '' };
  try {
    for (const count of [1000, 10000]) {
      const runs = count > 1000 ? 5 : 9;
      for (const layerFormat of FORMATS) {
        const stages = writeStages(usdcat, folder, count, layerFormat);
        await timeUsdcat(usdcat, stages.byPath, noPlugin); // warm the page cache
        for (const batches of [true, false]) {
          const server = await countingServer(stages.map, batches);
          try {
            const withPlugin = { PXR_PLUGINPATH_NAME: pluginPath, AR_HTTP_SERVER_URL: server.url };
            const local: number[] = [];
            const localWithPlugin: number[] = [];
            const byId: number[] = [];
            let perId: number[] = [];
            const measures = [
              async () => local.push(await timeUsdcat(usdcat, stages.byPath, noPlugin)),
              async () => batches && localWithPlugin.push(await timeUsdcat(usdcat, stages.byPath, withPlugin)),
              async () => {
                server.requests.clear();
                byId.push(await timeUsdcat(usdcat, stages.byId, withPlugin));
                perId = [...stages.map.keys()].map((id) => server.requests.get(id) ?? 0);
              },
            ];
            // Every other run in reverse order, so that none is always first or last.
            for (let run = 0; run < runs; run += 1) {
              for (const measure of run % 2 ? [...measures].reverse() : measures) await measure();
            }
            const stage = `${count} .${layerFormat} layers`;
            rows.push({
              benchmark: `3. usdcat --flatten, ${stage} by id, ${batches ? 'batch endpoint' : 'GET only'}`,
              figure: `${format(median(byId))} ms; ${Math.min(...perId)}-${Math.max(...perId)} req/id`,
              baseline: `${format(median(local))} ms local paths`,
              ratio: (median(byId) / median(local)).toFixed(2),
              target: '<= 1.10',
            });
            if (batches) {
              rows.push({
                benchmark: `3. usdcat --flatten, ${stage} by path, plugin loaded`,
                figure: `${format(median(localWithPlugin))} ms`,
                baseline: `${format(median(local))} ms no plugin`,
                ratio: (median(localWithPlugin) / median(local)).toFixed(2),
                target: '<= 1.02',
              });
            }
          } finally {
            await server.close();
          }
        }
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}
