import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

import { format, type Row } from './table';
import { startServer, syntheticMap } from './serverProcess';

/** Benchmark 4: the resolution server under load from autocannon, and its memory. */
export async function serverBenchmarks(): Promise<Row[]> {
  const server = await startServer(syntheticMap(10000));
  try {
    const run = (path: string) =>
      autocannon({ url: `${server.url}${path}`, connections: 32, duration: 5 });
    const health = await run('/_ar/health');
    const hit = await run('/asset/4242');
    const miss = await run('/asset/none');
    // The server's own resident memory after the load, from /proc.
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    const row = (name: string, result: autocannon.Result): Row => ({
      benchmark: `4. server ${name}`,
      figure: `${format(result.requests.average)} req/s, p99 ${result.latency.p99} ms`,
      baseline: `${format(health.requests.average)} req/s (health)`,
      ratio: (result.requests.average / health.requests.average).toFixed(2),
      target: '-',
    });
    return [
      row('hit', hit),
      row('miss (404)', miss),
      { benchmark: '4. server memory', figure: `${rss.toFixed(0)} MiB RSS`, baseline: '10,000 mappings', ratio: '-', target: '-' },
    ];
  } finally {
    await server.stop();
  }
}
