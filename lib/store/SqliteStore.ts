import type BetterSqlite3 from 'better-sqlite3';

import { ArHttpError, ErrorCodes } from '../errors';
import { notInstalled, requireInstalled } from '../optionalDependency';
import { ChangeKeepingStore } from './ChangeKeepingStore';
import {
  type Answer,
  type Change,
  historyLimit,
  makesChange,
  type Mapping,
  type MappingStore,
  type Snapshot,
  type WriteCondition,
} from './MappingStore';
import {
  answerOfAsOfRow,
  type AsOfRow,
  asOfSql,
  changeOf,
  type ChangeRow,
  mappingOf,
  type MappingRow as Row,
  snapshotNumber,
  snapshotOf,
  type SnapshotRow,
} from './rows';

const schema = `
  CREATE TABLE IF NOT EXISTS mappings (
    asset_path TEXT PRIMARY KEY, resolved_path TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, asset_path TEXT NOT NULL,
    old_resolved_path TEXT, new_resolved_path TEXT, at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS changes_by_asset_path ON changes (asset_path, id);
  CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT, change INTEGER NOT NULL, label TEXT, created TEXT NOT NULL
  );`;

/** How often a store looks for other processes' writes when nobody asks (it looks before every kept answer too). */
const checkEveryMs = 250;

let driver: typeof BetterSqlite3 | undefined;

/**
 * better-sqlite3, required and tried on first use: an optional dependency whose native part is built
 * by its install script, which may have failed, been skipped (`--ignore-scripts`) or not approved.
 */
function sqlite(): typeof BetterSqlite3 {
  if (driver !== undefined) return driver;
  const Database = requireInstalled<typeof BetterSqlite3>(
    'better-sqlite3',
    ErrorCodes.BAD_STORE,
    notInstalled('SQLite stores need', 'better-sqlite3', 'an optional dependency'),
  );
  try {
    // Its native part loads here, with no file involved: a failure is the driver's, not the store's.
    new Database(':memory:').close();
  } catch (cause) {
    throw new ArHttpError(
      ErrorCodes.BAD_STORE,
      `SQLite stores need better-sqlite3, whose native part did not build or load (${(cause as Error).message.split('\n')[0]}): ` +
        'run `npm rebuild better-sqlite3`, after `npm install-scripts approve better-sqlite3` if npm skipped its install script',
      { cause },
    );
  }
  driver = Database;
  return driver;
}

/**
 * Mappings in one SQLite file (WAL, synchronous=FULL): a write is on disk before it is
 * acknowledged, and survives `kill -9`. Other processes may write the same file (`ar-http store
 * import`, another server): `PRAGMA data_version` tells, checked before every kept answer and
 * every quarter second, and their changes are then read and told to the listeners in order.
 */
export class SqliteStore extends ChangeKeepingStore implements MappingStore {
  readonly readOnly = false;
  readonly description: string;
  private readonly db: BetterSqlite3.Database;
  private readonly statements;
  private dataVersion: number;
  private readonly checking: NodeJS.Timeout;

  constructor(file: string) {
    super();
    this.description = `sqlite:${file}`;
    try {
      this.db = new (sqlite())(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(schema);
    } catch (cause) {
      if (cause instanceof ArHttpError) throw cause;
      throw new ArHttpError(ErrorCodes.BAD_STORE, `${this.description}: ${(cause as Error).message}`, { cause });
    }
    const db = this.db;
    this.statements = {
      get: db.prepare<[string], Row>('SELECT * FROM mappings WHERE asset_path = ?'),
      list: db.prepare<[], Row>('SELECT * FROM mappings ORDER BY asset_path'),
      addChange: db.prepare<[string, string | null, string | null, string], ChangeRow>(
        'INSERT INTO changes (asset_path, old_resolved_path, new_resolved_path, at) VALUES (?, ?, ?, ?) RETURNING *',
      ),
      upsert: db.prepare<[string, string, number, string]>(
        'INSERT INTO mappings VALUES (?, ?, ?, ?) ON CONFLICT (asset_path) DO UPDATE SET resolved_path = excluded.resolved_path, version = excluded.version, updated_at = excluded.updated_at',
      ),
      delete: db.prepare<[string]>('DELETE FROM mappings WHERE asset_path = ?'),
      history: db.prepare<[string, number, number], ChangeRow>('SELECT * FROM changes WHERE asset_path = ? AND id < ? ORDER BY id DESC LIMIT ?'),
      after: db.prepare<[number, number], ChangeRow>('SELECT * FROM changes WHERE id > ? ORDER BY id LIMIT ?'),
      last: db.prepare<[], number>("SELECT coalesce(max(id), 0) FROM changes").pluck(),
      latest: db.prepare<[string], { resolved_path: string; version: number }>('SELECT resolved_path, version FROM mappings WHERE asset_path = ?'),
      asOf: db.prepare<{ path: string; change: number }, AsOfRow>(asOfSql({ changes: 'changes', mappings: 'mappings' }, '@path', '@change')),
      addSnapshot: db.prepare<[string | null, string], SnapshotRow>(
        'INSERT INTO snapshots (change, label, created) VALUES ((SELECT coalesce(max(id), 0) FROM changes), ?, ?) RETURNING *',
      ),
      snapshots: db.prepare<[], SnapshotRow>('SELECT * FROM snapshots ORDER BY id'),
      snapshot: db.prepare<[number], SnapshotRow>('SELECT * FROM snapshots WHERE id = ?'),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    this.lastSeen = this.statements.last.get() as number;
    this.dataVersion = this.statements.dataVersion.get() as number;
    this.checking = setInterval(() => void this.catchUp(), checkEveryMs);
    this.checking.unref();
  }

  /** Another process committed since the last look: read its changes. */
  catchUp(): Promise<void> | undefined {
    let dataVersion: number;
    try {
      dataVersion = this.statements.dataVersion.get() as number;
    } catch {
      return undefined;
    }
    if (dataVersion === this.dataVersion) return this.readingNow();
    this.dataVersion = dataVersion;
    return this.readChanges();
  }

  resolveVersioned(assetPath: string): Answer | undefined {
    const row = this.statements.latest.get(assetPath);
    return row === undefined ? undefined : { resolvedPath: row.resolved_path, version: row.version };
  }

  resolveAsOf(assetPath: string, change: number): Answer | undefined {
    return answerOfAsOfRow(this.statements.asOf.get({ path: assetPath, change }));
  }

  async createSnapshot(label: string | null = null): Promise<Snapshot> {
    return snapshotOf(this.statements.addSnapshot.get(label, new Date().toISOString()) as SnapshotRow);
  }

  async listSnapshots(): Promise<Snapshot[]> {
    return this.statements.snapshots.all().map(snapshotOf);
  }

  async getSnapshot(id: string): Promise<Snapshot | undefined> {
    const number = snapshotNumber(id);
    const row = number === undefined ? undefined : this.statements.snapshot.get(number);
    return row === undefined ? undefined : snapshotOf(row);
  }

  async get(assetPath: string): Promise<Mapping | undefined> {
    const row = this.statements.get.get(assetPath);
    return row === undefined ? undefined : mappingOf(row);
  }

  async list(): Promise<Mapping[]> {
    return this.statements.list.all().map(mappingOf);
  }

  /**
   * One write in one immediate transaction: the condition is checked on what it writes over.
   * Acknowledged once the listeners heard it, after any other process's changes before it.
   */
  protected async write(assetPath: string, resolvedPath: string | null, condition: WriteCondition | undefined): Promise<Change | undefined> {
    const change = this.db
      .transaction((): Change | undefined => {
        const row = this.statements.get.get(assetPath);
        const current = row === undefined ? undefined : mappingOf(row);
        if (!makesChange(assetPath, current, resolvedPath, condition)) return undefined;
        const added = changeOf(
          this.statements.addChange.get(assetPath, current?.resolvedPath ?? null, resolvedPath, new Date().toISOString()) as ChangeRow,
        );
        if (resolvedPath === null) this.statements.delete.run(assetPath);
        else this.statements.upsert.run(assetPath, resolvedPath, added.id, added.at);
        return added;
      })
      .immediate();
    if (change !== undefined) await this.readChanges();
    return change;
  }

  async history(assetPath: string, options: { limit?: number; before?: number } = {}): Promise<Change[]> {
    return this.statements.history.all(assetPath, options.before ?? Number.MAX_SAFE_INTEGER, historyLimit(options.limit)).map(changeOf);
  }

  async changesAfter(id: number, limit: number): Promise<Change[]> {
    return this.statements.after.all(id, limit).map(changeOf);
  }

  async lastChangeId(): Promise<number> {
    return this.statements.last.get() as number;
  }

  async close(): Promise<void> {
    clearInterval(this.checking);
    this.db.close();
  }
}
