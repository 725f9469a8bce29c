import { clearCache, resolve, resolveAsync, resolveMany, watch } from '../lib';
import { distLib, runCli } from './helpers/cli';
import { setResolverEnv } from './helpers/env';
import { run } from './helpers/run';
import { otherLines, warningsFrom } from './helpers/warnings';
import { startSnapshotServer, type SnapshotServer } from './helpers/snapshotServer';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let server: SnapshotServer;

beforeAll(async () => {
  server = await startSnapshotServer({
    latest: { chair: '/v2/chair.usda', table: '/v2/table.usda', lamp: '/v1/lamp.usda' },
    snapshots: { s12: { chair: '/v1/chair.usda', table: '/v1/table.usda' } },
  });
});
afterAll(async () => {
  setResolverEnv({});
  await server.close();
});
beforeEach(async () => {
  await server.reset();
  clearCache();
});

async function urls(): Promise<string[]> {
  return (await server.stats()).requests.map((request) => request.url);
}

describe('resolving as of a snapshot', () => {
  test('AR_HTTP_SNAPSHOT reaches the server on GET and on the batch POST', async () => {
    expect(setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_SNAPSHOT: 's12' }).snapshot).toBe('s12');
    expect(resolve('chair')).toBe('/v1/chair.usda');
    expect(await resolveMany(['table', 'lamp', 'chair'])).toEqual(['/v1/table.usda', '', '/v1/chair.usda']);
    const { requests } = await server.stats();
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /chair?snapshot=s12',
      'POST /_ar/resolve?snapshot=s12',
    ]);
    expect(requests[1].headers['ar-http-versions']).toBe('1');
  });

  test('a path format holding a query gets the snapshot after "&"', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_SNAPSHOT: 's12', AR_HTTP_PATH_FORMAT: '/%s?x=1' });
    resolve('chair');
    expect(await urls()).toEqual(['/chair?x=1&snapshot=s12']);
  });

  test('{ snapshot } in a context, kept apart from the latest answers', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CACHE_TTL_MS: '600000' });
    expect(resolve('chair', { context: { snapshot: 's12' } })).toBe('/v1/chair.usda');
    expect(resolve('chair')).toBe('/v2/chair.usda');
    expect(await resolveAsync('chair', { context: { snapshot: 's12' } })).toBe('/v1/chair.usda');
    expect(await urls()).toEqual(['/chair?snapshot=s12', '/chair']);
    expect(() => resolve('chair', { context: { snapshot: 'a b' } })).toThrow(/snapshot "a b" is not 1 to 128 characters/);
  });

  test('snapshot answers are kept for the life of the process, whatever AR_HTTP_CACHE_TTL_MS says', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_SNAPSHOT: 's12', AR_HTTP_CACHE_TTL_MS: '0' });
    for (let i = 0; i < 3; i += 1) expect(resolve('chair')).toBe('/v1/chair.usda');
    expect(await resolveMany(['chair', 'table'])).toEqual(['/v1/chair.usda', '/v1/table.usda']);
    expect(await resolveMany(['chair', 'table'])).toEqual(['/v1/chair.usda', '/v1/table.usda']);
    expect(await urls()).toEqual(['/chair?snapshot=s12', '/table?snapshot=s12']);
  });

  test('the change feed drops latest answers and leaves snapshot answers be', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_CACHE_TTL_MS: '600000' });
    const changes = watch();
    try {
      expect(resolve('lamp')).toBe('/v1/lamp.usda');
      expect(resolve('lamp', { context: { snapshot: 's12' } })).toBe('');
      expect(resolve('chair', { context: { snapshot: 's12' } })).toBe('/v1/chair.usda');
      const heard: string[] = [];
      changes.on('change', (change: { assetPath: string }) => heard.push(change.assetPath));
      for (let i = 0; i < 100 && !(await urls()).includes('/_ar/events'); i += 1) await sleep(20);
      await server.change('lamp', '/v3/lamp.usda');
      await server.change('chair', '/v3/chair.usda');
      for (let i = 0; i < 200 && heard.length < 2; i += 1) await sleep(20);
      expect(heard).toEqual(['lamp', 'chair']);
      await server.reset();
      expect(resolve('lamp')).toBe('/v3/lamp.usda');
      expect(resolve('chair', { context: { snapshot: 's12' } })).toBe('/v1/chair.usda');
      expect(resolve('lamp', { context: { snapshot: 's12' } })).toBe('');
      expect(await urls()).toEqual(['/lamp']);
    } finally {
      changes.close();
    }
  });

  test('an unknown snapshot: unresolved, with one warning naming it', async () => {
    const script = `
      const { resolve, resolveMany } = require(${JSON.stringify(distLib)});
      const one = ['chair', 'table', 'lamp'].map((id) => resolve(id));
      resolveMany(['a', 'b', 'c']).then((many) => console.log(JSON.stringify([...one, ...many])));
    `;
    const { status, stdout, stderr } = await run(process.execPath, ['-e', script], {
      AR_HTTP_SERVER_URL: server.url,
      AR_HTTP_SNAPSHOT: 'nope',
    });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['', '', '', '', '', '']);
    const start = `the resolution server at ${server.url} has no snapshot`;
    expect(warningsFrom(stderr, start)).toEqual([`${start} "nope": assets the filesystem lacks stay unresolved`]);
    expect(otherLines(stderr, start)).toEqual([]);
    expect(await urls()).toEqual([
      '/chair?snapshot=nope', '/table?snapshot=nope', '/lamp?snapshot=nope', '/_ar/resolve?snapshot=nope',
    ]);
  });

  test('a refused AR_HTTP_SNAPSHOT fails closed: nothing resolves through the server, which is never asked', async () => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: server.url, AR_HTTP_SNAPSHOT: '../etc' });
    expect(settings.snapshot).toBe('');
    expect(settings.remoteRefusal).toMatch(/AR_HTTP_SNAPSHOT/);
    expect(settings.warnings).toEqual([expect.stringMatching(/^AR_HTTP_SNAPSHOT "\.\.\/etc" is not 1 to 128 characters.*nothing resolves through the server$/)]);
    expect(resolve('chair')).toBe('');
    expect(await resolveMany(['chair', 'table'])).toEqual(['', '']);
    expect(await urls()).toEqual([]);
  });

  test('ar-http resolve --snapshot', async () => {
    const result = await runCli(['resolve', '--snapshot', 's12', 'chair', 'lamp'], { AR_HTTP_SERVER_URL: server.url });
    expect(result).toEqual({ status: 1, stdout: '/v1/chair.usda\n\n', stderr: 'ar-http: unresolved: lamp\n' });
    expect(await urls()).toEqual(['/_ar/resolve?snapshot=s12']);
    const refused = await runCli(['resolve', '--snapshot', 'a/b', 'chair'], { AR_HTTP_SERVER_URL: server.url });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--snapshot "a/b" is not 1 to 128 characters');
  });
});
