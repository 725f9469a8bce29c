import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';

import { checkToken, requireBearerToken } from './auth';
import { replyToError } from './errorReplies';

/** What every plugin of ar-http's server takes besides its own options. */
export interface PluginScopeOptions {
  /**
   * The plugin's routes then require `Authorization: Bearer <token>`, else `401`; the host
   * app's routes are not touched. Visible ASCII characters only.
   */
  token?: string;
}

let validator: FastifySchemaCompiler<object> | undefined;

/**
 * A number is not a path: JSON bodies are taken as sent (Fastify's default Ajv coerces types).
 * The query string, path and headers are text, coerced as Fastify does.
 */
function bodiesUncoerced(): FastifySchemaCompiler<object> {
  if (validator === undefined) {
    // Required on first use: importing ar-http/server builds no Ajv.
    const ajvCompiler = require('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler');
    const factory = ajvCompiler();
    const strict = factory({}, { customOptions: { coerceTypes: false } });
    const coercing = factory({}, { customOptions: {} });
    validator = (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  }
  return validator;
}

/**
 * Sets up the encapsulated context a plugin's routes live in (under the `prefix` it was
 * registered with): ar-http's error replies, bodies validated without coercion, and the bearer token,
 * all for these routes only.
 */
export function setUpPluginScope(scope: FastifyInstance, options: PluginScopeOptions): void {
  scope.setErrorHandler(replyToError);
  scope.setValidatorCompiler(bodiesUncoerced());
  if (options.token !== undefined) requireBearerToken(scope, checkToken(options.token));
}
