import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes } from '../../errors';
import { loadMapFile } from '../../server/assetMap';
import { openStore } from '../../store/openStore';

/** The base URL of --content-url, ending in '/': http(s), no credentials, query or fragment (they would be in every answer). */
function contentBaseOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ArHttpError(ErrorCodes.USAGE, '--content-url must be an absolute http:// or https:// URL');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ArHttpError(ErrorCodes.USAGE, '--content-url must be an http:// or https:// URL without credentials, query or fragment');
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/**
 * A resolved path under `root` as the URL the content server gives it: `base` then each name
 * percent-encoded. Undefined for a path outside `root`, or holding a name the content server
 * does not serve (starting with '.').
 */
export function contentUrlOf(resolvedPath: string, root: string, base: string): string | undefined {
  if (!path.isAbsolute(resolvedPath)) return undefined;
  const names = path.relative(root, resolvedPath).split(path.sep);
  if (names.some((name) => name === '' || name.startsWith('.'))) return undefined;
  return base + names.map(encodeURIComponent).join('/');
}

/** The map's resolved paths under --content-root as URLs under --content-url (both or neither given). */
function withContentUrls(map: ReadonlyMap<string, string>, contentUrl: string | undefined, contentRoot: string | undefined): Map<string, string> {
  if (contentUrl === undefined && contentRoot === undefined) return new Map(map);
  if (contentUrl === undefined || contentRoot === undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, 'give --content-url URL and --content-root DIR together');
  }
  const base = contentBaseOf(contentUrl);
  const root = path.resolve(contentRoot);
  let kept = 0;
  const rewritten = new Map<string, string>();
  for (const [assetPath, resolvedPath] of map) {
    const url = contentUrlOf(resolvedPath, root, base);
    if (url === undefined) kept += 1;
    rewritten.set(assetPath, url ?? resolvedPath);
  }
  process.stdout.write(`${map.size - kept} resolved paths under ${root} written as URLs under ${base}; ${kept} kept as they are\n`);
  return rewritten;
}

/**
 * `ar-http store import FILE --store SPEC`: every mapping of a JSON map file into a store (each
 * write kept in its history); `ar-http store export --store SPEC [--out FILE]`: a store's
 * mappings as a JSON map file. With `--content-url URL --content-root DIR`, import writes each
 * resolved path under DIR as its URL on a content server serving DIR at URL (`serve --content DIR`,
 * or any static server).
 */
export async function storeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { store: { type: 'string' }, out: { type: 'string' }, 'content-url': { type: 'string' }, 'content-root': { type: 'string' } },
  });
  const [action, ...operands] = positionals;
  const wanted = { import: 1, export: 0 }[action as 'import' | 'export'];
  if (wanted === undefined || operands.length !== wanted || values.store === undefined) {
    throw new ArHttpError(
      ErrorCodes.USAGE,
      'usage: ar-http store import <map.json> --store SPEC [--content-url URL --content-root DIR] | ar-http store export --store SPEC [--out FILE]',
    );
  }
  if (action === 'export' && (values['content-url'] !== undefined || values['content-root'] !== undefined)) {
    throw new ArHttpError(ErrorCodes.USAGE, '--content-url and --content-root go with store import');
  }
  if (action === 'import') {
    // Read and checked whole before the store is opened: a bad file writes nothing.
    const map = withContentUrls(loadMapFile(operands[0]), values['content-url'], values['content-root']);
    const store = await openStore(values.store);
    try {
      let changed = 0;
      for (const [assetPath, resolvedPath] of map) {
        if ((await store.get(assetPath))?.resolvedPath === resolvedPath) continue;
        await store.put(assetPath, resolvedPath);
        changed += 1;
      }
      process.stdout.write(`imported ${map.size} mappings into ${store.description} (${changed} added or changed)\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  const store = await openStore(values.store);
  try {
    const mappings = Object.fromEntries((await store.list()).map((mapping) => [mapping.assetPath, mapping.resolvedPath]));
    const text = `${JSON.stringify(mappings, null, 2)}\n`;
    if (values.out === undefined) process.stdout.write(text);
    else writeFileSync(values.out, text);
  } finally {
    await store.close();
  }
  return 0;
}
