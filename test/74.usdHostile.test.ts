// usdcat against the hostile servers of 28.hostileServer: it never crashes,
// ends within the deadline of what a normal run takes, in bounded memory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { hostileCases, startHostileServer } from './helpers/hostileServer';
import { run } from './helpers/run';
import { startTestServer } from './helpers/testServer';
import { describeWithUsd, usd } from './helpers/usd';

const TIMEOUT_MS = 2000;
const SLACK_MS = 1500;
const MAX_RSS_GROWTH_KB = 48 * 1024;

// The peak resident set of the program run, as the kernel counted it.
const withMaxRss = [
  '-c',
  'import resource, subprocess, sys\n' +
    'code = subprocess.run(sys.argv[1:]).returncode\n' +
    'sys.stderr.write("maxrss-kb=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n' +
    'sys.exit(code if code >= 0 else 128 - code)',
];

interface UsdcatRun {
  status: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  maxRssKb: number;
}

async function usdcat(stage: string, serverUrl: string): Promise<UsdcatRun> {
  const result = await run('python3', [...withMaxRss, usd!.usdcat, '--flatten', stage], {
    PXR_PLUGINPATH_NAME: usd!.pluginPath,
    AR_HTTP_SERVER_URL: serverUrl,
    AR_HTTP_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  const maxRssKb = Number(/maxrss-kb=(\d+)/.exec(result.stderr)?.[1]);
  return { ...result, maxRssKb };
}

describeWithUsd('usdcat against a hostile server', () => {
  let folder: string;
  let stage: string;
  let baseline: UsdcatRun;
  const ids = ['asset0.usda', 'asset1.usda', 'asset2.usda'];

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-hostile-usd-'));
    mkdirSync(path.join(folder, 'store'));
    for (const [i, id] of ids.entries()) {
      writeFileSync(path.join(folder, 'store', id), `#usda 1.0\ndef Xform "A" {\n    custom int number = ${i}\n}\n`);
    }
    mkdirSync(path.join(folder, 'shot'));
    stage = path.join(folder, 'shot', 'stage.usda');
    writeFileSync(stage, ['#usda 1.0', ...ids.map((id, i) => `def "P${i}" (references = @${id}@</A>) {}`)].join('\n') + '\n');
    // The same stage against a server that knows nothing: what usdcat costs anyway.
    const plain = await startTestServer({ '*': { status: 404 } });
    try {
      baseline = await usdcat(stage, plain.url);
    } finally {
      await plain.close();
    }
    expect(baseline.status).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test.each(hostileCases)('%s', async (_, scenario, answersRightly) => {
    const server = await startHostileServer(scenario, `${folder}/store/`);
    try {
      const result = await usdcat(stage, server.url);
      expect(result.status).toBe(0);
      expect(result.elapsedMs).toBeLessThan(baseline.elapsedMs + TIMEOUT_MS + SLACK_MS);
      expect(result.maxRssKb - baseline.maxRssKb).toBeLessThan(MAX_RSS_GROWTH_KB);
      expect(result.stdout.match(/custom int number = \d/g) ?? []).toHaveLength(answersRightly ? 3 : 0);
      if (!answersRightly) expect(result.stderr).toMatch(/asset0\.usda/);
    } finally {
      await server.close();
    }
  }, 30_000);
});
