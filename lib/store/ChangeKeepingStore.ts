import { type Answer, type Change, etagOf, Listeners, type Mapping, type StoreListener, type WriteCondition } from './MappingStore';

/** Changes read at once when catching up. */
const pageSize = 1000;

/**
 * What the stores share: a put or a remove is one write, which the store applies as one change
 * (deciding with `makesChange` over the mapping it finds) and tells its listeners; a store that
 * other processes write too reads their changes after the last one heard, in order.
 */
export abstract class ChangeKeepingStore {
  protected readonly listeners = new Listeners();
  /** The last change the listeners heard. */
  protected lastSeen = 0;
  private reading: Promise<void> | undefined;
  private readAgain = false;

  /** Applies one write (`null`: remove): the change it made, or none when there was nothing to remove. */
  protected abstract write(
    assetPath: string,
    resolvedPath: string | null,
    condition: WriteCondition | undefined,
  ): Change | undefined | Promise<Change | undefined>;

  abstract changesAfter(id: number, limit: number): Promise<Change[]>;

  abstract resolveVersioned(assetPath: string): Answer | undefined | Promise<Answer | undefined>;

  /** The resolved path, or undefined: at once when the store can answer without waiting. */
  resolve(assetPath: string): string | undefined | Promise<string | undefined> {
    const found = this.resolveVersioned(assetPath);
    return found instanceof Promise ? found.then((answer) => answer?.resolvedPath) : found?.resolvedPath;
  }

  /** Adds or replaces; `created` tells which. */
  async put(assetPath: string, resolvedPath: string, condition?: WriteCondition): Promise<{ mapping: Mapping; created: boolean }> {
    const change = (await this.write(assetPath, resolvedPath, condition)) as Change;
    return {
      mapping: { assetPath, resolvedPath, etag: etagOf(change.id), updatedAt: change.at },
      created: change.oldResolvedPath === null,
    };
  }

  /** Removes; false when there was no such mapping (and no condition failed). */
  async remove(assetPath: string, condition?: WriteCondition): Promise<boolean> {
    return (await this.write(assetPath, null, condition)) !== undefined;
  }

  subscribe(listener: StoreListener): () => void {
    return this.listeners.add(listener);
  }

  /** The reading under way, if any: what is kept may be stale until it ends. */
  protected readingNow(): Promise<void> | undefined {
    return this.reading;
  }

  /**
   * Reads the changes after the last one heard (this process's and every other's) and tells the
   * listeners, in order; one reader at a time, and one more round when asked again meanwhile.
   */
  protected readChanges(): Promise<void> {
    if (this.reading !== undefined) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        let page: Change[];
        do {
          page = await this.changesAfter(this.lastSeen, pageSize);
          for (const change of page) {
            this.lastSeen = change.id;
            this.listeners.change(change);
          }
        } while (page.length === pageSize);
      } while (this.readAgain);
    })()
      .catch(() => {
        // The store is away: reading starts again on the next write, notification or check.
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
