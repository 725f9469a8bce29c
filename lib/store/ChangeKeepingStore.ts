import { type Change, etagOf, Listeners, type Mapping, type StoreListener, type WriteCondition } from './MappingStore';

/**
 * What the stores share: a put or a remove is one write, which the store applies as one change
 * (deciding with `makesChange` over the mapping it finds) and tells its listeners.
 */
export abstract class ChangeKeepingStore {
  protected readonly listeners = new Listeners();

  /** Applies one write (`null`: remove): the change it made, or none when there was nothing to remove. */
  protected abstract write(
    assetPath: string,
    resolvedPath: string | null,
    condition: WriteCondition | undefined,
  ): Change | undefined | Promise<Change | undefined>;

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
}
