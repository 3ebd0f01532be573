// Lists the API pages with a cursor: `{items, next}`, `next` passed back as `?cursor=`.
import {
  useInfiniteQuery,
  type UseInfiniteQueryResult,
  type InfiniteData,
} from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Query } from '../../../../src/client/http-api.ts';
import { get } from '../../api/client.ts';
import { ErrorNote } from '../ErrorNote.tsx';

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type CursorList<T> = UseInfiniteQueryResult<InfiniteData<Page<T>>, Error>;

/** One list of `path` with `query`, a page at a time; `key` names it for invalidation. */
export function useCursorList<T>(
  key: readonly unknown[],
  path: string,
  query: Query,
  options: { enabled?: boolean; refetchIntervalMs?: number } = {},
): { list: CursorList<T>; rows: T[] } {
  const list = useInfiniteQuery({
    queryKey: [...key, path, query],
    queryFn: ({ pageParam }) => get<Page<T>>(path, { ...query, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchIntervalMs,
  });
  const rows = (list.data?.pages ?? []).flatMap((page) => page.items);
  return { list, rows };
}

/**
 * What goes under a list: its error, "Loading…", the empty state, or "Load more" while the
 * API says there is a next page.
 */
export function ListFooter<T>({
  list,
  count,
  empty,
}: {
  list: CursorList<T>;
  count: number;
  empty: ReactNode;
}) {
  return (
    <>
      {list.error && <ErrorNote error={list.error} />}
      {list.isPending && list.fetchStatus !== 'idle' && (
        <p className="loading" aria-live="polite">
          Loading…
        </p>
      )}
      {list.isSuccess && count === 0 && <p className="empty">{empty}</p>}
      {list.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
