import { ArHttpError, ErrorCodes } from '../errors';

/** The HTTP verbs a path of the description can define, as the client's methods. */
export const HTTP_VERBS = ['get', 'post', 'put', 'delete', 'patch'] as const;
export type HttpVerb = (typeof HTTP_VERBS)[number];

/** Every operation key of an OpenAPI 3 path item (the client calls the first five). */
const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function isHttpVerb(name: unknown): name is HttpVerb {
  return typeof name === 'string' && (HTTP_VERBS as readonly string[]).includes(name);
}

/** The parts of an OpenAPI 3 description the client reads; everything else is kept as it is. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, OpenApiPathItem>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OpenApiPathItem {
  parameters?: unknown[];
  [key: string]: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: unknown;
}

export interface OpenApiRequestBody {
  required?: boolean;
  content?: Record<string, { schema?: unknown }>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function bad(source: string, why: string): never {
  throw new ArHttpError(
    ErrorCodes.CLIENT_BAD_DESCRIPTION,
    `the OpenAPI description ${source} ${why}`,
  );
}

/**
 * Checks that `value` is an OpenAPI 3 description the client can drive: an
 * object with an `openapi` version 3.x and a `paths` object of path items
 * whose keys start with `/`. Throws an ArHttpError (CLIENT_BAD_DESCRIPTION)
 * naming `source` otherwise.
 */
export function checkDescription(value: unknown, source: string): OpenApiDocument {
  if (!isObject(value)) return bad(source, 'is not a JSON object');
  if (typeof value.swagger === 'string') {
    return bad(source, `is Swagger ${value.swagger}; the client reads OpenAPI 3 descriptions`);
  }
  if (typeof value.openapi !== 'string' || !/^3\.\d+(\.\d+)?$/.test(value.openapi)) {
    return bad(source, `has no "openapi": "3.x" version (found ${JSON.stringify(value.openapi) ?? 'none'})`);
  }
  if (!isObject(value.paths)) return bad(source, 'has no "paths" object');
  for (const [template, item] of Object.entries(value.paths)) {
    if (!template.startsWith('/')) return bad(source, `has a path "${template}" that does not start with /`);
    if (!isObject(item)) return bad(source, `has a path "${template}" that is not an object`);
    for (const key of OPERATION_KEYS) {
      if (item[key] !== undefined && !isObject(item[key])) {
        return bad(source, `has a ${key.toUpperCase()} ${template} that is not an object`);
      }
    }
  }
  return value as OpenApiDocument;
}

/**
 * Follows a local `$ref` (`#/components/...`) to what it points at; other
 * values come back as they are. External references cannot be followed.
 */
export function dereference(document: OpenApiDocument, value: unknown, source: string): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops += 1) {
    const ref = current.$ref;
    if (hops > 32) return bad(source, `has a $ref cycle at "${ref}"`);
    if (!ref.startsWith('#/')) return bad(source, `has an external $ref "${ref}" the client cannot follow`);
    let target: unknown = document;
    for (const token of ref.slice(2).split('/')) {
      const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) return bad(source, `has a $ref "${ref}" that points at nothing`);
    current = target;
  }
  return current;
}

/** The parameters of one operation: the path item's, overridden by the operation's (same name and place). */
export function parametersOf(
  document: OpenApiDocument,
  item: OpenApiPathItem,
  operation: Record<string, unknown>,
  source: string,
): OpenApiParameter[] {
  const merged = new Map<string, OpenApiParameter>();
  for (const list of [item.parameters, operation.parameters]) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) return bad(source, 'has "parameters" that are not an array');
    for (const raw of list) {
      const parameter = dereference(document, raw, source);
      if (
        !isObject(parameter) ||
        typeof parameter.name !== 'string' ||
        !['path', 'query', 'header', 'cookie'].includes(parameter.in as string)
      ) {
        return bad(source, `has a parameter that is not {name, in: path|query|header|cookie}: ${JSON.stringify(raw)}`);
      }
      merged.set(`${parameter.in as string}:${parameter.name}`, parameter as unknown as OpenApiParameter);
    }
  }
  return [...merged.values()];
}

export function requestBodyOf(
  document: OpenApiDocument,
  operation: Record<string, unknown>,
  source: string,
): OpenApiRequestBody | undefined {
  if (operation.requestBody === undefined) return undefined;
  const body = dereference(document, operation.requestBody, source);
  if (!isObject(body)) return bad(source, 'has a requestBody that is not an object');
  if (body.content !== undefined && !isObject(body.content)) return bad(source, 'has a requestBody whose content is not an object');
  return body as OpenApiRequestBody;
}
