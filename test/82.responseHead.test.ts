import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.join(__dirname, '..');

test('the response head parser, under AddressSanitizer and UBSan: known heads and a million generated ones', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-head-'));
  try {
    const binary = path.join(folder, 'responseHead');
    const sources = ['transport/ResponseHead.cpp', 'settings/RequestHeaders.cpp', 'text/PrintableText.cpp'].map((file) =>
      path.join(root, 'native', 'core', file));
    // ArHttpProtocol.h, generated as the builds do: the head keeps the protocol's own headers.
    await exec('node', [path.join(root, 'native', 'buildInfo.js'), 'protocol', folder]);
    await exec('g++', ['-std=c++17', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
      '-I', path.join(root, 'native'), '-I', folder, ...sources, path.join(root, 'test', 'native', 'responseHead.cpp'), '-o', binary]);
    const { stdout } = await exec(binary, [], { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1 halt_on_error=1' } });
    expect(stdout).toMatch(/responseHead: 1000000 generated heads, \d+ accepted, all right/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 120_000);
