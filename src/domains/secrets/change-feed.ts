import { createChangeFeed as createFeed } from '../named-resources/index.ts';

/** What changed: enough for a cache to know it is stale, never a value. */
export interface RuntimeValueChange {
  kind: 'secret' | 'variable';
  /** the name as stored; '*' when everything may have changed (invalidate()) */
  name: string;
  action: 'create' | 'update' | 'delete' | 'source-changed' | 'invalidate';
}

export type ChangeListener = (change: RuntimeValueChange) => void;

/**
 * Listeners and a version counter for values the dispatch engine caches (secrets,
 * variables). `version` grows by one on every change this process commits, so a cache may
 * also compare numbers instead of listening. Listeners run after the commit, never inside the
 * transaction; one that throws cannot turn a saved change into an error answer.
 */
export function createChangeFeed() {
  return createFeed<RuntimeValueChange>();
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
