import type { Store } from '../../store/create-store.ts';
import { nameKeyOf } from '../../store/name-key.ts';
import type { ChangeFeed } from '../secrets/index.ts';
import { findVariableByName } from './variable.repo.ts';

// Names a running configuration references are few; the bound keeps made-up names (a typo in
// a template, called in a loop) from growing the cache without end.
const maxCachedNames = 10_000;

/**
 * Variable values in memory, by name: the first lookup of a name reads all its values (one
 * query), later ones none. "No such variable" is cached too. Every change this process
 * commits drops the whole cache (forget); invalidate() does the same for a change made by
 * another process and tells the listeners.
 */
export function createVariableCache(store: Store, feed: ChangeFeed) {
  /** name key → lower-cased environment id → value; null: no such variable */
  const byName = new Map<string, Map<string, string> | null>();
  // bumped on every drop: a read that began before a change must not cache what it read
  let generation = 0;

  return {
    async variableValue(name: string, environmentId: string): Promise<string | undefined> {
      const key = nameKeyOf(name);
      let values = byName.get(key);
      if (values === undefined) {
        const readIn = generation;
        const found = await findVariableByName(store.db, name);
        values = found
          ? new Map(Object.entries(found.values).map(([id, value]) => [id.toLowerCase(), value]))
          : null;
        if (readIn === generation) {
          if (byName.size >= maxCachedNames) byName.clear();
          byName.set(key, values);
        }
      }
      return values?.get(environmentId.toLowerCase());
    },

    forget(): void {
      generation += 1;
      byName.clear();
    },

    invalidate(): void {
      generation += 1;
      byName.clear();
      feed.emit({ kind: 'variable', name: '*', action: 'invalidate' });
    },
  };
}
