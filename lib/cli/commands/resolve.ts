import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes, messageOf } from '../../errors';
import { resolveMany } from '../../resolve/resolve';

export async function resolveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { anchor: { type: 'string' } },
  });
  if (positionals.length === 0) {
    throw new ArHttpError(ErrorCodes.USAGE, 'resolve needs at least one asset path');
  }
  const resolved = await resolveMany(positionals, { anchor: values.anchor });
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
