import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes } from '../../errors';
import { loadMapFile } from '../../server/assetMap';
import { openStore } from '../../store/openStore';

/**
 * `ar-http store import FILE --store SPEC`: every mapping of a JSON map file into a store (each
 * write kept in its history); `ar-http store export --store SPEC [--out FILE]`: a store's
 * mappings as a JSON map file.
 */
export async function storeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { store: { type: 'string' }, out: { type: 'string' } },
  });
  const [action, ...operands] = positionals;
  const wanted = { import: 1, export: 0 }[action as 'import' | 'export'];
  if (wanted === undefined || operands.length !== wanted || values.store === undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, 'usage: ar-http store import <map.json> --store SPEC | ar-http store export --store SPEC [--out FILE]');
  }
  if (action === 'import') {
    // Read and checked whole before the store is opened: a bad file writes nothing.
    const map = loadMapFile(operands[0]);
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
