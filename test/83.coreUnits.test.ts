import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { buildWithCore } from './helpers/nativeBuild';

const exec = promisify(execFile);
const root = path.join(__dirname, '..');
const units = ['main', 'parsers', 'fileSystemResolver', 'resolveCache', 'layerScanner'].map(
  (name) => `test/native/units/${name}.cpp`,
);

/** protocol.json's resolved-path examples, one a line as hex of their UTF-8 bytes: they hold NUL, line breaks, ESC. */
function examplesFile(folder: string): string {
  const protocol = JSON.parse(readFileSync(path.join(root, 'protocol', 'protocol.json'), 'utf8')) as {
    resolvedPathExamples: { valid: string[]; invalid: string[] };
  };
  const { valid, invalid } = protocol.resolvedPathExamples;
  expect(valid.length).toBeGreaterThan(0);
  expect(invalid.length).toBeGreaterThan(0);
  const lines = [
    ...valid.map((example) => `valid ${Buffer.from(example, 'utf8').toString('hex')}`),
    ...invalid.map((example) => `invalid ${Buffer.from(example, 'utf8').toString('hex')}`),
  ];
  const file = path.join(folder, 'resolvedPathExamples.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('the core\'s parsers, ResolveCache and the layer scanner, under AddressSanitizer and UBSan', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-units-'));
  try {
    const binary = await buildWithCore({
      folder,
      name: 'units',
      programs: units,
      flags: ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'],
    });
    const { stdout } = await exec(binary, [examplesFile(folder)], {
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1 halt_on_error=1', TMPDIR: folder },
      timeout: 120_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^units: \d+ checks, all right$/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 240_000);
