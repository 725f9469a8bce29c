import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';

import { startPostgres } from './postgresCluster';
import { cli, type ServerProcess, startServeWith, syntheticMap } from './serverProcess';
import { format, type Row } from './table';

const count = 10_000;

/** Load on `urls` at once (connections split between them): requests per second summed, the worst p99. */
async function load(urls: string[], seconds = 5): Promise<{ perSecond: number; p99: number }> {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: Math.max(1, Math.floor(32 / urls.length)),
        duration: seconds,
        // A different id each request, among the 10,000 the store holds.
        requests: [{ setupRequest: (request) => ({ ...request, path: `/asset/${Math.floor(Math.random() * count)}` }) }],
      }),
    ),
  );
  return {
    perSecond: results.reduce((sum, result) => sum + result.requests.average, 0),
    p99: Math.max(...results.map((result) => result.latency.p99)),
  };
}

/** Every id asked once, so that the measured run reads what each server keeps. */
async function warm(url: string): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, j) => fetch(`${url}/asset/${i + j}`).then((response) => response.arrayBuffer())));
  }
}

/**
 * Benchmark 6 (`npm run bench -- stores`): resolves per second and p99 for each store under the
 * same load (32 connections, 10,000 mappings, random ids), against the JSON map measured in the
 * same run: SQLite, PostgreSQL through one replica, and two replicas on one PostgreSQL.
 */
export async function storeBenchmarks(): Promise<Row[]> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-bench-stores-'));
  const mapFile = path.join(folder, 'map.json');
  writeFileSync(mapFile, JSON.stringify(syntheticMap(count)));
  const postgres = await startPostgres();
  const servers: ServerProcess[] = [];
  const serve = async (args: string[]): Promise<string> => {
    const server = await startServeWith(args);
    servers.push(server);
    await warm(server.url);
    return server.url;
  };
  const rows: Row[] = [];
  try {
    const json = await load([await serve(['--map', mapFile])]);
    const row = (name: string, result: { perSecond: number; p99: number }, target = '-'): Row => ({
      benchmark: `6. store ${name}`,
      figure: `${format(result.perSecond)} req/s, p99 ${result.p99} ms`,
      baseline: `${format(json.perSecond)} req/s, p99 ${json.p99} ms (JSON map)`,
      ratio: (json.perSecond / result.perSecond).toFixed(2),
      target,
    });
    const sqlite = `sqlite:${path.join(folder, 'mappings.db')}`;
    execFileSync(process.execPath, [cli, 'store', 'import', mapFile, '--store', sqlite]);
    rows.push(row('SQLite', await load([await serve(['--store', sqlite])])));
    if (postgres !== undefined) {
      execFileSync(process.execPath, [cli, 'store', 'import', mapFile, '--store', postgres.url]);
      const first = await serve(['--store', postgres.url]);
      rows.push(row('PostgreSQL, one replica', await load([first]), '<= 1.2'));
      const second = await serve(['--store', postgres.url]);
      rows.push(row('PostgreSQL, two replicas', await load([first, second])));
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    postgres?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}
