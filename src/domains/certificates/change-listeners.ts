/** What changed, for a cache of TLS material: never the material. */
export interface TlsObjectChange {
  kind: 'certificate' | 'keystore';
  name: string;
  action: 'create' | 'update' | 'delete';
}

export type TlsChangeListener = (change: TlsObjectChange) => void;

/**
 * Listeners told after a certificate or key store change commits, so the dispatch engine can
 * prepare its targets (and their TLS contexts) again. A listener that throws cannot turn a
 * saved change into an error answer.
 */
export function createTlsChangeListeners() {
  const listeners = new Set<TlsChangeListener>();
  return {
    /** Calls `listener` after every committed change; answers the function that stops it. */
    onChange(listener: TlsChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(change: TlsObjectChange): void {
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

export type TlsChangeListeners = ReturnType<typeof createTlsChangeListeners>;
