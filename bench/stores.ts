import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';

import { Protocol } from '../lib/protocol';

import { startPostgres } from './postgresCluster';
import { cli, type ServerProcess, startServeWith, syntheticMap } from './serverProcess';
import { format, type Row } from './table';

const count = 10_000;

/** Load on `urls` at once (connections split between them): requests per second summed, the worst p99. `query`: after each path. */
async function load(urls: string[], query = '', seconds = 5): Promise<{ perSecond: number; p99: number }> {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: Math.max(1, Math.floor(32 / urls.length)),
        duration: seconds,
        // A different id each request, among the 10,000 the store holds.
        requests: [{ setupRequest: (request) => ({ ...request, path: `/asset/${Math.floor(Math.random() * count)}${query}` }) }],
      }),
    ),
  );
  return {
    perSecond: results.reduce((sum, result) => sum + result.requests.average, 0),
    p99: Math.max(...results.map((result) => result.latency.p99)),
  };
}

/** Every id asked once, so that the measured run reads what each server keeps. */
async function warm(url: string, query = ''): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, j) => fetch(`${url}/asset/${i + j}${query}`).then((response) => response.arrayBuffer())));
  }
}

/**
 * The same load as of a snapshot taken on `url`, each answer asked once first: a row against the
 * latest answers of the same server (`latest`), measured in the same run just before.
 */
async function asOfSnapshot(name: string, url: string, latest: { perSecond: number; p99: number }): Promise<Row> {
  const { id } = (await (await fetch(`${url}${Protocol.snapshotsPath}`, { method: 'POST' })).json()) as { id: string };
  const query = `?${Protocol.snapshotParameter}=${id}`;
  await warm(url, query);
  const result = await load([url], query);
  return {
    benchmark: `6. store ${name}, as of a snapshot`,
    figure: `${format(result.perSecond)} req/s, p99 ${result.p99} ms`,
    baseline: `${format(latest.perSecond)} req/s, p99 ${latest.p99} ms (latest)`,
    ratio: (latest.perSecond / result.perSecond).toFixed(2),
    target: '<= 1.2',
  };
}

/**
 * Benchmark 6 (`npm run bench -- stores`): resolves per second and p99 for each store under the
 * same load (32 connections, 10,000 mappings, random ids), against the JSON map measured in the
 * same run: SQLite, PostgreSQL through one replica, and two replicas on one PostgreSQL. Each store
 * but the two replicas is measured again as of a snapshot, against its latest answers.
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
    const jsonUrl = await serve(['--map', mapFile]);
    const json = await load([jsonUrl]);
    const row = (name: string, result: { perSecond: number; p99: number }, target = '-'): Row => ({
      benchmark: `6. store ${name}`,
      figure: `${format(result.perSecond)} req/s, p99 ${result.p99} ms`,
      baseline: `${format(json.perSecond)} req/s, p99 ${json.p99} ms (JSON map)`,
      ratio: (json.perSecond / result.perSecond).toFixed(2),
      target,
    });
    const sqlite = `sqlite:${path.join(folder, 'mappings.db')}`;
    execFileSync(process.execPath, [cli, 'store', 'import', mapFile, '--store', sqlite]);
    rows.push(await asOfSnapshot('JSON map', jsonUrl, json));
    const sqliteUrl = await serve(['--store', sqlite]);
    const sqliteLatest = await load([sqliteUrl]);
    rows.push(row('SQLite', sqliteLatest), await asOfSnapshot('SQLite', sqliteUrl, sqliteLatest));
    if (postgres !== undefined) {
      execFileSync(process.execPath, [cli, 'store', 'import', mapFile, '--store', postgres.url]);
      const first = await serve(['--store', postgres.url]);
      const postgresLatest = await load([first]);
      rows.push(row('PostgreSQL, one replica', postgresLatest, '<= 1.2'), await asOfSnapshot('PostgreSQL', first, postgresLatest));
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
