import { config } from '../lib';
import path from 'node:path';

import { testCacheHome } from './helpers/contentCacheDir';
import { setResolverEnv } from './helpers/env';

afterAll(() => setResolverEnv({}));

describe('configuration from the environment', () => {
  test('defaults', () => {
    expect(setResolverEnv({})).toEqual({
      serverUrl: 'http://localhost:8000',
      pathFormat: '/%s',
      headers: {},
      secretHeaders: [],
      timeoutMs: 5000,
      maxConnections: 8,
      cacheTtlMs: 0,
      cacheMaxEntries: 100000,
      batchPath: '/_ar/resolve',
      retries: 2,
      retryDelayMs: 100,
      failFastMs: 3000,
      maxRedirects: 5,
      // The system's CA bundle, wherever this Linux keeps it.
      tls: { caFile: expect.any(String), caDir: '', verify: true },
      debug: false,
      watch: false,
      searchPaths: [],
      snapshot: '',
      pinFile: '',
      pinFallback: 'none',
      pathMap: [],
      remoteRefusal: '',
      contentCacheDir: path.join(testCacheHome, 'ar-http'),
      contentCacheMaxBytes: 10 * 2 ** 30,
      maxContentBytes: 4 * 2 ** 30,
      contentHeaders: {},
      warnings: [],
    });
  });

  test('every variable is read', () => {
    const settings = setResolverEnv({
      AR_HTTP_SERVER_URL: 'http://resolver.example:9000/api/',
      AR_HTTP_PATH_FORMAT: '/v1/assets/%s/resolve',
      AR_HTTP_HEADER_X_Api_Key: 'k-123',
      AR_HTTP_TIMEOUT_MS: '250',
      AR_HTTP_MAX_CONNECTIONS: '3',
      AR_HTTP_CACHE_TTL_MS: '60000',
      AR_HTTP_CACHE_MAX_ENTRIES: '500',
      AR_HTTP_BATCH_PATH: '/v1/batch',
      AR_HTTP_RETRIES: '4',
      AR_HTTP_RETRY_DELAY_MS: '20',
      AR_HTTP_FAIL_FAST_MS: '0',
      AR_HTTP_MAX_REDIRECTS: '1',
      AR_HTTP_CA_FILE: __filename,
      TF_DEBUG: 'AR_HTTP',
      PXR_AR_DEFAULT_SEARCH_PATH: '/tmp/a::relative/b',
      AR_HTTP_SNAPSHOT: 'shot010.submit-2',
      AR_HTTP_PIN_FILE: '/farm/pins/shot010.json',
      AR_HTTP_PIN_FALLBACK: 'server',
      AR_HTTP_PATH_MAP: '/mnt/shows=/Volumes/shows;/mnt=/M',
    });
    expect(settings).toMatchObject({
      snapshot: 'shot010.submit-2',
      pinFile: '/farm/pins/shot010.json',
      pinFallback: 'server',
      pathMap: [{ from: '/mnt/shows', to: '/Volumes/shows' }, { from: '/mnt', to: '/M' }],
      remoteRefusal: '',
      serverUrl: 'http://resolver.example:9000/api/',
      pathFormat: '/v1/assets/%s/resolve',
      headers: { 'X-Api-Key': '<redacted>' },
      secretHeaders: [],
      timeoutMs: 250,
      maxConnections: 3,
      cacheTtlMs: 60000,
      cacheMaxEntries: 500,
      batchPath: '/v1/batch',
      retries: 4,
      retryDelayMs: 20,
      failFastMs: 0,
      maxRedirects: 1,
      tls: { caFile: __filename, caDir: '', verify: true },
      debug: true,
      searchPaths: ['/tmp/a', `${process.cwd()}/relative/b`],
      warnings: [],
    });
    expect(config()).toEqual(settings);
  });

  test('the content cache settings are read, sizes with binary units, content headers redacted as secrets', () => {
    const settings = setResolverEnv({
      AR_HTTP_CONTENT_CACHE_DIR: '/var/cache/shows',
      AR_HTTP_CONTENT_CACHE_MAX_BYTES: '3G',
      AR_HTTP_MAX_CONTENT_BYTES: '512k',
      AR_HTTP_CONTENT_HEADER_Authorization: 'Bearer cdn-secret',
      AR_HTTP_CONTENT_HEADER_X_Studio: 'north',
    });
    expect(settings).toMatchObject({
      contentCacheDir: '/var/cache/shows',
      contentCacheMaxBytes: 3 * 2 ** 30,
      maxContentBytes: 512 * 1024,
      contentHeaders: { Authorization: '<redacted>', 'X-Studio': 'north' },
      headers: {},
      warnings: [],
    });
    expect(JSON.stringify(settings)).not.toContain('cdn-secret');
  });

  test('the content cache folder defaults to $XDG_CACHE_HOME/ar-http, else ~/.cache/ar-http', () => {
    const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, HOME: process.env.HOME };
    try {
      process.env.XDG_CACHE_HOME = '/xdg';
      expect(setResolverEnv({}).contentCacheDir).toBe('/xdg/ar-http');
      delete process.env.XDG_CACHE_HOME;
      process.env.HOME = '/home/artist';
      expect(setResolverEnv({}).contentCacheDir).toBe('/home/artist/.cache/ar-http');
      // A relative XDG_CACHE_HOME is to be ignored (XDG base directory specification).
      process.env.XDG_CACHE_HOME = 'relative';
      expect(setResolverEnv({}).contentCacheDir).toBe('/home/artist/.cache/ar-http');
    } finally {
      Object.assign(process.env, saved);
    }
  });

  test.each([
    ['AR_HTTP_CONTENT_CACHE_DIR', 'cache/here', 'is not an absolute path'],
    ['AR_HTTP_CONTENT_CACHE_MAX_BYTES', '10X', 'is not a number of bytes'],
    ['AR_HTTP_CONTENT_CACHE_MAX_BYTES', '0', 'is not a number of bytes'],
    ['AR_HTTP_CONTENT_CACHE_MAX_BYTES', '99999999999T', 'is not a number of bytes'],
    ['AR_HTTP_MAX_CONTENT_BYTES', '-1', 'is not a number of bytes'],
    ['AR_HTTP_MAX_CONTENT_BYTES', '1.5G', 'is not a number of bytes'],
    ['AR_HTTP_CONTENT_HEADER_Bad_Value', 'a\u0001b', 'is ignored'],
  ])('%s %j is refused with a warning, and the default used', (name, value, why) => {
    const settings = setResolverEnv({ [name]: value });
    expect(settings.warnings).toHaveLength(1);
    expect(settings.warnings[0]).toContain(name);
    expect(settings.warnings[0]).toContain(why);
    expect(settings).toMatchObject({
      contentCacheDir: path.join(testCacheHome, 'ar-http'),
      contentCacheMaxBytes: 10 * 2 ** 30,
      maxContentBytes: 4 * 2 ** 30,
      contentHeaders: {},
    });
  });

  test('an empty variable counts as unset', () => {
    expect(setResolverEnv({ AR_HTTP_SERVER_URL: '', AR_HTTP_PATH_FORMAT: '' })).toMatchObject({
      serverUrl: 'http://localhost:8000',
      pathFormat: '/%s',
      warnings: [],
    });
  });

  test.each([
    ['/x', 'holds no %s'],
    ['/%s/%s', "holds a '%' other than its one %s"],
    ['/%d', 'holds no %s'],
    ['/%s%n', "holds a '%' other than its one %s"],
    ['/%%s', "holds a '%' other than its one %s"],
    ['%s', "must start with '/'"],
    ['/a b/%s', 'space or control character'],
  ])('path format %j is refused and the default used', (format, why) => {
    const settings = setResolverEnv({ AR_HTTP_PATH_FORMAT: format });
    expect(settings.pathFormat).toBe('/%s');
    expect(settings.warnings).toHaveLength(1);
    expect(settings.warnings[0]).toContain('AR_HTTP_PATH_FORMAT');
    expect(settings.warnings[0]).toContain(why);
  });

  test.each([
    ['localhost:8000', 'must start with http:// or https://'],
    ['ftp://host', 'must start with http:// or https://'],
    ['http://', 'has no host'],
    ['http://host:0', 'bad port'],
    ['http://host:70000', 'bad port'],
    ['http://host:80a', 'bad port'],
    ['http://host:', 'empty port'],
    ['http://user:secret@host', 'holds credentials'],
    ['http://host/base?x=1', 'no query'],
    ['http://ho st', 'space or control character'],
    ['http://[::1', 'unclosed'],
  ])('server URL %j is refused, and no server is used: not the default either', (url, why) => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: url });
    expect(settings.serverUrl).toBe('');
    expect(settings.remoteRefusal).toBe('AR_HTTP_SERVER_URL is refused');
    expect(settings.warnings).toHaveLength(1);
    expect(settings.warnings[0]).toContain(why);
    expect(settings.warnings[0]).toMatch(/^AR_HTTP_SERVER_URL .*: nothing resolves through a server$/);
  });

  test('a refused server URL with credentials is not echoed into config()', () => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: 'http://user:secret@host' });
    expect(JSON.stringify(settings.serverUrl)).not.toContain('secret');
  });

  test.each(['http://[::1]:8123', 'https://resolver.example', 'http://127.0.0.1:1'])(
    'server URL %j is accepted',
    (url) => {
      expect(setResolverEnv({ AR_HTTP_SERVER_URL: url })).toMatchObject({ serverUrl: url, warnings: [] });
    },
  );

  test.each([
    ['AR_HTTP_TIMEOUT_MS', '0', 5000, 'timeoutMs'],
    ['AR_HTTP_TIMEOUT_MS', '-5', 5000, 'timeoutMs'],
    ['AR_HTTP_TIMEOUT_MS', '1.5', 5000, 'timeoutMs'],
    ['AR_HTTP_TIMEOUT_MS', '99999999999', 5000, 'timeoutMs'],
    ['AR_HTTP_MAX_CONNECTIONS', '0', 8, 'maxConnections'],
    ['AR_HTTP_MAX_CONNECTIONS', 'many', 8, 'maxConnections'],
    ['AR_HTTP_CACHE_TTL_MS', '-1', 0, 'cacheTtlMs'],
    ['AR_HTTP_CACHE_MAX_ENTRIES', '0', 100000, 'cacheMaxEntries'],
    ['AR_HTTP_RETRIES', '11', 2, 'retries'],
    ['AR_HTTP_RETRIES', '-1', 2, 'retries'],
    ['AR_HTTP_RETRY_DELAY_MS', '0', 100, 'retryDelayMs'],
    ['AR_HTTP_FAIL_FAST_MS', '1e3', 3000, 'failFastMs'],
    ['AR_HTTP_MAX_REDIRECTS', '21', 5, 'maxRedirects'],
    ['AR_HTTP_WATCH', 'yes', false, 'watch'],
    ['AR_HTTP_WATCH', '2', false, 'watch'],
  ] as const)('%s=%j is refused', (name, value, fallback, key) => {
    const settings = setResolverEnv({ [name]: value });
    expect(settings[key]).toBe(fallback);
    expect(settings.warnings).toEqual([expect.stringContaining(`${name} "${value}"`)]);
  });

  test('control characters in a refused value are escaped in the warning, never printed raw', () => {
    const settings = setResolverEnv({ AR_HTTP_SERVER_URL: 'http://h\u001b[2J\nost', AR_HTTP_RETRIES: '1\r\nX' });
    expect(settings.warnings).toEqual([
      expect.stringContaining('AR_HTTP_SERVER_URL "http://h\\x1B[2J\\x0Aost" holds a space or control character'),
      expect.stringContaining('AR_HTTP_RETRIES "1\\x0D\\x0AX" is not a whole number'),
    ]);
    expect(settings.warnings.join('')).not.toMatch(/[\u0000-\u001f]/);
  });

  test('AR_HTTP_BATCH_PATH: "none" turns batches off; a bad path is refused', () => {
    expect(setResolverEnv({ AR_HTTP_BATCH_PATH: 'none' })).toMatchObject({ batchPath: '', warnings: [] });
    const settings = setResolverEnv({ AR_HTTP_BATCH_PATH: 'batch?x' });
    expect(settings.batchPath).toBe('/_ar/resolve');
    expect(settings.warnings).toEqual([expect.stringContaining('AR_HTTP_BATCH_PATH "batch?x" is neither')]);
  });

  test('header names: underscores become dashes, bad names and framing headers are refused', () => {
    const settings = setResolverEnv({
      AR_HTTP_HEADER_X_Trace_Id: 't-1',
      'AR_HTTP_HEADER_Bad(Name)': 'v',
      AR_HTTP_HEADER_Content_Length: '5',
      AR_HTTP_HEADER_Host: 'elsewhere',
    });
    expect(settings.headers).toEqual({ 'X-Trace-Id': 't-1' });
    expect(settings.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"Bad(Name)" is not a valid header name'),
        expect.stringContaining('manages the Content-Length header'),
        expect.stringContaining('manages the Host header'),
      ]),
    );
  });

  test.each([
    ['a CR LF injection', 'ok\r\nX-Injected: 1'],
    ['a lone LF', 'ok\nX-Injected: 1'],
    ['an escape character', 'ok\u001b[31m'],
  ])('a header value with %s is refused with a warning', (_, value) => {
    const settings = setResolverEnv({ AR_HTTP_HEADER_X_Custom: value });
    expect(settings.headers).toEqual({});
    expect(settings.warnings).toEqual([
      expect.stringMatching(/^AR_HTTP_HEADER_X_Custom is ignored: .*holds a CR, LF, NUL/),
    ]);
  });

  test('secret header values are redacted in config(): credential-like names and AR_HTTP_SECRET_HEADERS', () => {
    const settings = setResolverEnv({
      AR_HTTP_HEADER_Authorization: 'Bearer top-secret',
      AR_HTTP_HEADER_Cookie: 'session=top-secret',
      AR_HTTP_HEADER_Proxy_Authorization: 'Basic top-secret',
      AR_HTTP_HEADER_X_Api_Key: 'top-secret',
      AR_HTTP_HEADER_X_Auth_Token: 'top-secret',
      AR_HTTP_HEADER_X_Client_Secret: 'top-secret',
      AR_HTTP_HEADER_X_Db_Password: 'top-secret',
      AR_HTTP_HEADER_X_Session_Id: 'top-secret',
      AR_HTTP_HEADER_X_Amz_Signature: 'top-secret',
      AR_HTTP_HEADER_X_Tenant: 'top-secret',
      AR_HTTP_HEADER_X_Visible: 'shown',
      AR_HTTP_SECRET_HEADERS: ' x-tenant , X-Other',
    });
    expect(settings.headers).toEqual({
      Authorization: '<redacted>',
      Cookie: '<redacted>',
      'Proxy-Authorization': '<redacted>',
      'X-Api-Key': '<redacted>',
      'X-Auth-Token': '<redacted>',
      'X-Client-Secret': '<redacted>',
      'X-Db-Password': '<redacted>',
      'X-Session-Id': '<redacted>',
      'X-Amz-Signature': '<redacted>',
      'X-Tenant': '<redacted>',
      'X-Visible': 'shown',
    });
    expect(settings.secretHeaders).toEqual(['x-tenant', 'x-other']);
    expect(settings.warnings).toEqual([]);
    expect(JSON.stringify(config())).not.toContain('top-secret');
  });

  test('a name in AR_HTTP_SECRET_HEADERS that is no header name is left out with a warning', () => {
    const settings = setResolverEnv({ AR_HTTP_SECRET_HEADERS: 'X-Good,bad name' });
    expect(settings.secretHeaders).toEqual(['x-good']);
    expect(settings.warnings).toEqual([expect.stringMatching(/^AR_HTTP_SECRET_HEADERS: "bad name" is not a valid header name/)]);
  });

  test.each([
    ['AR_HTTP', true],
    ['AR_*', true],
    ['*', true],
    ['PLUG_LOAD AR_HTTP', true],
    ['AR_HTTP -AR_HTTP', false],
    ['* -AR_*', false],
    ['-AR_HTTP AR_*', true],
    ['AR_HTTP_X', false],
    ['AR_RESOLVER_INIT', false],
  ])('TF_DEBUG=%j enables AR_HTTP: %s', (value, enabled) => {
    expect(setResolverEnv({ TF_DEBUG: value }).debug).toBe(enabled);
  });

  test('refused settings become Node process warnings', () => {
    const emitWarning = jest.spyOn(process, 'emitWarning');
    try {
      setResolverEnv({ AR_HTTP_PATH_FORMAT: '/nope' });
      expect(emitWarning).toHaveBeenCalledTimes(1);
      expect(emitWarning).toHaveBeenCalledWith(
        expect.stringContaining('AR_HTTP_PATH_FORMAT "/nope" holds no %s'),
        { type: 'ArHttpWarning', code: 'AR_HTTP_CONFIG' },
      );
    } finally {
      emitWarning.mockRestore();
    }
  });

  test.each([
    ['AR_HTTP_SNAPSHOT', 'a b', 'is not 1 to 128 characters of A-Z a-z 0-9 . _ -: nothing resolves through the server'],
    ['AR_HTTP_SNAPSHOT', 'x'.repeat(129), 'is not 1 to 128 characters'],
    ['AR_HTTP_SNAPSHOT', '../12', 'is not 1 to 128 characters'],
    ['AR_HTTP_PATH_MAP', '/mnt', "without '='"],
    ['AR_HTTP_PATH_MAP', '/mnt=', 'with an empty side'],
    ['AR_HTTP_PATH_MAP', '=/Volumes', 'with an empty side'],
    ['AR_HTTP_PATH_MAP', '/a=/b;/a=/c', 'maps "/a" twice'],
    ['AR_HTTP_PATH_MAP', '/a\u001b[2J=/b', 'holds a control character'],
    ['AR_HTTP_PATH_MAP', `/${'a'.repeat(5000)}=/b`, 'longer than 4096 bytes'],
    ['AR_HTTP_PATH_MAP', Array.from({ length: 300 }, (_, i) => `/p${i}=/q`).join(';'), 'more than 256 pairs'],
    ['AR_HTTP_PATH_MAP', 'x'.repeat(3000000), 'is longer than'],
  ])('%s %j is refused, warned about, and fails closed', (name, value, why) => {
    const settings = setResolverEnv({ [name]: value });
    expect(settings.warnings).toHaveLength(1);
    expect(settings.warnings[0]).toContain(name);
    expect(settings.warnings[0]).toContain(why);
    expect(settings.warnings[0].length).toBeLessThan(600);
    expect(settings.remoteRefusal).toContain(name);
    expect(settings.snapshot).toBe('');
    expect(settings.pathMap).toEqual([]);
  });

  test('AR_HTTP_PIN_FALLBACK other than server or none is refused: none, the safe one', () => {
    const settings = setResolverEnv({ AR_HTTP_PIN_FALLBACK: 'yes' });
    expect(settings.pinFallback).toBe('none');
    expect(settings.remoteRefusal).toBe('');
    expect(settings.warnings).toEqual([expect.stringContaining('AR_HTTP_PIN_FALLBACK "yes" is neither "server" nor "none"')]);
  });
});
