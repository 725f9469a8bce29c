import path from 'node:path';

import { ArHttpError, ErrorCodes } from '../errors';
import { loadMapFile } from '../server/assetMap';
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

/** A JSON map file as a read-only store. */
export function jsonMapStore(file: string): MappingStore {
  return new MemoryStore(new Map(loadMapFile(file)), `json:${file}`, true);
}
