import { spawn } from 'node:child_process';
import path from 'node:path';

export const cliPath = path.join(__dirname, '..', '..', 'dist', 'lib', 'cli', 'main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `ar-http` CLI in a child process with extra environment variables. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AR_HTTP_|TF_DEBUG$)/.test(name)),
  );
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...cleanEnv, ...env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20000);
  return new Promise((done) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}
