import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { pin } from '../lib';
import { format, type Row } from './table';
import { countingServer, flatten, median, usdTools } from './usdTools';

const ROOT_LAYER = 'chess_set.usda';

function* files(folder: string): Generator<string> {
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) yield* files(file);
    else yield file;
  }
}

const isLayer = (file: string): boolean => /\.usd[ac]?$/.test(file);
const isText = (file: string): boolean => readFileSync(file).subarray(0, 5).toString('latin1') === '#usda';

/**
 * Rewrites, in every text layer of the set under `folder`, each composition arc (sublayers,
 * references, payloads) that names a layer of the set to an id (`chess/<path without
 * extension>`); metadata such as assetInfo keeps its paths. Returns id -> absolute path.
 */
export function rewriteArcsToIds(folder: string): Map<string, string> {
  const map = new Map<string, string>();
  const idOf = (layer: string, assetPath: string): string | undefined => {
    const target = path.resolve(path.dirname(layer), assetPath);
    if (!isLayer(target) || !existsSync(target) || !target.startsWith(folder + path.sep)) return undefined;
    const id = `chess/${path.relative(folder, target).replace(/\.usd[ac]?$/, '')}`;
    map.set(id, target);
    return id;
  };
  const arcs = /(subLayers|references|payload)(\s*=\s*)(\[[^\]]*\]|@[^@\n]*@)/g;
  for (const layer of files(folder)) {
    if (!isLayer(layer) || !isText(layer)) continue;
    const text = readFileSync(layer, 'utf8');
    const rewritten = text.replace(arcs, (_arc, field: string, equals: string, value: string) =>
      field + equals + value.replace(/@([^@\n]+)@/g, (whole, assetPath: string) => {
        const id = idOf(layer, assetPath);
        return id === undefined ? whole : `@${id}@`;
      }),
    );
    if (rewritten !== text) writeFileSync(layer, rewritten);
  }
  return map;
}

/**
 * Benchmark 5: the OpenChessSet of usd-wg/assets (AR_HTTP_CHESS_SET names its folder), every
 * composition arc rewritten to ids, flattened through ArHttpResolver: byte-identical to the set
 * with local paths, and its time against it.
 */
export async function chessSetBenchmark(): Promise<Row[]> {
  const source = process.env.AR_HTTP_CHESS_SET;
  if (!source || !existsSync(path.join(source, ROOT_LAYER))) {
    console.log('5. skipped: set AR_HTTP_CHESS_SET to the full_assets/OpenChessSet folder of usd-wg/assets');
    return [];
  }
  const tools = usdTools('5.');
  if (!tools) return [];
  const { usdcat, pluginPath } = tools;
  const work = mkdtempSync(path.join(os.tmpdir(), 'ar-http-chess-'));
  let map = new Map<string, string>();
  const server = await countingServer((assetPath) => map.get(assetPath));
  const { requests } = server;
  const withPlugin = { PXR_PLUGINPATH_NAME: pluginPath, AR_HTTP_SERVER_URL: server.url };
  const noPlugin = { PXR_PLUGINPATH_NAME: '' };
  try {
    // The same folder flattened before and after the rewrite: the outputs name it alike.
    const same = path.join(work, 'same');
    cpSync(source, same, { recursive: true });
    const original = await flatten(usdcat, path.join(same, ROOT_LAYER), noPlugin, true);
    map = rewriteArcsToIds(same);
    const byId = await flatten(usdcat, path.join(same, ROOT_LAYER), withPlugin, true);
    const identical = original.output === byId.output;
    if (!identical) console.log('5. the flattened chess set by id DIFFERS from the one by path');

    const local = path.join(work, 'local');
    cpSync(source, local, { recursive: true });
    const times: { local: number[]; byId: number[]; pinned: number[] } = { local: [], byId: [], pinned: [] };
    // Pinned while the server answers: every asset path a flatten asks it must be in the pin file.
    const pins = path.join(work, 'pins.json');
    const pinned = await pin([path.join(same, ROOT_LAYER)], { server: server.url, out: pins });
    // No server behind the pin file: its port is closed.
    const throughPins = { ...withPlugin, AR_HTTP_SERVER_URL: 'http://127.0.0.1:9', AR_HTTP_PIN_FILE: pins };
    const pinnedOutput = await flatten(usdcat, path.join(same, ROOT_LAYER), throughPins, true);
    let perId: number[] = [];
    let asked: string[] = [];
    for (let run = 0; run < 7; run += 1) {
      times.local.push((await flatten(usdcat, path.join(local, ROOT_LAYER), noPlugin)).ms);
      requests.clear();
      times.byId.push((await flatten(usdcat, path.join(same, ROOT_LAYER), withPlugin)).ms);
      perId = [...map.keys()].map((id) => requests.get(id) ?? 0);
      asked = [...requests.keys()];
      times.pinned.push((await flatten(usdcat, path.join(same, ROOT_LAYER), throughPins)).ms);
    }
    const inPins = asked.filter((assetPath) => assetPath in pinned.file.pins).length;
    return [
      {
        benchmark: `5. usdcat --flatten, OpenChessSet, ${map.size} layers by id`,
        figure: `${format(median(times.byId))} ms; ${Math.min(...perId)}-${Math.max(...perId)} req/id; ` +
          `${identical ? 'byte-identical' : 'DIFFERENT'} output`,
        baseline: `${format(median(times.local))} ms local paths`,
        ratio: (median(times.byId) / median(times.local)).toFixed(2),
        target: '<= 1.10',
      },
      {
        benchmark: `5. usdcat --flatten, OpenChessSet by id, through its pin file, no server`,
        figure: `${format(median(times.pinned))} ms; ${inPins} of ${asked.length} asked paths pinned; ` +
          `${pinnedOutput.output === original.output ? 'byte-identical' : 'DIFFERENT'} output`,
        baseline: `${format(median(times.local))} ms local paths`,
        ratio: (median(times.pinned) / median(times.local)).toFixed(2),
        target: '<= 1.05',
      },
    ];
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
