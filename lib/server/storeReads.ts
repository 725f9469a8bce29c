import type { Answer, MappingStore, Snapshot } from '../store/MappingStore';

/** What the kept answers hold at most, in UTF-16 code units of asset and resolved paths: the latest, and those as of snapshots. */
const maxKeptUnits = 32 * 1024 * 1024;
/** Snapshots kept by id, at most (they never change; an unknown id is asked of the store each time). */
const maxKeptSnapshots = 10_000;

/** Answers (found or not: null) kept up to a bound of code units, the oldest dropped first. */
class KeptAnswers {
  private readonly kept = new Map<string, Answer | null>();
  private units = 0;

  get(key: string): Answer | null | undefined {
    return this.kept.get(key);
  }

  has(key: string): boolean {
    return this.kept.has(key);
  }

  set(key: string, answer: Answer | undefined): void {
    this.units += key.length + (answer?.resolvedPath.length ?? 0);
    for (const oldest of this.kept.keys()) {
      if (this.units <= maxKeptUnits) break;
      this.delete(oldest);
    }
    this.kept.set(key, answer ?? null);
  }

  delete(key: string): void {
    const answer = this.kept.get(key);
    if (answer === undefined) return;
    this.units -= key.length + (answer?.resolvedPath.length ?? 0);
    this.kept.delete(key);
  }

  clear(): void {
    this.kept.clear();
    this.units = 0;
  }
}

/** `read`, the store's answer, kept under `key`: at once, or when it comes if it is still `fresh()`. */
function kept(
  answers: KeptAnswers,
  key: string,
  read: Answer | undefined | Promise<Answer | undefined>,
  fresh: () => boolean,
): Answer | undefined | Promise<Answer | undefined> {
  if (!(read instanceof Promise)) {
    answers.set(key, read);
    return read;
  }
  return read.then((value) => {
    if (fresh() && !answers.has(key)) answers.set(key, value);
    return value;
  });
}

/** The resolve routes' reads of a store: answers with the change that set them, latest or as of a change. */
export interface StoreReads {
  answer(assetPath: string, asOf?: number): Answer | undefined | Promise<Answer | undefined>;
  /** The snapshot of that id, or undefined when the store has none. */
  snapshot(id: string): Snapshot | undefined | Promise<Snapshot | undefined>;
  stop(): void;
}

/**
 * The resolve routes' reads of `store`. Latest answers (found or not) are kept, up to a bound,
 * and dropped when the store says their asset path changed (in this process, another process
 * writing the same SQLite file, or any PostgreSQL replica); a read under way when a change comes
 * is not kept, as it may hold the old answer. Answers as of a change are kept apart and never
 * dropped by changes: they cannot change.
 */
export function keptReads(store: MappingStore): StoreReads {
  const latest = new KeptAnswers();
  const asOf = new KeptAnswers();
  const snapshots = new Map<string, Snapshot>();
  let generation = 0;
  const stop = store.subscribe({
    change: (change) => {
      generation += 1;
      latest.delete(change.assetPath);
    },
    forget: (assetPath) => {
      generation += 1;
      if (assetPath === null) latest.clear();
      else latest.delete(assetPath);
    },
  });

  const answerLatest = (assetPath: string): Answer | undefined | Promise<Answer | undefined> => {
    // Another process's writes first: what is kept may be stale until they are heard.
    const catchingUp = store.catchUp?.();
    if (catchingUp !== undefined) return catchingUp.then(() => answerLatest(assetPath));
    const hit = latest.get(assetPath);
    if (hit !== undefined) return hit ?? undefined;
    const started = generation;
    return kept(latest, assetPath, store.resolveVersioned(assetPath), () => generation === started);
  };

  const answerAsOf = (assetPath: string, change: number): Answer | undefined | Promise<Answer | undefined> => {
    const key = `${change}\n${assetPath}`;
    const hit = asOf.get(key);
    if (hit !== undefined) return hit ?? undefined;
    return kept(asOf, key, store.resolveAsOf(assetPath, change), () => true);
  };

  const snapshot = (id: string): Snapshot | undefined | Promise<Snapshot | undefined> =>
    snapshots.get(id) ??
    store.getSnapshot(id).then((found) => {
      if (found !== undefined && snapshots.size < maxKeptSnapshots) snapshots.set(id, found);
      return found;
    });

  return {
    answer: (assetPath, change) => (change === undefined ? answerLatest(assetPath) : answerAsOf(assetPath, change)),
    snapshot,
    stop,
  };
}
