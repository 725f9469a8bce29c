import type { Client, Notification, Pool, PoolClient } from 'pg';

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
  type MappingRow,
  snapshotNumber,
  snapshotOf,
  type SnapshotRow,
} from './rows';

const channel = 'ar_http_changes';
// Advisory lock keys ("arht", "arhs"): every write holds the first, so changes commit in the order
// of their numbers and a replica reading "after n" never skips one committed later.
const writeLock = 0x61726874;
const schemaLock = 0x61726873;

const schema = `
  CREATE TABLE IF NOT EXISTS ar_http_mappings (
    asset_path text PRIMARY KEY, resolved_path text NOT NULL, version bigint NOT NULL, updated_at timestamptz NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ar_http_changes (
    id bigserial PRIMARY KEY, asset_path text NOT NULL,
    old_resolved_path text, new_resolved_path text, at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS ar_http_changes_by_asset_path ON ar_http_changes (asset_path, id);
  CREATE TABLE IF NOT EXISTS ar_http_snapshots (
    id bigserial PRIMARY KEY, change bigint NOT NULL, label text, created timestamptz NOT NULL DEFAULT now()
  );`;

const asOf = asOfSql({ changes: 'ar_http_changes', mappings: 'ar_http_mappings' }, '$1', '$2');

// pg_notify's payload is limited to 8000 bytes: longer asset paths are not named, and every
// replica then forgets all it keeps until the change itself is read.
const maxNamedBytes = 7000;

/** Waits between attempts to listen again: from 250 ms, doubling, up to 10 s. */
const retryDelays = { firstMs: 250, maxMs: 10_000 };

/** The URL without its password, for messages. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** pg, required on first use: an optional peer dependency, which an app without PostgreSQL goes without. */
function postgres(description: string): typeof import('pg') {
  return requireInstalled<typeof import('pg')>(
    'pg',
    ErrorCodes.BAD_STORE,
    notInstalled(`${description}: PostgreSQL stores need`, 'pg', 'an optional peer dependency'),
  );
}

function unavailable(description: string, cause: unknown): ArHttpError {
  if (cause instanceof ArHttpError) return cause;
  return new ArHttpError(ErrorCodes.STORE_UNAVAILABLE, `${description}: ${(cause as Error).message}`, { cause });
}

/**
 * Mappings in PostgreSQL, for several server replicas on one database. A write commits, with its
 * change, in one transaction and notifies every replica (LISTEN/NOTIFY): each forgets what it
 * kept of the asset path at once, then reads the changes after the last one it saw, in order.
 * A replica that lost its listening connection forgets everything it kept and reads what it
 * missed when it is back.
 */
export class PostgresStore extends ChangeKeepingStore implements MappingStore {
  readonly readOnly = false;
  readonly description: string;
  private listener: Client | undefined;
  private retryMs = retryDelays.firstMs;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
  ) {
    super();
    this.description = describe(url);
    // An idle connection that breaks is replaced by the pool: nothing to crash for.
    pool.on('error', () => {});
  }

  /** Connects, sets up the tables (once, whichever replica comes first) and starts listening. */
  static async open(url: string): Promise<PostgresStore> {
    const { Pool } = postgres(describe(url));
    const store = new PostgresStore(url, new Pool({ connectionString: url, max: 10 }));
    try {
      const client = await store.pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [schemaLock]);
        await client.query(schema);
        await client.query('SELECT pg_advisory_unlock($1)', [schemaLock]);
      } finally {
        client.release();
      }
      store.lastSeen = await store.lastChangeId();
      await store.listen();
    } catch (cause) {
      await store.close();
      throw new ArHttpError(ErrorCodes.BAD_STORE, `${store.description}: ${(cause as Error).message}`, { cause });
    }
    return store;
  }

  private async query<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (cause) {
      throw unavailable(this.description, cause);
    }
  }

  /** A dedicated connection that LISTENs; when it breaks, forget all and try again, backing off. */
  private async listen(): Promise<void> {
    const client = new (postgres(this.description).Client)({ connectionString: this.url });
    const lost = (): void => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => {});
      this.retryLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (notification) => this.notified(notification));
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    this.retryMs = retryDelays.firstMs;
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    this.listeners.forget(null);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.listen().then(
        // What changed while nobody listened.
        () => this.readChanges(),
        () => {
          this.listener = undefined;
          this.retryMs = Math.min(this.retryMs * 2, retryDelays.maxMs);
          this.retryLater();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private notified(notification: Notification): void {
    let assetPath: string | null = null;
    try {
      const named = JSON.parse(notification.payload ?? '{}') as { assetPath?: unknown };
      if (typeof named.assetPath === 'string') assetPath = named.assetPath;
    } catch {
      // Not ours: forget everything.
    }
    this.listeners.forget(assetPath);
    void this.readChanges();
  }

  async resolveVersioned(assetPath: string): Promise<Answer | undefined> {
    const rows = await this.query<MappingRow>('SELECT resolved_path, version FROM ar_http_mappings WHERE asset_path = $1', [assetPath]);
    return rows.length === 0 ? undefined : { resolvedPath: rows[0].resolved_path, version: Number(rows[0].version) };
  }

  async resolveAsOf(assetPath: string, change: number): Promise<Answer | undefined> {
    return answerOfAsOfRow((await this.query<AsOfRow>(asOf, [assetPath, change]))[0]);
  }

  /** Under the write lock: the change it names is the last one committed, and none is half done. */
  async createSnapshot(label: string | null = null): Promise<Snapshot> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
      const added = await client.query<SnapshotRow>(
        'INSERT INTO ar_http_snapshots (change, label) VALUES ((SELECT coalesce(max(id), 0) FROM ar_http_changes), $1) RETURNING *',
        [label],
      );
      return snapshotOf(added.rows[0]);
    });
  }

  async listSnapshots(): Promise<Snapshot[]> {
    return (await this.query<SnapshotRow>('SELECT * FROM ar_http_snapshots ORDER BY id')).map(snapshotOf);
  }

  async getSnapshot(id: string): Promise<Snapshot | undefined> {
    const number = snapshotNumber(id);
    if (number === undefined) return undefined;
    const rows = await this.query<SnapshotRow>('SELECT * FROM ar_http_snapshots WHERE id = $1', [number]);
    return rows.length === 0 ? undefined : snapshotOf(rows[0]);
  }

  /** Runs `body` in one transaction on one pooled connection: committed when it returns, rolled back when it throws. */
  private async transaction<T>(body: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw unavailable(this.description, cause);
    }
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (cause) {
      await client.query('ROLLBACK').catch(() => {});
      throw unavailable(this.description, cause);
    } finally {
      client.release();
    }
  }

  async get(assetPath: string): Promise<Mapping | undefined> {
    const rows = await this.query<MappingRow>('SELECT * FROM ar_http_mappings WHERE asset_path = $1', [assetPath]);
    return rows.length === 0 ? undefined : mappingOf(rows[0]);
  }

  async list(): Promise<Mapping[]> {
    return (await this.query<MappingRow>('SELECT * FROM ar_http_mappings ORDER BY asset_path')).map(mappingOf);
  }

  protected async write(assetPath: string, resolvedPath: string | null, condition: WriteCondition | undefined): Promise<Change | undefined> {
    const change = await this.transaction(async (client): Promise<Change | undefined> => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
      const found = (await client.query<MappingRow>('SELECT * FROM ar_http_mappings WHERE asset_path = $1', [assetPath])).rows;
      const current = found.length === 0 ? undefined : mappingOf(found[0]);
      if (!makesChange(assetPath, current, resolvedPath, condition)) return undefined;
      const added = changeOf(
        (
          await client.query<ChangeRow>(
            'INSERT INTO ar_http_changes (asset_path, old_resolved_path, new_resolved_path) VALUES ($1, $2, $3) RETURNING *',
            [assetPath, current?.resolvedPath ?? null, resolvedPath],
          )
        ).rows[0],
      );
      if (resolvedPath === null) {
        await client.query('DELETE FROM ar_http_mappings WHERE asset_path = $1', [assetPath]);
      } else {
        await client.query(
          'INSERT INTO ar_http_mappings VALUES ($1, $2, $3, $4) ON CONFLICT (asset_path) DO UPDATE SET ' +
            'resolved_path = excluded.resolved_path, version = excluded.version, updated_at = excluded.updated_at',
          [assetPath, resolvedPath, added.id, added.at],
        );
      }
      const named = Buffer.byteLength(assetPath) <= maxNamedBytes ? { id: added.id, assetPath } : { id: added.id };
      await client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(named)]);
      return added;
    });
    if (change !== undefined) {
      // Acknowledged once this replica's listeners heard it: a read here after the answer is fresh.
      this.listeners.forget(assetPath);
      await this.readChanges();
    }
    return change;
  }

  async history(assetPath: string, options: { limit?: number; before?: number } = {}): Promise<Change[]> {
    const rows = await this.query<ChangeRow>('SELECT * FROM ar_http_changes WHERE asset_path = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [
      assetPath,
      options.before ?? Number.MAX_SAFE_INTEGER,
      historyLimit(options.limit),
    ]);
    return rows.map(changeOf);
  }

  async changesAfter(id: number, limit: number): Promise<Change[]> {
    return (await this.query<ChangeRow>('SELECT * FROM ar_http_changes WHERE id > $1 ORDER BY id LIMIT $2', [id, limit])).map(changeOf);
  }

  async lastChangeId(): Promise<number> {
    const rows = await this.query<{ last: string }>('SELECT coalesce(max(id), 0) AS last FROM ar_http_changes');
    return Number(rows[0].last);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
