/**
 * One table of cases, run three ways: the standalone binding, the USD-linked binding (each in its
 * own Node process, through resolveMany) and usdcat opening a stage that names the same asset
 * paths. All three must give the table's answers with the table's requests: one engine behind all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { createResolutionServer } from '../lib';
import { run } from './helpers/run';
import { describeWithUsd, usd } from './helpers/usd';

const distLib = path.join(__dirname, '..', 'dist', 'lib');

interface Case {
  name: string;
  /** As the stage names them; `./local.usda` exists beside it. */
  assetPaths: string[];
  /** The server's map: asset path -> file name of a layer in the case's folder. */
  served: Record<string, string>;
  noBatchEndpoint?: boolean;
  env?: Record<string, string>;
  /** Identifier -> resolved path ('' for not found), with `{dir}` for the case's folder. */
  answers: Record<string, string>;
  requests: { GET: number; POST: number };
}

const both = { id_a: 'a.usda', id_b: 'b.usda' };
const cases: Case[] = [
  {
    name: 'ids the server knows, with its batch endpoint',
    assetPaths: ['id_a', 'id_b'],
    served: both,
    answers: { id_a: '{dir}/a.usda', id_b: '{dir}/b.usda' },
    requests: { GET: 0, POST: 1 },
  },
  {
    name: 'a GET-only server',
    assetPaths: ['id_a', 'id_b'],
    served: both,
    noBatchEndpoint: true,
    answers: { id_a: '{dir}/a.usda', id_b: '{dir}/b.usda' },
    requests: { GET: 2, POST: 1 },
  },
  {
    name: 'batches turned off',
    assetPaths: ['id_a', 'id_b'],
    served: both,
    env: { AR_HTTP_BATCH_PATH: 'none' },
    answers: { id_a: '{dir}/a.usda', id_b: '{dir}/b.usda' },
    requests: { GET: 2, POST: 0 },
  },
  {
    name: 'a local file beside ids: the filesystem first, the file never asked for',
    assetPaths: ['./local.usda', 'id_a', 'id_b'],
    served: { ...both, './local.usda': 'b.usda', '{dir}/local.usda': 'b.usda' },
    answers: { '{dir}/local.usda': '{dir}/local.usda', id_a: '{dir}/a.usda', id_b: '{dir}/b.usda' },
    requests: { GET: 0, POST: 1 },
  },
  {
    name: 'an id nobody knows',
    assetPaths: ['id_a', 'id_b', 'nobody'],
    served: both,
    answers: { id_a: '{dir}/a.usda', id_b: '{dir}/b.usda', nobody: '' },
    requests: { GET: 0, POST: 1 },
  },
  {
    name: 'one id alone: a GET, no batch',
    assetPaths: ['id_a'],
    served: both,
    answers: { id_a: '{dir}/a.usda' },
    requests: { GET: 1, POST: 0 },
  },
];

type Way = 'standalone' | 'usd' | 'usdcat';

/** A real resolution server for one case and one way, counting what it is asked. */
async function caseServer(served: Record<string, string>, folder: string, noBatchEndpoint: boolean) {
  const map = Object.fromEntries(Object.entries(served).map(([assetPath, file]) =>
    [assetPath.replace('{dir}', folder), path.join(folder, file)]));
  const app = await createResolutionServer({ map });
  const requests = { GET: 0, POST: 0 };
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'POST') requests[request.method] += 1;
    if (noBatchEndpoint && request.method === 'POST') return reply.code(404).send();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, requests, close: () => app.close() };
}

/** What each identifier resolved to, the way `way` resolves. */
async function answersOf(way: Way, testCase: Case, folder: string, env: Record<string, string>): Promise<Record<string, string>> {
  const stage = path.join(folder, 'stage.usda');
  if (way === 'usdcat') {
    const result = await run(usd!.usdcat, ['--flatten', stage],
      { PXR_PLUGINPATH_NAME: usd!.pluginPath, TF_DEBUG: 'AR_HTTP', TF_DEBUG_OUTPUT_FILE: 'stderr', ...env });
    if (result.status !== 0) throw new Error(`usdcat failed:\n${result.stderr}`);
    // ar-http: "<identifier>" -> "<resolved>" | not found (<way>)
    const answers: Record<string, string> = {};
    for (const [, identifier, resolved] of result.stderr.matchAll(/^ar-http: "([^"]*)" -> (?:"([^"]*)"|not found) \(/gm)) {
      if (identifier === stage || identifier.startsWith(usd!.location)) continue;
      if (identifier in answers && answers[identifier] !== (resolved ?? '')) {
        throw new Error(`usdcat resolved ${identifier} two ways: ${answers[identifier]} and ${resolved}`);
      }
      answers[identifier] = resolved ?? '';
    }
    return answers;
  }
  const script = `
    const ar = require(${JSON.stringify(distLib)});
    const assetPaths = ${JSON.stringify(testCase.assetPaths)};
    const anchor = ${JSON.stringify(stage)};
    if (ar.backend() !== ${JSON.stringify(way)}) throw new Error('backend ' + ar.backend());
    ar.resolveMany(assetPaths, { anchor }).then((resolved) => console.log(JSON.stringify(
      Object.fromEntries(assetPaths.map((assetPath, i) => [ar.createIdentifier(assetPath, anchor), resolved[i]])))));`;
  const result = await run(process.execPath, ['-e', script], { AR_HTTP_BACKEND: way, ...env });
  if (result.status !== 0) throw new Error(`node (${way}) failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string>;
}

describeWithUsd('the same answers and requests through the standalone binding, the USD-linked binding and usdcat', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-same-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe.each(cases)('$name', (testCase) => {
    test.each<Way>(['standalone', 'usd', 'usdcat'])('%s', async (way) => {
      const caseFolder = mkdtempSync(path.join(folder, 'case-'));
      for (const name of ['a', 'b', 'local']) {
        writeFileSync(path.join(caseFolder, `${name}.usda`), `#usda 1.0\n(defaultPrim = "M")\ndef "M" { custom string from = "${name}" }\n`);
      }
      writeFileSync(path.join(caseFolder, 'stage.usda'), `#usda 1.0\n${testCase.assetPaths
        .map((assetPath, i) => `def "P${i}" (references = @${assetPath}@) {}\n`).join('')}`);
      const server = await caseServer(testCase.served, caseFolder, testCase.noBatchEndpoint ?? false);
      try {
        const answers = await answersOf(way, testCase, caseFolder, { AR_HTTP_SERVER_URL: server.url, ...testCase.env });
        const expected = Object.fromEntries(Object.entries(testCase.answers).map(([identifier, resolved]) =>
          [identifier.replace('{dir}', caseFolder), resolved.replace('{dir}', caseFolder)]));
        expect(answers).toEqual(expected);
        expect(server.requests).toEqual(testCase.requests);
      } finally {
        await server.close();
      }
    }, 30_000);
  });
});
