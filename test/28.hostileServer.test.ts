// What a broken or hostile server can do to a resolving process: nothing
// beyond an unresolved asset. Raw TCP servers send what no HTTP library would.
import { resolve, resolveAsync, resolveMany } from '../lib';
import { Protocol } from '../lib/protocol';
import { distLib } from './helpers/cli';
import { setResolverEnv } from './helpers/env';
import { hostileCases, startHostileServer } from './helpers/hostileServer';
import { withRssPeak } from './helpers/rssPeak';
import { run } from './helpers/run';
import { startTestServer } from './helpers/testServer';
import { stderrLines } from './helpers/warnings';

const TIMEOUT_MS = 2000;
// Scheduling and a worker thread's start, beside the deadline itself.
const SLACK_MS = 1000;
// What one exchange may hold: a 64 KiB head and the body limits, far below this.
const MAX_RSS_GROWTH = 48 * 1024 * 1024;

afterAll(() => setResolverEnv({}));

const ids = ['asset0', 'asset1', 'asset2'];
const resolved = ids.map((id) => `/resolved/${id}`);
const unresolved = ids.map(() => '');

const apis: Record<string, (assetPaths: string[]) => Promise<string[]> | string[]> = {
  resolve: (assetPaths) => assetPaths.map((assetPath) => resolve(assetPath)),
  resolveAsync: (assetPaths) => Promise.all(assetPaths.map((assetPath) => resolveAsync(assetPath))),
  resolveMany: (assetPaths) => resolveMany(assetPaths),
};

describe.each(hostileCases)('a server sending %s', (_, scenario, answersRightly) => {
  test.each(Object.keys(apis))(
    '%s: the answer, within the deadline, in bounded memory',
    async (api) => {
      const server = await startHostileServer(scenario);
      try {
        setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_TIMEOUT_MS: String(TIMEOUT_MS) });
        const { result, peakGrowth, elapsedMs } = await withRssPeak(() => apis[api](ids));
        expect(result).toEqual(answersRightly ? resolved : unresolved);
        expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
        expect(peakGrowth).toBeLessThan(MAX_RSS_GROWTH);
      } finally {
        await server.close();
      }
    },
    20_000,
  );
});

describe('hosts that would reach cpp-httplib\'s regexes', () => {
  const longHost = `http://${'a'.repeat(20_000)}.example`;

  test('AR_HTTP_SERVER_URL with a 20,000-character host is refused with a warning, nothing crashes', () => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: longHost });
    expect(settings.serverUrl).toBe('');
    expect(settings.warnings).toEqual([expect.stringMatching(/^AR_HTTP_SERVER_URL "http:\/\/a{100,}\.\.\." is longer than 2048 bytes/)]);
    expect(settings.warnings[0].length).toBeLessThan(400);
    expect(resolve('asset0', { context: { serverUrl: 'http://127.0.0.1:1' } })).toBe('');
  });

  test.each([
    ['a 20,000-character host', longHost, /is longer than 2048 bytes/],
    ['a 254-character host', `http://${'h'.repeat(254)}`, /has a host longer than 253 bytes/],
  ])('a context server URL with %s is a TypeError naming the problem', (_, serverUrl, why) => {
    setResolverEnv({});
    expect(() => resolve('asset0', { context: { serverUrl } })).toThrow(why);
  });

  test('a redirect to a 20,000-character host is refused, nothing crashes', async () => {
    const relay = await startTestServer({ '*': { status: 302, headers: { location: `${longHost}/x` } } });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: relay.url });
      expect(await resolveAsync('asset0')).toBe('');
    } finally {
      await relay.close();
    }
  });
});

describe(`an asset path over the protocol's ${Protocol.maxAssetPathBytes} bytes`, () => {
  test('is answered "" at once with a short warning, never reaches the server, and trips nothing for others', async () => {
    const server = await startTestServer({ '*': { echoUrl: true } });
    try {
      const script = `
        const { resolve, resolveMany } = require(${JSON.stringify(distLib)});
        const huge = 'x'.repeat(10 * 1024 * 1024);
        const answers = [resolve(huge), resolve('after')];
        resolveMany(['first', huge, 'last']).then((many) => console.log(JSON.stringify([...answers, ...many])));
      `;
      const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
        AR_HTTP_SERVER_URL: server.url,
        AR_HTTP_BATCH_PATH: 'none',
      });
      expect(status).toBe(0);
      expect(JSON.parse(stdout)).toEqual(['', '/after', '/first', '', '/last']);
      const warnings = stderrLines(stderr);
      expect(warnings.length).toBeGreaterThanOrEqual(2);
      for (const line of warnings) {
        expect(line).toMatch(new RegExp(`the asset path "x{190,200}\\.\\.\\." \\(10485760 bytes\\) is longer than ${Protocol.maxAssetPathBytes} bytes`));
        // TfWarn, through OpenUSD, puts the file and line of the warning before it.
        expect(line.length).toBeLessThan(512);
      }
      const { requests } = await server.stats();
      expect(requests.map((request) => request.url).sort()).toEqual(['/after', '/first', '/last']);
    } finally {
      await server.close();
    }
  });

  test('resolveMany answers it "" and asks for the others in a batch', async () => {
    const server = await startHostileServer({ kind: 'interim' });
    try {
      setResolverEnv({ AR_HTTP_SERVER_URL: server.url });
      const huge = 'y'.repeat(Protocol.maxAssetPathBytes + 1);
      expect(await resolveMany(['a', huge, 'b'])).toEqual(['/resolved/a', '', '/resolved/b']);
      const requests = await server.requests();
      expect(requests.map(({ method }) => method)).toEqual(['POST']);
      expect(requests.every(({ pathLength }) => pathLength < 100)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
