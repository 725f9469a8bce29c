import http from 'node:http';
import { inspect } from 'node:util';

import { ArHttpError, ArHttpStatusError, AsyncClient, type AsyncClientOptions, ErrorCodes } from '../lib';
import { createDemoService, type DemoService, demoToken } from './helpers/demoService';
import { rejection } from './helpers/rejection';

interface Setup {
  client: AsyncClient;
  service: DemoService;
  uri: string;
  make: (options?: AsyncClientOptions) => AsyncClient;
}

const transports: [string, () => Promise<Setup>][] = [
  [
    'http on 127.0.0.1',
    async () => {
      const service = await createDemoService();
      const uri = await service.app.listen({ host: '127.0.0.1', port: 0 });
      const make = (options: AsyncClientOptions = {}) => new AsyncClient(uri, options);
      return { client: make(), service, uri, make };
    },
  ],
  [
    'local:// with a Fastify instance',
    async () => {
      const service = await createDemoService();
      const make = (options: AsyncClientOptions = {}) => new AsyncClient('local://', { app: service.app, ...options });
      return { client: make(), service, uri: 'local://', make };
    },
  ],
];

describe.each(transports)('AsyncClient against a demo service over %s', (_name, setUp) => {
  let setup: Setup;
  let client: AsyncClient;
  const extraClients: AsyncClient[] = [];
  const make: Setup['make'] = (options) => {
    const made = setup.make(options);
    extraClients.push(made);
    return made;
  };

  beforeAll(async () => {
    setup = await setUp();
    client = setup.client;
  });
  afterAll(async () => {
    await Promise.all([client, ...extraClients].map((c) => c.close()));
    await setup.service.app.close();
  });

  test('dashed path names are attributes with underscores (or as written)', async () => {
    expect(await client.capture_application_screenshot.get()).toEqual({ captured: true, format: 'png' });
    expect(await client['capture-application-screenshot'].get({ format: 'jpg' })).toEqual({ captured: true, format: 'jpg' });
  });

  test('nested paths are nested attributes; PUT sends the rest as the JSON body', async () => {
    expect(await client.queue.settings.get()).toEqual({ settings: { paused: false, workers: 2 } });
    expect(await client.queue.settings.put({ workers: 4 })).toEqual({ settings: { paused: false, workers: 4 } });
    expect(await client.queue.settings.get()).toEqual({ settings: { paused: false, workers: 4 } });
    const refused = await rejection(client.queue.settings.put({ workers: 0 }));
    expect(refused).toBeInstanceOf(ArHttpStatusError);
    expect((refused as ArHttpStatusError).status).toBe(400);
  });

  test('every verb on a path with a path parameter; the path whose parameters are all given wins', async () => {
    const created = await client.items.post({ name: 'chair', tags: ['wood'] }, { full: true });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(await client.items.post({ name: 'lamp' })).toMatchObject({ name: 'lamp', tags: [] });

    // Same chain, two paths: no item_id -> /items, item_id -> /items/{item_id}.
    expect(await client.items.get({ tag: 'wood' })).toEqual({ items: [{ id, name: 'chair', tags: ['wood'] }] });
    expect(await client.items.get({ limit: 1 })).toEqual({ items: [{ id, name: 'chair', tags: ['wood'] }] });
    expect(await client.items.get({ item_id: id })).toEqual({ id, name: 'chair', tags: ['wood'] });

    expect(await client.items.put({ item_id: 'a-1', name: 'n' }, { full: true })).toMatchObject({ status: 201, body: { id: 'a-1', name: 'n' } });
    expect(await client.items.put({ item_id: 'a-1', name: 'm' }, { full: true })).toMatchObject({ status: 200, body: { id: 'a-1', name: 'm' } });
    expect(await client.items.patch({ item_id: 'a-1', tags: ['x'] })).toEqual({ id: 'a-1', name: 'm', tags: ['x'] });
    expect(await client.items.delete({ item_id: 'a-1' }, { full: true })).toMatchObject({ status: 204, body: undefined });

    const gone = await rejection(client.items.get({ item_id: 'a-1' }));
    expect(gone).toBeInstanceOf(ArHttpStatusError);
    expect(gone).toMatchObject({ code: ErrorCodes.CLIENT_HTTP_STATUS, status: 404, body: { error: 'no such item' } });
    expect(gone.message).toContain('GET ');
    expect(gone.message).toContain('/items/a-1 -> 404 Not Found');
  });

  test('required query and header parameters missing: refused before sending, as path parameters are', async () => {
    const missing = await rejection(client.search.get({}));
    expect(missing).toBeInstanceOf(ArHttpError);
    expect(missing).not.toBeInstanceOf(ArHttpStatusError);
    expect((missing as ArHttpError).code).toBe(ErrorCodes.CLIENT_BAD_ARGUMENTS);
    expect((missing as Error).message).toBe(
      'ar-http: client.search.get() needs the query parameter q, header parameter x-tenant (for GET /search)',
    );
    const noHeader = await rejection(client.search.get({ q: 'chair' }));
    expect((noHeader as Error).message).toContain('needs the header parameter x-tenant');
    const echoed = (await client.search.get({ q: 'chair', 'x-tenant': 'studio' })) as { query: unknown };
    expect(echoed.query).toEqual({ q: 'chair' });
    // A header given through __headers__, in any case, counts.
    expect(await client.search.get({ q: 'lamp', __headers__: { 'X-Tenant': 'studio' } })).toMatchObject({ query: { q: 'lamp' } });
  });

  test('path parameters are percent-encoded as one segment each', async () => {
    const answer = await client.files.get({ folder: 'models/a b', name: '...' });
    expect(answer).toEqual({ folder: 'models/a b', name: '...', url: '/files/models%2Fa%20b/...' });
    const dots = await rejection(client.files.get({ folder: 'a', name: '..' }));
    expect(dots).toMatchObject({ code: ErrorCodes.CLIENT_BAD_ARGUMENTS });
    expect(dots.message).toContain('the path parameter name cannot be (or, for *, hold a segment) . or ..');
    expect(await client.files.get({ folder: 'ünï#?', name: 7 })).toMatchObject({ folder: 'ünï#?', name: '7' });
    // A templated segment is not an attribute; the dashed name after it is.
    expect(await client.jobs.log_lines.get({ job_id: 'j/1' })).toBe('log of j/1\nline 2\n');
  });

  test('arguments go where the description puts them: query, header, body', async () => {
    expect(await client.echo.post({ q: 'find me', page: 2, a: 1 })).toMatchObject({
      method: 'POST',
      url: '/echo?q=find+me&page=2',
      query: { q: 'find me', page: 2 },
      body: { a: 1 },
      contentType: 'application/json',
    });
    // GET has no body: undeclared names go in the query too; the declared header is a header.
    expect(await client.echo.get({ q: 'x', extra: 'y', 'x-request-tag': 'tagged' })).toMatchObject({
      method: 'GET',
      query: { q: 'x', extra: 'y' },
      body: null,
      tag: 'tagged',
    });
    expect(await client.echo.delete({ q: 'bye' })).toMatchObject({ method: 'DELETE', query: { q: 'bye' }, body: null });
    expect(await client.echo.put({ whole: { nested: [1, 2] } })).toMatchObject({ method: 'PUT', body: { whole: { nested: [1, 2] } } });
    expect(await client.echo.patch({ __body__: { replaced: true }, __query__: { v: [1, 2] } })).toMatchObject({
      method: 'PATCH',
      url: '/echo?v=1&v=2',
      body: { replaced: true },
    });
    // A string body is text; a path with no described body still takes fields as JSON for POST.
    expect(await client.echo.text.post({ __body__: 'line one\n' })).toMatchObject({ body: 'line one\n', contentType: 'text/plain; charset=utf-8' });
    expect(await client.echo.text.post({ n: 1 })).toMatchObject({ body: { n: 1 }, contentType: 'application/json' });
  });

  test('a route that requires a header: __headers__ per call, or client-wide headers', async () => {
    const refused = await rejection(client.secure.things.get());
    expect(refused).toMatchObject({ code: ErrorCodes.CLIENT_HTTP_STATUS, status: 401, body: { error: 'token required' } });
    expect((refused as ArHttpStatusError).headers['www-authenticate']).toBe('Bearer');
    expect(refused.message).not.toContain(demoToken);

    const authorization = `Bearer ${demoToken}`;
    expect(await client.secure.things.get({ __headers__: { Authorization: authorization } })).toEqual({ things: ['a', 'b'] });
    const withHeaders = make({ headers: { Authorization: authorization } });
    expect(await withHeaders.secure.things.get()).toEqual({ things: ['a', 'b'] });
    // A call's header wins over the client's.
    expect((await rejection(withHeaders.secure.things.get({ __headers__: { authorization: 'Bearer wrong' } }))).message).toMatch(/401/);
    expect(JSON.stringify(withHeaders)).not.toContain(demoToken);
    expect(inspect(withHeaders)).not.toContain(demoToken);
  });

  test('answers: JSON parsed, text as a string, non-2xx rejects with status and body', async () => {
    expect(await client.text.get()).toBe('plain words');
    const failed = await rejection(client.fail.get());
    expect(failed).toBeInstanceOf(ArHttpStatusError);
    expect(failed).toMatchObject({ status: 500, body: { error: 'broken on purpose' }, method: 'GET' });
    expect(failed.message).toMatch(/-> 500 Internal Server Error: \{"error":"broken on purpose"\}$/);
    const teapot = await rejection(client.teapot.get());
    expect(teapot).toMatchObject({ status: 418, body: 'short and stout' });
  });

  test('unknown paths and verbs reject, naming what exists', async () => {
    const unknownRoot = await rejection(client.nope.get());
    expect(unknownRoot.code).toBe(ErrorCodes.CLIENT_UNKNOWN_PATH);
    expect(unknownRoot.message).toContain('client.nope.get(): client has no attribute "nope"; it has: ');
    expect(unknownRoot.message).toContain('capture_application_screenshot');
    expect(unknownRoot.message).toContain('queue');

    const unknownLeaf = await rejection(client.queue.setting.get());
    expect(unknownLeaf.message).toBe('ar-http: client.queue.setting.get(): client.queue has no attribute "setting"; it has: get, settings');

    const notAnEndpoint = await rejection(client.queue.get());
    expect(notAnEndpoint.message).toBe('ar-http: client.queue.get(): client.queue is not an endpoint; its attributes: get, settings');

    const unknownVerb = await rejection(client.queue.settings.delete());
    expect(unknownVerb.code).toBe(ErrorCodes.CLIENT_UNKNOWN_METHOD);
    expect(unknownVerb.message).toBe('ar-http: client.queue.settings.delete(): DELETE is not defined for /queue/settings; defined: get(), put()');

    const sharedChain = await rejection(client.items.patch({ name: 'x' }));
    expect(sharedChain.code).toBe(ErrorCodes.CLIENT_BAD_ARGUMENTS);
    expect(sharedChain.message).toBe('ar-http: client.items.patch() needs the path parameter item_id (for PATCH /items/{item_id})');
    const twoMissing = await rejection(client.files.get({ folder: 'a' }));
    expect(twoMissing.message).toContain('needs the path parameter name (for GET /files/{folder}/{name})');
    expect((await rejection(client.files.get({ folder: '', name: 'b' }))).message).toContain('the path parameter folder is empty');
    expect((await rejection(client.files.get({ folder: { a: 1 }, name: 'b' }))).message).toContain('folder must be a string or a number');
  });

  test('names of the client or of verbs are reachable through client.path()', async () => {
    expect(client.then).toBeUndefined();
    expect(typeof client.close).toBe('function');
    expect(await client.path('/then').get()).toEqual({ reached: 'then' });
    expect(await client.path('/close').post()).toEqual({ reached: 'close' });
    expect(await client.path('/queue/get').get()).toEqual({ reached: 'queue/get' });
    expect(await client.path('/items/{item_id}').put({ item_id: 'p-1', name: 'by path' })).toMatchObject({ id: 'p-1' });
    const unknown = await rejection(client.path('/nowhere').get());
    expect(unknown.code).toBe(ErrorCodes.CLIENT_UNKNOWN_PATH);
    expect(unknown.message).toContain('has no path /nowhere; its paths: /capture-application-screenshot, /queue/settings');
    expect(() => client.path('no-slash')).toThrow(/starting with \//);
  });

  test('timeouts: per call and client-wide, bounded', async () => {
    let started = Date.now();
    const late = await rejection(client.slow.get({ ms: 3000 }, { timeoutMs: 150 }));
    expect(late.code).toBe(ErrorCodes.CLIENT_TIMEOUT);
    expect(late.message).toMatch(/GET .*\/slow\?ms=3000: no whole answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);

    const impatient = make({ timeoutMs: 150 });
    await impatient.text.get(); // reads the description within its timeout
    started = Date.now();
    expect((await rejection(impatient.slow.get({ ms: 3000 }))).code).toBe(ErrorCodes.CLIENT_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await impatient.slow.get({ ms: 10 }, { timeoutMs: 5000 })).toEqual({ waited: 10 });
  });

  test('an AbortSignal cancels a call', async () => {
    const controller = new AbortController();
    const call = client.slow.get({ ms: 3000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(call)).code).toBe(ErrorCodes.CLIENT_ABORTED);
    expect((await rejection(client.text.get({}, { signal: AbortSignal.abort() }))).code).toBe(ErrorCodes.CLIENT_ABORTED);
  });

  test('the description is read once, lazily, even by concurrent first calls', async () => {
    const before = setup.service.descriptionReads();
    const fresh = make();
    expect(setup.service.descriptionReads()).toBe(before);
    const answers = await Promise.all([fresh.text.get(), fresh.queue.settings.get(), fresh.capture_application_screenshot.get()]);
    expect(answers[0]).toBe('plain words');
    await fresh.text.get();
    expect(setup.service.descriptionReads()).toBe(before + 1);
    expect((await fresh.description()).paths['/items/{item_id}']).toBeDefined();
    expect(setup.service.descriptionReads()).toBe(before + 1);
  });

  test('the proxy is no thenable and inspects, serializes and compares sanely', async () => {
    expect(await client).toBe(client);
    const node = client.queue.settings;
    expect(await node).toBe(node); // resolves to itself: not a thenable
    expect(client).toBeInstanceOf(AsyncClient);
    expect(inspect(client)).toBe(`AsyncClient <${setup.uri}>`);
    expect(JSON.stringify(client)).toBe(JSON.stringify({ uri: setup.uri }));
    expect(inspect(client.queue.settings)).toBe('[AsyncClient attribute client.queue.settings]');
    expect(`${client.queue['log-lines']}`).toBe('[AsyncClient attribute client.queue.log_lines]');
    expect(JSON.stringify({ node: client.queue })).toBe('{"node":{}}');
    expect((client.queue as unknown as Record<symbol, unknown>)[Symbol.iterator]).toBeUndefined();
    expect(Object.keys(client.queue)).toEqual([]);
    expect(() => {
      (client as unknown as Record<string, unknown>).queue = 1;
    }).toThrow(TypeError);
    expect(typeof client.queue.settings.get).toBe('function');
  });

  test('close() releases the client; later calls reject', async () => {
    const closing = make();
    expect(await closing.text.get()).toBe('plain words');
    await closing.close();
    await closing.close();
    expect((await rejection(closing.text.get())).code).toBe(ErrorCodes.CLIENT_CLOSED);
  });
});

describe('AsyncClient over http: keep-alive', () => {
  test('sequential calls reuse kept-alive connections; connections: 1 makes them share one', async () => {
    const service = await createDemoService();
    const uri = await service.app.listen({ host: '127.0.0.1', port: 0 });
    const client = new AsyncClient(uri);
    const single = new AsyncClient(uri, { connections: 1 });
    try {
      for (let i = 0; i < 10; i += 1) expect(await client.text.get()).toBe('plain words');
      // 11 requests with the description's: undici may open another connection while one finishes.
      expect(service.connections()).toBeLessThanOrEqual(3);
      const before = service.connections();
      for (let i = 0; i < 10; i += 1) expect(await single.text.get()).toBe('plain words');
      expect(service.connections() - before).toBe(1);
    } finally {
      await Promise.all([client.close(), single.close()]);
      await service.app.close();
    }
  });

  test('a service that cannot be reached rejects with CLIENT_CONNECTION', async () => {
    const server = http.createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    await new Promise((done) => server.close(done));
    const client = new AsyncClient(`http://127.0.0.1:${port}/base/`);
    try {
      const failed = await rejection(client.anything.get());
      expect(failed.code).toBe(ErrorCodes.CLIENT_CONNECTION);
      expect(failed.message).toContain(`GET http://127.0.0.1:${port}/base/openapi.json: `);
      expect(failed.message).toContain('ECONNREFUSED');
    } finally {
      await client.close();
    }
  });
});

/** A plain Node request handler serving its own description under a base path. */
function plainHandler(): http.RequestListener {
  const description = {
    openapi: '3.0.3',
    info: { title: 'plain', version: '1' },
    paths: {
      '/greeting/{name}': {
        get: { parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }, { name: 'loud', in: 'query', schema: { type: 'boolean' } }] },
      },
      '/numbers': { post: { requestBody: { content: { 'application/json': { schema: { type: 'array', items: { type: 'number' } } } } } } },
      '/bytes': { get: {} },
    },
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const route = url.pathname.slice('/api'.length);
    if (route === '/openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(description));
    } else if (route.startsWith('/greeting/')) {
      const name = decodeURIComponent(route.slice('/greeting/'.length));
      const text = `hello ${name}`;
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(url.searchParams.get('loud') === 'true' ? text.toUpperCase() : text);
    } else if (route === '/numbers' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const numbers = JSON.parse(body) as number[];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sum: numbers.reduce((a, b) => a + b, 0) }));
      });
    } else if (route === '/bytes') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2, 255]));
    } else {
      res.writeHead(404).end();
    }
  };
}

describe('AsyncClient over local:// with a plain Node handler', () => {
  test('calls the handler in-process under a base path, reading its description there', async () => {
    const client = new AsyncClient('local:///api', { app: plainHandler() });
    expect(await client.greeting.get({ name: 'wörld' })).toBe('hello wörld');
    expect(await client.greeting.get({ name: 'you', loud: true })).toBe('HELLO YOU');
    expect(await client.numbers.post({ __body__: [1, 2, 3.5] })).toEqual({ sum: 6.5 });
    expect(await client.bytes.get()).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(JSON.stringify(client)).toBe('{"uri":"local:///api"}');
    const missing = new AsyncClient('local:///api/v2', { app: plainHandler() });
    expect((await rejection(missing.greeting.get({ name: 'x' }))).message).toBe('ar-http: GET local:///api/v2/openapi.json -> 404 Not Found');
    await client.close();
  });

  test('an http.Server need not listen to be called in-process', async () => {
    const server = http.createServer(plainHandler());
    const client = new AsyncClient('local:///api/', { app: server });
    expect(await client.greeting.get({ name: 'server' })).toBe('hello server');
    expect(server.listening).toBe(false);
  });

  test('a description given as an object is used as it is, with no request for it', async () => {
    let requests = 0;
    const handler: http.RequestListener = (req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }));
    };
    const client = new AsyncClient('local://', {
      app: handler,
      openapi: { openapi: '3.1.0', paths: { '/a-b/{id}': { delete: {} } } },
    });
    expect(await client.a_b.delete({ id: 'x y' })).toEqual({ url: '/a-b/x%20y' });
    expect(requests).toBe(1);
  });
});

describe('AsyncClient refuses what makes no sense, with clear errors', () => {
  const app = (_req: http.IncomingMessage, res: http.ServerResponse) => res.end();

  test.each([
    ['ftp://example.com', /has the scheme "ftp:"; use http:\/\/, https:\/\/ or local:\/\//],
    ['example.com:8000', /has the scheme "example.com:"/],
    ['/just/a/path', /has no scheme/],
    ['http://user:pw@example.com', /credentials in the URI would be printed/],
    ['http://example.com/?x=1', /must not hold a query string/],
    ['local:something', /write local:\/\/ or local:\/\/\/base/],
    ['local://base', /a local:\/\/ base path starts with \//],
    ['http://exa mple.com', /is not a URL/],
  ])('uri %s', (uri, message) => {
    expect(() => new AsyncClient(uri, uri.startsWith('local') ? { app } : {})).toThrow(message);
  });

  test('options', () => {
    const code = { code: ErrorCodes.BAD_OPTION };
    expect(() => new AsyncClient('local://')).toThrow(/needs options.app/);
    expect(() => new AsyncClient('local://', { app: {} as never })).toThrow(/a Fastify instance \(or anything with inject\(\)\)/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { app })).toThrow(/options.app is for local:\/\/ only/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { timeoutMs: 0 })).toThrow(/timeoutMs must be a number of milliseconds/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { connections: 0 })).toThrow(/connections must be an integer/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { headers: { 'x-a': 'one\r\ntwo' } })).toThrow(/x-a holds a line break/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { headers: { 'bad name': 'x' } })).toThrow(/is not a header name/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { headers: { Host: 'x' } })).toThrow(/the Host header is the transport's/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { openapi: 'openapi.json' })).toThrow(/options.openapi must be a path/);
    expect(() => new AsyncClient('http://127.0.0.1:1', { tiemout: 1 } as never)).toThrow(/has no option tiemout/);
    try {
      new AsyncClient('gopher://x');
    } catch (error) {
      expect(error).toBeInstanceOf(ArHttpError);
      expect(error).toMatchObject(code);
    }
  });

  test.each([
    [{ swagger: '2.0', paths: {} }, /is Swagger 2.0; the client reads OpenAPI 3 descriptions/],
    [{ openapi: '2.1', paths: {} }, /has no "openapi": "3.x" version \(found "2.1"\)/],
    [{ openapi: '3.0.0' }, /has no "paths" object/],
    [{ openapi: '3.0.0', paths: { items: {} } }, /has a path "items" that does not start with \//],
    [{ openapi: '3.0.0', paths: { '/a': { get: 'yes' } } }, /has a GET \/a that is not an object/],
    [[], /is not a JSON object/],
  ])('a description that is not OpenAPI 3: %j', (openapi, message) => {
    let error: unknown;
    try {
      new AsyncClient('local://', { app, openapi: openapi as never });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: ErrorCodes.CLIENT_BAD_DESCRIPTION });
    expect((error as Error).message).toMatch(message);
  });

  test('a served description that is not OpenAPI 3 rejects the call, and the next call reads it again', async () => {
    let answer = '<html>docs</html>';
    let type = 'text/html';
    let reads = 0;
    const handler: http.RequestListener = (req, res) => {
      if (req.url === '/openapi.json') {
        reads += 1;
        res.writeHead(200, { 'content-type': type }).end(answer);
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const client = new AsyncClient('local://', { app: handler });
    const notJson = { code: ErrorCodes.CLIENT_BAD_DESCRIPTION, message: 'ar-http: the OpenAPI description at local:///openapi.json is not JSON' };
    expect(await rejection(client.ok.get())).toMatchObject(notJson);
    type = 'application/json';
    answer = '{"openapi": "3.0.3", "paths": {';
    expect(await rejection(client.ok.get())).toMatchObject(notJson);
    answer = JSON.stringify({ openapi: '3.0.3', paths: { '/ok': { get: {} } } });
    expect(await client.ok.get()).toEqual({ ok: true });
    expect(await client.ok.get()).toEqual({ ok: true });
    expect(reads).toBe(3);
  });

  test('a description that cannot be fetched rejects with its status', async () => {
    const client = new AsyncClient('local://', { app: (_req, res) => res.writeHead(404).end() });
    const failed = await rejection(client.x.get());
    expect(failed).toMatchObject({ code: ErrorCodes.CLIENT_HTTP_STATUS, status: 404 });
    expect(failed.message).toBe('ar-http: GET local:///openapi.json -> 404 Not Found');
  });

  test('arguments and call options', async () => {
    const client = new AsyncClient('local://', { app, openapi: { openapi: '3.0.0', paths: { '/a': { get: {} } } } });
    expect(await rejection(client.a.get('text' as never))).toMatchObject({
      code: ErrorCodes.CLIENT_BAD_ARGUMENTS,
      message: 'ar-http: client.a.get() takes one object of names and values, not string',
    });
    expect((await rejection(client.a.get({}, { timeout: 5 } as never))).message).toMatch(/unknown call option timeout/);
    expect((await rejection(client.a.get({}, { timeoutMs: -1 })))).toMatchObject({ code: ErrorCodes.CLIENT_BAD_ARGUMENTS });
    expect((await rejection(client.a.get({ __headers__: { 'x-y': 'a\nb' } }))).message).toMatch(/x-y holds a line break/);
    expect(await client.a.get()).toBeUndefined();
  });

  test('a local app that never answers is bounded by the timeout', async () => {
    const client = new AsyncClient('local://', {
      app: () => {}, // never ends the response
      openapi: { openapi: '3.0.0', paths: { '/hang': { get: {} } } },
      timeoutMs: 100,
    });
    const started = Date.now();
    expect((await rejection(client.hang.get())).code).toBe(ErrorCodes.CLIENT_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
