import { spawn } from 'node:child_process';

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/**
 * Runs a program asynchronously (a server living in the test process must be
 * able to answer while it runs), with `env` added to this process's
 * environment less its resolver settings (AR_HTTP_* but
 * AR_HTTP_BACKEND, and TF_DEBUG). Killed after the timeout.
 */
export function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AR_HTTP_(?!BACKEND$)|TF_DEBUG$)/.test(name)),
  );
  const start = Date.now();
  const child = spawn(command, args, {
    env: { ...inherited, ...env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60000);
  return new Promise((done) => {
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout, stderr, elapsedMs: Date.now() - start });
    });
  });
}
