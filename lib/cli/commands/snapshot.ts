import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes } from '../../errors';
import type { Snapshot } from '../../store/MappingStore';
import { adminClient, explainAdminError } from './adminClient';

const usage = 'usage: ar-http snapshot create [--label TEXT] | list | show <id>  [--server URL] [--json]';

/** One snapshot as a line: id, change, created, label. */
const lineOf = (snapshot: Snapshot): string => `${snapshot.id}\tchange ${snapshot.change}\t${snapshot.created}\t${snapshot.label ?? ''}\n`;

/**
 * `ar-http snapshot create|list|show`: the resolution server's snapshots, through the
 * AsyncClient (`client._ar.snapshots.post()` and so on), with the server and token of `mappings`.
 * `create` prints the id alone, for scripts: `SNAPSHOT=$(ar-http snapshot create --label shot010)`.
 */
export async function snapshotCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { server: { type: 'string' }, json: { type: 'boolean', default: false }, label: { type: 'string' } },
  });
  const [action, ...operands] = positionals;
  const wanted = { create: 0, list: 0, show: 1 }[action as 'create' | 'list' | 'show'];
  if (wanted === undefined || operands.length !== wanted || (values.label !== undefined && action !== 'create')) {
    throw new ArHttpError(ErrorCodes.USAGE, usage);
  }
  const { client, server } = adminClient(values.server);
  const json = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    if (action === 'create') {
      const made = await client._ar.snapshots.post<Snapshot>(values.label === undefined ? {} : { label: values.label });
      if (values.json) json(made);
      else process.stdout.write(`${made.id}\n`);
    } else if (action === 'list') {
      const { snapshots } = await client._ar.snapshots.get<{ snapshots: Snapshot[] }>();
      if (values.json) json(snapshots);
      else for (const snapshot of snapshots) process.stdout.write(lineOf(snapshot));
    } else {
      const found = await client._ar.snapshots.get<Snapshot>({ id: operands[0] });
      if (values.json) json(found);
      else process.stdout.write(lineOf(found));
    }
    return 0;
  } catch (error) {
    process.stderr.write(
      `${explainAdminError(error, server, {
        notFound: action === 'show' ? `no snapshot ${JSON.stringify(operands[0])}` : undefined,
        missing: 'snapshots (a server started with a resolve function keeps no history)',
      })}\n`,
    );
    return 1;
  } finally {
    await client.close();
  }
}
