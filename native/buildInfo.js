#!/usr/bin/env node
// What binding.gyp and CMakeLists.txt both need, from one place:
//   node native/buildInfo.js sources [--cmake] <group>...   the files of native/sources.json's groups
//   node native/buildInfo.js protocol <folder>              writes <folder>/ArHttpProtocol.h
// Paths are relative to the package root, where both build files run this.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function sources(args) {
  const cmake = args[0] === '--cmake';
  const groups = cmake ? args.slice(1) : args;
  const listed = JSON.parse(fs.readFileSync(path.join(__dirname, 'sources.json'), 'utf8'));
  const files = groups.flatMap((group) => {
    if (!Array.isArray(listed[group])) throw new Error(`native/sources.json has no group "${group}"`);
    return listed[group];
  });
  process.stdout.write(files.join(cmake ? ';' : ' '));
}

// Every number and string of protocol.json as a constant: maxBatchPaths -> kMaxBatchPaths.
function protocolHeader() {
  const protocol = JSON.parse(fs.readFileSync(path.join(root, 'protocol', 'protocol.json'), 'utf8'));
  const constants = Object.entries(protocol)
    .filter(([key, value]) => !key.startsWith('$') && (typeof value === 'number' || typeof value === 'string'))
    .map(([key, value]) => {
      const name = `k${key[0].toUpperCase()}${key.slice(1)}`;
      if (typeof value === 'string') return `constexpr const char* ${name} = ${JSON.stringify(value)};`;
      if (!Number.isSafeInteger(value) || value < 0) throw new Error(`protocol.json: ${key} must be a count`);
      return `constexpr std::size_t ${name} = ${value};`;
    });
  return [
    '// Written from protocol/protocol.json by native/buildInfo.js at build time: edit that file.',
    '#ifndef AR_HTTP_PROTOCOL_H',
    '#define AR_HTTP_PROTOCOL_H',
    '',
    '#include <cstddef>',
    '',
    'namespace arhttp::protocol {',
    '',
    ...constants,
    '',
    '}  // namespace arhttp::protocol',
    '',
    '#endif',
    '',
  ].join('\n');
}

function protocol([folder]) {
  if (!folder) throw new Error('usage: node native/buildInfo.js protocol <folder>');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'ArHttpProtocol.h');
  const text = protocolHeader();
  // Rewritten only when it changes, so builds do not recompile for nothing.
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
}

const [command, ...args] = process.argv.slice(2);
const commands = { sources, protocol };
if (!commands[command]) {
  process.stderr.write('usage: node native/buildInfo.js sources [--cmake] <group>... | protocol <folder>\n');
  process.exit(2);
}
commands[command](args);
