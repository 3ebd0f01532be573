import { useQuery } from '@tanstack/react-query';
import type { Revision, RevisionSummary } from '../../../../../src/contracts/connections.ts';
import { get } from '../../../api/client.ts';

/** One revision of a connection (cached for good: a revision never changes). */
export function useRevision(connectionId: string, revision: number | null | undefined) {
  return useQuery({
    queryKey: ['connections', 'revision', connectionId, revision],
    queryFn: () => get<Revision>(`/connections/${connectionId}/revisions/${revision}`),
    enabled: revision !== undefined && revision !== null,
    staleTime: Infinity,
  });
}

/**
 * The newest revisions (up to 100), for choosing one to deploy: older ones than that are
 * rarely wanted and the Revisions section pages through them all.
 */
export function useRevisionChoices(connectionId: string) {
  return useQuery({
    queryKey: ['connections', 'revisions', 'choices', connectionId],
    queryFn: () =>
      get<{ items: RevisionSummary[] }>(`/connections/${connectionId}/revisions`, { limit: 100 }),
  });
}
