import path from 'node:path';

import { run } from './run';

/** The built library, for scripts run in child processes. */
export const distLib = path.join(__dirname, '..', '..', 'dist', 'lib');
export const cliPath = path.join(distLib, 'cli', 'main.js');

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
