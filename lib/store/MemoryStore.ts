import { ChangeKeepingStore } from './ChangeKeepingStore';
import {
  type Change,
  etagOf,
  historyLimit,
  makesChange,
  type Mapping,
  type MappingStore,
  readOnlyError,
  type WriteCondition,
} from './MappingStore';

/**
 * Mappings in this process's memory: the read-only store of a JSON map file, or the writable one
 * of `createResolutionServer({ map })`, whose changes (and history) end with the process. A given
 * `Map` is used as it is: what the admin API writes, the caller's `Map` holds. While a server
 * serves the store, change it through the store, not the `Map`: the server keeps its answers
 * until the store says they changed.
 */
export class MemoryStore extends ChangeKeepingStore implements MappingStore {
  private readonly versions = new Map<string, { version: number; updatedAt: string }>();
  private readonly changes: Change[] = [];

  constructor(
    private readonly map: Map<string, string>,
    readonly description = 'memory',
    readonly readOnly = false,
  ) {
    super();
  }

  resolve(assetPath: string): string | undefined {
    return this.map.get(assetPath);
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
