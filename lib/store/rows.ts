import { type Change, etagOf, type Mapping } from './MappingStore';

// The SQL stores' rows. PostgreSQL gives its bigints as strings and its times as Dates.
export type MappingRow = { asset_path: string; resolved_path: string; version: number | string; updated_at: string | Date };
export type ChangeRow = {
  id: number | string;
  asset_path: string;
  old_resolved_path: string | null;
  new_resolved_path: string | null;
  at: string | Date;
};

const isoOf = (time: string | Date): string => (time instanceof Date ? time.toISOString() : time);

export const mappingOf = (row: MappingRow): Mapping => ({
  assetPath: row.asset_path,
  resolvedPath: row.resolved_path,
  etag: etagOf(Number(row.version)),
  updatedAt: isoOf(row.updated_at),
});

export const changeOf = (row: ChangeRow): Change => ({
  id: Number(row.id),
  assetPath: row.asset_path,
  oldResolvedPath: row.old_resolved_path,
  newResolvedPath: row.new_resolved_path,
  at: isoOf(row.at),
});
