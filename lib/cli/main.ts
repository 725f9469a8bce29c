#!/usr/bin/env node
import { ArHttpError, ErrorCodes } from '../errors';
import { readFileSync } from 'node:fs';

import { keepNativeWarningsOnStderr } from '../native/warnings';
import { packagePath } from '../packageRoot';
import { type CommandName, usage, usageOf } from './usage';

// The CLI's warnings stay the lines usdcat prints too ("ar-http warning: …"), not Node process warnings.
keepNativeWarningsOnStderr();

type Command = (args: string[]) => number | Promise<number>;

// Loaded on demand: a command's modules (Fastify, the client) load only when it runs.
// Typed by the usage's names: a command without usage, or usage without a command, does not compile.
const commands: Record<CommandName, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve')).serve,
  resolve: async () => (await import('./commands/resolve')).resolveCommand,
  config: async () => (await import('./commands/config')).configCommand,
  'plugin-path': async () => (await import('./commands/pluginPath')).pluginPathCommand,
  doctor: async () => (await import('./commands/doctor')).doctorCommand,
  demo: async () => (await import('./commands/demo')).demo,
  mappings: async () => (await import('./commands/mappings')).mappingsCommand,
  store: async () => (await import('./commands/store')).storeCommand,
  snapshot: async () => (await import('./commands/snapshot')).snapshotCommand,
  pin: async () => (await import('./commands/pin')).pinCommand,
  'client-types': async () => (await import('./commands/clientTypes')).clientTypesCommand,
};

const isCommand = (name: string): name is CommandName => Object.hasOwn(commands, name);

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

/** The command a usage error is about, for its own usage instead of every command's. */
let current: CommandName | undefined;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || isHelp(name) || name === 'help') {
    const about = name === 'help' ? args[0] : undefined;
    process.stdout.write(about !== undefined && isCommand(about) ? usageOf(about) : usage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const { version } = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (!isCommand(name)) throw new ArHttpError(ErrorCodes.USAGE, `unknown command "${name}"`);
  const command = commands[name];
  current = name;
  // Before the command loads: help needs none of its modules, and never runs it.
  if (args.some(isHelp)) {
    process.stdout.write(usageOf(name));
    return 0;
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
    if (usageError) process.stderr.write(`\n${current === undefined ? usage : usageOf(current)}`);
    process.exitCode = usageError ? 2 : 1;
  },
);
