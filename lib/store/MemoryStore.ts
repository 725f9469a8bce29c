import { createHash } from 'node:crypto';

import { ChangeKeepingStore } from './ChangeKeepingStore';
import {
  type Answer,
  answerAsOf,
  type Change,
  etagOf,
  historyLimit,
  makesChange,
  type Mapping,
  type MappingStore,
  readOnlyError,
  type Snapshot,
  type WriteCondition,
} from './MappingStore';
import { snapshotNumber } from './rows';

/**
 * The one snapshot of mappings that never change: `map-` and 20 hex digits of the SHA-256 of its
 * mappings (sorted), so that the same id names the same answers after a restart, and a map file
 * whose answers changed never answers for an old id. `created` is when this process made it.
 */
function contentSnapshot(map: ReadonlyMap<string, string>): Snapshot {
  const hash = createHash('sha256');
  for (const entry of [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${JSON.stringify(entry)}\n`);
  return { id: `map-${hash.digest('hex').slice(0, 20)}`, change: 0, label: null, created: new Date().toISOString() };
}

/**
 * Mappings in this process's memory: the read-only store of a JSON map file, or the writable one
 * of `createResolutionServer({ map })`, whose changes (and history) end with the process. A given
 * `Map` is used as it is: what the admin API writes, the caller's `Map` holds. While a server
 * serves the store, change it through the store, not the `Map`: the server keeps its answers
 * until the store says they changed. Its snapshots, as its history, end with the process; a
 * read-only store (a map file, the sample map) is one change and has one snapshot, named by its
 * content (see {@link contentSnapshot}).
 */
export class MemoryStore extends ChangeKeepingStore implements MappingStore {
  private readonly versions = new Map<string, { version: number; updatedAt: string }>();
  private readonly changes: Change[] = [];
  /** Each asset path's changes, oldest first. */
  private readonly changesOf = new Map<string, Change[]>();
  private readonly snapshots: Snapshot[] = [];

  private readonly fixedSnapshot: Snapshot | undefined;

  constructor(
    private readonly map: Map<string, string>,
    readonly description = 'memory',
    readonly readOnly = false,
  ) {
    super();
    this.fixedSnapshot = readOnly ? contentSnapshot(map) : undefined;
    if (this.fixedSnapshot !== undefined) this.snapshots.push(this.fixedSnapshot);
  }

  resolveVersioned(assetPath: string): Answer | undefined {
    const resolvedPath = this.map.get(assetPath);
    return resolvedPath === undefined ? undefined : { resolvedPath, version: this.versions.get(assetPath)?.version ?? 0 };
  }

  resolveAsOf(assetPath: string, change: number): Answer | undefined {
    const changes = this.changesOf.get(assetPath) ?? [];
    // The newest change at or before `change`: a binary search, the ids growing.
    let low = 0;
    let high = changes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (changes[middle].id <= change) low = middle + 1;
      else high = middle;
    }
    return answerAsOf(changes[low - 1], changes[0], this.resolveVersioned(assetPath));
  }

  async createSnapshot(label: string | null = null): Promise<Snapshot> {
    if (this.fixedSnapshot !== undefined) return this.fixedSnapshot;
    const snapshot = { id: String(this.snapshots.length + 1), change: this.changes.length, label, created: new Date().toISOString() };
    this.snapshots.push(snapshot);
    return snapshot;
  }

  async listSnapshots(): Promise<Snapshot[]> {
    return [...this.snapshots];
  }

  async getSnapshot(id: string): Promise<Snapshot | undefined> {
    if (this.fixedSnapshot !== undefined) return id === this.fixedSnapshot.id ? this.fixedSnapshot : undefined;
    const number = snapshotNumber(id);
    return number === undefined ? undefined : this.snapshots[number - 1];
  }

  private mapping(assetPath: string): Mapping | undefined {
    const resolvedPath = this.map.get(assetPath);
    if (resolvedPath === undefined) return undefined;
    const meta = this.versions.get(assetPath);
    return { assetPath, resolvedPath, etag: etagOf(meta?.version ?? 0), updatedAt: meta?.updatedAt ?? null };
  }

  async get(assetPath: string): Promise<Mapping | undefined> {
    return this.mapping(assetPath);
  }

  async list(): Promise<Mapping[]> {
    return [...this.map.keys()].map((assetPath) => this.mapping(assetPath) as Mapping);
  }

  protected write(assetPath: string, resolvedPath: string | null, condition: WriteCondition | undefined): Change | undefined {
    if (this.readOnly) throw readOnlyError(this.description);
    const current = this.mapping(assetPath);
    if (!makesChange(assetPath, current, resolvedPath, condition)) return undefined;
    const change: Change = {
      id: this.changes.length + 1,
      assetPath,
      oldResolvedPath: current?.resolvedPath ?? null,
      newResolvedPath: resolvedPath,
      at: new Date().toISOString(),
    };
    this.changes.push(change);
    const ofPath = this.changesOf.get(assetPath);
    if (ofPath === undefined) this.changesOf.set(assetPath, [change]);
    else ofPath.push(change);
    if (resolvedPath === null) {
      this.map.delete(assetPath);
      this.versions.delete(assetPath);
    } else {
      this.map.set(assetPath, resolvedPath);
      this.versions.set(assetPath, { version: change.id, updatedAt: change.at });
    }
    this.listeners.change(change);
    return change;
  }

  async history(assetPath: string, options: { limit?: number; before?: number } = {}): Promise<Change[]> {
    const before = options.before ?? Infinity;
    return this.changes
      .filter((change) => change.assetPath === assetPath && change.id < before)
      .reverse()
      .slice(0, historyLimit(options.limit));
  }

  async changesAfter(id: number, limit: number): Promise<Change[]> {
    return this.changes.slice(Math.max(id, 0), Math.max(id, 0) + limit);
  }

  async lastChangeId(): Promise<number> {
    return this.changes.length;
  }

  async close(): Promise<void> {}
}
