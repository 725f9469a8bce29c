import { createHash } from 'node:crypto';
import path from 'node:path';

import { ArHttpError, ErrorCodes } from '../errors';
import { parseMapFile, readMapFile } from '../server/assetMap';
import type { MappingStore } from './MappingStore';
import { MemoryStore } from './MemoryStore';

/**
 * Opens the store a `--store` value names: `sqlite:FILE` (created if missing), `postgres://…` or
 * `postgresql://…` (the tables are created if missing), or `json:FILE` (a map file, read-only).
 */
export async function openStore(spec: string): Promise<MappingStore> {
  if (spec.startsWith('sqlite:')) {
    const file = spec.slice('sqlite:'.length);
    if (file === '') throw new ArHttpError(ErrorCodes.BAD_STORE, 'sqlite: needs a file: sqlite:PATH');
    const { SqliteStore } = await import('./SqliteStore');
    return new SqliteStore(path.resolve(file));
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresStore } = await import('./PostgresStore');
    return PostgresStore.open(spec);
  }
  if (spec.startsWith('json:')) return jsonMapStore(spec.slice('json:'.length));
  throw new ArHttpError(
    ErrorCodes.BAD_STORE,
    `unknown store ${JSON.stringify(spec.slice(0, 100))}: give sqlite:FILE, postgres://user@host/db or json:FILE`,
  );
}

/**
 * A JSON map file as a read-only store: one change, so one snapshot, whose id is made of the
 * file's content (`map-` and 20 hex digits of its SHA-256). Creating a snapshot answers it, and
 * the same id works after a restart as long as the file holds the same bytes; it names no other
 * content, so a changed file never answers for an old id. A label is not kept (nowhere to keep it);
 * `created` is when this process loaded the file.
 */
export function jsonMapStore(file: string): MappingStore {
  const bytes = readMapFile(file);
  const map = new Map(parseMapFile(file, bytes));
  const id = `map-${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}`;
  return new MemoryStore(map, `json:${file}`, true, { id, change: 0, label: null, created: new Date().toISOString() });
}
