import path from 'node:path';

import { pin } from '../lib';
import { format, type Row } from './table';
import { forEachStage, interleaved, noPlugin } from './usdStages';
import { countingServer, median } from './usdTools';

/**
 * Benchmark 9: usdcat --flatten of the stages of benchmark 3 (1,000 and 10,000 layers by id,
 * text and crate) through a pin file (`pin()` of the stage), against the same stage with local
 * paths and no plugin, and against the live server: a farm's cost of reproducibility. Runs
 * interleaved, medians; the pinned runs are made again with the server stopped.
 */
export async function pinnedStageBenchmarks(): Promise<Row[]> {
  const rows = await forEachStage('9.', async ({ pluginPath, stages, name, folder, runs, time }) => {
    const pins = path.join(folder, `pins-${path.basename(stages.byId)}.json`);
    const server = await countingServer((assetPath) => stages.map.get(assetPath));
    const live = { PXR_PLUGINPATH_NAME: pluginPath, AR_HTTP_SERVER_URL: server.url };
    const pinned = { ...live, AR_HTTP_PIN_FILE: pins };
    const times = { local: [] as number[], localWithPlugin: [] as number[], live: [] as number[], pinned: [] as number[], stopped: [] as number[] };
    try {
      await pin([stages.byId], { server: server.url, out: pins });
      await interleaved(runs, [
        async () => times.local.push(await time(stages.byPath, noPlugin)),
        async () => times.localWithPlugin.push(await time(stages.byPath, live)),
        async () => times.live.push(await time(stages.byId, live)),
        async () => times.pinned.push(await time(stages.byId, pinned)),
      ]);
    } finally {
      await server.close();
    }
    for (let run = 0; run < runs; run += 1) times.stopped.push(await time(stages.byId, pinned));
    return [
      {
        benchmark: `9. usdcat --flatten, ${name} by id, through a pin file`,
        figure: `${format(median(times.pinned))} ms`,
        baseline: `${format(median(times.local))} ms local paths`,
        ratio: (median(times.pinned) / median(times.local)).toFixed(2),
        target: '<= 1.05',
      },
      {
        // What the pin file itself costs: the plugin's start-up is in both.
        benchmark: `9. usdcat --flatten, ${name} by id, through a pin file, against by path with the plugin`,
        figure: `${format(median(times.pinned))} ms`,
        baseline: `${format(median(times.localWithPlugin))} ms local paths, plugin loaded`,
        ratio: (median(times.pinned) / median(times.localWithPlugin)).toFixed(2),
        target: '-',
      },
      {
        benchmark: `9. usdcat --flatten, ${name} by id, through a pin file, server stopped`,
        figure: `${format(median(times.stopped))} ms`,
        baseline: `${format(median(times.live))} ms live server (batch endpoint)`,
        ratio: (median(times.stopped) / median(times.live)).toFixed(2),
        target: '<= 1.00',
      },
    ];
  });
  return rows ?? [];
}
