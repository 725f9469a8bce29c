import type { MappingStore } from '../store/MappingStore';
import type { ResolveFunction } from './resolutionRoutes';

/** What the kept answers hold at most, in UTF-16 code units of asset and resolved paths. */
const maxKeptUnits = 32 * 1024 * 1024;

/**
 * The resolve routes' reads of `store`: answers (found or not) are kept, up to a bound, and
 * dropped when the store says their asset path changed (in this process or, for PostgreSQL, on
 * any replica). A read under way when a change comes is not kept: it may hold the old answer.
 */
export function keptReads(store: MappingStore): { resolve: ResolveFunction; stop: () => void } {
  const kept = new Map<string, string | null>();
  let units = 0;
  let generation = 0;
  const drop = (assetPath: string): void => {
    const value = kept.get(assetPath);
    if (value === undefined) return;
    units -= assetPath.length + (value?.length ?? 0);
    kept.delete(assetPath);
  };
  const stop = store.subscribe({
    change: (change) => {
      generation += 1;
      drop(change.assetPath);
    },
    forget: (assetPath) => {
      generation += 1;
      if (assetPath !== null) return drop(assetPath);
      kept.clear();
      units = 0;
    },
  });
  const keep = (assetPath: string, value: string | undefined): void => {
    units += assetPath.length + (value?.length ?? 0);
    // The oldest go first.
    for (const oldest of kept.keys()) {
      if (units <= maxKeptUnits) break;
      drop(oldest);
    }
    kept.set(assetPath, value ?? null);
  };
  const resolve: ResolveFunction = (assetPath) => {
    const hit = kept.get(assetPath);
    if (hit !== undefined) return hit;
    const started = generation;
    const answer = store.resolve(assetPath);
    if (!(answer instanceof Promise)) {
      keep(assetPath, answer);
      return answer;
    }
    return answer.then((value) => {
      if (generation === started && !kept.has(assetPath)) keep(assetPath, value);
      return value;
    });
  };
  return { resolve, stop };
}
