import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import autocannon from 'autocannon';

import { backend, clearCache, reloadConfig, resolve, resolveAsync, resolveMany } from '../lib';
import { format, perSecond, type Row } from './table';
import { startServer, syntheticMap } from './serverProcess';

const COUNT = 4000;
// libuv's thread pool runs four resolves at once: the floor gets as many connections.
const CONCURRENCY = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

/** Plain keep-alive GETs of the same kind, as many at once, from autocannon. */
async function floor(url: string, paths: string[]): Promise<number> {
  const result = await autocannon({
    url,
    connections: CONCURRENCY,
    duration: 5,
    requests: paths.map((path) => ({ method: 'GET', path: `/${path}` })),
  });
  return result.requests.total / result.duration;
}

async function asyncRate(paths: string[]): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < paths.length) await resolveAsync(paths[next++]);
    }),
  );
  return perSecond(paths.length, process.hrtime.bigint() - start);
}

/** Benchmarks 1 and 2: Node resolves against the floor of plain keep-alive GETs. */
export async function nodeBenchmarks(): Promise<Row[]> {
  const map = syntheticMap(COUNT);
  const paths = Object.keys(map);
  const server = await startServer(map);
  try {
    process.env.AR_HTTP_SERVER_URL = server.url;
    delete process.env.AR_HTTP_CACHE_TTL_MS;
    reloadConfig();
    await resolveMany(paths); // warm-up
    const floorRate = await floor(server.url, paths);
    const asyncPerSecond = await asyncRate(paths);
    let start = process.hrtime.bigint();
    await resolveMany(paths);
    const manyPerSecond = perSecond(paths.length, process.hrtime.bigint() - start);
    start = process.hrtime.bigint();
    for (const path of paths) resolve(path);
    const syncPerSecond = perSecond(paths.length, process.hrtime.bigint() - start);

    process.env.AR_HTTP_CACHE_TTL_MS = '600000';
    reloadConfig();
    resolve(paths[0]);
    const calls = 1_000_000;
    start = process.hrtime.bigint();
    for (let i = 0; i < calls; i += 1) resolve(paths[0]);
    const cachedPerSecond = perSecond(calls, process.hrtime.bigint() - start);
    clearCache();
    delete process.env.AR_HTTP_CACHE_TTL_MS;
    reloadConfig();

    const ratio = (rate: number): string => (rate / floorRate).toFixed(2);
    const label = (text: string): string => `${text} [${backend()}]`;
    const floorText = `${format(floorRate)} GET/s`;
    return [
      { benchmark: label('1. resolveAsync, 4 at a time'), figure: `${format(asyncPerSecond)} /s`, baseline: floorText, ratio: ratio(asyncPerSecond), target: '>= 0.8' },
      { benchmark: label('1. resolveMany'), figure: `${format(manyPerSecond)} /s`, baseline: floorText, ratio: ratio(manyPerSecond), target: '>= 0.8' },
      { benchmark: label('2. resolve(), uncached, sync'), figure: `${format(syncPerSecond)} /s`, baseline: floorText, ratio: ratio(syncPerSecond), target: '-' },
      { benchmark: label('2. resolve(), cached'), figure: `${format(cachedPerSecond)} /s`, baseline: '1,000,000 /s', ratio: (cachedPerSecond / 1e6).toFixed(2), target: '>= 1' },
    ];
  } finally {
    await server.stop();
  }
}

/** Benchmarks 1 and 2 in a child process that loads the standalone binding. */
export async function standaloneNodeBenchmarks(): Promise<Row[]> {
  const child = spawn(process.execPath, [path.join(__dirname, 'nodeResolveMain.js')], {
    env: { ...process.env, AR_HTTP_BACKEND: 'standalone' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the standalone benchmark exited with ${code}`);
  return JSON.parse(output) as Row[];
}
