import path from 'node:path';

import { run } from './run';

export const cliPath = path.join(__dirname, '..', '..', 'dist', 'lib', 'cli', 'main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `ar-http` CLI in a child process with extra environment variables. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { status, stdout, stderr } = await run(process.execPath, [cliPath, ...args], env, {
    timeoutMs: 20000,
  });
  return { status, stdout, stderr };
}
