import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { createResolutionServer } from '../../server/createResolutionServer';

const run = promisify(execFile);

/** The main job end to end: the sample server, and `ar-http resolve` in another process against it. */
export async function demo(): Promise<number> {
  const app = await createResolutionServer();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    process.stdout.write(`ar-http demo: sample server on ${address}\n`);
    const ids = ['id0x01', 'id0x02'];
    const { stdout } = await run(process.execPath, [process.argv[1], 'resolve', ...ids], {
      env: { ...process.env, AR_HTTP_SERVER_URL: address },
      timeout: 30_000,
    });
    const paths = stdout.trimEnd().split('\n');
    ids.forEach((id, i) => process.stdout.write(`  ${id} -> ${paths[i]}\n`));
    return 0;
  } finally {
    await app.close();
  }
}
