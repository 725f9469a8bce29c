import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const buildInfo = path.join(root, 'native', 'buildInfo.js');

/**
 * Compiles test programs against the native core as binding.gyp and CMakeLists.txt do: the
 * sources of native/sources.json's `core` and `transport` groups, ArHttpProtocol.h written into `folder`.
 * One object a source, as many compilers at once as there are cores: a single g++ over every
 * source under a sanitizer takes minutes on a 2-core runner.
 */
export async function buildWithCore(options: {
  folder: string;
  name: string;
  programs: string[];
  flags: string[];
}): Promise<string> {
  await exec('node', [buildInfo, 'protocol', options.folder]);
  const core = (await exec('node', [buildInfo, 'sources', 'core', 'transport'], { cwd: root })).stdout
    .trim()
    .split(' ');
  const httplib = (await exec('pkg-config', ['--cflags', '--libs', 'cpp-httplib', 'openssl'])).stdout
    .trim()
    .split(/\s+/);
  const sources = [...core, ...options.programs];
  const objects = path.join(options.folder, 'objects');
  mkdirSync(objects, { recursive: true });
  const compile = ['-std=c++17', ...options.flags, '-I', path.join(root, 'native'), '-I', options.folder,
    ...httplib.filter((flag) => !flag.startsWith('-l')), '-pthread'];
  const objectOf = (source: string) => path.join(objects, `${source.replace(/[/\\]/g, '_')}.o`);
  let next = 0;
  const compiler = async () => {
    while (next < sources.length) {
      const source = sources[next++];
      await exec('g++', [...compile, '-c', path.join(root, source), '-o', objectOf(source)],
        { maxBuffer: 16 * 1024 * 1024 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(os.availableParallelism(), sources.length) }, compiler));
  const binary = path.join(options.folder, options.name);
  await exec('g++', [...options.flags, ...sources.map(objectOf), ...httplib, '-pthread', '-o', binary],
    { maxBuffer: 16 * 1024 * 1024 });
  return binary;
}
