#!/usr/bin/env node
// `npm install`: the prebuild or build that loads here, else a build from source (node-gyp-build).
// A build from source needs cpp-httplib and OpenSSL through pkg-config: when they are missing,
// say which, and the one command that installs them, instead of a node-gyp stack trace.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const fromSource = /^(true|1)$/.test(process.env.npm_config_build_from_source || '');

function loadsAlready() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

function missingPackages() {
  const probe = spawnSync('pkg-config', ['--version'], { stdio: 'ignore' });
  if (probe.error) return ['pkg-config'];
  return ['cpp-httplib', 'openssl'].filter(
    (name) => spawnSync('pkg-config', ['--exists', name], { stdio: 'ignore' }).status !== 0,
  );
}

if (!fromSource && loadsAlready()) process.exit(0);
const missing = missingPackages();
if (missing.length > 0) {
  const why = fromSource ? 'building from source (npm_config_build_from_source)' : 'no prebuild fits this platform, and building from source';
  console.error(
    `ar-http: ${why} needs ${missing.join(', ')} (found through pkg-config). ` +
      'On Debian or Ubuntu: sudo apt-get install g++ make python3 pkg-config libcpp-httplib-dev libssl-dev',
  );
  process.exit(1);
}
const built = spawnSync(process.execPath, [require.resolve('node-gyp-build/bin.js')], { cwd: root, stdio: 'inherit' });
process.exit(built.status ?? 1);
