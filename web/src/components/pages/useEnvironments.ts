import { useQuery } from '@tanstack/react-query';
import type { Environment } from '../../../../src/contracts/environments.ts';
import { get } from '../../api/client.ts';

/** Every environment (a short list: the API answers it whole), shared with the other pages. */
export function useEnvironments() {
  return useQuery({
    queryKey: ['environments'],
    queryFn: () => get<{ items: Environment[] }>('/environments'),
  });
}
