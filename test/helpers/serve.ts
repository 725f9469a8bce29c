import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { cliPath } from './cli';

export interface ServeProcess {
  address: string;
  /** stdout and stderr so far. */
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
  /** SIGKILL: no chance to clean up. */
  kill: () => Promise<void>;
}

/**
 * `ar-http serve --port 0 ...args` in a child process, with `env` added to this process's
 * environment less its AR_HTTP_* settings; resolves once it prints its address. `cli`: another
 * copy's `dist/lib/cli/main.js` (an installed one) instead of the repo's.
 */
export async function startServe(
  args: string[],
  env: Record<string, string> = {},
  cli: string = cliPath,
): Promise<ServeProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AR_HTTP_')));
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
  const address = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/[^ ]+)/.exec(output);
      if (match) done(match[1]);
    });
    child.on('exit', () => {
      clearTimeout(killer);
      fail(new Error(`serve exited early:\n${output}`));
    });
  });
  return {
    address,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      clearTimeout(killer);
      return code as number | null;
    },
    kill: async () => {
      const exited = once(child, 'exit');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      else return clearTimeout(killer);
      await exited;
      clearTimeout(killer);
    },
  };
}
