import { parseArgs } from 'node:util';

import { loadMapFile } from '../../server/assetMap';
import { createResolutionServer } from '../../server/createResolutionServer';
import { ReservedRoutes } from '../../server/routes';
import { parsePort } from '../parsePort';

export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      map: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const port = parsePort(values.port);
  const app = await createResolutionServer({
    map: values.map === undefined ? undefined : loadMapFile(values.map),
    logger: values.quiet ? false : { level: 'info' },
  });
  const address = await app.listen({ host: values.host, port });
  process.stdout.write(
    `ar-http: resolution server listening on ${address} (docs at ${address}${ReservedRoutes.docs})\n`,
  );

  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stdout.write(`ar-http: ${signal}, shutting down\n`);
      void app.close().then(() => done(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
