/**
 * The typed AsyncClient. ts-jest type-checks this file: every `Same<>`
 * below must hold and every `@ts-expect-error` must meet an error, or the
 * suite fails to compile. The calls then run against the demo service.
 */
import { ArHttpStatusError, AsyncClient, type ClientResponse, type OperationArguments, type SchemaType } from '../lib';
import { createDemoService, type DemoService } from './helpers/demoService';

/** Mutual assignability: the types accept the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(check: Same<A, B>): Same<A, B> => check;

/** Part of the demo service's description, written by hand as a literal. */
const demo = {
  openapi: '3.0.3',
  components: {
    schemas: {
      // As FastAPI describes a path parameter typed by an Enum.
      Folder: { title: 'Folder', type: 'string', enum: ['models', 'textures'] },
      Item: {
        type: 'object',
        required: ['id', 'name', 'tags'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
      },
    },
    parameters: { ItemId: { name: 'item_id', in: 'path', required: true, schema: { type: 'string' } } },
  },
  paths: {
    '/capture-application-screenshot': {
      get: {
        parameters: [{ name: 'format', in: 'query', schema: { type: 'string', enum: ['png', 'jpg'] } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { captured: { type: 'boolean' }, format: { type: 'string' } } } } },
          },
        },
      },
    },
    '/items': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
          { name: 'tag', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } },
              },
            },
          },
        },
      },
      post: {
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
        responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } },
      },
    },
    '/items/{item_id}': {
      parameters: [{ $ref: '#/components/parameters/ItemId' }],
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          '404': { description: 'no', content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } } } } } },
        },
      },
      delete: { responses: { '204': { description: 'removed' } } },
    },
    '/files/{folder}/{name}': {
      get: {
        parameters: [
          { name: 'folder', in: 'path', required: true, schema: { $ref: '#/components/schemas/Folder' } },
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { url: { type: 'string' } } } } } } },
      },
    },
    '/jobs/{job_id}/log-lines': {
      get: { responses: { '200': { description: 'log', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
    '/echo': {
      get: {
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'x-request-tag', in: 'header', schema: { type: 'string' } },
        ],
      },
    },
    '/toString': { get: {} },
    '/then': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { reached: { const: 'then' } } } } } } } } },
  },
} as const;

describe('AsyncClient typed by a literal description', () => {
  let service: DemoService;
  let client: AsyncClient<typeof demo>;

  beforeAll(async () => {
    service = await createDemoService();
    client = new AsyncClient('local://', { app: service.app, openapi: demo });
  });
  afterAll(() => service.app.close());

  test('attributes, arguments and answers are typed by the description', async () => {
    const shot = await client.capture_application_screenshot.get({ format: 'jpg' });
    expect(same<typeof shot, { captured?: boolean; format?: string }>(true)).toBe(true);
    expect(shot).toEqual({ captured: true, format: 'jpg' });

    const file = await client.files.get({ folder: 'textures', name: 7 });
    expect(file).toEqual({ folder: 'textures', name: '7', url: '/files/textures/7' });
    type FileArguments = OperationArguments<typeof demo, '/files/{folder}/{name}', (typeof demo)['paths']['/files/{folder}/{name}'], (typeof demo)['paths']['/files/{folder}/{name}']['get']>;
    expect(same<FileArguments, { folder: 'models' | 'textures'; name: string | number }>(true)).toBe(true);

    const created = await client.items.post({ name: 'typed', tags: ['t'] });
    expect(same<typeof created, { id: string; name: string; tags: string[] }>(true)).toBe(true);

    // One chain, two paths: each overload answers its own path's type.
    const list = await client.items.get({ limit: 5 });
    expect(same<typeof list, { items: { id: string; name: string; tags: string[] }[] }>(true)).toBe(true);
    const one = await client.items.get({ item_id: created.id });
    expect(same<typeof one, { id: string; name: string; tags: string[] }>(true)).toBe(true);
    expect(one).toEqual(created);
    expect(list.items.map((item) => item.name)).toContain('typed');

    const full = await client.items.post({ name: 'full' }, { full: true });
    expect(same<typeof full, ClientResponse<{ id: string; name: string; tags: string[] }>>(true)).toBe(true);
    expect(full.status).toBe(201);

    const removed = await client.items.delete({ item_id: created.id });
    expect(same<typeof removed, undefined>(true)).toBe(true);
    expect(removed).toBeUndefined();

    const log = await client.jobs.log_lines.get({ job_id: 7 });
    expect(same<typeof log, string>(true)).toBe(true);
    expect(log).toBe('log of 7\nline 2\n');

    const echoed = await client.echo.get({ q: 'x', 'x-request-tag': 'typed' });
    expect(echoed).toMatchObject({ query: { q: 'x' }, tag: 'typed' });

    // A reserved root name, through path(): typed by that path.
    const then = await client.path('/then').get();
    expect(same<typeof then, { reached?: 'then' }>(true)).toBe(true);
    expect(then).toEqual({ reached: 'then' });

    const missing = await client.items.get({ item_id: 'nope' }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ArHttpStatusError);
  });

  test('what the description does not allow does not compile', () => {
    // Never run: the directives are the test (an unused one fails compilation).
    const typeOnly = async (): Promise<void> => {
      // @ts-expect-error no such attribute
      await client.itemz.get();
      // @ts-expect-error /capture-application-screenshot defines no POST
      await client.capture_application_screenshot.post();
      // @ts-expect-error the enum is png | jpg
      await client.capture_application_screenshot.get({ format: 'gif' });
      // @ts-expect-error the folder path parameter is models | textures (an Enum, through a $ref)
      await client.files.get({ folder: 'sounds', name: 'a' });
      // @ts-expect-error name is required in the POST body
      await client.items.post({ tags: [] });
      // @ts-expect-error job_id is a path parameter of the only path there
      await client.jobs.log_lines.get();
      // @ts-expect-error q is a required query parameter
      await client.echo.get({});
      // @ts-expect-error then is not an attribute (the client is no thenable)
      await client.then.get();
      // @ts-expect-error toString is Object.prototype's: /toString is client.path('/toString')
      await client.toString.get();
      // @ts-expect-error path() takes the description's templates
      client.path('/nowhere');
      // @ts-expect-error call options are timeoutMs, signal, full
      await client.items.get({}, { timeout: 5 });
    };
    expect(typeof typeOnly).toBe('function');
  });

  test('an untyped client takes any attribute and lets the caller name the answer type', async () => {
    const untyped = new AsyncClient('local://', { app: service.app });
    const settings = await untyped.queue.settings.get<{ settings: { workers: number } }>();
    expect(typeof settings.settings.workers).toBe('number');
    const text: string = await untyped.text.get();
    expect(text).toBe('plain words');
    const response = await untyped.text.get<string>({}, { full: true });
    expect(same<typeof response, ClientResponse<string>>(true)).toBe(true);
  });

  test('SchemaType maps the JSON schema subset OpenAPI uses', () => {
    type D = typeof demo;
    expect(same<SchemaType<D, { type: 'string'; nullable: true }>, string | null>(true)).toBe(true);
    expect(same<SchemaType<D, { type: readonly ['integer', 'null'] }>, number | null>(true)).toBe(true);
    expect(same<SchemaType<D, { oneOf: readonly [{ type: 'string' }, { type: 'boolean' }] }>, string | boolean>(true)).toBe(true);
    expect(
      same<
        SchemaType<D, { allOf: readonly [{ $ref: '#/components/schemas/Item' }, { type: 'object'; required: readonly ['extra']; properties: { extra: { type: 'number' } } }] }>,
        { id: string; name: string; tags: string[]; extra: number }
      >(true),
    ).toBe(true);
    expect(same<SchemaType<D, { type: 'object'; additionalProperties: { type: 'string' } }>, Record<string, string>>(true)).toBe(true);
    expect(same<SchemaType<D, { description: 'anything' }>, unknown>(true)).toBe(true);
  });
});
