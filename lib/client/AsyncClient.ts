import { inspect } from 'node:util';

import { ArHttpError, ArHttpTypeError, ErrorCodes } from '../errors';
import { attributeNode, rootProxy } from './attributeProxy';
import { parseClientUri, type ClientTarget } from './clientUri';
import { answerOf, exchange } from './exchange';
import { HttpTransport } from './httpTransport';
import { LocalTransport, type LocalApp } from './localTransport';
import { checkDescription, type HttpVerb, type OpenApiDocument } from './openApiDocument';
import { chainOf, chainText, OpenApiIndex } from './openApiIndex';
import { argumentsOf, checkHeaders, chooseOperation, planRequest, type RequestPlan } from './requestPlan';
import type { Transport } from './transport';
import type { AsyncClient as AsyncClientType, CallOptions, DescriptionShape } from './types';

export interface AsyncClientOptions<D = undefined> {
  /** For `local://`: the application called in-process (a Fastify instance, a `(req, res)` handler, an http.Server). */
  app?: LocalApp;
  /**
   * The OpenAPI 3 description: a path on the service (default
   * `/openapi.json`, after the URI's base path), an absolute http(s) URL,
   * or the description itself (then nothing is fetched, and a literal
   * description types the client).
   */
  openapi?: string | D;
  /** Headers sent with every request, the description's too (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** Every call's whole answer within this many milliseconds (default 30000). */
  timeoutMs?: number;
  /** http(s): kept-alive connections at most (default 8). */
  connections?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 2_147_483_647;

type DescriptionSource = { document: OpenApiDocument; source: string } | { target: string } | { url: URL };

const badOption = (message: string): never => {
  throw new ArHttpError(ErrorCodes.BAD_OPTION, `AsyncClient ${message}`);
};

function timeoutOf(value: unknown, where: string, code: typeof ErrorCodes.BAD_OPTION | typeof ErrorCodes.CLIENT_BAD_ARGUMENTS): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMEOUT_MS) {
    throw new ArHttpError(code, `${where} must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, not ${String(value)}`);
  }
  return value;
}

function callOptionsOf(value: unknown, call: string): CallOptions {
  if (value === undefined || value === null) return {};
  const fail = (why: string): never => {
    throw new ArHttpError(ErrorCodes.CLIENT_BAD_ARGUMENTS, `${call}: ${why}`);
  };
  if (typeof value !== 'object' || Array.isArray(value)) return fail('the second argument takes { timeoutMs, signal, full }');
  const options = value as CallOptions;
  const unknown = Object.keys(options).filter((name) => !['timeoutMs', 'signal', 'full'].includes(name));
  if (unknown.length > 0) {
    return fail(`unknown call option ${unknown.join(', ')} (call options: timeoutMs, signal, full; arguments go first)`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) fail('signal must be an AbortSignal');
  if (options.full !== undefined && typeof options.full !== 'boolean') fail('full must be true or false');
  return { ...options, timeoutMs: timeoutOf(options.timeoutMs, `${call}: timeoutMs`, ErrorCodes.CLIENT_BAD_ARGUMENTS) };
}

/** The state of one client, behind its attributes. */
class ClientCore {
  closed = false;
  private index?: Promise<OpenApiIndex>;

  constructor(
    readonly uri: string,
    readonly target: ClientTarget,
    readonly transport: Transport,
    readonly headers: Record<string, string>,
    readonly timeoutMs: number,
    private readonly descriptionSource: DescriptionSource,
  ) {}

  /** The description's index: read once, on first use; a failed read is tried again by the next call. */
  loadIndex(): Promise<OpenApiIndex> {
    if (this.index === undefined) {
      this.index = this.readIndex();
      this.index.catch(() => (this.index = undefined));
    }
    return this.index;
  }

  private async readIndex(): Promise<OpenApiIndex> {
    const from = this.descriptionSource;
    if ('document' in from) return new OpenApiIndex(from.document, from.source);
    const transport = 'url' in from ? new HttpTransport(from.url.origin, from.url.origin, { connections: 1, keepAliveTimeoutMs: 1000 }) : this.transport;
    const target = 'url' in from ? `${from.url.pathname}${from.url.search}` : from.target;
    const plan: RequestPlan = { method: 'GET', template: target, target, headers: { ...this.headers, accept: 'application/json' } };
    try {
      let body = answerOf(await exchange(transport, plan, { timeoutMs: this.timeoutMs }), plan, transport.label).body;
      const source = `at ${transport.label}${target}`;
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        try {
          body = JSON.parse(body.toString());
        } catch {
          throw new ArHttpError(ErrorCodes.CLIENT_BAD_DESCRIPTION, `the OpenAPI description ${source} is not JSON`);
        }
      }
      return new OpenApiIndex(checkDescription(body, source), source);
    } catch (error) {
      if (error instanceof ArHttpError && error.code === ErrorCodes.CLIENT_BAD_RESPONSE) {
        throw new ArHttpError(ErrorCodes.CLIENT_BAD_DESCRIPTION, `the OpenAPI description at ${transport.label}${target} is not JSON`, { cause: error });
      }
      throw error;
    } finally {
      if (transport !== this.transport) await transport.close();
    }
  }

  async call(chain: readonly string[], verb: HttpVerb, rawArgs: unknown, rawOptions: unknown, exactTemplate?: string): Promise<unknown> {
    const call = exactTemplate === undefined ? `${chainText(chain)}.${verb}()` : `client.path(${JSON.stringify(exactTemplate)}).${verb}()`;
    const args = argumentsOf(rawArgs, call);
    const options = callOptionsOf(rawOptions, call);
    this.checkOpen(call);
    const index = await this.loadIndex();
    this.checkOpen(call);
    const operation = chooseOperation(index, chain, verb, args, exactTemplate);
    const plan = planRequest(operation, args, { basePath: this.target.basePath, headers: this.headers, call });
    const response = await exchange(this.transport, plan, { timeoutMs: options.timeoutMs ?? this.timeoutMs, signal: options.signal });
    const answer = answerOf(response, plan, this.transport.label);
    return options.full ? answer : answer.body;
  }

  private checkOpen(call: string): void {
    if (this.closed) throw new ArHttpError(ErrorCodes.CLIENT_CLOSED, `${call}: the client is closed`);
  }
}

const cores = new WeakMap<object, ClientCore>();

function coreOf(client: unknown): ClientCore {
  const core = cores.get(client as object);
  if (core === undefined) throw new ArHttpTypeError(ErrorCodes.INVALID_ARGUMENT, 'not an AsyncClient');
  return core;
}

function descriptionSourceOf(value: unknown, target: ClientTarget): DescriptionSource {
  if (value === undefined) return { target: `${target.basePath}/openapi.json` };
  if (typeof value === 'string') {
    if (value.startsWith('/')) return { target: `${target.basePath}${value}` };
    if (/^https?:\/\//i.test(value)) {
      try {
        const url = new URL(value);
        if (url.username === '' && url.password === '') return { url };
      } catch {
        // refused below
      }
    }
    return badOption('options.openapi must be a path on the service (/openapi.json), an http(s) URL without credentials, or the description object');
  }
  return { document: checkDescription(value, 'given in options.openapi'), source: 'given in options.openapi' };
}

/**
 * A client for a service described by OpenAPI 3, after Omniverse's
 * AsyncClient: the service's paths are attributes (`/queue/settings` ->
 * `client.queue.settings`, dashes as underscores, `{…}` segments filled from
 * the arguments) and its verbs are methods taking one object of arguments.
 * See the README's AsyncClient section.
 */
class AsyncClientImpl {
  constructor(uri: string, options: AsyncClientOptions<unknown> = {}) {
    if (options === null || typeof options !== 'object') badOption('options must be an object');
    const known = ['app', 'openapi', 'headers', 'timeoutMs', 'connections'];
    const unknown = Object.keys(options).filter((name) => !known.includes(name));
    if (unknown.length > 0) badOption(`has no option ${unknown.join(', ')} (options: ${known.join(', ')})`);
    const target = parseClientUri(uri);
    const timeoutMs = timeoutOf(options.timeoutMs, 'AsyncClient timeoutMs', ErrorCodes.BAD_OPTION) ?? DEFAULT_TIMEOUT_MS;
    const headers = checkHeaders(options.headers, 'AsyncClient options.headers', ErrorCodes.BAD_OPTION);
    const connections = options.connections ?? 8;
    if (!Number.isInteger(connections) || connections < 1 || connections > 256) badOption('connections must be an integer from 1 to 256');
    let transport: Transport;
    if (target.kind === 'local') {
      if (options.app === undefined) badOption(`${JSON.stringify(uri)} needs options.app: the application to call in-process`);
      // Transports are labelled without the base path: request targets hold it.
      transport = new LocalTransport(options.app, 'local://');
    } else {
      if (options.app !== undefined) badOption(`${JSON.stringify(uri)} goes over the network; options.app is for local:// only`);
      transport = new HttpTransport(target.origin, target.origin, { connections, keepAliveTimeoutMs: 4000 });
    }
    const descriptionSource = descriptionSourceOf(options.openapi, target);
    const core = new ClientCore(uri, target, transport, headers, timeoutMs, descriptionSource);
    const caller = core.call.bind(core);
    const proxy = rootProxy(this, caller);
    cores.set(this, core);
    cores.set(proxy, core);
    return proxy;
  }

  close(): Promise<void> {
    const core = coreOf(this);
    if (core.closed) return Promise.resolve();
    core.closed = true;
    return core.transport.close();
  }

  async description(): Promise<OpenApiDocument> {
    return (await coreOf(this).loadIndex()).document;
  }

  path(template: string): object {
    const core = coreOf(this);
    if (typeof template !== 'string' || !template.startsWith('/')) {
      throw new ArHttpError(ErrorCodes.CLIENT_BAD_ARGUMENTS, `client.path() takes a path of the description, starting with / (got ${JSON.stringify(template)})`);
    }
    return attributeNode(core.call.bind(core), chainOf(template), template);
  }

  toJSON(): { uri: string } {
    return { uri: coreOf(this).target.label };
  }

  [inspect.custom](): string {
    return `AsyncClient <${coreOf(this).target.label}>`;
  }
}

/** Constructs an {@link AsyncClientType AsyncClient}; a literal `options.openapi` (or `D`) types it. */
export interface AsyncClientConstructor {
  /** Typed by the description given as `options.openapi` (a literal, or a constant `as const`). */
  new <const D extends DescriptionShape>(uri: string, options: AsyncClientOptions<D> & { openapi: D }): AsyncClientType<D>;
  /** Untyped: any attribute, any verb. */
  new (uri: string, options?: AsyncClientOptions): AsyncClientType;
  /** Typed by `D` (`new AsyncClient<typeof description>(uri)`); the description itself is read from the service. */
  new <D extends DescriptionShape>(uri: string, options?: AsyncClientOptions<D>): AsyncClientType<D>;
  readonly prototype: object;
}

export const AsyncClient = AsyncClientImpl as unknown as AsyncClientConstructor;
export type AsyncClient<D = undefined> = AsyncClientType<D>;
