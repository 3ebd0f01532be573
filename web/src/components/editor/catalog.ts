// What the editor reads besides the connection: environments, projects, the references a
// template can name, TLS material and header suggestions. One list each, cached by react-query;
// these sets are small (hundreds at most), so one page of 500 is the whole list.
import { useQuery } from '@tanstack/react-query';
import type { Certificate } from '../../../../src/contracts/certificates.ts';
import type { Environment } from '../../../../src/contracts/environments.ts';
import type {
  HeaderNameSuggestion,
  HeaderValueSuggestion,
} from '../../../../src/contracts/http-headers.ts';
import type { KeyStore } from '../../../../src/contracts/keystores.ts';
import type { Project } from '../../../../src/contracts/projects.ts';
import type { Secret } from '../../../../src/contracts/secrets.ts';
import type { Variable } from '../../../../src/contracts/variables.ts';
import { get } from '../../api/client.ts';
import { headerTokenPattern } from './checks.ts';

interface List<T> {
  items: T[];
  next: string | null;
}

const whole = { limit: 500 };

export function useEnvironments() {
  return useQuery({
    queryKey: ['environments'],
    queryFn: () => get<List<Environment>>('/environments'),
  });
}

export function useProjects(enabled: boolean) {
  return useQuery({
    queryKey: ['projects'],
    queryFn: () => get<List<Project>>('/projects'),
    enabled,
  });
}

export function useVariables(enabled = true) {
  return useQuery({
    queryKey: ['variables', whole],
    queryFn: () => get<List<Variable>>('/variables', whole),
    enabled,
  });
}

export function useSecrets(enabled = true) {
  return useQuery({
    queryKey: ['secrets', whole],
    queryFn: () => get<List<Secret>>('/secrets', whole),
    enabled,
  });
}

export function useCertificates(enabled = true) {
  return useQuery({
    queryKey: ['certificates', whole],
    queryFn: () => get<List<Certificate>>('/certificates', whole),
    enabled,
  });
}

export function useKeyStores(enabled = true) {
  return useQuery({
    queryKey: ['keystores', whole],
    queryFn: () => get<List<KeyStore>>('/keystores', whole),
    enabled,
  });
}

/** Every suggested header name at once: a <datalist> filters them as the user types. */
export function useHeaderNames() {
  return useQuery({
    queryKey: ['http-headers', 'names'],
    queryFn: () => get<List<HeaderNameSuggestion>>('/http-headers', whole),
    staleTime: Infinity,
  });
}

/** Typical values of one header (none for a name that is not a header token). */
export function useHeaderValues(name: string) {
  const key = name.trim().toLowerCase();
  return useQuery({
    queryKey: ['http-headers', 'values', key],
    queryFn: () =>
      get<List<HeaderValueSuggestion>>(`/http-headers/${encodeURIComponent(key)}/values`),
    enabled: key !== '' && headerTokenPattern.test(key),
    staleTime: Infinity,
  });
}
