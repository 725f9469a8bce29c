/**
 * The AsyncClient's types. Untyped (`AsyncClient`), every attribute chain
 * and verb is allowed and answers `Promise<T>` (T given or inferred by the
 * caller). Typed by a description (`AsyncClient<typeof description>`, with
 * the description `as const`, or passed to the constructor as `openapi`),
 * only the description's attributes, verbs and arguments type-check, and
 * answers have the types of their 2xx JSON schemas (text is `string`).
 */
import type { ClientResponse } from './exchange';
import type { HttpVerb, OpenApiDocument } from './openApiDocument';

/** A query parameter's value: arrays repeat the name; objects spread their fields (OpenAPI's form style). */
export type QueryValue =
  | string
  | number
  | boolean
  | bigint
  | Date
  | null
  | undefined
  | readonly (string | number | boolean)[]
  | { readonly [name: string]: unknown };

/** Argument names every call takes besides the operation's own. */
export interface SpecialArguments {
  /** Request headers for this call, over the client-wide ones (e.g. `Authorization`). */
  __headers__?: Record<string, string>;
  /** Query parameters the description does not declare. */
  __query__?: Record<string, QueryValue>;
  /** The whole body: a string (text), bytes, or a JSON value; instead of body fields. */
  __body__?: unknown;
}

/** The second argument of every call. */
export interface CallOptions {
  /** The whole answer within this many milliseconds (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** Aborts the call (it rejects with CLIENT_ABORTED). */
  signal?: AbortSignal;
  /** `true`: answer `{ status, headers, body }` rather than the body alone. */
  full?: boolean;
}

type Plain = CallOptions & { full?: false };
type Full = CallOptions & { full: true };

/** A verb of an untyped client: `T` is the answer's type, given (`get<Settings>()`) or inferred from where it goes. */
export interface UntypedVerb {
  <T = unknown>(args?: Record<string, unknown> & SpecialArguments, options?: Plain): Promise<T>;
  <T = unknown>(args: (Record<string, unknown> & SpecialArguments) | undefined, options: Full): Promise<ClientResponse<T>>;
}

/** An attribute of an untyped client: verbs, and any further attribute. */
export type DynamicNode = { readonly [V in HttpVerb]: UntypedVerb } & { readonly [name: string]: DynamicNode };

/** A verb of a typed client, for arguments `A` and answer `R`. */
export type TypedVerb<A, R> = {} extends A
  ? {
      (args?: A & SpecialArguments, options?: Plain): Promise<R>;
      (args: (A & SpecialArguments) | undefined, options: Full): Promise<ClientResponse<R>>;
    }
  : {
      (args: A & SpecialArguments, options?: Plain): Promise<R>;
      (args: A & SpecialArguments, options: Full): Promise<ClientResponse<R>>;
    };

type Simplify<T> = { [K in keyof T]: T[K] };
type More<Depth extends unknown[]> = [...Depth, 0];

/** What a `$ref` to `#/components/<kind>/<name>` points at; other values as they are. */
type Deref<D, X> = X extends { readonly $ref: `#/components/${infer Kind}/${infer Name}` }
  ? D extends { readonly components: infer C }
    ? Kind extends keyof C
      ? Name extends keyof C[Kind]
        ? C[Kind][Name]
        : unknown
      : unknown
    : unknown
  : X;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type NullOf<S> = S extends { readonly nullable: true } ? null : never;
type RequiredNames<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

type ObjectOf<D, S, Depth extends unknown[]> = S extends { readonly properties: infer P }
  ? Simplify<
      { -readonly [K in keyof P as K extends RequiredNames<S> ? K : never]: SchemaType<D, P[K], More<Depth>> } & {
        -readonly [K in keyof P as K extends RequiredNames<S> ? never : K]?: SchemaType<D, P[K], More<Depth>>;
      }
    >
  : S extends { readonly additionalProperties: infer A }
    ? A extends false
      ? {}
      : A extends object
        ? Record<string, SchemaType<D, A, More<Depth>>>
        : Record<string, unknown>
    : Record<string, unknown>;

type TypeOf<D, S, T, Depth extends unknown[]> = T extends 'string'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? S extends { readonly items: infer I }
            ? SchemaType<D, I, More<Depth>>[]
            : unknown[]
          : T extends 'object'
            ? ObjectOf<D, S, Depth>
            : unknown;

/** The TypeScript type of a JSON schema (the subset OpenAPI 3 uses); `unknown` where it cannot tell. */
export type SchemaType<D, S, Depth extends unknown[] = []> = Depth['length'] extends 12
  ? unknown
  : S extends { readonly $ref: string }
    ? SchemaType<D, Deref<D, S>, More<Depth>>
    : S extends { readonly const: infer C }
      ? C
      : S extends { readonly enum: readonly (infer E)[] }
        ? E | NullOf<S>
        : S extends { readonly oneOf: readonly (infer U)[] }
          ? SchemaType<D, U, More<Depth>> | NullOf<S>
          : S extends { readonly anyOf: readonly (infer U)[] }
            ? SchemaType<D, U, More<Depth>> | NullOf<S>
            : S extends { readonly allOf: readonly (infer U)[] }
              ? Simplify<UnionToIntersection<SchemaType<D, U, More<Depth>>>>
              : S extends { readonly type: readonly (infer T)[] }
                ? TypeOf<D, S, T, Depth>
                : S extends { readonly type: infer T }
                  ? TypeOf<D, S, T, Depth> | NullOf<S>
                  : S extends { readonly properties: object }
                    ? ObjectOf<D, S, Depth>
                    : unknown;

// ---- paths -> attribute chains -------------------------------------------

type Underscore<S extends string> = S extends `${infer A}-${infer B}` ? `${A}_${Underscore<B>}` : S;
type Segment<H extends string> = H extends '' ? '' : H extends `${string}{${string}}${string}` ? '' : `/${Underscore<H>}`;
type Segments<S extends string> = S extends `${infer H}/${infer T}` ? `${Segment<H>}${Segments<T>}` : Segment<S>;
/** The attribute chain of a path template, as `/a/b_c` (`''` for the root): `/a/{id}/b-c` -> `/a/b_c`. */
export type ChainOf<P extends string> = P extends `/${infer Rest}` ? Segments<Rest> : Segments<P>;

/** The `{…}` names of a path template. */
export type TemplateParameters<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | TemplateParameters<Rest> : never;

type PathsOf<D> = D extends { readonly paths: infer P } ? P : {};
type PathKeys<D> = Extract<keyof PathsOf<D>, string>;
type ItemOf<D, P> = P extends keyof PathsOf<D> ? PathsOf<D>[P] : never;

type PathsAt<D, K extends string> = { [P in PathKeys<D>]: ChainOf<P> extends K ? P : never }[PathKeys<D>];
type ChildName<C extends string, K extends string> = C extends `${K}/${infer N}/${string}`
  ? N
  : C extends `${K}/${infer N}`
    ? N
    : never;
type ChildNames<D, K extends string> = { [P in PathKeys<D>]: ChildName<ChainOf<P>, K> }[PathKeys<D>];

// ---- one operation: its arguments and its answer -------------------------

type ParametersOf<X> = X extends { readonly parameters: readonly unknown[] } ? X['parameters'][number] : never;
type Declared<D, Item, Op> = Deref<D, ParametersOf<Item> | ParametersOf<Op>>;
type ValueOf<D, X> = X extends { readonly schema: infer S } ? SchemaType<D, S> : unknown;

type ParameterArguments<D, U> = {
  -readonly [X in U as X extends { readonly required: true; readonly name: infer N extends string } ? N : never]: ValueOf<D, X>;
} & {
  -readonly [X in U as X extends { readonly required: true } ? never : X extends { readonly name: infer N extends string } ? N : never]?:
    | ValueOf<D, X>
    | null;
};

type JsonKey<C> = { [K in keyof C]: K extends `application/json${string}` | `application/${string}+json${string}` ? K : never }[keyof C];
type TextKey<C> = { [K in keyof C]: K extends `text/${string}` ? K : never }[keyof C];

/** The answer type of a content map: JSON by its schema, text as string, anything else as bytes. */
type ContentType<D, C> = [JsonKey<C>] extends [never]
  ? [TextKey<C>] extends [never]
    ? Buffer
    : string
  : C[JsonKey<C>] extends { readonly schema: infer S }
    ? SchemaType<D, S>
    : unknown;

type BodyArguments<D, Op> = Op extends { readonly requestBody: infer RB }
  ? Deref<D, RB> extends infer B
    ? B extends { readonly content: infer C }
      ? [JsonKey<C>] extends [never]
        ? WholeBody<B, [TextKey<C>] extends [never] ? unknown : string>
        : C[JsonKey<C>] extends { readonly schema: infer S }
          ? SchemaType<D, S> extends infer T
            ? T extends readonly unknown[]
              ? WholeBody<B, T>
              : T extends object
                ? T
                : WholeBody<B, T>
            : never
          : { [name: string]: unknown }
      : {}
    : {}
  : {};
type WholeBody<B, T> = B extends { readonly required: true } ? { __body__: T } : { __body__?: T };

/**
 * A path parameter's value: one of its values when its schema lists them (`enum`, `const`, also
 * through a `$ref`, as FastAPI describes an Enum), else any string or number.
 */
type PathValue<D, X> = [X] extends [never]
  ? string | number
  : X extends { readonly schema: infer S }
    ? Deref<D, S> extends { readonly enum: readonly unknown[] } | { readonly const: unknown }
      ? SchemaType<D, S>
      : string | number
    : string | number;
type PathArguments<D, P extends string, Declared> = {
  [N in TemplateParameters<P>]: PathValue<D, Extract<Declared, { readonly in: 'path'; readonly name: N }>>;
};

/** The arguments of the operation `Op` of path `P`: path parameters, declared parameters, body fields. */
export type OperationArguments<D, P extends string, Item, Op> = Simplify<
  PathArguments<D, P, Declared<D, Item, Op>> & ParameterArguments<
    D,
    Exclude<Declared<D, Item, Op>, { readonly in: 'path' }>
  > &
    BodyArguments<D, Op>
>;

type SuccessKeys<R> = { [K in keyof R]: `${K & (string | number)}` extends `2${string}` ? K : never }[keyof R];
type ResponseBody<D, X, Status> = Deref<D, X> extends { readonly content: infer C }
  ? ContentType<D, C>
  : `${Status & (string | number)}` extends '204' | '205'
    ? undefined
    : unknown;

/** The answer of an operation: the union of its 2xx bodies (or its `default` one when none is listed). */
export type OperationResult<D, Op> = Op extends { readonly responses: infer R }
  ? [SuccessKeys<R>] extends [never]
    ? 'default' extends keyof R
      ? ResponseBody<D, R['default'], 'default'>
      : unknown
    : { [K in SuccessKeys<R>]: ResponseBody<D, R[K], K> }[SuccessKeys<R>]
  : unknown;

type VerbsAt<D, K extends string> = { [P in PathsAt<D, K>]: Extract<keyof ItemOf<D, P>, HttpVerb> }[PathsAt<D, K>];
type Braces<P extends string> = P extends `${string}{${string}}${infer Rest}` ? [0, ...Braces<Rest>] : [];
/** The paths at chain `K` defining verb `V` whose templates have `N` parameters (`'more'`: over 3). */
type PathsWith<D, K extends string, V, N> = {
  [P in PathsAt<D, K>]: V extends keyof ItemOf<D, P>
    ? Braces<P>['length'] extends (N extends 'more' ? 0 | 1 | 2 | 3 : never)
      ? never
      : N extends 'more' | Braces<P>['length']
        ? P
        : never
    : never;
}[PathsAt<D, K>];
type VerbOf<D, Ps, V> = [Ps] extends [never]
  ? unknown
  : TypedVerb<
      { [P in Ps & string]: OperationArguments<D, P, ItemOf<D, P>, ItemOf<D, P>[V & keyof ItemOf<D, P>]> }[Ps & string],
      { [P in Ps & string]: OperationResult<D, ItemOf<D, P>[V & keyof ItemOf<D, P>]> }[Ps & string]
    >;
/**
 * Verb `V` at chain `K`: overloads, the paths with the most path parameters
 * first, as the client picks them (`get({ item_id })` is GET /items/{item_id},
 * `get()` GET /items, each with its own answer type).
 */
type VerbAt<D, K extends string, V> = VerbOf<D, PathsWith<D, K, V, 'more'>, V> &
  VerbOf<D, PathsWith<D, K, V, 3>, V> &
  VerbOf<D, PathsWith<D, K, V, 2>, V> &
  VerbOf<D, PathsWith<D, K, V, 1>, V> &
  VerbOf<D, PathsWith<D, K, V, 0>, V>;

/** Names on the client itself (its methods, `then`, Object.prototype's), never attributes: reach such paths with `client.path()`. */
export type ReservedRootName =
  | 'close'
  | 'path'
  | 'description'
  | 'toJSON'
  | 'then'
  | keyof Object
  | '__proto__'
  | '__defineGetter__'
  | '__defineSetter__'
  | '__lookupGetter__'
  | '__lookupSetter__';

/** The attribute at chain `K` of a client typed by description `D`. */
export type TypedNode<D, K extends string, Reserved extends string = 'then'> = {
  readonly [V in VerbsAt<D, K>]: VerbAt<D, K, V>;
} & {
  readonly [N in Exclude<ChildNames<D, K>, HttpVerb | Reserved>]: TypedNode<D, `${K}/${N}`>;
};

/** `client.path(template)` of a typed client: the verbs of that one path. */
export type TypedPath<D, P extends string> = {
  readonly [V in Extract<keyof ItemOf<D, P>, HttpVerb>]: TypedVerb<
    OperationArguments<D, P, ItemOf<D, P>, ItemOf<D, P>[V]>,
    OperationResult<D, ItemOf<D, P>[V]>
  >;
};

/** What a description must look like to type a client. */
export interface DescriptionShape {
  readonly openapi: string;
  readonly paths: { readonly [template: string]: object };
}

/** Whether `D` is a description with literal paths (a wide `DescriptionShape` types nothing). */
type IsTyped<D> = [D] extends [DescriptionShape] ? (string extends PathKeys<D> ? false : true) : false;

/** The client's own methods. */
export interface AsyncClientMethods<D> {
  /** Releases the keep-alive connections (calls under way finish first); later calls reject with CLIENT_CLOSED. */
  close(): Promise<void>;
  /** The OpenAPI description the client drives (read once, on first use). */
  description(): Promise<OpenApiDocument>;
  /**
   * One path of the description by its exact template (`/items/{item_id}`):
   * for names that are not attributes (`/then`, `/close`, a segment named
   * like a verb) or to pick one of several paths sharing a chain.
   */
  path: IsTyped<D> extends true
    ? <P extends PathKeys<D>>(template: P) => TypedPath<D, P>
    : (template: string) => { readonly [V in HttpVerb]: UntypedVerb };
  /** `{ uri }`: a client serializes as where it points, never as its headers. */
  toJSON(): { uri: string };
}

/**
 * An AsyncClient: its methods, and the service's paths as attributes. With
 * `D` a description (`typeof description`, `as const`) it is typed by it.
 */
export type AsyncClient<D = undefined> = AsyncClientMethods<D> &
  (IsTyped<D> extends true ? TypedNode<D, '', ReservedRootName> : DynamicNode);
