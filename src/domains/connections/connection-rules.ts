import type { z } from 'zod';
import type { Warning } from '../../contracts/common.ts';
import {
  connectionIn,
  type ConnectionIn,
  type ConnectionSpec,
  type EnvironmentParams,
} from '../../contracts/connections.ts';
import type { Environment } from '../../contracts/environments.ts';
import { AppError, formatPath, validationFailed, type Problem } from '../../core/errors.ts';
import type { Db } from '../../store/create-store.ts';
import { maskSecrets } from '../audit/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import type { ProjectService } from '../projects/index.ts';

export interface RulesDeps {
  environments: EnvironmentService;
  projects: ProjectService;
  /**
   * Whether a certificate or key store a connection's `tls` names exists (by id or name).
   * Without it (tests of this domain alone) the names are not checked at save time; the
   * runtime still refuses a missing one with TLS_FAILED.
   */
  tlsMaterial?: TlsMaterialLookup;
}

/** Read through `db`: the save's own transaction (another connection would wait for it). */
export interface TlsMaterialLookup {
  hasCertificate(idOrName: string, db: Db): Promise<boolean>;
  hasKeyStore(idOrName: string, db: Db): Promise<boolean>;
}

/** A connection that passed every rule, with environment and project ids made canonical. */
export interface CheckedConnection {
  spec: ConnectionSpec;
  /** null: global */
  projectId: string | null;
  enabled: boolean;
  /** saved anyway, but the user should know */
  warnings: Warning[];
}

/**
 * Parses a representation the route could not validate itself (a merged PATCH, an old
 * revision) with the same schema as POST/PUT, and the same problem paths.
 */
export async function parseConnectionInput(
  db: Db,
  deps: RulesDeps,
  value: unknown,
): Promise<ConnectionIn> {
  const result = connectionIn.safeParse(value);
  if (result.success) return result.data;
  throw await explainRefusal(db, deps, value, validationFailed(problemsOf(result.error)));
}

function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath([...issue.path, key]),
          message: `unknown field '${key}'`,
        }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/**
 * The rules the schema cannot check because they need the store: environments and the
 * project exist, TLS verification stays on in production-kind environments. Every problem is
 * collected before anything is written; warnings (plain http in production, literal
 * credentials in headers) do not stop the save.
 */
export async function checkConnectionRules(
  db: Db,
  deps: RulesDeps,
  input: ConnectionIn,
): Promise<CheckedConnection> {
  const found = await checkReferences(db, deps, input);
  if (found.problems.length > 0) throw validationFailed(found.problems);
  const environments: Record<string, EnvironmentParams> = {};
  const warnings: Warning[] = [];
  for (const [key, environment] of found.environments) {
    const params = input.environments[key] as EnvironmentParams;
    environments[environment.id] = params;
    warnings.push(...warningsFor(environment, params));
  }
  return {
    spec: {
      name: input.name,
      description: input.description,
      critical: input.critical,
      environments,
    },
    projectId: found.projectId,
    enabled: input.enabled,
    warnings,
  };
}

/**
 * A body the schema refused may also name an unknown environment or project: report those
 * with the schema's problems, so the user fixes everything in one round trip. `raw` is the
 * body as sent (or a merged patch); only its parts the store checks need are read, loosely.
 */
export async function explainRefusal(
  db: Db,
  deps: RulesDeps,
  raw: unknown,
  refusal: AppError,
): Promise<AppError> {
  if (!isRecord(raw)) return refusal;
  const schemaProblems = (refusal.details?.problems ?? []) as Problem[];
  const found = await checkReferences(db, deps, {
    environments: isRecord(raw.environments) ? raw.environments : {},
    global: raw.global === true,
    project:
      typeof raw.project === 'string'
        ? raw.project
        : raw.project === undefined
          ? 'default'
          : undefined,
  });
  const reported = new Set(schemaProblems.map((problem) => problem.path));
  const added = found.problems.filter((problem) => !reported.has(problem.path));
  return added.length > 0 ? validationFailed([...schemaProblems, ...added]) : refusal;
}

interface References {
  /** environment key as given → the environment it names */
  environments: Map<string, Environment>;
  projectId: string | null;
  problems: Problem[];
}

/** Environments and project looked up in the store, with every problem found on the way. */
async function checkReferences(
  db: Db,
  deps: RulesDeps,
  input: {
    environments: Record<string, unknown>;
    global: boolean;
    /** undefined: not a valid project reference, the schema reports it */
    project: string | undefined;
  },
): Promise<References> {
  const problems: Problem[] = [];
  const environments = new Map<string, Environment>();
  const givenAs = new Map<string, string>();

  const keys = Object.keys(input.environments);
  if (keys.length === 0) {
    problems.push({ path: 'environments', message: 'at least one environment is required' });
  }
  for (const key of keys) {
    const environment = await findOrUndefined(() => deps.environments.get(key, db));
    if (!environment) {
      problems.push({ path: `environments.${key}`, message: `unknown environment '${key}'` });
      continue;
    }
    const earlier = givenAs.get(environment.id);
    if (earlier !== undefined) {
      problems.push({
        path: `environments.${key}`,
        message: `'${key}' and '${earlier}' are the same environment (ids ignore case)`,
      });
      continue;
    }
    givenAs.set(environment.id, key);
    environments.set(key, environment);
    const params = input.environments[key];
    if (environment.kind === 'production' && tlsVerifyOf(params) === false) {
      problems.push({
        path: `environments.${key}.tls.verify`,
        message: 'TLS verification cannot be turned off in a production environment',
      });
    }
    if (deps.tlsMaterial) {
      problems.push(...(await checkTlsMaterial(db, deps.tlsMaterial, key, params)));
    }
  }

  let projectId: string | null = null;
  if (!input.global && input.project !== undefined) {
    const project = await findOrUndefined(() => deps.projects.get(input.project as string, db));
    if (project) projectId = project.id;
    else problems.push({ path: 'project', message: 'unknown project' });
  }
  return { environments, projectId, problems };
}

/**
 * The certificates and key store an environment's `tls` names must exist: a typo would
 * otherwise only show as TLS_FAILED on the first call. Read loosely (the schema may have
 * refused the body: what is not a name is the schema's to report).
 */
async function checkTlsMaterial(
  db: Db,
  lookup: TlsMaterialLookup,
  key: string,
  params: unknown,
): Promise<Problem[]> {
  const tls = isRecord(params) && isRecord(params.tls) ? params.tls : undefined;
  if (!tls) return [];
  const problems: Problem[] = [];
  if (Array.isArray(tls.caCertificates)) {
    for (const [index, name] of tls.caCertificates.entries()) {
      if (typeof name === 'string' && name !== '' && !(await lookup.hasCertificate(name, db))) {
        problems.push({
          path: `environments.${key}.tls.caCertificates[${index}]`,
          message: `unknown certificate '${name}' (add it under /api/v1/certificates first)`,
        });
      }
    }
  }
  if (typeof tls.keyStore === 'string' && tls.keyStore !== '') {
    if (!(await lookup.hasKeyStore(tls.keyStore, db))) {
      problems.push({
        path: `environments.${key}.tls.keyStore`,
        message: `unknown key store '${tls.keyStore}' (add it under /api/v1/keystores first)`,
      });
    }
  }
  return problems;
}

function tlsVerifyOf(params: unknown): unknown {
  return isRecord(params) && isRecord(params.tls) ? params.tls.verify : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function warningsFor(environment: Environment, params: EnvironmentParams): Warning[] {
  const warnings: Warning[] = [];
  const at = `environments.${environment.id}`;
  if (environment.kind === 'production' && /^http:\/\//i.test(params.url)) {
    warnings.push({
      code: 'INSECURE_URL',
      path: `${at}.url`,
      message: `plain http:// in production environment '${environment.id}': requests and their headers travel unencrypted; use https://`,
    });
  }
  params.headers.forEach((header, index) => {
    // a value the audit log would mask is a literal credential (contracts/headers.ts decides
    // which names are sensitive; a pure {{secret.NAME}} reference is kept)
    const masked = maskSecrets({ headers: [header] }) as { headers: Array<{ value: string }> };
    if (masked.headers[0]?.value !== header.value) {
      warnings.push({
        code: 'LITERAL_CREDENTIAL',
        path: `${at}.headers[${index}].value`,
        message: `header '${header.name}' holds a literal credential; store it as a secret and use {{secret.NAME}}`,
      });
    }
  });
  return warnings;
}

async function findOrUndefined<T>(find: () => Promise<T>): Promise<T | undefined> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}
