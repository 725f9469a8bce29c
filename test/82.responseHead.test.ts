import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.join(__dirname, '..');

/** `program` (in test/native) built with `units` of native/core under AddressSanitizer and UBSan, run: its output. */
async function runSanitized(program: string, units: string[], libraries: string[] = []): Promise<string> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-head-'));
  try {
    const binary = path.join(folder, program);
    const sources = units.map((file) => path.join(root, 'native', 'core', file));
    // ArHttpProtocol.h, generated as the builds do: the head keeps the protocol's own headers.
    await exec('node', [path.join(root, 'native', 'buildInfo.js'), 'protocol', folder]);
    const flags = libraries.length
      ? (await exec('pkg-config', ['--cflags', '--libs', ...libraries])).stdout.trim().split(/\s+/)
      : [];
    await exec('g++', ['-std=c++17', '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
      '-I', path.join(root, 'native'), '-I', folder, ...sources, path.join(root, 'test', 'native', `${program}.cpp`),
      ...flags, '-pthread', '-o', binary]);
    const { stdout } = await exec(binary, [], { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1 halt_on_error=1' } });
    return stdout;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const headUnits = ['transport/ResponseHead.cpp', 'settings/RequestHeaders.cpp', 'text/PrintableText.cpp'];

test('the response head parser, under AddressSanitizer and UBSan: known heads and a million generated ones', async () => {
  expect(await runSanitized('responseHead', headUnits)).toMatch(/responseHead: 1000000 generated heads, \d+ accepted, all right/);
}, 120_000);

test('the answer body reader of the resolver\'s exchanges, under AddressSanitizer and UBSan: every framing, refusals, generated bodies', async () => {
  const output = await runSanitized('answerBody', ['transport/GuardedStream.cpp', ...headUnits], ['cpp-httplib', 'openssl']);
  expect(output).toMatch(/answerBody: 20000 generated answers, \d+ read whole, all right/);
}, 120_000);
