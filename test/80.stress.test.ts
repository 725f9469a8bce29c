import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { buildWithCore } from './helpers/nativeBuild';

const exec = promisify(execFile);
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-stress-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Builds test/native/stress.cpp with the native core under a sanitizer and runs it. */
async function stress(name: string, sanitizer: string[], env: Record<string, string>): Promise<string> {
  const binary = await buildWithCore({
    folder: path.join(folder, name),
    name,
    programs: ['test/native/stress.cpp'],
    flags: ['-std=c++20', '-O1', '-g', ...sanitizer],
  });
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
