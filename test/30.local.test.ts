import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createIdentifier, resolve, resolveAsync } from '../lib';
import { setResolverEnv } from './helpers/env';
import { startTestServer, type TestServer } from './helpers/testServer';

// Layout:
//   root/shot/shot.usda, root/shot/local.usda, root/shot/sub/deep.usda
//   root/assets/shared.usda, root/search/found.usda, root/cwd/here.usda
let root: string;
let server: TestServer;
const cwd = process.cwd();

function write(relative: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#usda 1.0\n');
  return file;
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ar-http-local-')));
  for (const file of ['shot/shot.usda', 'shot/local.usda', 'shot/sub/deep.usda', 'assets/shared.usda',
    'search/found.usda', 'cwd/here.usda']) {
    write(file);
  }
  server = await startTestServer({ '*': { echoUrl: true } });
  setResolverEnv({
    AR_HTTP_SERVER_URL: server.url,
    PXR_AR_DEFAULT_SEARCH_PATH: `${path.join(root, 'search')}:${path.join(root, 'nowhere')}`,
  });
  process.chdir(path.join(root, 'cwd'));
});

afterAll(async () => {
  process.chdir(cwd);
  setResolverEnv({});
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const anchor = (): string => path.join(root, 'shot', 'shot.usda');

describe('local files win, with no request at all', () => {
  const cases: [string, () => string, string | undefined][] = [
    ['an absolute path', () => path.join(root, 'assets', 'shared.usda'), undefined],
    ['an absolute path, normalised', () => `${root}/shot/sub/../local.usda`, undefined],
    ['./ relative to the anchor', () => './local.usda', 'anchor'],
    ['../ relative to the anchor', () => '../assets/shared.usda', 'anchor'],
    ['a search path beside the anchor', () => 'sub/deep.usda', 'anchor'],
    ['a search path in the working directory', () => 'here.usda', undefined],
    ['a search path in PXR_AR_DEFAULT_SEARCH_PATH', () => 'found.usda', undefined],
  ];
  const expected: Record<string, string> = {
    'an absolute path': 'assets/shared.usda',
    'an absolute path, normalised': 'shot/local.usda',
    './ relative to the anchor': 'shot/local.usda',
    '../ relative to the anchor': 'assets/shared.usda',
    'a search path beside the anchor': 'shot/sub/deep.usda',
    'a search path in the working directory': 'cwd/here.usda',
    'a search path in PXR_AR_DEFAULT_SEARCH_PATH': 'search/found.usda',
  };

  test.each(cases)('%s', async (name, assetPath, withAnchor) => {
    const options = withAnchor ? { anchor: anchor() } : undefined;
    const before = (await server.stats()).requests.length;
    expect(resolve(assetPath(), options)).toBe(path.join(root, expected[name]));
    await expect(resolveAsync(assetPath(), options)).resolves.toBe(path.join(root, expected[name]));
    expect((await server.stats()).requests.length).toBe(before);
  });
});

describe('what the filesystem lacks goes to the server', () => {
  test('a search-path-style id is requested as it is written, never anchored', async () => {
    const before = (await server.stats()).requests.length;
    expect(resolve('id0x01', { anchor: anchor() })).toBe('/id0x01');
    const { requests } = await server.stats();
    expect(requests.slice(before).map((r) => r.url)).toEqual(['/id0x01']);
  });

  test('a missing ./ path is requested by its anchored identifier', async () => {
    const before = (await server.stats()).requests.length;
    expect(resolve('./missing.usda', { anchor: anchor() })).toBe(`/${root}/shot/missing.usda`);
    const { requests } = await server.stats();
    expect(requests.slice(before).map((r) => r.url)).toEqual([`/${root}/shot/missing.usda`]);
  });
});

describe('createIdentifier follows ArDefaultResolver', () => {
  test.each([
    ['id0x01', undefined, 'id0x01'],
    ['./a/../b.usda', undefined, 'b.usda'],
    ['', undefined, ''],
    ['id0x01', 'ANCHOR', 'id0x01'],
    ['sub/deep.usda', 'ANCHOR', 'ROOT/shot/sub/deep.usda'],
    ['./local.usda', 'ANCHOR', 'ROOT/shot/local.usda'],
    ['./missing.usda', 'ANCHOR', 'ROOT/shot/missing.usda'],
    ['../assets/x.usda', 'ANCHOR', 'ROOT/assets/x.usda'],
    ['/abs//dir/./x.usda', 'ANCHOR', '/abs/dir/x.usda'],
    ['id0x01', 'relative/anchor.usda', 'id0x01'],
  ])('createIdentifier(%j, %s) is %j', (assetPath, anchorName, expected) => {
    const anchorPath = anchorName === 'ANCHOR' ? anchor() : anchorName;
    expect(createIdentifier(assetPath, anchorPath)).toBe(expected.replace('ROOT', root));
  });
});
