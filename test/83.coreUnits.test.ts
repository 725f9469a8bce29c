import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { writeCrate } from './helpers/crate';
import { buildWithCore } from './helpers/nativeBuild';

const exec = promisify(execFile);
const root = path.join(__dirname, '..');
const units = [
  'main', 'parsers', 'fileSystemResolver', 'resolveCache', 'layerScanner', 'crateScanner', 'zipArchive',
  'resolutionEngine', 'changeFeed', 'pins', 'content',
].map((name) => `test/native/units/${name}.cpp`);
const usdcat = path.join(process.env.PXR_USD_LOCATION || '/opt/openusd', 'bin', 'usdcat');

/** protocol.json's resolved-path examples, one a line as hex of their UTF-8 bytes: they hold NUL, line breaks, ESC. */
function examplesFile(folder: string): string {
  const protocol = JSON.parse(readFileSync(path.join(root, 'protocol', 'protocol.json'), 'utf8')) as {
    resolvedPathExamples: { valid: string[]; invalid: string[] };
  };
  const { valid, invalid } = protocol.resolvedPathExamples;
  expect(valid.length).toBeGreaterThan(0);
  expect(invalid.length).toBeGreaterThan(0);
  const lines = [
    ...valid.map((example) => `valid ${Buffer.from(example, 'utf8').toString('hex')}`),
    ...invalid.map((example) => `invalid ${Buffer.from(example, 'utf8').toString('hex')}`),
  ];
  const file = path.join(folder, 'resolvedPathExamples.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Sources for usdcat to write as crate files, each with the asset paths it names. */
function crateSources(): { name: string; usda: string; assets: string[] }[] {
  const many = Array.from({ length: 300 }, (_, i) => String(i).padStart(3, '0'));
  return [
    {
      name: 'subLayers',
      usda: `#usda 1.0
(
    subLayers = [
        @./sub/lighting.usda@,
        @@@odd@name.usda@@@ (offset = 10; scale = 2),
        @http://example.com/layers/base.usdc@
    ]
)
def "World" {}
`,
      assets: ['./sub/lighting.usda', 'odd@name.usda', 'http://example.com/layers/base.usdc'],
    },
    {
      name: 'references',
      usda: `#usda 1.0
def "Explicit" (references = [@explicit/a.usda@</A>, @explicit/b.usda@]) {}
def "Prepended" (
    prepend references = [
        @prepend/offset.usda@</P> (offset = 10; scale = 2),
        @prepend/data.usda@ (customData = {string note = "hi"; int count = 3; dictionary nested = {double x = 1.5}}),
        @prepend/both.usda@</B> (offset = 5; customData = {string s = "x"}),
        </Internal>,
        </Internal> (offset = 2)
    ]
) {}
def "Appended" (append references = @append/a.usda@) {}
def "Deleted" (delete references = [@deleted/a.usda@, </Internal>]) {}
def "Added" (add references = @added/a.usda@) {}
def "Reordered" (reorder references = [@ordered/b.usda@, @ordered/a.usda@]) {}
def "Internal" (references = </Explicit>) {}
`,
      assets: ['explicit/a.usda', 'explicit/b.usda', 'prepend/offset.usda', 'prepend/data.usda', 'prepend/both.usda',
        'append/a.usda', 'deleted/a.usda', 'added/a.usda', 'ordered/b.usda', 'ordered/a.usda'],
    },
    {
      name: 'payloads',
      usda: `#usda 1.0
def "Explicit" (payload = @payload/a.usdc@</A>) {}
def "Prepended" (prepend payload = [@payload/b.usda@, @payload/c.usda@</C> (offset = 3)]) {}
def "Appended" (append payload = @payload/d.usda@) {}
def "Deleted" (delete payload = @payload/e.usda@) {}
def "Internal" (payload = </Explicit>) {}
`,
      assets: ['payload/a.usdc', 'payload/b.usda', 'payload/c.usda', 'payload/d.usda', 'payload/e.usda'],
    },
    {
      name: 'assets',
      usda: `#usda 1.0
def Shader "Wood" {
    asset inputs:file = @textures/wood.png@
    asset[] frames = [@frames/a.exr@, @frames/b.exr@, @@@frames/c@.exr@@@]
    asset[] none = []
    asset animated.timeSamples = {
        0: @anim/0.png@,
        1: @anim/1.png@,
    }
    asset[] animatedArray.timeSamples = {
        0: [@anim/array0.png@, @anim/array1.png@],
    }
    asset empty = @@
    string notAsset = "@not/an/asset.usda@"
}
`,
      assets: ['textures/wood.png', 'frames/a.exr', 'frames/b.exr', 'frames/c@.exr', 'anim/0.png', 'anim/1.png',
        'anim/array0.png', 'anim/array1.png'],
    },
    {
      name: 'variants',
      usda: `#usda 1.0
def "Model" (
    variants = {
        string look = "red"
    }
    prepend variantSets = "look"
) {
    variantSet "look" = {
        "red" (references = @variants/red.usda@) {}
        "blue" (
            prepend references = @variants/blue.usda@</Blue>
            payload = @variants/bluePayload.usda@
        ) {
            def "Inner" (references = @variants/inner.usda@) {}
        }
    }
}
`,
      assets: ['variants/red.usda', 'variants/blue.usda', 'variants/bluePayload.usda', 'variants/inner.usda'],
    },
    {
      name: 'many',
      usda: `#usda 1.0
${many.map((i) => `def "P${i}" (references = @lib/asset_${i}.usda@</Asset>) {}`).join('\n')}
def "List" (prepend references = [${many.map((i) => `@list/item_${i}.usda@`).join(', ')}]) {}
`,
      assets: [...many.map((i) => `lib/asset_${i}.usda`), ...many.map((i) => `list/item_${i}.usda`)],
    },
  ];
}

/**
 * Has usdcat write each source as a crate file at the version it picks and as older layouts ask
 * for (0.0.1: sections uncompressed; 0.4.0: compressed, arrays with a rank; 0.6.0: 32-bit array
 * sizes; usdcat upgrades a file whose contents need a later one), beside its expected paths.
 */
async function writeCrateFiles(folder: string): Promise<number> {
  mkdirSync(folder);
  let count = 0;
  for (const { name, usda, assets } of crateSources()) {
    const source = path.join(folder, `${name}.usda`);
    writeFileSync(source, usda);
    for (const version of ['', '0.0.1', '0.4.0', '0.6.0']) {
      const crate = path.join(folder, `${name}${version && `-${version}`}.usdc`);
      // USD's own resolver, and the version asked for, if any.
      // (An overridden version is announced on stderr.)
      const converted = await writeCrate(usdcat, source, crate, version ? { USD_WRITE_NEW_USDC_FILES_AS_VERSION: version } : {});
      // The whole result, so that a failure shows usdcat's stderr and signal.
      expect(converted).toMatchObject({ status: 0 });
      writeFileSync(crate.replace(/\.usdc$/, '.expected'), `${assets.join('\n')}\n`);
      count += 1;
    }
  }
  return count;
}

test('the core\'s parsers, ResolveCache, the layer, crate and zip scanners, the engine asking ahead, under ASan and UBSan', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ar-http-units-'));
  try {
    const binary = await buildWithCore({
      folder,
      name: 'units',
      programs: units,
      flags: ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'],
    });
    const crates = path.join(folder, 'crates');
    const crateCount = existsSync(usdcat) ? await writeCrateFiles(crates) : 0;
    if (!crateCount) {
      process.stderr.write(`\n*** units: SKIPPED the checks on crate files from usdcat: no ${usdcat} ***\n\n`);
    }
    const { stdout } = await exec(binary, [examplesFile(folder), ...(crateCount ? [crates] : [])], {
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1 halt_on_error=1', TMPDIR: folder },
      timeout: 180_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain(crateCount
      ? `units: scanned ${crateCount} crate files from usdcat`
      : 'units: SKIPPED the checks on crate files from usdcat: no folder of them given');
    expect(lines[lines.length - 1]).toMatch(/^units: \d+ checks, all right$/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 600_000);
