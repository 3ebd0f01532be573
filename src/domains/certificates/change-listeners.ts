import { createChangeFeed } from '../named-resources/index.ts';

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
  return createChangeFeed<TlsObjectChange>();
}

export type TlsChangeListeners = ReturnType<typeof createTlsChangeListeners>;
