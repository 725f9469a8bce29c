import { type Answer, answerAsOf, type Change, etagOf, type Mapping, type Snapshot } from './MappingStore';

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

export type SnapshotRow = { id: number | string; change: number | string; label: string | null; created: string | Date };

export const snapshotOf = (row: SnapshotRow): Snapshot => ({
  id: String(row.id),
  change: Number(row.change),
  label: row.label,
  created: isoOf(row.created),
});

/** The SQL stores number their snapshots in decimal: the number of a snapshot id, else undefined (no such snapshot). */
export const snapshotNumber = (id: string): number | undefined => (/^[1-9]\d{0,14}$/.test(id) ? Number(id) : undefined);

/** One row per source of an as-of answer, in {@link answerAsOf}'s order (kind 0, 1, 2): the first decides. */
export type AsOfRow = { kind: number | string; version: number | string; path: string | null };

/**
 * The SQL of an as-of answer, in one round trip: the newest change of the asset path at or before
 * the change asked, its first change, its current mapping. `path` and `change` are the two
 * parameters as the database names them (`@path`, `$1`).
 */
export function asOfSql(tables: { changes: string; mappings: string }, path: string, change: string): string {
  const { changes, mappings } = tables;
  return (
    `SELECT * FROM (SELECT 0 AS kind, id AS version, new_resolved_path AS path FROM ${changes} ` +
    `WHERE asset_path = ${path} AND id <= ${change} ORDER BY id DESC LIMIT 1) AS at_or_before ` +
    `UNION ALL SELECT * FROM (SELECT 1 AS kind, 0 AS version, old_resolved_path AS path FROM ${changes} ` +
    `WHERE asset_path = ${path} ORDER BY id LIMIT 1) AS first ` +
    `UNION ALL SELECT 2 AS kind, version, resolved_path AS path FROM ${mappings} WHERE asset_path = ${path} ` +
    'ORDER BY kind LIMIT 1'
  );
}

/** The answer of {@link asOfSql}'s row. */
export function answerOfAsOfRow(row: AsOfRow | undefined): Answer | undefined {
  if (row === undefined) return undefined;
  const found = { id: Number(row.version), newResolvedPath: row.path, oldResolvedPath: row.path };
  const current = row.path === null ? undefined : { resolvedPath: row.path, version: Number(row.version) };
  return answerAsOf(Number(row.kind) === 0 ? found : undefined, Number(row.kind) === 1 ? found : undefined, current);
}
