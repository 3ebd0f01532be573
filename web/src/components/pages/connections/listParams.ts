// The connections list's filters, search and sort, kept in the URL (?q=&scope=&environment=
// &state=&health=&sort=): Back and reload keep them and a link shares them, as the Deliveries
// page does. Changes replace the history entry, so Back leaves the list instead of stepping
// through every keystroke.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export type Health = 'ok' | 'degraded' | 'failing';
export type Sort = 'name' | 'updated';

export interface ListParams {
  /** the search as typed (trimmed when asked for) */
  q: string;
  /** all; global; project (every project's, no global); or `p:<project id>` with the global ones */
  scope: string;
  environment: string;
  /** '', 'true' or 'false' */
  enabled: string;
  health: '' | Health;
  sort: Sort;
}

const healths = new Set<string>(['ok', 'degraded', 'failing']);

/** What the URL says, with anything unknown read as its default. */
export function readListParams(params: URLSearchParams): ListParams {
  const enabled = params.get('state');
  const health = params.get('health') ?? '';
  return {
    q: params.get('q') ?? '',
    scope: params.get('scope') || 'all',
    environment: params.get('environment') ?? '',
    enabled: enabled === 'true' || enabled === 'false' ? enabled : '',
    health: healths.has(health) ? (health as Health) : '',
    sort: params.get('sort') === 'updated' ? 'updated' : 'name',
  };
}

const urlNames: Record<keyof ListParams, string> = {
  q: 'q',
  scope: 'scope',
  environment: 'environment',
  enabled: 'state',
  health: 'health',
  sort: 'sort',
};
const defaults: Partial<Record<keyof ListParams, string>> = { scope: 'all', sort: 'name' };

/** Whether anything narrows the list (the sort does not). */
export function isFiltered(list: ListParams): boolean {
  return Boolean(
    list.q.trim() || list.scope !== 'all' || list.environment || list.enabled || list.health,
  );
}

/** The list's parameters from the URL, and a setter that writes one back (defaults left out). */
export function useListParams(): [ListParams, (name: keyof ListParams, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (name: keyof ListParams, value: string) =>
      setParams(
        () => {
          // from the address bar, not the hook's params: the router renders a change as a
          // transition, so a second change made before it shows (the search box settling
          // just after a select changed) would otherwise start from the older URL and undo it
          const next = new URLSearchParams(window.location.search);
          if (value && value !== defaults[name]) next.set(urlNames[name], value);
          else next.delete(urlNames[name]);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [readListParams(params), set];
}
