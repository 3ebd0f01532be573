import type { Warning } from '../../contracts/common.ts';
import { AppError, type Problem } from '../../core/errors.ts';
import type { Db } from '../../store/create-store.ts';
import type { EnvironmentService } from '../environments/index.ts';

/**
 * Environment ids as given → as stored, with a problem at `values.<id>` for each unknown
 * one and each that names an environment twice (ids ignore case). Like connections check
 * their environments.
 */
export async function canonicalEnvironments(
  db: Db,
  environments: EnvironmentService,
  keys: readonly string[],
): Promise<{ ids: Map<string, string>; problems: Problem[] }> {
  const ids = new Map<string, string>();
  const givenAs = new Map<string, string>();
  const problems: Problem[] = [];
  for (const key of keys) {
    const environment = await findEnvironment(db, environments, key);
    if (!environment) {
      problems.push({ path: `values.${key}`, message: `unknown environment '${key}'` });
      continue;
    }
    const earlier = givenAs.get(environment);
    if (earlier !== undefined) {
      problems.push({
        path: `values.${key}`,
        message: `'${key}' and '${earlier}' are the same environment (ids ignore case)`,
      });
      continue;
    }
    givenAs.set(environment, key);
    ids.set(key, environment);
  }
  return { ids, problems };
}

async function findEnvironment(
  db: Db,
  environments: EnvironmentService,
  id: string,
): Promise<string | undefined> {
  try {
    return (await environments.get(id, db)).id;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

// Names that announce a credential: such a value belongs in a secret, which no reader sees.
const credentialName =
  /(secret|token|passw(or)?d|api[_.-]?key|private[_.-]?key|credential|bearer)/i;

/** Saved anyway, but the user should know: variables are readable by anyone who can read. */
export function variableWarnings(name: string, values: Record<string, string>): Warning[] {
  if (!credentialName.test(name) || Object.values(values).every((value) => value === '')) return [];
  return [
    {
      code: 'LIKELY_SECRET',
      path: 'name',
      message: `'${name}' looks like a credential: variable values are shown to every reader and in audit records; store it as a secret and use {{secret.${name}}}`,
    },
  ];
}
