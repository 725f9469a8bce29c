// The shared libraries a native file needs beyond glibc, libstdc++ and OpenSSL 3 (cpp-httplib and what it
// links: brotli, zlib), copied beside it with their licence notices, where an rpath of $ORIGIN finds them:
// for the Node prebuild (native/prebuild.js) and the plugin tarball (native/packPlugin.js), as sharp ships libvips.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// What every glibc Linux with OpenSSL 3 has: never bundled (the C library and loader must be the system's).
const system = /^(libc|libm|libdl|libpthread|librt|libresolv|libstdc\+\+|libgcc_s|libssl|libcrypto)\.so(\.|$)/;

/**
 * `ldd` of a file: each library it needs by soname and where the loader finds it (`''`: not found).
 * The vDSO and the loader itself, which ldd lists without `=>`, are no files to find.
 */
function dependencies(file, env = process.env) {
  const out = execFileSync('ldd', [file], { encoding: 'utf8', env });
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

/**
 * Copies into `folder` (the folder of `file`) what `file` needs beyond the system's and `provided`
 * (sonames its host has loaded already, such as OpenUSD's), each with its licence notice, and checks
 * that the loader now finds them there. Returns the sonames bundled and those with no notice found;
 * throws, naming them, when a library cannot be found or is found elsewhere.
 */
function bundleLibraries(file, provided = () => false) {
  const folder = path.dirname(file);
  const wanted = ({ name }) => !system.test(name) && !provided(name);
  const bundled = dependencies(file).filter(wanted);
  const missing = bundled.filter(({ found }) => !found).map(({ name }) => name);
  if (missing.length > 0) throw new Error(`${path.basename(file)} needs ${missing.join(', ')}, which the loader does not find here`);
  const unlicensed = [];
  for (const { name, found } of bundled) {
    if (path.dirname(found) === folder) continue;
    // copyFileSync follows the soname's symlink: the real library lands under the name the loader asks for.
    fs.copyFileSync(found, path.join(folder, name));
    const notice = copyrightOf(found);
    if (notice) fs.copyFileSync(notice, path.join(folder, `${name}.copyright`));
    else unlicensed.push(name);
  }
  // The proof: the loader now finds each bundled library beside the file.
  const outside = dependencies(file).filter((entry) => wanted(entry) && path.dirname(entry.found) !== folder);
  if (outside.length > 0) {
    throw new Error(`${outside.map(({ name, found }) => `${name} => ${found || 'not found'}`).join(', ')}: not inside ${folder}`);
  }
  return { bundled: bundled.map(({ name }) => name), unlicensed };
}

module.exports = { bundleLibraries, dependencies, system };
