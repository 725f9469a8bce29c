import { ArHttpTypeError, config, configure, reloadConfig, resolveAsync } from '../lib';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

let fromEnv: TestServer;
let fromCode: TestServer;

beforeAll(async () => {
  fromEnv = await startTestServer({ '*': { body: '/from/environment.usda' } });
  fromCode = await startTestServer({ '*': { body: '/from/configure.usda' } });
});

afterEach(() => {
  configure({});
  setResolverEnv({});
});

afterAll(() => Promise.all([fromEnv.close(), fromCode.close()]));

test('options win over the environment, which fills in the rest; the effective settings come back', () => {
  setResolverEnv({ AR_HTTP_SERVER_URL: fromEnv.url, AR_HTTP_RETRIES: '4', AR_HTTP_TIMEOUT_MS: '9000' });
  const settings = configure({ serverUrl: fromCode.url, timeoutMs: 1500, pathMap: [{ from: '/a', to: '/b' }] });
  expect(settings).toMatchObject({
    serverUrl: fromCode.url,
    timeoutMs: 1500,
    retries: 4,
    pathMap: [{ from: '/a', to: '/b' }],
    warnings: [],
  });
  expect(config()).toEqual(settings);
});

test('resolves go to the configured server; configure({}) goes back to the environment', async () => {
  setResolverEnv({ AR_HTTP_SERVER_URL: fromEnv.url });
  configure({ serverUrl: fromCode.url });
  expect(await resolveAsync('id0x01')).toBe('/from/configure.usda');
  configure({});
  expect(await resolveAsync('id0x01')).toBe('/from/environment.usda');
});

test('what configure() set outlives reloadConfig(), which rereads the environment for the rest', () => {
  setResolverEnv({ AR_HTTP_RETRIES: '1' });
  configure({ serverUrl: fromCode.url });
  process.env.AR_HTTP_RETRIES = '3';
  expect(reloadConfig()).toMatchObject({ serverUrl: fromCode.url, retries: 3 });
});

test('headers replace every AR_HTTP_HEADER_* of the environment', async () => {
  setResolverEnv({ AR_HTTP_SERVER_URL: fromCode.url, AR_HTTP_HEADER_X_From_Env: 'env', AR_HTTP_FAIL_FAST_MS: '0' });
  expect(configure({ headers: { 'X-Studio': 'north' } }).headers).toEqual({ 'X-Studio': 'north' });
  const before = (await fromCode.stats()).requests.length;
  await resolveAsync('id0x02');
  const [request] = (await fromCode.stats()).requests.slice(before);
  expect(request.headers['x-studio']).toBe('north');
  expect(request.headers['x-from-env']).toBeUndefined();
});

test('the content cache options; contentHeaders replace every AR_HTTP_CONTENT_HEADER_* of the environment, not the others', () => {
  setResolverEnv({ AR_HTTP_CONTENT_HEADER_X_From_Env: 'env', AR_HTTP_HEADER_X_Kept: 'kept' });
  expect(
    configure({
      contentCacheDir: '/var/cache/ar-http-shows',
      contentCacheMaxBytes: 2 ** 31,
      maxContentBytes: 2 ** 20,
      contentHeaders: { 'X-Cdn-Token': 'secret', 'X-Studio': 'north' },
    }),
  ).toMatchObject({
    contentCacheDir: '/var/cache/ar-http-shows',
    contentCacheMaxBytes: 2 ** 31,
    maxContentBytes: 2 ** 20,
    contentHeaders: { 'X-Cdn-Token': '<redacted>', 'X-Studio': 'north' },
    headers: { 'X-Kept': 'kept' },
    warnings: [],
  });
  expect(configure({ headers: {} })).toMatchObject({ headers: {}, contentHeaders: { 'X-From-Env': 'env' } });
});

test('values are refused as the environment refuses them: a warning and the default', () => {
  const settings = configure({ timeoutMs: 0, pathFormat: '/nope', tls: { verify: false } });
  expect(settings).toMatchObject({ timeoutMs: 5000, pathFormat: '/%s', tls: { verify: false } });
  expect(settings.warnings).toEqual([
    expect.stringContaining('AR_HTTP_PATH_FORMAT "/nope" holds no %s'),
    expect.stringContaining('AR_HTTP_TIMEOUT_MS "0" is not a whole number'),
    expect.stringContaining('AR_HTTP_UNSAFE_NO_TLS_VERIFY=1: server certificates are NOT'),
  ]);
});

test.each([
  [{ serverURL: 'http://x' }, 'unknown option "serverURL"'],
  [{ timeoutMs: '5000' }, 'timeoutMs must be a whole number'],
  [{ timeoutMs: 1.5 }, 'timeoutMs must be a whole number'],
  [{ headers: { X_Y: 'v' } }, 'headers["X_Y"] must be named without "_"'],
  [{ headers: { 'X-Y': 5 } }, 'headers["X-Y"] must be a string'],
  [{ searchPaths: ['/a:/b'] }, 'searchPaths must be an array of strings without ":"'],
  [{ pathMap: [{ from: '/a=b', to: '/c' }] }, 'pathMap[0].from must be a path without "=" or ";"'],
  [{ tls: { verify: 'no' } }, 'tls.verify must be true or false'],
  [{ tls: { ca: '/x' } }, 'tls.ca must be left out'],
  [{ debug: 1 }, 'debug must be true or false'],
  [{ contentHeaders: { A_B: 'v' } }, 'contentHeaders["A_B"] must be named without "_"'],
  [{ contentCacheMaxBytes: '1G' }, 'contentCacheMaxBytes must be a whole number'],
])('%j is a TypeError naming the option, and changes nothing', (options, why) => {
  const before = configure({ retries: 7 });
  expect(() => configure(options as never)).toThrow(ArHttpTypeError);
  expect(() => configure(options as never)).toThrow(why);
  expect(config()).toEqual(before);
});
