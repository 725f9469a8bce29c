import {
  HTTP_VERBS,
  type HttpVerb,
  type OpenApiDocument,
  type OpenApiParameter,
  type OpenApiRequestBody,
  parametersOf,
  requestBodyOf,
} from './openApiDocument';

/**
 * The attribute name of a literal path segment: dashes become underscores
 * (`capture-application-screenshot` -> `capture_application_screenshot`).
 * Names the caller gives go through it too, so the dashed spelling works as
 * well (`client['capture-application-screenshot']`).
 */
export function attributeName(segment: string): string {
  return segment.replace(/-/g, '_');
}

/** A segment holding `{…}` is templated: filled from the call's arguments, never an attribute. */
function isTemplated(segment: string): boolean {
  return /\{[^}]*\}/.test(segment);
}

/** The names of the `{…}` parameters of a path template, in order. */
export function templateParameters(template: string): string[] {
  return [...template.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]);
}

/** The attribute chain of a path template: its literal segments, in attribute spelling. */
export function chainOf(template: string): string[] {
  return template
    .split('/')
    .filter((segment) => segment !== '' && !isTemplated(segment))
    .map(attributeName);
}

/** How a chain is written in messages: `client.queue.settings`, `client['2fa']`. */
export function chainText(chain: readonly string[]): string {
  return chain.reduce(
    (text, name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`),
    'client',
  );
}

/** One operation of the description, as the client places arguments for it. */
export interface Operation {
  verb: HttpVerb;
  template: string;
  /** The `{…}` names of the template, in order; all required. */
  pathParameters: string[];
  /** Declared query, header and cookie parameters (path ones are taken from the template). */
  parameters: OpenApiParameter[];
  requestBody?: OpenApiRequestBody;
}

/** One path of the description and its operations. */
export class Route {
  readonly chain: string[];
  private readonly built = new Map<HttpVerb, Operation>();

  constructor(
    private readonly document: OpenApiDocument,
    readonly template: string,
    private readonly source: string,
  ) {
    this.chain = chainOf(template);
  }

  /** The verbs this path defines, in the order get, post, put, delete, patch. */
  get verbs(): HttpVerb[] {
    const item = this.document.paths[this.template];
    return HTTP_VERBS.filter((verb) => item[verb] !== undefined);
  }

  /** The operation for `verb` (read from the description on first use), or undefined. */
  operation(verb: HttpVerb): Operation | undefined {
    const known = this.built.get(verb);
    if (known !== undefined) return known;
    const item = this.document.paths[this.template];
    const raw = item[verb] as Record<string, unknown> | undefined;
    if (raw === undefined) return undefined;
    const operation: Operation = {
      verb,
      template: this.template,
      pathParameters: templateParameters(this.template),
      parameters: parametersOf(this.document, item, raw, this.source).filter((p) => p.in !== 'path'),
      requestBody: requestBodyOf(this.document, raw, this.source),
    };
    this.built.set(verb, operation);
    return operation;
  }
}

const key = (chain: readonly string[]): string => chain.join('/');

/** The paths of a description arranged as the client's attribute tree. */
export class OpenApiIndex {
  private readonly routesByChain = new Map<string, Route[]>();
  private readonly children = new Map<string, Set<string>>();
  private readonly byTemplate = new Map<string, Route>();

  constructor(
    readonly document: OpenApiDocument,
    readonly source: string,
  ) {
    for (const template of Object.keys(document.paths)) {
      const route = new Route(document, template, source);
      this.byTemplate.set(template, route);
      const chainKey = key(route.chain);
      this.routesByChain.set(chainKey, [...(this.routesByChain.get(chainKey) ?? []), route]);
      route.chain.forEach((name, depth) => {
        const parent = key(route.chain.slice(0, depth));
        if (!this.children.has(parent)) this.children.set(parent, new Set());
        this.children.get(parent)!.add(name);
      });
    }
  }

  /** The paths whose attribute chain is `chain` (names in attribute spelling). */
  routesAt(chain: readonly string[]): Route[] {
    return this.routesByChain.get(key(chain)) ?? [];
  }

  /** The path with exactly this template (`/items/{item_id}`), if the description has it. */
  route(template: string): Route | undefined {
    return this.byTemplate.get(template);
  }

  /** The attribute names below `chain`, sorted. */
  childrenOf(chain: readonly string[]): string[] {
    return [...(this.children.get(key(chain)) ?? [])].sort();
  }

  get templates(): string[] {
    return [...this.byTemplate.keys()];
  }

  /**
   * Why `chain` is not an endpoint, naming what exists: the first name
   * that leads nowhere and the attributes beside it, or, for a chain that
   * only leads further, the attributes below it.
   */
  explainUnknown(chain: readonly string[]): string {
    for (let depth = 0; depth < chain.length; depth += 1) {
      const here = chain.slice(0, depth);
      const names = this.childrenOf(here);
      if (!names.includes(chain[depth])) {
        const verbs = this.routesAt(here).flatMap((route) => route.verbs);
        const has = [
          ...names,
          ...new Set(verbs.map((verb) => `${verb}()`)),
        ];
        return (
          `${chainText(here)} has no attribute ${JSON.stringify(chain[depth])}; ` +
          (has.length > 0 ? `it has: ${has.join(', ')}` : 'it has nothing')
        );
      }
    }
    return `${chainText(chain)} is not an endpoint; its attributes: ${this.childrenOf(chain).join(', ')}`;
  }
}
