import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { cli, startServer } from './serverProcess';
import { format, type Row } from './table';
import { median, usdTools } from './usdTools';

const count = 10_000;
const runs = 3;

/** A run of the CLI under /usr/bin/time: wall time and peak resident set. */
function timed(args: string[], env: Record<string, string>): Promise<{ ms: number; peakMiB: number }> {
  const start = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((done, fail) =>
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const kib = Number(/(\d+)\s*$/.exec(stderr)?.[1]);
      if (code !== 0 || !Number.isFinite(kib)) fail(new Error(`ar-http ${args[0]} failed (${code}): ${stderr.slice(-500)}`));
      else done({ ms, peakMiB: kib / 1024 });
    }),
  );
}

/**
 * A stage of `count` layers by id in `layerFormat`, each layer naming one texture by id: the server
 * maps 2 x `count` ids. The crate layers are copies of one converted template.
 */
function writeStage(folder: string, layerFormat: 'usda' | 'usdc', usdcat: string | undefined): { stage: string; map: Record<string, string>; ids: string[] } {
  const layers = path.join(folder, layerFormat);
  mkdirSync(layers);
  const map: Record<string, string> = {};
  const ids: string[] = [];
  const texture = path.join(layers, 'texture.png');
  writeFileSync(texture, 'png');
  const template = path.join(layers, 'template.usda');
  writeFileSync(template, '#usda 1.0\ndef "Asset" {\n    asset texture = @tex/shared@\n}\n');
  map['tex/shared'] = texture;
  ids.push('tex/shared');
  const source = path.join(layers, `template.${layerFormat}`);
  if (usdcat) execFileSync(usdcat, [template, '-o', source], { env: { ...process.env, PXR_PLUGINPATH_NAME: '' } });
  for (let i = 0; i < count; i += 1) {
    const file = path.join(layers, `layer${i}.${layerFormat}`);
    if (layerFormat === 'usda') {
      writeFileSync(file, `#usda 1.0\ndef "Asset" {\n    asset texture = @tex/${i}@\n}\n`);
      map[`tex/${i}`] = texture;
      ids.push(`tex/${i}`);
    } else {
      copyFileSync(source, file);
    }
    const id = `layers/${layerFormat}/${i}`;
    map[id] = file;
    ids.push(id);
  }
  const text = path.join(folder, `stage-${layerFormat}.usda`);
  const prims = ids.filter((id) => id.startsWith('layers/')).map((id, i) => `def "P${i}" (\n    references = @${id}@\n)\n{\n}\n`);
  writeFileSync(text, `#usda 1.0\n\n${prims.join('\n')}`);
  if (!usdcat) return { stage: text, map, ids };
  const stage = path.join(folder, `stage-${layerFormat}.usdc`);
  execFileSync(usdcat, [text, '-o', stage], { env: { ...process.env, PXR_PLUGINPATH_NAME: '' } });
  return { stage, map, ids };
}

/**
 * `npm run bench -- pin`: `ar-http pin` of a 10,000-layer stage by id (text; crate too when usdcat
 * is there), time and peak memory, against `ar-http resolve` of the same ids from the same server in
 * the same run: what the crawl (reading every layer, following answers) adds to resolving them.
 */
export async function pinBenchmarks(): Promise<Row[]> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-bench-pin-'));
  const usd = usdTools('7. ar-http pin of a crate stage');
  const rows: Row[] = [];
  try {
    for (const layerFormat of usd ? (['usda', 'usdc'] as const) : (['usda'] as const)) {
      const { stage, map, ids } = writeStage(folder, layerFormat, layerFormat === 'usdc' ? usd?.usdcat : undefined);
      const server = await startServer(map);
      try {
        const env = { AR_HTTP_SERVER_URL: server.url };
        const pins: { ms: number; peakMiB: number }[] = [];
        const resolves: { ms: number; peakMiB: number }[] = [];
        for (let run = 0; run < runs; run += 1) {
          pins.push(await timed(['pin', stage, '--out', path.join(folder, 'pins.json'), '--strict'], env));
          resolves.push(await timed(['resolve', ...ids], env));
        }
        const pinMs = median(pins.map((run) => run.ms));
        const resolveMs = median(resolves.map((run) => run.ms));
        rows.push({
          benchmark: `7. ar-http pin, ${count} .${layerFormat} layers by id (${ids.length} ids)`,
          figure: `${format(pinMs)} ms, peak ${format(Math.max(...pins.map((run) => run.peakMiB)))} MiB`,
          baseline: `${format(resolveMs)} ms, peak ${format(Math.max(...resolves.map((run) => run.peakMiB)))} MiB (ar-http resolve of the ids)`,
          ratio: (pinMs / resolveMs).toFixed(2),
          target: '-',
        });
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}
