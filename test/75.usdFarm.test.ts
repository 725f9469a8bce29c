/**
 * A render farm, end to end through usdcat: a stage naming its layers by id, served by two `ar-http
 * serve` replicas on one store (SQLite, then PostgreSQL). Snapshot S is taken and the stage
 * flattened; then half the mappings are replaced and a tenth removed by 20 concurrent writers
 * while usdcat, resolve and resolveMany resolve as of S on both replicas: every answer is the one
 * recorded at S. Then `ar-http pin --snapshot S`, the servers stopped, and usdcat through the pin
 * file gives the same bytes, with a listener on the server's port counting zero connections.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { rewriteArcsToIds } from '../bench/chessSet';
import { countingServer } from '../bench/usdTools';
import { pin, resolve, resolveAsync, resolveMany } from '../lib';
import { cliPath, runCli } from './helpers/cli';
import { writeCrate } from './helpers/crate';
import { startPostgres, type TestPostgres } from './helpers/postgres';
import { run } from './helpers/run';
import { type ServeProcess, startServe } from './helpers/serve';
import { describeWithUsd, usd } from './helpers/usd';

const COUNT = 200;
const WRITERS = 20;
const ids = Array.from({ length: COUNT }, (_, i) => `shot010/asset${i}`);

let folder: string;
let stage: string;
let mapFile: string;

/** Two versions of each layer, told apart by their content; the stage references each by id. */
function writeLayers(): void {
  const map: Record<string, string> = {};
  ids.forEach((id, i) => {
    for (const version of ['a', 'b']) {
      writeFileSync(
        path.join(folder, `asset${i}_${version}.usda`),
        `#usda 1.0\n(\n    defaultPrim = "Asset"\n)\n\ndef Xform "Asset"\n{\n    custom string version = "${version}${i}"\n}\n`,
      );
    }
    map[id] = path.join(folder, `asset${i}_a.usda`);
  });
  stage = path.join(folder, 'shot.usda');
  writeFileSync(stage, `#usda 1.0\n\n${ids.map((id, i) => `def "P${i}" (\n    references = @${id}@\n)\n{\n}\n`).join('\n')}`);
  mapFile = path.join(folder, 'map.json');
  writeFileSync(mapFile, JSON.stringify(map));
}

/** `usdcat --flatten root` (the shot by default) with the plugin and `env`. */
function usdcat(env: Record<string, string>, root = stage) {
  return run(usd!.usdcat, ['--flatten', root], { PXR_PLUGINPATH_NAME: usd!.pluginPath, ...env }, { timeoutMs: 300000 });
}

async function flattened(env: Record<string, string>): Promise<string> {
  const result = await usdcat(env);
  if (result.status !== 0) throw new Error(`usdcat failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * 20 writers at once: until `readersDone` settles (at most 200 rounds), every even id's layer flips
 * between versions b and a; then it is left at b, and every tenth id is removed.
 */
async function rewrite(address: string, readersDone: Promise<unknown>): Promise<number> {
  let reading = true;
  const stop = (): void => {
    reading = false;
  };
  readersDone.then(stop, stop);
  const url = (id: string) => `${address}/_ar/mappings/${encodeURIComponent(id)}`;
  const put = (i: number, version: string) => () =>
    fetch(url(ids[i]), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resolvedPath: path.join(folder, `asset${i}_${version}.usda`) }),
    });
  const even = ids.map((_, i) => i).filter((i) => i % 2 === 0);
  const writes: (() => Promise<Response>)[] = [];
  for (let round = 0; round < 200; round += 1) writes.push(...even.map((i) => put(i, round % 2 ? 'a' : 'b')));
  let next = 0;
  let done = 0;
  const writer = async (): Promise<void> => {
    while (reading && next < writes.length) {
      const response = await writes[next++]();
      expect(response.status).toBe(200);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const final = [...even.map((i) => put(i, 'b')), ...ids.map((_, i) => i).filter((i) => i % 10 === 1).map((i) => () => fetch(url(ids[i]), { method: 'DELETE' }))];
  next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < final.length) expect([200, 204]).toContain((await final[next++]()).status);
    }),
  );
  return done;
}

/** A listener on `port` that counts the connections made to it. */
async function countConnections(port: number) {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  return { count: () => connections, close: () => new Promise<void>((done) => server.close(() => done())) };
}

interface Deployment {
  replicas: ServeProcess[];
  stop: () => Promise<void>;
}

async function serveTwo(storeSpec: string): Promise<Deployment> {
  const replicas = [await startServe(['--quiet', '--store', storeSpec])];
  replicas.push(await startServe(['--quiet', '--store', storeSpec]));
  let stopped: Promise<void> | undefined;
  return {
    replicas,
    // Once, whoever asks first.
    stop: () => (stopped ??= Promise.all(replicas.map((replica) => replica.stop())).then(() => undefined)),
  };
}

describeWithUsd('a render farm: snapshots and pin files through usdcat', () => {
  let postgres: TestPostgres | undefined;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-farm-'));
    writeLayers();
    postgres = await startPostgres();
  }, 120000);
  afterAll(() => {
    postgres?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const stores: [string, () => string | undefined][] = [
    ['SQLite', () => `sqlite:${path.join(folder, 'farm.db')}`],
    ['PostgreSQL', () => postgres?.url],
  ];

  test.each(stores)(
    '%s, two replicas: as of a snapshot, every answer holds through concurrent writes, and a pin file answers with no server',
    async (_name, spec) => {
      const storeSpec = spec();
      if (storeSpec === undefined) {
        process.stderr.write('\n*** SKIPPING the PostgreSQL farm: no PostgreSQL here ***\n\n');
        return;
      }
      const imported = await runCli(['store', 'import', mapFile, '--store', storeSpec]);
      expect(imported.stderr).toBe('');
      expect(imported.status).toBe(0);
      const deployment = await serveTwo(storeSpec);
      const [first, second] = deployment.replicas.map((replica) => replica.address);
      try {
        const created = await fetch(`${first}/_ar/snapshots`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ label: 'shot010 submit' }),
        });
        expect(created.status).toBe(201);
        const snapshot = ((await created.json()) as { id: string }).id;

        const atSnapshot = await flattened({ AR_HTTP_SERVER_URL: first, AR_HTTP_SNAPSHOT: snapshot });
        expect(atSnapshot).toContain('"a0"');
        expect(await flattened({ AR_HTTP_SERVER_URL: first })).toBe(atSnapshot);
        const recorded = await resolveMany(ids, { context: { serverUrl: first } });
        expect(recorded.every((answer, i) => answer === path.join(folder, `asset${i}_a.usda`))).toBe(true);

        const reading = Promise.all([
          ...[first, second].map((server) => flattened({ AR_HTTP_SERVER_URL: server, AR_HTTP_SNAPSHOT: snapshot })),
          ...[first, second].map((server) => resolveMany(ids, { context: { serverUrl: server, snapshot } })),
          ...[first, second].map((server) => Promise.all(ids.slice(0, 20).map((id) => resolveAsync(id, { context: { serverUrl: server, snapshot } })))),
        ]);
        const writes = rewrite(first, reading);
        const during = await reading;
        // The readers ran while the writers wrote.
        expect(await writes).toBeGreaterThan(WRITERS);
        expect(during[0]).toBe(atSnapshot);
        expect(during[1]).toBe(atSnapshot);
        expect(during[2]).toEqual(recorded);
        expect(during[3]).toEqual(recorded);
        expect(during[4]).toEqual(recorded.slice(0, 20));
        expect(during[5]).toEqual(recorded.slice(0, 20));

        // After the writes: the latest answers moved, the snapshot's did not.
        for (const server of [first, second]) {
          expect(await flattened({ AR_HTTP_SERVER_URL: server })).not.toBe(atSnapshot);
          expect(await flattened({ AR_HTTP_SERVER_URL: server, AR_HTTP_SNAPSHOT: snapshot })).toBe(atSnapshot);
          expect(await resolveMany(ids, { context: { serverUrl: server, snapshot } })).toEqual(recorded);
          expect(resolve(ids[2], { context: { serverUrl: server, snapshot } })).toBe(recorded[2]);
          expect(resolve(ids[2], { context: { serverUrl: server } })).toBe(path.join(folder, 'asset2_b.usda'));
        }

        const pins = path.join(folder, `pins-${_name}.json`);
        const pinned = await runCli(['pin', stage, '--snapshot', snapshot, '--server', second, '--out', pins]);
        expect(pinned.status).toBe(0);
        const content = JSON.parse(readFileSync(pins, 'utf8')) as { snapshot: string; pins: Record<string, string | null> };
        expect(content.snapshot).toBe(snapshot);
        expect(ids.map((id) => content.pins[id])).toEqual(recorded);

        await deployment.stop();
        const port = Number(new URL(first).port);
        // The server stopped: usdcat through the pin file, nothing listening.
        expect(await flattened({ AR_HTTP_SERVER_URL: first, AR_HTTP_PIN_FILE: pins })).toBe(atSnapshot);
        // And with a listener on its port: not one connection.
        const listener = await countConnections(port);
        try {
          const result = await usdcat({ AR_HTTP_SERVER_URL: first, AR_HTTP_PIN_FILE: pins });
          expect(result.stdout).toBe(atSnapshot);
          expect(result.stderr).not.toMatch(/warn|unresolved/i);
          expect(listener.count()).toBe(0);
        } finally {
          await listener.close();
        }
      } finally {
        await deployment.stop();
      }
    },
    600000,
  );

  test('a stage of 10,000 crate layers pins completely: every asset path usdcat asks the server is in the pin file', async () => {
    const count = 10000;
    const crates = path.join(folder, 'crates');
    const template = path.join(folder, 'template.usda');
    writeFileSync(template, '#usda 1.0\n(\n    defaultPrim = "Asset"\n)\n\ndef Xform "Asset"\n{\n}\n');
    mkdirSync(crates);
    const crate = path.join(crates, 'template.usdc');
    expect((await writeCrate(usd!.usdcat, template, crate)).status).toBe(0);
    const map = new Map<string, string>();
    for (let i = 0; i < count; i += 1) {
      const file = path.join(crates, `layer${i}.usdc`);
      copyFileSync(crate, file);
      map.set(`crates/${i.toString(16)}`, file);
    }
    const text = path.join(folder, 'crateStage.usda');
    writeFileSync(text, `#usda 1.0\n\n${[...map.keys()].map((id, i) => `def "P${i}" (\n    references = @${id}@\n)\n{\n}\n`).join('\n')}`);
    const root = path.join(folder, 'crateStage.usdc');
    expect((await writeCrate(usd!.usdcat, text, root)).status).toBe(0);

    const server = await countingServer((assetPath) => map.get(assetPath));
    const { url, requests: asked } = server;
    const pins = path.join(folder, 'crate-pins.json');
    let live: string;
    try {
      const result = await usdcat({ AR_HTTP_SERVER_URL: url }, root);
      expect(result.status).toBe(0);
      live = result.stdout;
      const pinned = await run(process.execPath, [cliPath, 'pin', root, '--server', url, '--out', pins], {}, { timeoutMs: 300000 });
      expect(pinned.status).toBe(0);
    } finally {
      await server.close();
    }
    const content = JSON.parse(readFileSync(pins, 'utf8')) as { pins: Record<string, string | null> };
    expect(asked.size).toBeGreaterThanOrEqual(count);
    const missing = [...asked.keys()].filter((assetPath) => !(assetPath in content.pins));
    expect(missing).toEqual([]);
    const through = await usdcat({ AR_HTTP_SERVER_URL: url, AR_HTTP_PIN_FILE: pins }, root);
    expect(through.status).toBe(0);
    expect(through.stdout).toBe(live);
  }, 900000);

  // usd-wg/assets is fetched beside the project, as `npm run bench -- chess` reads it.
  const chessSet = process.env.AR_HTTP_CHESS_SET ?? '';
  const haveChessSet = existsSync(path.join(chessSet, 'chess_set.usda'));
  if (!haveChessSet) process.stderr.write('\n*** SKIPPING the OpenChessSet pin: set AR_HTTP_CHESS_SET to usd-wg/assets\' full_assets/OpenChessSet ***\n\n');
  (haveChessSet ? test : test.skip)('the OpenChessSet, every arc by id, pins completely and flattens through its pin file as by path', async () => {
    const set = path.join(folder, 'OpenChessSet');
    cpSync(chessSet, set, { recursive: true });
    const root = path.join(set, 'chess_set.usda');
    const byPath = await run(usd!.usdcat, ['--flatten', root], { PXR_PLUGINPATH_NAME: '' }, { timeoutMs: 120000 });
    expect(byPath.status).toBe(0);
    const map = rewriteArcsToIds(set);
    const server = await countingServer((assetPath) => map.get(assetPath));
    const { url, requests: asked } = server;
    const pins = path.join(folder, 'chess-pins.json');
    try {
      expect((await usdcat({ AR_HTTP_SERVER_URL: url }, root)).stdout).toBe(byPath.stdout);
      const pinned = await pin([root], { server: url, out: pins });
      expect(pinned.unresolvedPaths).toEqual([]);
      expect([...asked.keys()].filter((assetPath) => !(assetPath in pinned.file.pins))).toEqual([]);
      expect(asked.size).toBeGreaterThanOrEqual(map.size);
    } finally {
      await server.close();
    }
    const through = await usdcat({ AR_HTTP_SERVER_URL: url, AR_HTTP_PIN_FILE: pins }, root);
    // USD's own warnings (its MaterialX files, when built without MaterialX) are the same by path.
    expect(through.stderr).not.toMatch(/ArHttpResolver/);
    expect(through.stdout).toBe(byPath.stdout);
  }, 300000);
});
