import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createResolutionServer, ErrorCodes, resolve, resolveAsync, resolveMany } from '../lib';
import { runCli } from './helpers/cli';
import { setResolverEnv } from './helpers/env';
import { startServe } from './helpers/serve';

const samples = path.join(__dirname, '..', 'samples');
const layer1 = path.join(samples, 'layer1.usda');
const token = 'tok-3f9a.B_c~d+e/f=';

afterAll(() => setResolverEnv({}));

describe('createResolutionServer({ token })', () => {
  let app: FastifyInstance;
  let address: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    app = await createResolutionServer({
      token,
      // The most talkative level: whatever Fastify logs, the token must not be in it.
      logger: { level: 'trace', stream: { write: (line: string) => logLines.push(line) } },
    });
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  const get = (url: string, authorization?: string, method = 'GET') =>
    fetch(`${address}${url}`, { method, headers: authorization === undefined ? {} : { authorization } });

  test.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer wrong'],
    ['the token cut short', `Bearer ${token.slice(0, -1)}`],
    ['the token and more', `Bearer ${token}x`],
    ['another scheme', `Basic ${token}`],
    ['the bare token', token],
    ['an empty bearer', 'Bearer '],
  ])('%s: 401 with WWW-Authenticate: Bearer and an empty body', async (_label, authorization) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await get('/id0x01', authorization, method);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.text()).toBe('');
    }
  });

  test('the right token resolves; the scheme is case-insensitive', async () => {
    for (const authorization of [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`]) {
      const response = await get('/id0x01', authorization);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(layer1);
    }
  });

  test('batch requests and the admin API are guarded too', async () => {
    const batch = (authorization?: string) =>
      fetch(`${address}/_ar/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...(authorization && { authorization }) },
        body: 'id0x01\n',
      });
    expect((await batch()).status).toBe(401);
    expect(await (await batch(`Bearer ${token}`)).text()).toBe(`${layer1}\n`);
    expect((await get('/_ar/mappings')).status).toBe(401);
    expect((await get('/_ar/mappings', `Bearer ${token}`)).status).toBe(200);
    expect((await get('/_ar/mappings/id0x01', undefined, 'DELETE')).status).toBe(401);
    expect((await get('/_ar/mappings/id0x01', `Bearer ${token}`)).status).toBe(200);
  });

  test('the health check, the OpenAPI description and the docs need no token', async () => {
    expect(await (await get('/_ar/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/openapi.json')).status).toBe(200);
    expect((await get('/docs')).status).toBe(200);
    expect((await get('/docs/json')).status).toBe(200);
  });

  test('the OpenAPI description has the bearer scheme, on the guarded routes only', async () => {
    const description = (await (await get('/openapi.json')).json()) as {
      components: { securitySchemes: unknown };
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(description.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    const guarded = [
      description.paths['/{assetPath}'].get,
      description.paths['/_ar/resolve'].post,
      description.paths['/_ar/mappings'].get,
      description.paths['/_ar/mappings/{asset_path}'].put,
    ];
    for (const operation of guarded) {
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(operation.responses).toHaveProperty('401');
    }
    expect(description.paths['/_ar/health'].get.security).toBeUndefined();
    expect(description.paths['/_ar/health'].get.responses).not.toHaveProperty('401');
  });

  test('the native resolver sends the token from AR_HTTP_HEADER_Authorization', async () => {
    setResolverEnv({ AR_HTTP_SERVER_URL: address, AR_HTTP_HEADER_Authorization: `Bearer ${token}` });
    await expect(resolveAsync('id0x01')).resolves.toBe(layer1);
    await expect(resolveMany(['id0x01', 'id0x02'])).resolves.toEqual([layer1, path.join(samples, 'layer2.usda')]);

    // Anything but 200 is "not found", 401 included.
    setResolverEnv({ AR_HTTP_SERVER_URL: address });
    await expect(resolveAsync('id0x01')).resolves.toBe('');
    setResolverEnv({ AR_HTTP_SERVER_URL: address, AR_HTTP_HEADER_Authorization: 'Bearer wrong' });
    await expect(resolveAsync('id0x01')).resolves.toBe('');
    await expect(resolveMany(['id0x01'])).resolves.toEqual(['']);
  });

  test('the token appears in no log line', () => {
    const log = logLines.join('');
    expect(log).toContain('"statusCode":401');
    expect(log).toContain('"statusCode":200');
    expect(log).not.toContain(token);
    expect(log.toLowerCase()).not.toContain('authorization');
  });

  test('without a token nothing is guarded and the description has no security scheme', async () => {
    const open = await createResolutionServer();
    try {
      expect((await open.inject({ url: '/id0x01' })).statusCode).toBe(200);
      const description = open.swagger() as { components?: { securitySchemes?: unknown }; paths: Record<string, { get: { security?: unknown } }> };
      expect(description.components?.securitySchemes).toBeUndefined();
      expect(description.paths['/{assetPath}'].get.security).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

describe('tokens that are refused', () => {
  test.each([
    ['empty', ''],
    ['blank', '   '],
    ['with a space', 'sec ret'],
    ['with a line break', 'secret\n'],
    ['with a control character', 'sec\u0001ret'],
    ['non-ASCII', 'sécret'],
    ['not a string', 42 as unknown as string],
  ])('%s: BAD_OPTION, without the token in the message', async (_label, bad) => {
    const refusal = createResolutionServer({ token: bad });
    await expect(refusal).rejects.toMatchObject({ code: ErrorCodes.BAD_OPTION, message: expect.stringContaining('token') });
    const message = await refusal.catch((error: Error) => error.message);
    if (typeof bad === 'string' && bad.trim() !== '') expect(message).not.toContain(bad.trim());
  });
});

describe('ar-http serve with a token', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-token-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('AR_HTTP_SERVER_TOKEN: 401 without it; the resolver with AR_HTTP_HEADER_Authorization resolves', async () => {
    const server = await startServe([], { AR_HTTP_SERVER_TOKEN: token });
    try {
      expect(server.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.output()).toContain('bearer token required');
      expect((await fetch(`${server.address}/id0x01`)).status).toBe(401);

      // The server runs in another process: the blocking resolve() can be answered.
      setResolverEnv({ AR_HTTP_SERVER_URL: server.address, AR_HTTP_HEADER_Authorization: `Bearer ${token}` });
      expect(resolve('id0x01')).toBe(layer1);
      setResolverEnv({ AR_HTTP_SERVER_URL: server.address, AR_HTTP_HEADER_Authorization: 'Bearer nope' });
      expect(resolve('id0x01')).toBe('');

      const cli = await runCli(['resolve', 'id0x01'], {
        AR_HTTP_SERVER_URL: server.address,
        AR_HTTP_HEADER_Authorization: `Bearer ${token}`,
      });
      expect(cli).toMatchObject({ status: 0, stdout: `${layer1}\n` });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toContain('"statusCode":401');
    expect(server.output()).not.toContain(token);
  });

  test('--token-file: the file content, its final line break left out', async () => {
    const file = path.join(folder, 'token');
    writeFileSync(file, `${token}\n`);
    const server = await startServe(['--token-file', file, '--quiet']);
    try {
      const asked = (authorization: string) => fetch(`${server.address}/id0x01`, { headers: { authorization } });
      expect((await asked(`Bearer ${token}`)).status).toBe(200);
      expect((await asked('Bearer wrong')).status).toBe(401);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  test.each([
    ['an empty AR_HTTP_SERVER_TOKEN', [], { AR_HTTP_SERVER_TOKEN: '' }, 1, /AR_HTTP_SERVER_TOKEN must be one or more visible ASCII/],
    ['a blank AR_HTTP_SERVER_TOKEN', [], { AR_HTTP_SERVER_TOKEN: ' \t ' }, 1, /AR_HTTP_SERVER_TOKEN must be/],
    ['a token with a space', [], { AR_HTTP_SERVER_TOKEN: 'hidden value' }, 1, /AR_HTTP_SERVER_TOKEN must be/],
    ['a missing token file', ['--token-file', '/nonexistent/token'], {}, 1, /--token-file: .*\/nonexistent\/token/],
    ['both sources', ['--token-file', '/nonexistent/token'], { AR_HTTP_SERVER_TOKEN: 'x' }, 2, /AR_HTTP_SERVER_TOKEN or --token-file, not both/],
    ['--token on the command line', ['--token', 'hidden-value'], {}, 2, /no --token: the command line shows in ps/],
    ['--token=', ['--token=hidden-value'], {}, 2, /no --token/],
  ])('%s is refused, the token never printed', async (_label, args, env, status, message) => {
    const result = await runCli(['serve', '--port', '0', ...args], env);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).not.toContain('hidden');
  });

  test('a blank token file is refused', async () => {
    const file = path.join(folder, 'blank');
    writeFileSync(file, '\n  \n');
    const result = await runCli(['serve', '--port', '0', '--token-file', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`the token in ${file} must be one or more visible ASCII characters`);
  });
});
