import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const buildInfo = path.join(root, 'native', 'buildInfo.js');

/**
 * Compiles test programs against the native core as binding.gyp and CMakeLists.txt do: the
 * sources of native/sources.json's `core` and `transport` groups, ArHttpProtocol.h written into `folder`.
 */
export async function buildWithCore(options: {
  folder: string;
  name: string;
  programs: string[];
  flags: string[];
}): Promise<string> {
  await exec('node', [buildInfo, 'protocol', options.folder]);
  const core = (await exec('node', [buildInfo, 'sources', 'core', 'transport'], { cwd: root })).stdout
    .split(' ')
    .map((file) => path.join(root, file));
  const httplib = (await exec('pkg-config', ['--cflags', '--libs', 'cpp-httplib', 'openssl'])).stdout
    .trim()
    .split(/\s+/);
  const binary = path.join(options.folder, options.name);
  await exec(
    'g++',
    ['-std=c++17', ...options.flags, '-I', path.join(root, 'native'), '-I', options.folder, ...core,
      ...options.programs.map((program) => path.join(root, program)), ...httplib, '-pthread', '-o', binary],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return binary;
}
