// Never stale: the page reads the connection again while the editor is open (on focus, every
// 30 s). What the form does with a newer copy: a newer revision refills a clean form and, over
// unsaved changes, is told (to show what changed); the same revision with newer facts (a deploy
// elsewhere, enabled) only updates what the head shows.
import { useEffect, useRef } from 'react';
import type { Connection } from '../../../../src/contracts/connections.ts';

export function useServerChanges(options: {
  /** the server's copy, as last read */
  server: Connection | undefined;
  /** the revision the form started from */
  current: Connection | undefined;
  dirty: boolean;
  /** a newer revision and a clean form */
  onRefill(server: Connection): void;
  /** a newer revision over unsaved changes */
  onNewerUnderChanges(server: Connection): void;
  /** the same revision, read later */
  onSameRevision(server: Connection): void;
}): void {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const { server } = options;
  useEffect(() => {
    const { current, dirty, onRefill, onNewerUnderChanges, onSameRevision } = latest.current;
    if (!server || !current || server.id !== current.id) return;
    if (server.revision > current.revision) {
      if (dirty) onNewerUnderChanges(server);
      else onRefill(server);
    } else if (server.revision === current.revision && server.updatedAt >= current.updatedAt) {
      onSameRevision(server);
    }
  }, [server]);
}
