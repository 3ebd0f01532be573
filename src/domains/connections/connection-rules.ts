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
export function parseConnectionInput(value: unknown): ConnectionIn {
  const result = connectionIn.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(problemsOf(result.error));
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
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const environments: Record<string, EnvironmentParams> = {};
  const givenAs = new Map<string, string>();

  const keys = Object.keys(input.environments);
  if (keys.length === 0) {
    problems.push({ path: 'environments', message: 'at least one environment is required' });
  }
  for (const key of keys) {
    const params = input.environments[key] as EnvironmentParams;
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
    environments[environment.id] = params;
    if (environment.kind === 'production' && !params.tls.verify) {
      problems.push({
        path: `environments.${key}.tls.verify`,
        message: 'TLS verification cannot be turned off in a production environment',
      });
    }
    warnings.push(...warningsFor(environment, params));
  }

  let projectId: string | null = null;
  if (!input.global) {
    const project = await findOrUndefined(() => deps.projects.get(input.project, db));
    if (project) projectId = project.id;
    else problems.push({ path: 'project', message: 'unknown project' });
  }

  if (problems.length > 0) throw validationFailed(problems);
  return {
    spec: {
      name: input.name,
      description: input.description,
      critical: input.critical,
      environments,
    },
    projectId,
    enabled: input.enabled,
    warnings,
  };
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
