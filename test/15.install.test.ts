import path from 'node:path';

import { run } from './helpers/run';

const install = path.join(__dirname, '..', 'native', 'install.js');

describe('npm install (native/install.js)', () => {
  test('without cpp-httplib and OpenSSL to build with: one line naming them and the apt-get command', async () => {
    const result = await run(process.execPath, [install], {
      npm_config_build_from_source: 'true',
      // pkg-config then finds no package at all.
      PKG_CONFIG_LIBDIR: path.join(__dirname, 'no-such-folder'),
      PKG_CONFIG_PATH: '',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('needs cpp-httplib, openssl');
    expect(lines[0]).toContain('sudo apt-get install g++ make python3 pkg-config libcpp-httplib-dev libssl-dev');
  });

  test('with a build that loads: nothing to do, nothing said', async () => {
    const result = await run(process.execPath, [install], { PKG_CONFIG_LIBDIR: path.join(__dirname, 'no-such-folder') });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
