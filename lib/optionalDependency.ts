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
