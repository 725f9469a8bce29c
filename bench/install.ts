import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { format, type Row } from './table';

const exec = promisify(execFile);
// Compiled to dist/bench: the package is two folders up.
const root = path.join(__dirname, '..', '..');
const platform = `${process.platform}-${process.arch}`;

/**
 * `npm install <tarball>` into an empty app, ar-http's install script approved as `npm install-scripts approve`
 * records it for a tarball, or `--ignore-scripts`: wall time in ms, and whether ar-http was compiled there.
 */
async function timeInstall(folder: string, tarball: string, ignoreScripts: boolean): Promise<{ ms: number; compiled: boolean }> {
  const app = path.join(folder, `app-${path.basename(tarball, '.tgz')}-${Date.now()}`);
  mkdirSync(app);
  // better-sqlite3's script (a compile where its prebuild cannot be fetched) is denied: only ar-http's cost differs.
  const allowScripts = { [`file:${tarball}`]: true, 'better-sqlite3': false };
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, allowScripts }));
  const flags = ignoreScripts ? ['--ignore-scripts'] : [];
  const start = process.hrtime.bigint();
  await exec('npm', ['install', '--no-audit', '--no-fund', ...flags, tarball], { cwd: app, maxBuffer: 16 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, compiled: existsSync(path.join(app, 'node_modules', 'ar-http', 'build', 'Release', 'ar_http.node')) };
}

/**
 * Benchmark 10: installing the packed tarball with its prebuild, against the same tarball without
 * prebuilds/ (ar-http's install script then builds from source). Both with ar-http's install script approved
 * and the npm cache warmed by an untimed install first; the prebuild also with `--ignore-scripts`.
 */
export async function installBenchmarks(): Promise<Row[]> {
  const prebuilds = path.join(root, 'prebuilds', platform);
  if (!existsSync(prebuilds) || !readdirSync(prebuilds).some((name) => name.endsWith('.node'))) {
    console.log(`bench install: no prebuild in ${prebuilds}; run \`npm run prebuild\` first`);
    return [];
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-bench-install-'));
  try {
    const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], { cwd: root });
    const packed = path.join(folder, (JSON.parse(stdout) as { filename: string }[])[0].filename);
    const withPrebuild = path.join(folder, 'with-prebuild.tgz');
    const fromSource = path.join(folder, 'from-source.tgz');
    await exec('mv', [packed, withPrebuild]);
    const unpacked = path.join(folder, 'unpacked');
    mkdirSync(unpacked);
    await exec('tar', ['-xzf', withPrebuild, '-C', unpacked]);
    rmSync(path.join(unpacked, 'package', 'prebuilds'), { recursive: true });
    await exec('tar', ['-czf', fromSource, '-C', unpacked, 'package']);

    await timeInstall(folder, withPrebuild, true);
    const prebuilt = await timeInstall(folder, withPrebuild, false);
    const ignored = await timeInstall(folder, withPrebuild, true);
    const source = await timeInstall(folder, fromSource, false);
    // Each figure is what it claims: the prebuild kept, the source compiled.
    if (prebuilt.compiled || !source.compiled) throw new Error('bench install: the install script did not do what was timed');
    const [built, withScript, without] = [source.ms, prebuilt.ms, ignored.ms];
    const seconds = (ms: number): string => `${format(ms / 1000)} s`;
    return [
      { benchmark: '10. npm install of the tarball, prebuild', figure: seconds(withScript), baseline: `${seconds(built)} from source`, ratio: (withScript / built).toFixed(2), target: '-' },
      { benchmark: '10. npm install of the tarball, --ignore-scripts', figure: seconds(without), baseline: `${seconds(built)} from source`, ratio: (without / built).toFixed(2), target: '-' },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
