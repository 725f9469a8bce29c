import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes, messageOf } from '../../errors';
import { isSnapshotId, Protocol } from '../../protocol';
import { resolveMany } from '../../resolve/resolve';

export async function resolveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { anchor: { type: 'string' }, snapshot: { type: 'string' } },
  });
  if (positionals.length === 0) {
    throw new ArHttpError(ErrorCodes.USAGE, 'resolve needs at least one asset path');
  }
  if (values.snapshot !== undefined && !isSnapshotId(values.snapshot)) {
    throw new ArHttpError(
      ErrorCodes.USAGE,
      `--snapshot ${JSON.stringify(values.snapshot)} is not 1 to ${Protocol.maxSnapshotIdBytes} characters of A-Z a-z 0-9 . _ -`,
    );
  }
  const context = values.snapshot === undefined ? undefined : { snapshot: values.snapshot };
  const resolved = await resolveMany(positionals, { anchor: values.anchor, context });
  let status = 0;
  resolved.forEach((path, i) => {
    process.stdout.write(`${path}\n`);
    if (path === '') {
      process.stderr.write(`${messageOf(`unresolved: ${positionals[i]}`)}\n`);
      status = 1;
    }
  });
  return status;
}
