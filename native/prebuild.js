#!/usr/bin/env node
// `npm run prebuild`, after prebuildify: the prebuild carries every shared library it needs beyond glibc,
// libstdc++ and OpenSSL 3 (cpp-httplib and what it links: brotli, zlib), copied beside it in
// prebuilds/<platform>-<arch>/, where its rpath ($ORIGIN, binding.gyp) finds them, as sharp ships libvips.
// With each library goes its licence notice. prebuildify moves the build it made out of build/Release:
// a copy goes back, so the dev build (and anything that loads build/Release by path) keeps working.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const folder = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);

// What every glibc Linux with OpenSSL 3 has: never bundled (the C library and loader must be the system's).
const system = /^(libc|libm|libdl|libpthread|librt|libresolv|libstdc\+\+|libgcc_s|libssl|libcrypto)\.so(\.|$)/;

function fail(message) {
  console.error(`ar-http prebuild: ${message}`);
  process.exit(1);
}

/**
 * `ldd` of a file: each library it needs by soname and where the loader finds it (`''`: not found).
 * The vDSO and the loader itself, which ldd lists without `=>`, are no files to find.
 */
function dependencies(file) {
  const out = execFileSync('ldd', [file], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\S+) => (not found|\S+)/.exec(line))
    .filter(Boolean)
    .map(([, name, found]) => ({ name, found: found === 'not found' ? '' : found }));
}

/** The Debian copyright file of the package owning `file`, or '' when dpkg does not know it. */
function copyrightOf(file) {
  for (const candidate of [file, fs.realpathSync(file)]) {
    try {
      const owner = execFileSync('dpkg', ['-S', candidate], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const notice = `/usr/share/doc/${owner.split(':')[0]}/copyright`;
      if (fs.existsSync(notice)) return notice;
    } catch {
      // Not a dpkg system, or another path of the same file: try the next.
    }
  }
  return '';
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
  const bundled = dependencies(addon).filter(({ name }) => !system.test(name));
  const missing = bundled.filter(({ found }) => !found).map(({ name }) => name);
  if (missing.length > 0) fail(`${prebuild} needs ${missing.join(', ')}, which the loader does not find here`);
  const unlicensed = [];
  for (const { name, found } of bundled) {
    // copyFileSync follows the soname's symlink: the real library lands under the name the loader asks for.
    fs.copyFileSync(found, path.join(folder, name));
    const notice = copyrightOf(found);
    if (notice) fs.copyFileSync(notice, path.join(folder, `${name}.copyright`));
    else unlicensed.push(name);
  }

  // The proof: the loader now finds each bundled library beside the prebuild.
  const outside = dependencies(addon).filter(({ name, found }) => !system.test(name) && path.dirname(found) !== folder);
  if (outside.length > 0) fail(`${outside.map(({ name, found }) => `${name} => ${found || 'not found'}`).join(', ')}: not inside ${folder}`);

  fs.mkdirSync(path.join(root, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(addon, path.join(root, 'build', 'Release', 'ar_http.node'));

  console.log(`ar-http prebuild: ${path.relative(root, addon)} with ${bundled.map(({ name }) => name).join(', ') || 'no library'} beside it`);
  if (unlicensed.length > 0) console.warn(`ar-http prebuild: no licence notice found for ${unlicensed.join(', ')}: add it to ${folder} by hand`);
}

// test/16 reads the libraries of an installed prebuild as this script does.
module.exports = { dependencies, system };
if (require.main === module) main();
