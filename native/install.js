#!/usr/bin/env node
// `npm install`: the prebuild (prebuilds/<platform>-<arch>, made by `npm run prebuild`) or build that loads
// here is kept; a build from source (node-gyp-build) happens only otherwise. Installs that skip this script
// (--ignore-scripts, npm 11's script approval) load the prebuild at run time all the same.
// A build from source needs cpp-httplib and OpenSSL through pkg-config: when they are missing,
// say which, and the one command that installs them, instead of a node-gyp stack trace.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const fromSource = /^(true|1)$/.test(process.env.npm_config_build_from_source || '');

/** '' when a prebuild or build loads here, else why not. */
function loadFailure() {
  try {
    require('node-gyp-build')(root);
    return '';
  } catch (error) {
    return error.message.split('\n')[0];
  }
}

function missingPackages() {
  const probe = spawnSync('pkg-config', ['--version'], { stdio: 'ignore' });
  if (probe.error) return ['pkg-config'];
  return ['cpp-httplib', 'openssl'].filter(
    (name) => spawnSync('pkg-config', ['--exists', name], { stdio: 'ignore' }).status !== 0,
  );
}

if (!fromSource) {
  const failure = loadFailure();
  if (!failure) process.exit(0);
  // A prebuild that exists but does not load (an older glibc, say) is worth a line before the build replaces it.
  const prebuilds = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  if (fs.existsSync(prebuilds)) console.error(`ar-http: the prebuild in ${prebuilds} did not load (${failure}); building from source`);
}
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
