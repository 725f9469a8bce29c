import type BetterSqlite3 from 'better-sqlite3';

import { ArHttpError, ErrorCodes } from '../errors';
import { ChangeKeepingStore } from './ChangeKeepingStore';
import {
  type Change,
  historyLimit,
  makesChange,
  type Mapping,
  type MappingStore,
  type WriteCondition,
} from './MappingStore';
import { changeOf, type ChangeRow, mappingOf, type MappingRow as Row } from './rows';

const schema = `
  CREATE TABLE IF NOT EXISTS mappings (
    asset_path TEXT PRIMARY KEY, resolved_path TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, asset_path TEXT NOT NULL,
    old_resolved_path TEXT, new_resolved_path TEXT, at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS changes_by_asset_path ON changes (asset_path, id);`;

/** better-sqlite3, required on first use: it is an optional dependency, built at install. */
function sqlite(): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (cause) {
    throw new ArHttpError(
      ErrorCodes.BAD_STORE,
      `SQLite stores need better-sqlite3, which did not install or load (${(cause as Error).message.split('\n')[0]}); ` +
        'run `npm install better-sqlite3` to see why',
      { cause },
    );
  }
}

/**
 * Mappings in one SQLite file (WAL, synchronous=FULL): a write is on disk before it is
 * acknowledged, and survives `kill -9`. One server process per file: another process's writes
 * reach neither this one's change feed nor its listeners (use PostgreSQL for replicas).
 */
export class SqliteStore extends ChangeKeepingStore implements MappingStore {
  readonly readOnly = false;
  readonly description: string;
  private readonly db: BetterSqlite3.Database;
  private readonly statements;

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
      resolve: db.prepare<[string], { resolved_path: string }>('SELECT resolved_path FROM mappings WHERE asset_path = ?').pluck(),
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
    };
  }

  resolve(assetPath: string): string | undefined {
    return this.statements.resolve.get(assetPath) as string | undefined;
  }

  async get(assetPath: string): Promise<Mapping | undefined> {
    const row = this.statements.get.get(assetPath);
    return row === undefined ? undefined : mappingOf(row);
  }

  async list(): Promise<Mapping[]> {
    return this.statements.list.all().map(mappingOf);
  }

  /** One write in one immediate transaction: the condition is checked on what it writes over. */
  protected write(assetPath: string, resolvedPath: string | null, condition: WriteCondition | undefined): Change | undefined {
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
    if (change !== undefined) this.listeners.change(change);
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
    this.db.close();
  }
}
