import { ArHttpError, type ErrorCode } from './errors';

/**
 * `require(name)` of a package ar-http uses only for some features (a peer or optional dependency:
 * fastify, pg, @fastify/swagger-ui, better-sqlite3): `undefined` when it is not installed, so that
 * the caller names it with the command that adds it. A package that is there but fails to load
 * (one of its own dependencies missing, …) throws as it is: that is not the same fix.
 */
export function requireIfInstalled<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // "Cannot find module 'pg'": `name` itself, not a module it requires ('pg-pool').
    if (code === 'MODULE_NOT_FOUND' && message.split('\n')[0].includes(`'${name}'`)) return undefined;
    throw error;
  }
}

/** A package's kind of dependency, as the sentence naming it when missing says. */
export type DependencyKind = 'a peer dependency' | 'an optional peer dependency' | 'an optional dependency';

/**
 * The one sentence naming a package that is not installed: `<needs> <what>, <kind> that is not installed: run
 * `npm install <install>``, where `needs` is who needs it ("SQLite stores need").
 */
export function notInstalled(needs: string, what: string, kind: DependencyKind, install = what): string {
  return `${needs} ${what}, ${kind} that is not installed: run \`npm install ${install}\``;
}

/** {@link requireIfInstalled}, throwing `code` with `problem` (made by {@link notInstalled}) when it is not installed. */
export function requireInstalled<T>(name: string, code: ErrorCode, problem: string): T {
  const loaded = requireIfInstalled<T>(name);
  if (loaded === undefined) throw new ArHttpError(code, problem);
  return loaded;
}
