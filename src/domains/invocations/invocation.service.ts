import type { Clock } from '../../core/clock.ts';
import { AppError, validationFailed } from '../../core/errors.ts';
import type { Warning } from '../../contracts/common.ts';
import type { EnvironmentParams } from '../../contracts/connections.ts';
import type {
  DraftTestIn,
  InvokeIn,
  InvokeResult,
  TestIn,
  TestResult,
} from '../../contracts/invoke.ts';
import { buildCurlCommand, placeholdersOf } from '../../contracts/curl-command.ts';
import type { DeployedRequestOut } from '../../contracts/deployed-request.ts';
import type { CallInput, DeployedTarget, DispatchEngine } from '../../dispatch/engine/index.ts';
import type { Health } from '../../dispatch/engine/index.ts';
import type { ConnectionService } from '../connections/index.ts';
import type { EnvironmentService } from '../environments/index.ts';

/** The deployed revision of a connection in an environment (the deployments domain). */
export interface DeployedConnection {
  connectionId: string;
  name: string;
  /** the project id; null: a global connection */
  project: string | null;
  enabled: boolean;
  revision: number;
  params: EnvironmentParams;
  /** the values of its {{var.*}} pinned when it was deployed */
  pinnedVariables: Readonly<Record<string, string | null>>;
}

export interface InvocationServiceDeps {
  engine: DispatchEngine;
  clock: Clock;
  connections: ConnectionService;
  environments: EnvironmentService;
  /** the delivery circuit of a connection in an environment (closed when unknown) */
  circuitState?: (connectionId: string, environmentId: string) => 'closed' | 'open' | 'half_open';
  /** throws NOT_FOUND or CONNECTION_NOT_DEPLOYED */
  getDeployed(
    idOrName: string,
    environmentId: string,
    options: { project?: string },
  ): Promise<DeployedConnection>;
}

/** A target certificate expiring within this many days is warned about (as for our own). */
const certificateWarningDays = 30;

/**
 * Invoke and Test Connection (DESIGN §2): find what to call, refuse what may not be called,
 * hand the rest to the dispatch engine. A target that answers badly is a 200 with its
 * outcome; only a call that cannot be made at all is an API error.
 */
export function createInvocationService(deps: InvocationServiceDeps) {
  const { engine } = deps;
  /**
   * What an invoke resolves before it can send — the environment's id and the deployed
   * revision — kept in memory: reading them took six store queries per call (bench/
   * dispatch.ts). `invalidate()` drops both on any deployment or environment change.
   */
  const environmentIds = new Map<string, string>();
  /**
   * One DeployedTarget object per deployed revision and environment, the same object on every
   * call: the engine finds its prepared pool by that object, without building a key.
   */
  const deployedTargets = new Map<string, Promise<DeployedTarget>>();
  /** the same, once resolved: an invoke then awaits nothing before the engine */
  const resolvedTargets = new Map<string, DeployedTarget>();
  /** bumped by invalidate(): a lookup that started before must not fill the caches */
  let generation = 0;
  const maxCachedTargets = 10_000;

  const targetKey = (idOrName: string, environmentId: string, project: string | undefined) =>
    `${idOrName}\u0000${environmentId}\u0000${project ?? ''}`;

  function deployedOf(
    idOrName: string,
    environmentId: string,
    options: { project?: string },
  ): Promise<DeployedTarget> {
    const key = targetKey(idOrName, environmentId, options.project);
    let found = deployedTargets.get(key);
    if (!found) {
      if (deployedTargets.size >= maxCachedTargets) {
        deployedTargets.clear();
        resolvedTargets.clear();
      }
      const startedIn = generation;
      found = deps.getDeployed(idOrName, environmentId, options).then((deployed) => {
        const target: DeployedTarget = { ...deployed, environmentId };
        if (startedIn === generation) resolvedTargets.set(key, target);
        return target;
      });
      deployedTargets.set(key, found);
      // refusals (not deployed, not found) are not kept: the next call asks again
      found.catch(() => {
        if (deployedTargets.get(key) === found) deployedTargets.delete(key);
      });
    }
    return found;
  }

  /** A draft's paths are answered relative to the request body: `connection.…`. */
  function inDraft(path: string): string {
    return path === '' ? 'connection' : `connection.${path}`;
  }

  /** The save rules on a draft, every problem at its path in the request body. */
  async function checkDraftWithPaths(connection: DraftTestIn['connection']) {
    try {
      return await deps.connections.checkDraft(connection);
    } catch (error) {
      const problems = error instanceof AppError ? error.details?.problems : undefined;
      if (
        error instanceof AppError &&
        error.code === 'VALIDATION_FAILED' &&
        Array.isArray(problems)
      ) {
        throw validationFailed(
          (problems as Array<{ path: string; message: string }>).map((problem) => ({
            ...problem,
            path: inDraft(problem.path),
          })),
        );
      }
      throw error;
    }
  }

  async function environmentIdOf(given: string): Promise<string> {
    const known = environmentIds.get(given.toLowerCase());
    if (known !== undefined) return known;
    const startedIn = generation;
    try {
      const id = (await deps.environments.get(given)).id;
      if (startedIn === generation) environmentIds.set(given.toLowerCase(), id);
      return id;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw validationFailed([
          { path: 'environment', message: `unknown environment '${given}'` },
        ]);
      }
      throw error;
    }
  }

  function callOf(input: InvokeIn | TestIn | DraftTestIn, traceparent?: string): CallInput {
    // no call headers (the API defaults them to {}): the engine's path without a merge
    const headers = hasKeys(input.headers) ? input.headers : undefined;
    return { body: input.body, params: input.params, headers, traceparent };
  }

  /** The test's answer, with a warning when the target's certificate expires within 30 days. */
  function testAnswer(
    result: Awaited<ReturnType<DispatchEngine['test']>>,
    warnings: Warning[],
  ): TestResult {
    const validTo = result.tlsPeer?.validTo;
    if (validTo) {
      const daysLeft = (Date.parse(validTo) - deps.clock.now().getTime()) / 86_400_000;
      if (daysLeft <= certificateWarningDays) {
        warnings = [
          ...warnings,
          {
            code: daysLeft < 0 ? 'TARGET_CERTIFICATE_EXPIRED' : 'TARGET_CERTIFICATE_EXPIRES_SOON',
            path: '',
            message:
              daysLeft < 0
                ? `the target's certificate expired on ${validTo}`
                : `the target's certificate expires on ${validTo} (in ${Math.floor(daysLeft)} days): calls will fail with TLS_FAILED after that`,
          },
        ];
      }
    }
    return { ...result, warnings };
  }

  return {
    /** A deployment, connection or environment changed: resolve everything afresh. */
    invalidate(): void {
      generation += 1;
      environmentIds.clear();
      deployedTargets.clear();
      resolvedTargets.clear();
    },

    /**
     * The deployed revision of a connection (by id) in an environment (by its canonical id),
     * the same object on every call while nothing changes, so the engine finds its pool:
     * what the delivery workers send through. Throws NOT_FOUND, CONNECTION_NOT_DEPLOYED or
     * CONNECTION_DISABLED.
     */
    async deployedTarget(connectionId: string, environmentId: string): Promise<DeployedTarget> {
      const target =
        resolvedTargets.get(targetKey(connectionId, environmentId, undefined)) ??
        (await deployedOf(connectionId, environmentId, {}));
      if (!target.enabled) {
        throw new AppError(
          'CONNECTION_DISABLED',
          `connection '${target.name}' is disabled; enable it to call it`,
          { id: target.connectionId },
        );
      }
      return target;
    },

    /**
     * What the deployed revision sends in an environment, as Copy as curl shows it: secrets
     * and params as placeholders, never a value. Throws NOT_FOUND or CONNECTION_NOT_DEPLOYED.
     */
    async deployedRequest(
      idOrName: string,
      environment: string,
      options: { project?: string } = {},
    ): Promise<DeployedRequestOut> {
      const environmentId = await environmentIdOf(environment);
      const deployed = await deps.getDeployed(idOrName, environmentId, options);
      const request = engine.describeDeployed(deployed);
      return {
        environment: environmentId,
        revision: deployed.revision,
        method: request.method,
        url: request.url,
        headers: request.headers.map(([name, value]) => ({ name, value })),
        signing: deployed.params.signing.scheme,
        placeholders: placeholdersOf(request),
        curl: buildCurlCommand(request),
      };
    },

    /** A synchronous call of the deployed revision; refused when disabled or not deployed. */
    async invoke(
      idOrName: string,
      input: InvokeIn,
      options: { project?: string; traceparent?: string } = {},
    ): Promise<InvokeResult> {
      // both known (the common case): nothing to await before the call
      const environmentId =
        environmentIds.get(input.environment.toLowerCase()) ??
        (await environmentIdOf(input.environment));
      const deployed =
        resolvedTargets.get(targetKey(idOrName, environmentId, options.project)) ??
        (await deployedOf(idOrName, environmentId, options));
      if (!deployed.enabled) {
        throw new AppError(
          'CONNECTION_DISABLED',
          `connection '${deployed.name}' is disabled; enable it to call it`,
          { id: deployed.connectionId },
        );
      }
      // tlsPeer is always null on a pooled call; the answer schema leaves it out
      return engine.invoke(deployed, callOf(input, options.traceparent));
    },

    /**
     * Test Connection for a saved connection: its latest revision, deployed or not, on a fresh
     * connection; a disabled connection is tested too, with a warning.
     */
    async test(
      idOrName: string,
      input: TestIn,
      options: { project?: string; traceparent?: string } = {},
    ): Promise<TestResult> {
      const environmentId = await environmentIdOf(input.environment);
      const connection = await deps.connections.get(idOrName, options);
      const params = connection.environments[environmentId];
      if (!params) {
        throw validationFailed([
          {
            path: 'environment',
            message: `connection '${connection.name}' has no parameters for environment '${environmentId}'`,
          },
        ]);
      }
      const target: DeployedTarget = {
        connectionId: connection.id,
        name: connection.name,
        project: connection.project,
        enabled: connection.enabled,
        revision: connection.revision,
        environmentId,
        params,
      };
      const warnings: Warning[] = connection.enabled
        ? []
        : [
            {
              code: 'CONNECTION_DISABLED',
              path: '',
              message: `connection '${connection.name}' is disabled: this test ran, but invoke and deliveries are refused until it is enabled`,
            },
          ];
      return testAnswer(await engine.test(target, callOf(input, options.traceparent)), warnings);
    },

    /** Test Connection for a configuration not saved yet: every rule of a save is checked first. */
    async testDraft(
      input: DraftTestIn,
      options: { traceparent?: string } = {},
    ): Promise<TestResult> {
      const environmentId = await environmentIdOf(input.environment);
      const checked = await checkDraftWithPaths(input.connection);
      const params = checked.spec.environments[environmentId];
      if (!params) {
        throw validationFailed([
          {
            path: 'environment',
            message: `the connection has no parameters for environment '${environmentId}'`,
          },
        ]);
      }
      const target: DeployedTarget = {
        connectionId: 'draft',
        name: checked.spec.name,
        project: null,
        enabled: checked.enabled,
        revision: 0,
        environmentId,
        params,
      };
      return testAnswer(
        await engine.test(target, callOf(input, options.traceparent)),
        checked.warnings.map((warning) => ({ ...warning, path: inDraft(warning.path) })),
      );
    },

    /**
     * The health of every deployed target called since this process started, from its latest
     * tries; an open delivery circuit makes it failing whatever the last try said.
     */
    health(filter: { health?: Health; environment?: string } = {}) {
      const rows = [];
      for (const row of engine.metrics.health()) {
        if (row.connectionId === 'draft') continue;
        const circuit = deps.circuitState?.(row.connectionId, row.environment) ?? 'closed';
        const health: Health = circuit === 'open' ? 'failing' : row.health;
        if (filter.health !== undefined && health !== filter.health) continue;
        if (filter.environment !== undefined && row.environment !== filter.environment) continue;
        rows.push({ ...row, health, circuit });
      }
      return rows;
    },
  };
}

export type InvocationService = ReturnType<typeof createInvocationService>;

function hasKeys(record: Record<string, unknown> | undefined): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}
