import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const hasCmake = spawnSync('cmake', ['--version']).status === 0;
if (!hasCmake) process.stderr.write('\n*** SKIPPING the CMake test: no cmake on PATH ***\n\n');

(hasCmake ? describe : describe.skip)('CMakeLists.txt', () => {
  test('without OpenUSD it stops and says exactly what to set', () => {
    const build = mkdtempSync(path.join(os.tmpdir(), 'ar-http-cmake-'));
    try {
      const { pxr_DIR: _, ...env } = process.env;
      const result = spawnSync(
        'cmake',
        ['-S', path.join(__dirname, '..'), '-B', build, '-DPXR_USD_LOCATION=/nonexistent/usd'],
        { encoding: 'utf8', env: { ...env, PXR_USD_LOCATION: '' } },
      );
      expect(result.status).not.toBe(0);
      const output = result.stderr.replace(/\s+/g, ' ');
      expect(output).toContain('ar-http: OpenUSD was not found. Set PXR_USD_LOCATION to the folder');
      expect(output).toContain('pxrConfig.cmake');
      expect(output).toContain('PXR_USD_LOCATION is now "/nonexistent/usd"');
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  });
});
