import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.join(__dirname, '..');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-stress-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Builds test/native/stress.cpp with the native core under a sanitizer and runs it. */
async function stress(name: string, sanitizer: string[], env: Record<string, string>): Promise<string> {
  const binary = path.join(folder, name);
  const core = readdirSync(path.join(root, 'native', 'core'))
    .filter((file) => file.endsWith('.cpp'))
    .map((file) => path.join(root, 'native', 'core', file));
  const httplib = (await exec('pkg-config', ['--cflags', '--libs', 'cpp-httplib', 'openssl'])).stdout.trim().split(/\s+/);
  await exec(
    'g++',
    ['-std=c++20', '-O1', '-g', ...sanitizer, '-I', path.join(root, 'native'), ...core,
      path.join(root, 'test', 'native', 'stress.cpp'), ...httplib, '-pthread', '-o', binary],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const { stdout } = await exec(binary, [], { env: { ...process.env, ...env }, timeout: 180_000 });
  return stdout;
}

describe('16 threads resolving cached, uncached, failing and identical paths at once', () => {
  test('under ThreadSanitizer: no race', async () => {
    const stdout = await stress('stress-tsan', ['-fsanitize=thread'], {
      TSAN_OPTIONS: 'halt_on_error=1 exitcode=66',
    });
    expect(stdout).toMatch(/stress: \d+ resolves on 16 threads, all right/);
  }, 600_000);

  test('under AddressSanitizer and UBSan: no leak, no overflow, no undefined behaviour', async () => {
    const stdout = await stress('stress-asan', ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'], {
      ASAN_OPTIONS: 'detect_leaks=1 halt_on_error=1',
    });
    expect(stdout).toMatch(/stress: \d+ resolves on 16 threads, all right/);
  }, 600_000);
});
