import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Environment } from '../../../../src/contracts/environments.ts';
import { get } from '../../api/client.ts';

/** Every environment (a short list: the API answers it whole), shared with the other pages. */
export function useEnvironments() {
  return useQuery({
    queryKey: ['environments'],
    queryFn: () => get<{ items: Environment[] }>('/environments'),
  });
}

/** An environment's name from a list at hand ("Production", not "production"); else the id. */
export function environmentName(environments: readonly Environment[], id: string): string {
  return environments.find((environment) => environment.id === id)?.name || id;
}

/**
 * An environment as people call it: `nameOf('development')` → "Development". Until the list has
 * arrived (or for an environment since deleted) it answers the id: never nothing.
 */
export function useEnvironmentNames(): (id: string) => string {
  const { data } = useEnvironments();
  return useCallback((id: string) => environmentName(data?.items ?? [], id), [data]);
}
