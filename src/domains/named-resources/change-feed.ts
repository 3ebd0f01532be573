/**
 * Listeners and a version counter for changes a cache must hear of (secrets, variables,
 * certificates, key stores). `version` grows by one on every change this process commits, so
 * a cache may also compare numbers instead of listening. Listeners run after the commit, never
 * inside the transaction; one that throws cannot turn a saved change into an error answer.
 */
export function createChangeFeed<C extends { kind: string }>() {
  const listeners = new Set<(change: C) => void>();
  let version = 0;
  return {
    version: () => version,
    /** Calls `listener` after every change; answers the function that stops it. */
    onChange(listener: (change: C) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(change: C): void {
      version += 1;
      for (const listener of listeners) {
        try {
          listener(change);
        } catch (error) {
          process.emitWarning(
            `a ${change.kind} change listener failed: ${(error as Error).message}`,
            'HooklineChangeListener',
          );
        }
      }
    },
  };
}
