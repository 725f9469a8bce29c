#!/usr/bin/env node
import { ArHttpError, ErrorCodes } from '../errors';
import { configCommand } from './commands/config';
import { demo } from './commands/demo';
import { pluginPathCommand } from './commands/pluginPath';
import { resolveCommand } from './commands/resolve';
import { serve } from './commands/serve';
import { usage } from './usage';

const commands: Record<string, (args: string[]) => number | Promise<number>> = {
  serve,
  resolve: resolveCommand,
  config: configCommand,
  'plugin-path': pluginPathCommand,
  demo,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, `ar-http: unknown command "${name}"`);
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    const usageError =
      (error instanceof ArHttpError && error.code === ErrorCodes.USAGE) ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${(error as Error).message}\n`);
    if (usageError) process.stderr.write(`\n${usage}`);
    process.exitCode = usageError ? 2 : 1;
  },
);
