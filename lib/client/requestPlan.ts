import { ArHttpError, ErrorCodes } from '../errors';
import type { HttpVerb, OpenApiParameter } from './openApiDocument';
import { chainText, type OpenApiIndex, type Operation } from './openApiIndex';

/** Argument names the client keeps for itself; every other name is a parameter or a body field. */
export const SPECIAL_ARGUMENTS = ['__headers__', '__query__', '__body__'] as const;

/** What one call sends: ready for a transport. */
export interface RequestPlan {
  /** `GET`, `POST`, … */
  method: string;
  /** The description's path template the call was placed on (`/items/{item_id}`). */
  template: string;
  /** The request target: base path, filled template and query string (`/api/items/a-1?x=1`). */
  target: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

type Arguments = Record<string, unknown>;

const badArguments = (message: string): never => {
  throw new ArHttpError(ErrorCodes.CLIENT_BAD_ARGUMENTS, `${message}`);
};

const given = (args: Arguments, name: string): boolean =>
  Object.prototype.hasOwnProperty.call(args, name) && args[name] !== undefined && args[name] !== null;

/** The arguments of a call as a plain object; anything else is refused. */
export function argumentsOf(value: unknown, call: string): Arguments {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    return badArguments(`${call} takes one object of names and values, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Arguments;
}

/**
 * Picks the operation a call means: among the paths of `chain` that define
 * `verb`, the one whose path parameters are all given; when several are,
 * the one with the most. Throws ArHttpErrors naming what exists when the
 * chain, the verb or the arguments fit nothing.
 */
export function chooseOperation(
  index: OpenApiIndex,
  chain: readonly string[],
  verb: HttpVerb,
  args: Arguments,
  exactTemplate?: string,
): Operation {
  const call = exactTemplate === undefined ? `${chainText(chain)}.${verb}()` : `client.path(${JSON.stringify(exactTemplate)}).${verb}()`;
  let routes;
  if (exactTemplate !== undefined) {
    const route = index.route(exactTemplate);
    if (route === undefined) {
      throw new ArHttpError(
        ErrorCodes.CLIENT_UNKNOWN_PATH,
        `${call}: the description ${index.source} has no path ${exactTemplate}; its paths: ${index.templates.join(', ')}`,
      );
    }
    routes = [route];
  } else {
    routes = index.routesAt(chain);
    if (routes.length === 0) {
      throw new ArHttpError(ErrorCodes.CLIENT_UNKNOWN_PATH, `${call}: ${index.explainUnknown(chain)}`);
    }
  }
  const operations = routes.flatMap((route) => route.operation(verb) ?? []);
  if (operations.length === 0) {
    const defined = [...new Set(routes.flatMap((route) => route.verbs))];
    throw new ArHttpError(
      ErrorCodes.CLIENT_UNKNOWN_METHOD,
      `${call}: ${verb.toUpperCase()} is not defined for ${routes.map((r) => r.template).join(' or ')}; ` +
        (defined.length > 0 ? `defined: ${defined.map((v) => `${v}()`).join(', ')}` : 'it defines no verb the client calls'),
    );
  }
  const complete = operations.filter((operation) => operation.pathParameters.every((name) => given(args, name)));
  if (complete.length === 0) {
    const needs = operations.map((operation) => {
      const missing = operation.pathParameters.filter((name) => !given(args, name));
      return `${missing.join(', ')} (for ${verb.toUpperCase()} ${operation.template})`;
    });
    return badArguments(`${call} needs the path parameter${needs.length > 1 || needs[0].includes(',') ? 's' : ''} ${needs.join(' or ')}`);
  }
  const most = Math.max(...complete.map((operation) => new Set(operation.pathParameters).size));
  const best = complete.filter((operation) => new Set(operation.pathParameters).size === most);
  if (best.length > 1) {
    return badArguments(
      `${call} fits ${best.map((o) => `${verb.toUpperCase()} ${o.template}`).join(' and ')} alike; ` +
        `pick one with client.path(${JSON.stringify(best[0].template)}).${verb}(…)`,
    );
  }
  return best[0];
}

type Scalar = string | number | boolean | bigint;
const isScalar = (value: unknown): value is Scalar =>
  ['string', 'number', 'boolean', 'bigint'].includes(typeof value);

/**
 * A path parameter's value, percent-encoded as one segment (`models/a.usda`
 * -> `models%2Fa.usda`). The wildcard `*` of Fastify routes (`/{*}`) spans
 * segments: its `/` stay. A segment `.` or `..` is refused, encoded or not:
 * URL handling (WHATWG URLs, proxies, light-my-request) folds it away.
 */
export function encodePathValue(name: string, value: unknown, call: string): string {
  if (!isScalar(value)) {
    return badArguments(`${call}: the path parameter ${name} must be a string or a number, not ${value === null ? 'null' : typeof value}`);
  }
  const text = String(value);
  if (text === '') return badArguments(`${call}: the path parameter ${name} is empty`);
  const parts = name === '*' ? text.split('/') : [text];
  if (parts.some((part) => part === '.' || part === '..')) {
    return badArguments(`${call}: the path parameter ${name} cannot be (or, for *, hold a segment) . or ..: URLs fold such segments away`);
  }
  return parts.map(encodeURIComponent).join('/');
}

/**
 * Refuses, before anything is sent, a call that lacks a query, header or cookie parameter its
 * operation requires (a server would answer 400 or 422), as a missing path parameter is refused.
 */
function checkRequiredParameters(operation: Operation, query: URLSearchParams, headers: Record<string, string>, call: string): void {
  const headerNames = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  // Cookie names as sent: percent-encoded, as this client writes them.
  const cookieNames = new Set((headers.cookie ?? '').split(';').map((pair) => pair.split('=')[0].trim()));
  const given = (parameter: OpenApiParameter): boolean => {
    if (parameter.in === 'query') return query.has(parameter.name);
    if (parameter.in === 'header') return headerNames.has(parameter.name.toLowerCase());
    if (parameter.in === 'cookie') return cookieNames.has(encodeURIComponent(parameter.name));
    return true;
  };
  const missing = operation.parameters.filter((parameter) => parameter.required && !given(parameter));
  if (missing.length > 0) {
    badArguments(
      `${call} needs the ${missing.map((parameter) => `${parameter.in} parameter ${parameter.name}`).join(', ')} ` +
        `(for ${operation.verb.toUpperCase()} ${operation.template})`,
    );
  }
}

function appendQuery(query: URLSearchParams, name: string, value: unknown, parameter?: OpenApiParameter): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined && item !== null).map((item) => scalarText(item));
    if (parameter?.explode === false) query.append(name, items.join(','));
    else for (const item of items) query.append(name, item);
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    if (parameter?.style === 'deepObject') {
      for (const [key, item] of entries) query.append(`${name}[${key}]`, scalarText(item));
    } else if (parameter !== undefined && parameter.explode !== false) {
      for (const [key, item] of entries) query.append(key, scalarText(item));
    } else if (parameter !== undefined) {
      query.append(name, entries.flatMap(([key, item]) => [key, scalarText(item)]).join(','));
    } else {
      query.append(name, JSON.stringify(value));
    }
    return;
  }
  query.append(name, scalarText(value));
}

const scalarText = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : isScalar(value) ? String(value) : JSON.stringify(value);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/**
 * Header names and values checked and lower-cased: token names, one-line
 * values, and none of the headers the transport owns. `where` names them
 * in errors; `code` is the error code to throw.
 */
export function checkHeaders(
  headers: unknown,
  where: string,
  code: typeof ErrorCodes.BAD_OPTION | typeof ErrorCodes.CLIENT_BAD_ARGUMENTS,
): Record<string, string> {
  const fail = (why: string): never => {
    throw new ArHttpError(code, `${where}: ${why}`);
  };
  if (headers === undefined || headers === null) return {};
  if (typeof headers !== 'object' || Array.isArray(headers)) return fail('must be an object of header names and values');
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (!TOKEN.test(name)) fail(`${JSON.stringify(name)} is not a header name`);
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) fail(`the ${name} header is the transport's to set`);
    if (typeof value !== 'string' && typeof value !== 'number') fail(`the value of ${name} must be a string`);
    // Values are never quoted in messages: they may be secrets.
    if (/[\0-\x08\x0a-\x1f\x7f]/.test(String(value))) fail(`the value of ${name} holds a line break or control character`);
    checked[name.toLowerCase()] = String(value);
  }
  return checked;
}

const isJsonType = (type: string): boolean => /^application\/(.+\+)?json\b/i.test(type);

function encodeBody(
  value: unknown,
  declared: string[],
  explicitType: string | undefined,
): { body: string | Uint8Array; type: string } {
  const nonJson = declared.filter((type) => !isJsonType(type));
  if (typeof value === 'string') {
    return { body: value, type: explicitType ?? nonJson.find((type) => type.startsWith('text/')) ?? nonJson[0] ?? 'text/plain; charset=utf-8' };
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
    return { body: bytes, type: explicitType ?? nonJson.find((type) => !type.startsWith('text/')) ?? 'application/octet-stream' };
  }
  const formOnly = declared.length > 0 && declared.every((type) => type === 'application/x-www-form-urlencoded');
  if ((explicitType ?? (formOnly ? 'application/x-www-form-urlencoded' : '')).startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams();
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) appendQuery(form, name, item);
    return { body: form.toString(), type: 'application/x-www-form-urlencoded' };
  }
  return { body: JSON.stringify(value), type: explicitType ?? declared.find(isJsonType) ?? 'application/json' };
}

/** Verbs whose leftover arguments go in a JSON body when the description declares none. */
const BODY_VERBS = new Set<HttpVerb>(['post', 'put', 'patch']);

/**
 * Places a call's arguments for `operation`:
 * - path parameters fill the template, percent-encoded;
 * - declared query, header and cookie parameters go where declared;
 * - `__headers__` adds request headers, `__query__` query parameters, and
 *   `__body__` is the whole body (a string, bytes, or a JSON value);
 * - every other name is a field of the JSON body when the operation has a
 *   request body (or is a POST, PUT or PATCH), else a query parameter.
 */
export function planRequest(
  operation: Operation,
  args: Arguments,
  options: { basePath: string; headers: Record<string, string>; call: string },
): RequestPlan {
  const { call } = options;
  const rest = new Map(Object.entries(args).filter(([name, value]) => value !== undefined && !(SPECIAL_ARGUMENTS as readonly string[]).includes(name)));

  const filled = operation.template.replace(/\{([^}]*)\}/g, (_, name: string) => {
    const text = encodePathValue(name, args[name], call);
    rest.delete(name);
    return text;
  });

  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.8', ...options.headers };
  const cookies: string[] = [];
  for (const parameter of operation.parameters) {
    if (!rest.has(parameter.name)) continue;
    const value = rest.get(parameter.name);
    rest.delete(parameter.name);
    if (value === null) continue;
    if (parameter.in === 'query') appendQuery(query, parameter.name, value, parameter);
    else if (parameter.in === 'header') Object.assign(headers, checkHeaders({ [parameter.name]: scalarText(value) }, call, ErrorCodes.CLIENT_BAD_ARGUMENTS));
    else cookies.push(`${encodeURIComponent(parameter.name)}=${encodeURIComponent(scalarText(value))}`);
  }
  if (cookies.length > 0) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join('; ');

  const extraQuery = args.__query__;
  if (extraQuery !== undefined && extraQuery !== null) {
    if (typeof extraQuery !== 'object' || Array.isArray(extraQuery)) badArguments(`${call}: __query__ must be an object of names and values`);
    for (const [name, value] of Object.entries(extraQuery as Arguments)) appendQuery(query, name, value);
  }
  Object.assign(headers, checkHeaders(args.__headers__, `${call}: __headers__`, ErrorCodes.CLIENT_BAD_ARGUMENTS));
  checkRequiredParameters(operation, query, headers, call);

  const declaredTypes = Object.keys(operation.requestBody?.content ?? {});
  const leftoversToBody = operation.requestBody !== undefined || BODY_VERBS.has(operation.verb);
  let body: unknown;
  if (rest.size > 0 && !leftoversToBody) {
    for (const [name, value] of rest) appendQuery(query, name, value);
  } else if (rest.size > 0) {
    if (args.__body__ !== undefined) {
      badArguments(`${call}: give the body either as __body__ or as fields (${[...rest.keys()].join(', ')}), not both`);
    }
    body = Object.fromEntries(rest);
  } else if (args.__body__ !== undefined) {
    body = args.__body__;
  } else if (operation.requestBody?.required && declaredTypes.some(isJsonType)) {
    body = {};
  }

  const plan: RequestPlan = {
    method: operation.verb.toUpperCase(),
    template: operation.template,
    target: `${options.basePath}${filled}${query.toString() === '' ? '' : `?${query}`}`,
    headers,
  };
  if (body !== undefined) {
    const encoded = encodeBody(body, declaredTypes, headers['content-type']);
    plan.body = encoded.body;
    headers['content-type'] = encoded.type;
  }
  return plan;
}
