import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { format, type Row } from './table';

const exec = promisify(execFile);
const lib = path.join(__dirname, '..', 'lib');

/** A pin file of `count` entries as `ar-http pin` writes one: keys sorted, every tenth unresolved. */
function writePinFile(file: string, count: number): void {
  const width = String(count).length;
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `assets/shot010/id${String(i).padStart(width, '0')}`;
    lines.push(`    ${JSON.stringify(id)}: ${i % 10 === 9 ? 'null' : JSON.stringify(`/mnt/shows/shot010/layers/layer${i}.usda`)}`);
  }
  writeFileSync(file, `{\n  "format": "ar-http-pins",\n  "version": 1,\n  "server": "http://127.0.0.1:8000",\n` +
    `  "snapshot": "12",\n  "created": "${new Date().toISOString()}",\n  "pins": {\n${lines.join(',\n')}\n  }\n}\n`);
}

interface Load {
  ms: number;
  peakGrowthBytes: number;
  answer: string;
}

/**
 * In a fresh process each, so that peak memory is each one's own: the first resolve through
 * AR_HTTP_PIN_FILE (which loads the file), and JSON.parse of the same file (the baseline).
 */
async function load(kind: 'pins' | 'json', file: string, probe: string): Promise<Load> {
  const script = kind === 'pins'
    ? `const { resolve } = require(${JSON.stringify(lib)});
       // Loads the addon, not the pins: the filesystem answers a file that exists.
       resolve(${JSON.stringify(file)});
       const before = process.memoryUsage.rss();
       const start = process.hrtime.bigint();
       const answer = resolve(${JSON.stringify(probe)});
       const ms = Number(process.hrtime.bigint() - start) / 1e6;
       console.log(JSON.stringify({ ms, peakGrowthBytes: process.resourceUsage().maxRSS * 1024 - before, answer }));`
    : `const { readFileSync } = require('node:fs');
       const before = process.memoryUsage.rss();
       const start = process.hrtime.bigint();
       const pins = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8')).pins;
       const answer = pins[${JSON.stringify(probe)}];
       const ms = Number(process.hrtime.bigint() - start) / 1e6;
       console.log(JSON.stringify({ ms, peakGrowthBytes: process.resourceUsage().maxRSS * 1024 - before, answer }));`;
  const { stdout } = await exec(process.execPath, ['-e', script], {
    env: { ...process.env, AR_HTTP_PIN_FILE: file, AR_HTTP_SERVER_URL: 'http://127.0.0.1:9' },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Load;
}

const mib = (bytes: number): string => `${format(bytes / 2 ** 20)} MiB`;

/** Loading a 1,000,000-entry pin file: time and peak memory, against JSON.parse of the same file in Node. */
export async function pinLoadBenchmark(count = 1_000_000): Promise<Row[]> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-bench-pins-'));
  try {
    const file = path.join(folder, 'pins.json');
    writePinFile(file, count);
    const size = statSync(file).size;
    const probe = `assets/shot010/id${String(count - 2).padStart(String(count).length, '0')}`;
    // Best of three each, alternating, on a shared machine.
    const pins: Load[] = [];
    const json: Load[] = [];
    for (let i = 0; i < 3; i += 1) {
      pins.push(await load('pins', file, probe));
      json.push(await load('json', file, probe));
    }
    for (const result of [...pins, ...json]) {
      if (result.answer !== `/mnt/shows/shot010/layers/layer${count - 2}.usda`) {
        throw new Error(`the pin file answered ${JSON.stringify(result.answer)} for ${probe}`);
      }
    }
    const best = (results: Load[], key: 'ms' | 'peakGrowthBytes'): number => Math.min(...results.map((r) => r[key]));
    const label = `8. load a ${count.toLocaleString('en-US')}-entry pin file (${mib(size)})`;
    return [
      {
        benchmark: `${label}, time`,
        figure: `${format(best(pins, 'ms'))} ms`,
        baseline: `${format(best(json, 'ms'))} ms JSON.parse`,
        ratio: (best(pins, 'ms') / best(json, 'ms')).toFixed(2),
        target: '< 1 s',
      },
      {
        benchmark: `${label}, peak memory`,
        figure: mib(best(pins, 'peakGrowthBytes')),
        baseline: `${mib(best(json, 'peakGrowthBytes'))} JSON.parse`,
        ratio: (best(pins, 'peakGrowthBytes') / best(json, 'peakGrowthBytes')).toFixed(2),
        target: '-',
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
