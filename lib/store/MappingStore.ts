import { ArHttpError, ErrorCodes } from '../errors';

/** One mapping as a store keeps it. */
export interface Mapping {
  assetPath: string;
  resolvedPath: string;
  /** A strong entity tag, `"<version>"`: the number of the change that last wrote it. */
  etag: string;
  /** When it was last written (ISO 8601), or `null` for a mapping loaded from a map file. */
  updatedAt: string | null;
}

/** One change a store applied: every write is kept, nothing overwritten is lost. */
export interface Change {
  /** Counts up from 1, in the order the store applied the changes (the change feed's event id). */
  id: number;
  assetPath: string;
  /** `null`: the mapping was added. */
  oldResolvedPath: string | null;
  /** `null`: the mapping was removed. */
  newResolvedPath: string | null;
  /** ISO 8601. */
  at: string;
}

/** An answer and the number of the change that set it (0: loaded from a map file, never changed since). */
export interface Answer {
  resolvedPath: string;
  version: number;
}

/** A change of a store, named: resolving as of it answers what the latest resolution answered right after it. */
export interface Snapshot {
  /** 1 to 128 characters of `[A-Za-z0-9._-]` (the SQL stores count in decimal). */
  id: string;
  /** The number of the last change it holds (0: none). */
  change: number;
  label: string | null;
  /** ISO 8601. */
  created: string;
}

/** A write's precondition, from `If-Match` and `If-None-Match` (strong comparison). */
export interface WriteCondition {
  /** The mapping must exist (`'*'`) or have one of these entity tags. */
  ifMatch?: '*' | readonly string[];
  /** The mapping must not exist (`'*'`) or have none of these entity tags. */
  ifNoneMatch?: '*' | readonly string[];
}

/** Told of a store's changes, in order, from this process and (PostgreSQL) every other replica. */
export interface StoreListener {
  change?(change: Change): void;
  /**
   * What is kept about `assetPath` (or, for `null`, about every asset path) may be stale:
   * called before the changes themselves are read, and when changes may have been missed.
   */
  forget?(assetPath: string | null): void;
}

/**
 * Where a resolution server keeps its mappings: a JSON map file (read-only), memory, SQLite or
 * PostgreSQL. Writes are applied one at a time, each kept as a {@link Change}.
 */
export interface MappingStore {
  /** `json:FILE`, `memory`, `sqlite:FILE` or `postgres://host/db` (no password): for messages. */
  readonly description: string;
  readonly readOnly: boolean;
  /** The resolved path, or undefined: at once when the store can answer without waiting. */
  resolve(assetPath: string): string | undefined | Promise<string | undefined>;
  /** The latest answer with the change that set it: at once when the store can answer without waiting. */
  resolveVersioned(assetPath: string): Answer | undefined | Promise<Answer | undefined>;
  /** The answer as of change `change` (see {@link answerAsOf}), with the change that set it. */
  resolveAsOf(assetPath: string, change: number): Answer | undefined | Promise<Answer | undefined>;
  get(assetPath: string): Promise<Mapping | undefined>;
  list(): Promise<Mapping[]>;
  /** Adds or replaces; `created` tells which. */
  put(assetPath: string, resolvedPath: string, condition?: WriteCondition): Promise<{ mapping: Mapping; created: boolean }>;
  /** Removes; false when there was no such mapping (and no condition failed). */
  remove(assetPath: string, condition?: WriteCondition): Promise<boolean>;
  /** The changes of one asset path, newest first: at most `limit`, older than change `before`. */
  history(assetPath: string, options?: { limit?: number; before?: number }): Promise<Change[]>;
  /** The changes after change `id`, oldest first, at most `limit`. */
  changesAfter(id: number, limit: number): Promise<Change[]>;
  /** The number of the last change (0 when none). */
  lastChangeId(): Promise<number>;
  /** Names the current change (the last one applied) as a snapshot. */
  createSnapshot(label?: string | null): Promise<Snapshot>;
  /** Every snapshot, oldest first. */
  listSnapshots(): Promise<Snapshot[]>;
  getSnapshot(id: string): Promise<Snapshot | undefined>;
  subscribe(listener: StoreListener): () => void;
  /**
   * Whether another process wrote since the listeners last heard (a cheap check): then the
   * promise of their hearing it, else undefined. Stores only this process writes have none.
   */
  catchUp?(): Promise<void> | undefined;
  close(): Promise<void>;
}

export const etagOf = (version: number): string => `"${version}"`;

const holds = (tags: '*' | readonly string[], etag: string): boolean => tags === '*' || tags.includes(etag);

/**
 * Whether writing `resolvedPath` (`null`: removing) over `current`, the mapping a store found
 * inside its write, makes a change: removing what is not there does not. Throws
 * PRECONDITION_FAILED unless `condition` holds (RFC 9110's rules for `If-Match` and `If-None-Match`).
 */
export function makesChange(
  assetPath: string,
  current: Mapping | undefined,
  resolvedPath: string | null,
  condition: WriteCondition = {},
): boolean {
  const { ifMatch, ifNoneMatch } = condition;
  if (ifMatch !== undefined && (current === undefined || !holds(ifMatch, current.etag))) {
    throw new ArHttpError(
      ErrorCodes.PRECONDITION_FAILED,
      current === undefined
        ? `no mapping for ${JSON.stringify(assetPath)} (If-Match)`
        : `the mapping for ${JSON.stringify(assetPath)} changed: its ETag is ${current.etag} (If-Match)`,
    );
  }
  if (ifNoneMatch !== undefined && current !== undefined && holds(ifNoneMatch, current.etag)) {
    throw new ArHttpError(ErrorCodes.PRECONDITION_FAILED, `a mapping for ${JSON.stringify(assetPath)} exists, ETag ${current.etag} (If-None-Match)`);
  }
  return current !== undefined || resolvedPath !== null;
}

export function readOnlyError(description: string): ArHttpError {
  return new ArHttpError(ErrorCodes.STORE_READ_ONLY, `the store ${description} is read-only: serve a writable one (--store sqlite:FILE or postgres://...)`);
}

/** Calls a store's listeners; one that throws does not keep the others from hearing. */
export class Listeners {
  private readonly listeners = new Set<StoreListener>();

  add(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  change(change: Change): void {
    for (const listener of this.listeners) {
      try {
        listener.change?.(change);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  forget(assetPath: string | null): void {
    for (const listener of this.listeners) {
      try {
        listener.forget?.(assetPath);
      } catch {
        // As above.
      }
    }
  }
}

/**
 * The answer as of a change, from what a store found of the asset path: the newest change of it
 * at or before that change (`atOrBefore`), else its first change (`first`, all of them later:
 * the value before it), else its `current` mapping (it never changed).
 */
export function answerAsOf(
  atOrBefore: Pick<Change, 'id' | 'newResolvedPath'> | undefined,
  first: Pick<Change, 'oldResolvedPath'> | undefined,
  current: Answer | undefined,
): Answer | undefined {
  if (atOrBefore !== undefined) return atOrBefore.newResolvedPath === null ? undefined : { resolvedPath: atOrBefore.newResolvedPath, version: atOrBefore.id };
  if (first !== undefined) return first.oldResolvedPath === null ? undefined : { resolvedPath: first.oldResolvedPath, version: 0 };
  return current;
}

/** The history query's limit: 1 to 1,000, default 100. */
export const historyLimit = (limit: number | undefined): number => Math.min(Math.max(Math.trunc(limit ?? 100), 1), 1000);
