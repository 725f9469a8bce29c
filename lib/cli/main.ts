#!/usr/bin/env node
import { ArHttpError, ErrorCodes } from '../errors';
import { keepNativeWarningsOnStderr } from '../native/warnings';
import { usage } from './usage';

// The CLI's warnings stay the lines usdcat prints too ("ar-http warning: …"), not Node process warnings.
keepNativeWarningsOnStderr();

type Command = (args: string[]) => number | Promise<number>;

// Loaded on demand: a command's modules (Fastify, the client) load only when it runs.
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve')).serve,
  resolve: async () => (await import('./commands/resolve')).resolveCommand,
  config: async () => (await import('./commands/config')).configCommand,
  'plugin-path': async () => (await import('./commands/pluginPath')).pluginPathCommand,
  demo: async () => (await import('./commands/demo')).demo,
  mappings: async () => (await import('./commands/mappings')).mappingsCommand,
  store: async () => (await import('./commands/store')).storeCommand,
  snapshot: async () => (await import('./commands/snapshot')).snapshotCommand,
  pin: async () => (await import('./commands/pin')).pinCommand,
  'client-types': async () => (await import('./commands/clientTypes')).clientTypesCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, `unknown command "${name}"`);
  }
  return (await command())(args);
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
