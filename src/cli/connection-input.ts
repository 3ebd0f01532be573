// Which connection a command means, and the ConnectionIn body `connections create/update` send
// from flags or a -f document. The server validates everything; this only decides where each
// flag goes.
import type { Command } from 'commander';
import type { Connection, ConnectionInput, EnvironmentParams } from '../contracts/connections.ts';
import type { Header } from '../contracts/headers.ts';
import { UsageError, type OutputOptions } from './context.ts';

export interface RefOptions extends OutputOptions {
  /** when the connection is named: the project to look in */
  project?: string;
}

/** `/api/v1/connections/{id or name}{action}` */
export function connectionPath(ref: string, action = ''): string {
  return `/api/v1/connections/${encodeURIComponent(ref)}${action}`;
}

/** `<connection>` (id or name) and `--project`, for the commands that act on one connection. */
export function addConnectionRef(command: Command): Command {
  return command
    .argument('<connection>', 'connection id or name')
    .option('--project <project>', 'when naming the connection: the project it is in');
}

export interface ConnectionFlags {
  name?: string;
  description?: string;
  /** the environments that --method/--url/--header apply to (repeatable) */
  env?: string[];
  method?: string;
  url?: string;
  header?: string[];
  removeHeader?: string[];
  project?: string;
  global?: boolean;
  disabled?: boolean;
  critical?: boolean;
}

type EnvironmentInput = NonNullable<ConnectionInput['environments']>[string];

/** A connection's answer carries these; the API does not take them back. */
const readOnlyFields = [
  'id',
  'revision',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'warnings',
  'deployments',
] as const;

/** The method a new environment gets from flags when --method is left out. */
export const defaultMethod = 'POST';

/** `'Authorization: Bearer {{secret.T}}'` → `{name, value}`; split at the first colon. */
export function parseHeaderFlag(text: string): Header {
  const colon = text.indexOf(':');
  if (colon < 1) {
    throw new UsageError(`--header '${text}' must look like 'Name: value'`);
  }
  return { name: text.slice(0, colon).trim(), value: text.slice(colon + 1).trimStart() };
}

export function hasEditFlags(flags: ConnectionFlags): boolean {
  return (
    flags.name !== undefined ||
    flags.description !== undefined ||
    flags.method !== undefined ||
    flags.url !== undefined ||
    (flags.header?.length ?? 0) > 0 ||
    (flags.removeHeader?.length ?? 0) > 0 ||
    flags.critical !== undefined
  );
}

/**
 * A -f document as a ConnectionIn body: the read-only fields of a `get -o yaml` answer are
 * dropped, so a read → edit → update round trip works; its revision becomes If-Match.
 */
export function connectionFromDocument(document: Record<string, unknown>): {
  body: Record<string, unknown>;
  revision: number | undefined;
} {
  const body = Object.fromEntries(
    Object.entries(document).filter(
      ([key, value]) =>
        !(readOnlyFields as readonly string[]).includes(key) &&
        !(key === 'project' && value === null),
    ),
  );
  const revision = typeof document.revision === 'number' ? document.revision : undefined;
  return { body, revision };
}

/** `create` from flags. */
export function connectionFromFlags(flags: ConnectionFlags): ConnectionInput {
  if (flags.name === undefined) throw new UsageError('pass -f FILE, or --name NAME and flags');
  const environments: Record<string, EnvironmentInput> = {};
  for (const id of targetEnvironments(flags, [])) {
    environments[id] = editEnvironment(id, undefined, flags);
  }
  return {
    name: flags.name,
    description: flags.description,
    enabled: flags.disabled ? false : undefined,
    critical: flags.critical,
    project: flags.project,
    global: flags.global,
    environments,
  };
}

/** `update` from flags: the connection as read, with the named fields changed. */
export function applyFlags(current: Connection, flags: ConnectionFlags): ConnectionInput {
  const environments: Record<string, EnvironmentInput> = { ...current.environments };
  for (const id of targetEnvironments(flags, Object.keys(current.environments))) {
    environments[id] = editEnvironment(id, current.environments[id], flags);
  }
  return {
    name: flags.name ?? current.name,
    description: flags.description ?? current.description,
    enabled: current.enabled,
    critical: flags.critical ?? current.critical,
    project: current.project ?? undefined,
    global: current.global,
    environments,
  };
}

/** Which environments --method/--url/--header change: --env, or the only one there is. */
function targetEnvironments(flags: ConnectionFlags, existing: string[]): string[] {
  if (flags.env?.length) return flags.env;
  const scoped = [
    flags.method !== undefined && '--method',
    flags.url !== undefined && '--url',
    flags.header?.length && '--header',
    flags.removeHeader?.length && '--remove-header',
  ].filter(Boolean);
  if (scoped.length === 0) return [];
  if (existing.length === 1) return existing;
  const choices = existing.length ? ` (one of ${existing.join(', ')})` : '';
  const verb = scoped.length === 1 ? 'needs' : 'need';
  throw new UsageError(`${scoped.join(', ')} ${verb} --env ENVIRONMENT${choices}`);
}

function editEnvironment(
  id: string,
  current: EnvironmentParams | undefined,
  flags: ConnectionFlags,
): EnvironmentInput {
  let headers: Header[] = current?.headers ?? [];
  for (const name of flags.removeHeader ?? []) {
    headers = headers.filter((header) => header.name.toLowerCase() !== name.toLowerCase());
  }
  for (const header of (flags.header ?? []).map(parseHeaderFlag)) {
    const at = headers.findIndex((h) => h.name.toLowerCase() === header.name.toLowerCase());
    headers = at === -1 ? [...headers, header] : headers.with(at, header);
  }
  const method = flags.method?.toUpperCase() ?? current?.method ?? defaultMethod;
  const url = flags.url ?? current?.url;
  if (url === undefined) throw new UsageError(`environment ${id} is new here: pass --url URL`);
  return { ...current, method: method as EnvironmentParams['method'], url, headers };
}
