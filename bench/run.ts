import os from 'node:os';

import { backend } from '../lib';
import { nodeBenchmarks, standaloneNodeBenchmarks } from './nodeResolve';
import { serverBenchmarks } from './sampleServer';
import { printTable, type Row } from './table';
import { usdBenchmarks } from './usdStages';

/** `npm run bench`: every benchmark, each against a baseline measured in the same run. */
async function main(): Promise<void> {
  console.log(`ar-http benchmarks, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
    `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  const rows: Row[] = [];
  rows.push(...(await nodeBenchmarks()));
  // The Node figures again through the standalone binding when the USD-linked one is in use.
  if (backend === 'usd') rows.push(...(await standaloneNodeBenchmarks()));
  rows.push(...(await usdBenchmarks()));
  rows.push(...(await serverBenchmarks()));
  printTable(rows);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
