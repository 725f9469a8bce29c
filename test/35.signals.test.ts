// Failures that code can see: the core's warnings as Node process warnings
// with a code (whichever binding runs), and `{ detailed: true }` telling why
// an asset stayed unresolved, against real servers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { resolve, resolveAsync, resolveMany, WarningCodes, type Resolution } from '../lib';
import { usdBindingPath } from '../lib/native/binding';
import { distLib, runCli } from './helpers/cli';
import { setResolverEnv } from './helpers/env';
import { startHostileServer } from './helpers/hostileServer';
import { run } from './helpers/run';
import { warningsFrom } from './helpers/warnings';
import { startTestServer, type TestServer } from './helpers/testServer';

const root = path.join(__dirname, '..');

afterAll(() => setResolverEnv({}));

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<string> {
  const gone = await startTestServer({});
  await gone.close();
  return gone.url;
}

test('WarningCodes names exactly the codes the native core gives, and those of the JavaScript side', () => {
  const source = readFileSync(path.join(root, 'native', 'core', 'log', 'WarningCode.cpp'), 'utf8');
  const native = [...source.matchAll(/"(AR_HTTP_[A-Z_]+)"/g)].map((match) => match[1]);
  expect(native.length).toBeGreaterThan(5);
  const javaScriptOnly = [WarningCodes.BINDING, WarningCodes.SAME_PROCESS_SERVER];
  expect([...native, ...javaScriptOnly].sort()).toEqual(Object.values(WarningCodes).sort());
});

describe("process.on('warning') sees the core's warnings with their code", () => {
  // Jest's sandbox has a process object of its own, which Node's 'warning' events do not reach: in this process
  // emitWarning is watched; the child processes below listen with process.on('warning').
  test('a server that is down: one AR_HTTP_SERVER_FAILED warning, from resolve, resolveAsync and resolveMany alike', async () => {
    const url = await closedPort();
    const seen: { message: string; type?: string; code?: string }[] = [];
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(((message: string, options: { type: string; code: string }) => {
      seen.push({ message, ...options });
    }) as typeof process.emitWarning);
    try {
      for (const call of [
        () => resolve('a'),
        () => resolveAsync('a'),
        () => resolveMany(['a', 'b']),
      ]) {
        seen.length = 0;
        setResolverEnv({ AR_HTTP_SERVER_URL: url, AR_HTTP_RETRY_DELAY_MS: '10' });
        await call();
        // Warnings cross from the core's threads when the event loop turns.
        for (let i = 0; i < 50 && seen.length === 0; i += 1) await new Promise((done) => setTimeout(done, 20));
        const failed = seen.filter((warning) => warning.code === WarningCodes.SERVER_FAILED);
        expect(failed).toHaveLength(1);
        expect(failed[0].type).toBe('ArHttpWarning');
        expect(failed[0].message).toContain(`the resolution server at ${url} failed (connection refused`);
      }
    } finally {
      emitWarning.mockRestore();
    }
  });

  const bindings: [string, boolean][] = [
    ['standalone', true],
    ['usd', existsSync(usdBindingPath())],
  ];
  if (!bindings[1][1]) {
    process.stderr.write(`\n*** SKIPPING the USD-linked binding's warnings: ${usdBindingPath()} is not built (npm run build:usd) ***\n\n`);
  }
  describe.each(bindings.filter(([, built]) => built))('the %s binding, in a child process', (backend) => {
    const script = `const { resolve, WarningCodes } = require(${JSON.stringify(distLib)});
      const seen = [];
      process.on('warning', (w) => seen.push({ name: w.name, code: w.code, message: w.message }));
      process.stdout.write(resolve('chair'));
      setTimeout(() => process.stdout.write(JSON.stringify(seen)), 300);`;

    test('a server-down warning reaches the listener, with its code; stderr holds only what Node prints of it', async () => {
      const url = await closedPort();
      const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
        AR_HTTP_BACKEND: backend,
        AR_HTTP_SERVER_URL: url,
        AR_HTTP_RETRIES: '0',
      });
      expect(status).toBe(0);
      expect(JSON.parse(stdout)).toEqual([
        { name: 'ArHttpWarning', code: 'AR_HTTP_SERVER_FAILED', message: expect.stringContaining(`the resolution server at ${url} failed`) },
      ]);
      // Node's own printing of it, not TfWarn's nor the core's line.
      expect(stderr).toContain('[AR_HTTP_SERVER_FAILED] ArHttpWarning: the resolution server at');
      expect(stderr).not.toContain('ar-http warning:');
      expect(stderr).not.toContain('Warning: in ');
    });

    test('--no-warnings silences it on stderr; the listener still sees it', async () => {
      const url = await closedPort();
      const { status, stdout, stderr } = await run(process.execPath, ['--no-warnings', '-e', script], {
        AR_HTTP_BACKEND: backend,
        AR_HTTP_SERVER_URL: url,
        AR_HTTP_RETRIES: '0',
        AR_HTTP_TIMEOUT_MS: 'soon',
      });
      expect(status).toBe(0);
      expect(JSON.parse(stdout).map((w: { code: string }) => w.code)).toEqual(['AR_HTTP_CONFIG', 'AR_HTTP_SERVER_FAILED']);
      expect(stderr).toBe('');
    });
  });

  test('the CLI keeps the core\'s warnings as the stderr lines they were', async () => {
    const url = await closedPort();
    const { status, stderr } = await runCli(['resolve', 'chair'], { AR_HTTP_SERVER_URL: url, AR_HTTP_RETRIES: '0' });
    expect(status).toBe(1);
    // "ar-http warning: …" from the standalone binding, TfWarn's line from the USD-linked one.
    expect(warningsFrom(stderr, 'the resolution server at')).toEqual([expect.stringContaining(`${url} failed (connection refused`)]);
    expect(stderr).not.toContain('ArHttpWarning');
  });
});

describe('{ detailed: true } tells why an asset stayed unresolved', () => {
  let answering: TestServer;
  beforeAll(async () => {
    answering = await startTestServer({ '/hostile': { body: '/assets/\u0001\u001b[2Jchair.usda' }, '/chair': { body: '/assets/chair.usda' } });
  });
  afterAll(() => answering.close());

  const unresolved = (error: string, via = 'server'): Resolution => ({ resolvedPath: '', via, error } as Resolution);
  const apis: Record<string, (assetPath: string) => Promise<Resolution>> = {
    resolve: async (assetPath) => resolve(assetPath, { detailed: true }),
    resolveAsync: (assetPath) => resolveAsync(assetPath, { detailed: true }),
    resolveMany: async (assetPath) => (await resolveMany([assetPath], { detailed: true }))[0],
  };

  describe.each(Object.keys(apis))('%s', (api) => {
    const detailed = apis[api];

    test('a 404, then a resolved path with no error', async () => {
      setResolverEnv({ AR_HTTP_SERVER_URL: answering.url });
      expect(await detailed('nothing')).toEqual(unresolved('not-found'));
      expect(await detailed('chair')).toEqual({ resolvedPath: '/assets/chair.usda', via: 'server' });
    });

    test('a closed port: unreachable; asked again at once: fail-fast', async () => {
      setResolverEnv({ AR_HTTP_SERVER_URL: await closedPort(), AR_HTTP_RETRY_DELAY_MS: '10', AR_HTTP_FAIL_FAST_MS: '60000' });
      expect(await detailed('a')).toEqual(unresolved('unreachable'));
      expect(await detailed('b')).toEqual(unresolved('fail-fast'));
    });

    test('a silent server: timeout', async () => {
      const silent = await startTestServer({ '*': { hang: true } });
      try {
        setResolverEnv({ AR_HTTP_SERVER_URL: silent.url, AR_HTTP_TIMEOUT_MS: '500' });
        expect(await detailed('a')).toEqual(unresolved('timeout'));
      } finally {
        await silent.close();
      }
    });

    test('a hostile body, and no HTTP at all: bad-answer', async () => {
      setResolverEnv({ AR_HTTP_SERVER_URL: answering.url, AR_HTTP_BATCH_PATH: 'none' });
      expect(await detailed('hostile')).toEqual(unresolved('bad-answer'));
      const garbage = await startHostileServer({ kind: 'garbage' });
      try {
        setResolverEnv({ AR_HTTP_SERVER_URL: garbage.url, AR_HTTP_TIMEOUT_MS: '2000' });
        expect(await detailed('a')).toEqual(unresolved('bad-answer'));
      } finally {
        await garbage.close();
      }
    });

    test('refused settings: refused, and nothing asked', async () => {
      setResolverEnv({ AR_HTTP_SERVER_URL: answering.url, AR_HTTP_SNAPSHOT: 'not a snapshot' });
      const before = (await answering.stats()).requests.length;
      expect(await detailed('chair')).toEqual(unresolved('refused'));
      expect((await answering.stats()).requests.length).toBe(before);
    });
  });

  test('a batch tells each path apart; a cached answer keeps its reason', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: answering.url, AR_HTTP_CACHE_TTL_MS: '600000' });
    expect(await resolveMany(['chair', 'nothing'], { detailed: true })).toEqual([
      { resolvedPath: '/assets/chair.usda', via: 'server' },
      unresolved('not-found'),
    ]);
    expect(resolve('nothing', { detailed: true })).toEqual(unresolved('not-found', 'cache'));
  });
});
