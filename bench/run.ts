import os from 'node:os';

import { backend } from '../lib';
import { chessSetBenchmark } from './chessSet';
import { installBenchmarks } from './install';
import { nodeBenchmarks, standaloneNodeBenchmarks } from './nodeResolve';
import { pinBenchmarks } from './pin';
import { pinLoadBenchmark } from './pinLoad';
import { pinnedStageBenchmarks } from './pinnedStages';
import { remoteContentBenchmarks } from './remoteContent';
import { serverBenchmarks } from './sampleServer';
import { storeBenchmarks } from './stores';
import { printTable, type Row } from './table';
import { usdBenchmarks } from './usdStages';

/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run;
 * `npm run bench -- usd` (or `node`, `server`, `stores`, `chess`, `pins`, `pin`, `pinned`, `install`, `remote`) runs one part.
 */
async function main(): Promise<void> {
  const only = process.argv[2];
  const runs = (part: string): boolean => only === undefined || only === part;
  console.log(`ar-http benchmarks, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
    `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  const rows: Row[] = [];
  if (runs('node')) {
    rows.push(...(await nodeBenchmarks()));
    // The Node figures again through the standalone binding when the USD-linked one is in use.
    if (backend() === 'usd') rows.push(...(await standaloneNodeBenchmarks()));
  }
  if (runs('usd')) rows.push(...(await usdBenchmarks()));
  if (runs('server')) rows.push(...(await serverBenchmarks()));
  if (runs('stores')) rows.push(...(await storeBenchmarks()));
  if (runs('chess')) rows.push(...(await chessSetBenchmark()));
  if (runs('pins')) rows.push(...(await pinLoadBenchmark()));
  if (runs('pin')) rows.push(...(await pinBenchmarks()));
  if (runs('pinned')) rows.push(...(await pinnedStageBenchmarks()));
  if (runs('install')) rows.push(...(await installBenchmarks()));
  if (runs('remote')) rows.push(...(await remoteContentBenchmarks()));
  printTable(rows);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
