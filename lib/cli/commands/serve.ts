import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { FastifyInstance } from 'fastify';

import { ArHttpError, ErrorCodes, messageOf } from '../../errors';
import { sampleMap } from '../../server/assetMap';
import { checkToken } from '../../server/auth';
import { createResolutionServer, docsPackage } from '../../server/createResolutionServer';
import { ReservedRoutes } from '../../server/routes';
import { MemoryStore } from '../../store/MemoryStore';
import { jsonMapStore, openStore } from '../../store/openStore';
import { parsePort } from '../parsePort';

/** The bearer token from AR_HTTP_SERVER_TOKEN or --token-file: never from the command line, which `ps` shows. */
function readToken(tokenFile: string | undefined): string | undefined {
  const fromEnv = process.env.AR_HTTP_SERVER_TOKEN;
  if (tokenFile === undefined) return fromEnv === undefined ? undefined : checkToken(fromEnv, 'AR_HTTP_SERVER_TOKEN');
  if (fromEnv !== undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, 'give AR_HTTP_SERVER_TOKEN or --token-file, not both');
  }
  let content: string;
  try {
    content = readFileSync(tokenFile, 'utf8');
  } catch (cause) {
    throw new ArHttpError(ErrorCodes.BAD_OPTION, `--token-file: ${(cause as Error).message}`, { cause });
  }
  // The line break that ends a text file is not part of the token.
  return checkToken(content.trim(), `the token in ${tokenFile}`);
}

export async function serve(args: string[]): Promise<number> {
  if (args.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    throw new ArHttpError(
      ErrorCodes.USAGE,
      'no --token: the command line shows in ps; use AR_HTTP_SERVER_TOKEN or --token-file',
    );
  }
  const { values } = parseArgs({
    args,
    options: {
      map: { type: 'string' },
      store: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      'token-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      content: { type: 'string' },
      'content-immutable': { type: 'boolean', default: false },
    },
  });
  const port = parsePort(values.port);
  const token = readToken(values['token-file']);
  if (values.map !== undefined && values.store !== undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, 'give --map FILE or --store SPEC, not both');
  }
  if (values['content-immutable'] && values.content === undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, '--content-immutable goes with --content DIR');
  }
  const content = values.content === undefined ? undefined : { root: values.content, immutable: values['content-immutable'] };
  // A map file, or the sample map, is served read-only: what the admin API acknowledges must
  // survive a restart, and only a store keeps it.
  const store =
    values.store !== undefined
      ? await openStore(values.store)
      : values.map !== undefined
        ? jsonMapStore(values.map)
        : new MemoryStore(new Map(sampleMap()), 'the sample map', true);
  let app: FastifyInstance;
  let address: string;
  try {
    app = await createResolutionServer({ store, token, content, logger: values.quiet ? false : { level: 'info' } });
    app.addHook('onClose', () => store.close());
    address = await app.listen({ host: values.host, port });
  } catch (error) {
    await store.close();
    throw error;
  }
  const docs = app.hasPlugin(docsPackage)
    ? `docs at ${address}${ReservedRoutes.docs}`
    : `no docs: npm install ${docsPackage}`;
  process.stdout.write(
    `${messageOf(`resolution server listening on ${address} (${docs}; store ${store.description}`)}` +
      `${content === undefined ? '' : `; files of ${content.root} at ${address}${ReservedRoutes.content}/`}` +
      `${token === undefined ? '' : '; bearer token required'})\n`,
  );

  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stdout.write(`${messageOf(`${signal}, shutting down`)}\n`);
      void app.close().then(() => done(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
