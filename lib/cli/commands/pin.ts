import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes, messageOf } from '../../errors';
import { pin } from '../../pin/pin';

/**
 * `ar-http pin <stage>... [--out FILE] [--snapshot ID] [--server URL] [--strict]`. Unresolved asset paths
 * are listed on stderr but fail the command only with --strict: a farm submits with what the server
 * knows, and the pin file says which ones stayed unresolved.
 */
export async function pinCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      snapshot: { type: 'string' },
      server: { type: 'string' },
      strict: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) {
    throw new ArHttpError(ErrorCodes.USAGE, 'pin needs at least one stage');
  }
  const result = await pin(positionals, {
    out: values.out,
    snapshot: values.snapshot,
    server: values.server,
    progress: true,
  });
  for (const { path, reason } of result.problems) {
    process.stderr.write(`${messageOf(`not followed: ${path}: ${reason}`)}\n`);
  }
  for (const { identifier, namedBy } of result.unresolvedPaths) {
    process.stderr.write(`${messageOf(`unresolved: ${identifier} (named by ${namedBy})`)}\n`);
  }
  const summary =
    `${result.layers} layers, ${result.assetPaths} asset paths, ${result.pinned} pinned, ` +
    `${result.unresolved} unresolved${values.out === undefined ? '' : ` -> ${values.out}`}\n`;
  if (values.out === undefined) {
    // The pin file itself goes to stdout.
    process.stdout.write(result.text);
    process.stderr.write(summary);
  } else {
    process.stdout.write(summary);
  }
  return values.strict && result.unresolved > 0 ? 1 : 0;
}
