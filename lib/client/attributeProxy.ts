import { inspect } from 'node:util';

import { type HttpVerb, isHttpVerb } from './openApiDocument';
import { attributeName, chainText } from './openApiIndex';

/** Makes one call: what every verb of every attribute ends in. */
export type Caller = (
  chain: readonly string[],
  verb: HttpVerb,
  args: unknown,
  options: unknown,
  exactTemplate?: string,
) => Promise<unknown>;

function verbFunction(caller: Caller, chain: readonly string[], verb: HttpVerb, exactTemplate?: string) {
  const call = (args?: unknown, options?: unknown): Promise<unknown> => caller(chain, verb, args, options, exactTemplate);
  Object.defineProperty(call, 'name', { value: verb });
  return call;
}

const readOnly: Pick<ProxyHandler<object>, 'set' | 'defineProperty' | 'deleteProperty' | 'setPrototypeOf'> = {
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
  setPrototypeOf: () => false,
};

/**
 * An attribute of the client (`client.queue.settings`): its verbs call the
 * service; any other name is a further attribute (dashes may be written as
 * they are: they become underscores). It is no thenable (`then` is
 * undefined), answers symbols from itself only (inspect, toPrimitive,
 * toStringTag), serializes as `{}` and cannot be changed. With
 * `exactTemplate` (from `client.path()`) it has verbs only.
 */
export function attributeNode(caller: Caller, chain: readonly string[], exactTemplate?: string): object {
  const name = exactTemplate === undefined ? chainText(chain) : `client.path(${JSON.stringify(exactTemplate)})`;
  const target = Object.create(null) as object;
  Object.defineProperties(target, {
    [inspect.custom]: { value: () => `[AsyncClient attribute ${name}]` },
    [Symbol.toPrimitive]: { value: () => `[AsyncClient attribute ${name}]` },
    [Symbol.toStringTag]: { value: 'AsyncClientAttribute' },
  });
  return new Proxy(target, {
    ...readOnly,
    get(node, property) {
      if (typeof property === 'symbol') return Reflect.get(node, property);
      if (isHttpVerb(property)) return verbFunction(caller, chain, property, exactTemplate);
      if (property === 'then' || exactTemplate !== undefined) return undefined;
      return attributeNode(caller, [...chain, attributeName(property)]);
    },
  });
}

/**
 * The client itself: its own methods and everything of Object.prototype
 * stay what they are; verbs call the root path; `then` is undefined; any
 * other name is an attribute.
 */
export function rootProxy<T extends object>(client: T, caller: Caller): T {
  return new Proxy<T>(client, {
    ...(readOnly as ProxyHandler<T>),
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property in target) return Reflect.get(target, property, receiver);
      if (isHttpVerb(property)) return verbFunction(caller, [], property);
      if (property === 'then') return undefined;
      return attributeNode(caller, [attributeName(property)]);
    },
  });
}
