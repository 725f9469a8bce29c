#!/usr/bin/env node
// `npm run build:usd`: cmake-js builds the USD plugin and the USD-linked binding into build-usd/.
// cmake-js is a development tool, not installed with ar-http: in an app, say the one command
// that adds it rather than the shell's "cmake-js: not found". It needs no Node headers download:
// package.json's binary.napi_versions makes it take Node-API's headers from node-api-headers.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');

function cmakeJs() {
  try {
    // From ar-http's folder up: a clone's own node_modules, or the app's.
    const manifest = require.resolve('cmake-js/package.json', { paths: [root] });
    return path.join(path.dirname(manifest), require(manifest).bin['cmake-js']);
  } catch {
    return undefined;
  }
}

const bin = cmakeJs();
if (bin === undefined) {
  console.error(
    'ar-http: npm run build:usd needs cmake-js, which ar-http does not install: run `npm install --save-dev cmake-js@8` ' +
      'in your app (a clone has it after `npm ci`), then build:usd again',
  );
  process.exit(1);
}
const built = spawnSync(process.execPath, [bin, 'build', '--out', 'build-usd', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(built.status ?? 1);
