import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { pin } from '../lib';
import { format, type Row } from './table';
import { FORMATS, writeStages } from './usdStages';
import { countingServer, flatten, median, usdTools } from './usdTools';

/**
 * Benchmark 7: usdcat --flatten of the stages of benchmark 3 (1,000 and 10,000 layers by id,
 * text and crate) through a pin file (`ar-http pin` of the stage), against the same stage with
 * local paths and no plugin, and against the live server: a farm's cost of reproducibility.
 * Runs interleaved, medians; the pinned runs are made again with the server stopped.
 */
export async function pinnedStageBenchmarks(): Promise<Row[]> {
  const tools = usdTools('7.');
  if (!tools) return [];
  const { usdcat, pluginPath } = tools;
  const time = async (stage: string, env: Record<string, string>) => (await flatten(usdcat, stage, env)).ms;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-pinned-bench-'));
  const rows: Row[] = [];
  const noPlugin = { PXR_PLUGINPATH_NAME: '' };
  try {
    for (const count of [1000, 10000]) {
      const runs = count > 1000 ? 5 : 9;
      for (const layerFormat of FORMATS) {
        const stages = writeStages(usdcat, folder, count, layerFormat);
        const pins = path.join(folder, `pins-${layerFormat}-${count}.json`);
        const server = await countingServer((assetPath) => stages.map.get(assetPath));
        const live = { PXR_PLUGINPATH_NAME: pluginPath, AR_HTTP_SERVER_URL: server.url };
        const pinned = { ...live, AR_HTTP_PIN_FILE: pins };
        const times = { local: [] as number[], live: [] as number[], pinned: [] as number[], stopped: [] as number[] };
        try {
          await pin([stages.byId], { server: server.url, out: pins });
          await time(stages.byPath, noPlugin); // warm the page cache
          for (let run = 0; run < runs; run += 1) {
            const measures = [
              async () => times.local.push(await time(stages.byPath, noPlugin)),
              async () => times.live.push(await time(stages.byId, live)),
              async () => times.pinned.push(await time(stages.byId, pinned)),
            ];
            // Every other run in reverse order, so that none is always first or last.
            for (const measure of run % 2 ? [...measures].reverse() : measures) await measure();
          }
        } finally {
          await server.close();
        }
        server.requests.clear();
        for (let run = 0; run < runs; run += 1) times.stopped.push(await time(stages.byId, pinned));
        const stage = `${count} .${layerFormat} layers by id`;
        rows.push(
          {
            benchmark: `7. usdcat --flatten, ${stage}, through a pin file`,
            figure: `${format(median(times.pinned))} ms`,
            baseline: `${format(median(times.local))} ms local paths`,
            ratio: (median(times.pinned) / median(times.local)).toFixed(2),
            target: '<= 1.05',
          },
          {
            benchmark: `7. usdcat --flatten, ${stage}, through a pin file, server stopped`,
            figure: `${format(median(times.stopped))} ms; ${server.requests.size} requests`,
            baseline: `${format(median(times.live))} ms live server (batch endpoint)`,
            ratio: (median(times.stopped) / median(times.live)).toFixed(2),
            target: '<= 1.00',
          },
        );
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}
