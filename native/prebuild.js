#!/usr/bin/env node
// `npm run prebuild`, after prebuildify: the prebuild carries every shared library it needs beyond glibc,
// libstdc++ and OpenSSL 3, copied beside it in prebuilds/<platform>-<arch>/ (native/bundleLibraries.js),
// where its rpath ($ORIGIN, binding.gyp) finds them. prebuildify moves the build it made out of build/Release:
// a copy goes back, so the dev build (and anything that loads build/Release by path) keeps working.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { bundleLibraries } = require('./bundleLibraries');

const root = path.join(__dirname, '..');
const folder = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);

function fail(message) {
  console.error(`ar-http prebuild: ${message}`);
  process.exit(1);
}

function main() {
  if (process.platform !== 'linux') fail('prebuilds that carry their libraries are made on Linux only; elsewhere ar-http builds from source at install');
  const prebuild = fs.existsSync(folder) && fs.readdirSync(folder).find((name) => name.endsWith('.node'));
  if (!prebuild) fail(`no prebuild in ${folder}: run prebuildify first (npm run prebuild does both)`);
  const addon = path.join(folder, prebuild);

  // Libraries of an earlier prebuild go: only what this one needs ships.
  for (const name of fs.readdirSync(folder)) {
    if (name !== prebuild) fs.rmSync(path.join(folder, name));
  }
  let bundled;
  let unlicensed;
  try {
    ({ bundled, unlicensed } = bundleLibraries(addon));
  } catch (error) {
    fail(error.message);
  }

  fs.mkdirSync(path.join(root, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(addon, path.join(root, 'build', 'Release', 'ar_http.node'));

  console.log(`ar-http prebuild: ${path.relative(root, addon)} with ${bundled.join(', ') || 'no library'} beside it`);
  if (unlicensed.length > 0) console.warn(`ar-http prebuild: no licence notice found for ${unlicensed.join(', ')}: add it to ${folder} by hand`);
}

main();
