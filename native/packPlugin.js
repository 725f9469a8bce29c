#!/usr/bin/env node
// `npm run pack:plugin`: the USD plugin on its own, as a tarball a studio or a farm unpacks anywhere and puts
// on PXR_PLUGINPATH_NAME (no Node, npm, compiler or source tree). `cmake --install` of the build that
// `npm run build:usd` made lays out the tree (plugin/, python/ArHttp/ when OpenUSD has Python, README.md,
// LICENSE); the libraries the transport links beyond a Linux system's go beside it (native/bundleLibraries.js).
// Writes ar-http-plugin-<version>-usd<release>[-monolithic][-python3.x]-linux-<arch>.tar.gz into the package's folder.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { bundleLibraries } = require('./bundleLibraries');

const root = path.join(__dirname, '..');
const build = path.join(root, 'build-usd');
// What the process that loads the plugin has already: OpenUSD (a library per package, or usd_ms), its TBB
// and, for a build with Python, Python.
const providedByUsd = (name) => /^lib(usd_|tbb|python3|boost_python)/.test(name);

function fail(message) {
  console.error(`ar-http pack:plugin: ${message}`);
  process.exit(1);
}

function runOrFail(command, args) {
  const done = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (done.status !== 0) fail(`${command} ${args.join(' ')} failed${done.error ? `: ${done.error.message}` : ''}`);
}

function main() {
  if (process.platform !== 'linux') fail('the plugin tarball is made on Linux only');
  const described = path.join(build, 'pluginPackage.json');
  if (!fs.existsSync(described) || !fs.existsSync(path.join(build, 'plugin', 'plugInfo.json'))) {
    fail('build the plugin first: PXR_USD_LOCATION=<your OpenUSD> npm run build:usd');
  }
  const { usdRelease, layout, python } = JSON.parse(fs.readFileSync(described, 'utf8'));
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch] ?? process.arch;
  const name = [
    `ar-http-plugin-${version}-usd${usdRelease}`,
    layout === 'monolithic' ? '-monolithic' : '',
    python ? `-python${python}` : '',
    `-linux-${arch}`,
  ].join('');

  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-http-pack-'));
  try {
    const tree = path.join(staging, name);
    runOrFail('cmake', ['--install', build, '--prefix', tree]);
    const plugin = path.join(tree, 'plugin');
    // The plugin itself links OpenUSD alone; its transport, cpp-httplib and what that links.
    const { unlicensed: notices } = bundleLibraries(path.join(plugin, 'arHttpTransport.so'), providedByUsd);
    const tarball = path.join(root, `${name}.tar.gz`);
    runOrFail('tar', ['czf', tarball, '-C', staging, '--owner=0', '--group=0', '--numeric-owner', name]);
    console.log(`ar-http pack:plugin: ${path.relative(process.cwd(), tarball) || tarball}`);
    console.log(`  ${fs.readdirSync(plugin).join(', ')}${python ? `; python/ArHttp (Python ${python})` : ''}`);
    if (notices.length > 0) console.warn(`ar-http pack:plugin: no licence notice found for ${notices.join(', ')}`);
  } catch (error) {
    fail(error.message);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main();
