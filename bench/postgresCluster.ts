import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Runs SQL as the superuser (for tests that break connections on purpose). */
  sql: (text: string) => string;
  stop: () => void;
}

/** The folder of Debian's PostgreSQL programs (the newest), or undefined. */
function binaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => path.join(root, version, 'bin')).find((bin) => existsSync(path.join(bin, 'initdb')));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * A throwaway PostgreSQL cluster from Debian's `postgresql` package: initdb in a temporary
 * folder, started on a free loopback port (as the postgres user when running as root, which
 * PostgreSQL refuses), stopped by `stop()`. Undefined, with one loud line, when not installed.
 */
export async function startPostgres(): Promise<TestPostgres | undefined> {
  const bin = binaries();
  if (bin === undefined) {
    console.warn('SKIPPED: PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL tests do not run');
    return undefined;
  }
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]): void => {
    const [command, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args];
    const result = spawnSync(command, all, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.stdout}`);
  };
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-pg-'));
  chmodSync(folder, 0o755);
  if (asRoot) execFileSync('chown', ['postgres', folder]);
  const data = path.join(folder, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', [
    '-D', data, '-l', path.join(folder, 'log'), '-w', '-t', '60',
    '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c fsync=off -c max_connections=200`,
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    sql: (text) => execFileSync(path.join(bin, 'psql'), [url, '-XAtc', text], { encoding: 'utf8' }),
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
