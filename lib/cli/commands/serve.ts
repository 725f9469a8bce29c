import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes, messageOf } from '../../errors';
import { loadMapFile } from '../../server/assetMap';
import { checkToken } from '../../server/auth';
import { createResolutionServer } from '../../server/createResolutionServer';
import { ReservedRoutes } from '../../server/routes';
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
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      'token-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const port = parsePort(values.port);
  const token = readToken(values['token-file']);
  const app = await createResolutionServer({
    map: values.map === undefined ? undefined : loadMapFile(values.map),
    token,
    logger: values.quiet ? false : { level: 'info' },
  });
  const address = await app.listen({ host: values.host, port });
  process.stdout.write(
    `${messageOf(`resolution server listening on ${address} (docs at ${address}${ReservedRoutes.docs}`)}` +
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
