import type { Clock } from './core/clock.ts';
import { hooklineVersion } from './core/version.ts';
import { createAccessService, type SessionOptions } from './domains/access/index.ts';
import {
  createApprovalGuard,
  createApprovalService,
  describeApproval,
  type ApprovalSubject,
} from './domains/approvals/index.ts';
import { createAuditService } from './domains/audit/index.ts';
import { createCertificateService } from './domains/certificates/index.ts';
import { countConnectionsInProject, createConnectionService } from './domains/connections/index.ts';
import {
  countConnectionsUsingEnvironment,
  createDeploymentChanges,
  createDeploymentService,
  readDeploymentStates,
} from './domains/deployments/index.ts';
import { createEnvironmentService } from './domains/environments/index.ts';
import { createExportService } from './domains/exports/index.ts';
import { createHttpHeaderService } from './domains/http-headers/index.ts';
import { createKeyMaterialCipher, createKeyStoreService } from './domains/keystores/index.ts';
import { createProjectService } from './domains/projects/index.ts';
import { createRetentionSweep, type RetentionOptions } from './domains/retention/index.ts';
import { createEphemeralMasterKey, createSecretService } from './domains/secrets/index.ts';
import { createVariableService } from './domains/variables/index.ts';
import { createInvocationService } from './domains/invocations/index.ts';
import { createNotificationService } from './domains/notifications/index.ts';
import { createMetricsService, type MetricsOptions } from './domains/metrics/index.ts';
import {
  countQueuedDeliveries,
  createDeliveryMetrics,
  createDeliveryService,
  createDeliveryWorker,
  createHeaderSeal,
  type DeliveryWorkerOptions,
} from './domains/deliveries/index.ts';
import { egressPolicyFor } from './dispatch/egress/index.ts';
import {
  createDispatchEngine,
  type EngineOptions,
  type FailureEvent,
} from './dispatch/engine/index.ts';
import type { Store } from './store/create-store.ts';
import { createWriteBatcher } from './store/write-batcher.ts';
import { registerProcessMetrics } from './core/process-metrics.ts';

/**
 * Wires every domain service to the store and to each other. Used by main.ts (the server),
 * tests and benchmarks, so all of them run the same graph; the CLI never loads this.
 */
export function createServices(deps: {
  store: Store;
  clock: Clock;
  /** seals stored secrets; absent (tests, benchmarks): a random key for this process only */
  masterKey?: Buffer;
  /** file secrets may not read from here (the data directory: master key, admin token) */
  dataDir?: string;
  /** what env secrets read at call time; default the live process.env */
  secretEnv?: Record<string, string | undefined>;
  /** dispatch engine limits (pool size default, queue, response cap…): tests and benchmarks */
  engineOptions?: Partial<EngineOptions>;
  /** a notification write failed (logged by main.ts) */
  onBackgroundError?: (error: unknown, what: string) => void;
  /** a call failed (logged by main.ts): codes and names only, never a header value or body */
  onDispatchFailure?: (event: FailureEvent) => void;
  /** delivery workers' batch size, poll interval and lease (tests shorten them) */
  deliveryWorker?: Partial<DeliveryWorkerOptions>;
  /** console sessions and login throttling (configuration; tests shorten them) */
  sessions?: Partial<SessionOptions>;
  /** how long a pending approval waits (default 24 h) */
  approvalExpiryMs?: number;
  /** revisions and audit records kept (configuration; tests shorten them) */
  retention?: Partial<RetentionOptions>;
  /** how often per-minute metrics are stored, and how long (tests shorten or call flush()) */
  metrics?: Partial<MetricsOptions>;
}) {
  const { store, clock } = deps;
  const masterKey = deps.masterKey ?? createEphemeralMasterKey();
  const audit = createAuditService({ store, clock });
  // the two-person rule: deploys, undeploys and kind changes that need a second admin
  const approvalGuard = createApprovalGuard({
    clock,
    audit,
    expiryMs: deps.approvalExpiryMs ?? 24 * 3_600_000,
  });
  const access = createAccessService({
    store,
    clock,
    audit,
    ...(deps.dataDir !== undefined && { dataDir: deps.dataDir }),
    ...(deps.sessions && { sessions: deps.sessions }),
  });
  const environments = createEnvironmentService({
    store,
    clock,
    audit,
    // parameters in the current configuration, or a deployed revision that still runs there
    countConnectionsUsing: countConnectionsUsingEnvironment,
    // kind and egress policy are part of what the runtime prepared
    onChanged: () => {
      engine.invalidateAll();
      invocations.invalidate();
    },
    // lowering production, or raising to it with a critical connection running, asks another admin
    checkKindChange: approvalGuard.checkKindChange,
    onApprovalRequired: (details) => notifyApprovalRequired(details),
  });
  const projects = createProjectService({
    store,
    clock,
    audit,
    countConnectionsIn: countConnectionsInProject,
  });
  const secrets = createSecretService({
    store,
    clock,
    audit,
    masterKey,
    // env secrets read the process environment when a call is made, by design (DESIGN §1)
    env: deps.secretEnv ?? process.env,
    protectedDirs: deps.dataDir === undefined ? [] : [deps.dataDir],
  });
  const certificates = createCertificateService({ store, clock, audit });
  const keyStores = createKeyStoreService({
    store,
    clock,
    audit,
    // a key derived from the master key (HKDF) seals private keys and PKCS#12 files
    cipher: createKeyMaterialCipher(masterKey),
    // PKCS#12 and encrypted-PEM passphrases are {{secret.NAME}} references
    resolveSecret: (name) => secrets.resolveSecret(name),
    certificates,
  });

  // deploy, undeploy and the connection changes the runtime must hear of, after the commit
  const deploymentChanges = createDeploymentChanges();
  const connections = createConnectionService({
    store,
    clock,
    audit,
    environments,
    projects,
    tlsMaterial: {
      hasCertificate: (idOrName, db) => certificates.exists(idOrName, db),
      hasKeyStore: (idOrName, db) => keyStores.exists(idOrName, db),
    },
    readDeployments: readDeploymentStates,
    onChanged: deploymentChanges.emit,
  });
  const notifications = createNotificationService({
    store,
    clock,
    onFlushError: (error) => deps.onBackgroundError?.(error, 'writing notifications'),
  });
  const deployments = createDeploymentService({
    store,
    clock,
    audit,
    environments,
    connections,
    changes: deploymentChanges,
    // a signing secret that cannot be a key is refused at deploy, not found at the first call
    readSecret: (name, tx) => secrets.resolveSecretDetailed(name, tx),
    // deploy:production for production-kind environments; critical ones wait for approval,
    // and so does taking one out of production
    checkDeployAllowed: approvalGuard.checkDeploy,
    checkUndeployAllowed: approvalGuard.checkUndeploy,
    onApprovalRequired: (details) => notifyApprovalRequired(details),
    onFailed: (failure) =>
      notifications.record({
        kind: 'deploy_failed',
        connectionId: failure.connectionId,
        connection: failure.connectionName,
        environment: failure.environment,
        code: failure.code,
        message: `${failure.action} refused: ${failure.message}`,
      }),
  });
  const approvals = createApprovalService({
    store,
    clock,
    audit,
    connections,
    deployments,
    environments,
    onEvent: (event) =>
      notifications.record({
        kind: event.kind,
        connectionId: event.connectionId,
        connection: event.connection,
        environment: event.environment,
        code: event.code,
        message: event.message,
      }),
  });
  /** APPROVAL_REQUIRED's details (approval-guard.ts) as an approval_requested notification */
  function notifyApprovalRequired(details: Record<string, unknown>): void {
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    notifications.record({
      kind: 'approval_requested',
      connectionId: text(details.connectionId),
      connection: text(details.connection),
      environment: text(details.environment),
      code: 'APPROVAL_REQUIRED',
      message: `${String(details.requestedBy)} asks to ${describeApproval(details as unknown as ApprovalSubject)}: approval ${String(details.approvalId)} waits for another admin`,
    });
  }
  const httpHeaders = createHttpHeaderService();
  const variables = createVariableService({ store, clock, audit, environments });
  // reads only what may leave: summaries, public PEM, names; never a secret or a private key
  const connectionExports = createExportService({
    store,
    clock,
    audit,
    exporter: `hookline ${hooklineVersion}`,
    connections,
    certificates,
    keyStores,
    secrets,
    variables,
  });
  const engine = createDispatchEngine({
    sources: {
      resolveSecret: (name) => secrets.resolveSecret(name),
      variableValue: (name, environmentId) => variables.variableValue(name, environmentId),
      resolveTls: (tls) => keyStores.resolveTlsOptions(tls),
      egressPolicy: async (environmentId) => egressPolicyFor(await environments.get(environmentId)),
    },
    options: deps.engineOptions,
    onFailure: (event) => {
      deps.onDispatchFailure?.(event);
      notifications.record({
        kind: 'dispatch_failed',
        connectionId: event.connectionId === 'draft' ? null : event.connectionId,
        connection: event.connection,
        environment: event.environment,
        code: event.outcome,
        message: event.message ?? event.outcome,
      });
    },
  });
  // what was prepared per deployed revision depends on all of these: rebuild on change.
  // Not on variables: a deployed revision runs with the values pinned when it was deployed
  // (a redeploy retires it), and Test Connection prepares afresh with today's values
  secrets.onChange(() => engine.invalidateAll());
  keyStores.onTlsChange(() => engine.invalidateAll());
  // a redeploy, undeploy, disable or delete: drop that connection's prepared targets and drain
  // its pools (the next call prepares the revision deployed now)
  deployments.onChange((connectionId) => {
    engine.retireConnection(connectionId);
    invocations.invalidate();
    // it may have been enabled: its paused deliveries are due again (a worker pauses them
    // anew if it is still disabled)
    deliveries.resumePaused(connectionId).catch((error: unknown) => {
      deps.onBackgroundError?.(error, 'resuming paused deliveries');
    });
  });
  const invocations = createInvocationService({
    engine,
    clock,
    connections,
    environments,
    getDeployed: (idOrName, environmentId, options) =>
      deployments.getDeployed(idOrName, environmentId, options),
    circuitState: (connectionId, environmentId) =>
      deliveryWorker.circuitState(connectionId, environmentId),
  });

  // calls over time, stored per minute: `hookline serve` starts the flush, close() ends it
  const metrics = createMetricsService({
    store,
    clock,
    source: engine.metrics,
    findConnection: (idOrName, options) => connections.get(idOrName, options),
    circuitDetail: (connectionId, environmentId) =>
      deliveryWorker.circuitDetail(connectionId, environmentId),
    ...(deps.metrics && { options: deps.metrics }),
    onError: (error) => deps.onBackgroundError?.(error, 'storing metrics'),
  });

  // group commit for the delivery queue's small writes (accepts, attempts): one fsync for many
  const deliveryWrites = createWriteBatcher(store);
  // a delivery's own credential headers wait in the store sealed, under a key of their own
  const deliveryHeaderSeal = createHeaderSeal(
    createKeyMaterialCipher(masterKey, 'hookline delivery headers v1'),
  );
  // the queue, attempts, latency, dead letters and circuits, next to the dispatch metrics
  const deliveryMetrics = createDeliveryMetrics({
    registry: engine.metrics.registry,
    readQueue: () => countQueuedDeliveries(store.db),
    circuitState: (connectionId, environmentId) =>
      deliveryWorker.circuitState(connectionId, environmentId),
  });
  registerProcessMetrics(engine.metrics.registry);
  const deliveryWorker = createDeliveryWorker({
    store,
    clock,
    writes: deliveryWrites,
    headerSeal: deliveryHeaderSeal,
    deliver: (target, input) => engine.deliver(target, input),
    resolveTarget: (connectionId, environmentId) =>
      invocations.deployedTarget(connectionId, environmentId),
    onFailed: (failure) =>
      notifications.record({
        kind: 'delivery_failed',
        connectionId: failure.connectionId,
        connection: failure.connection,
        environment: failure.environment,
        code: failure.code,
        message: `delivery ${failure.id} failed: ${failure.reason}`,
      }),
    onCircuitChange: (event) =>
      notifications.record({
        kind: event.state === 'open' ? 'circuit_opened' : 'circuit_closed',
        connectionId: event.connectionId,
        connection: event.connection,
        environment: event.environment,
        code: event.state === 'open' ? event.outcome : 'CIRCUIT_CLOSED',
        message:
          event.state === 'open'
            ? `deliveries to '${event.connection}' in ${event.environment} are held for ${Math.round(event.openForMs / 1000)} s after repeated failures (${event.outcome}); one probe then decides`
            : `deliveries to '${event.connection}' in ${event.environment} flow again: the probe succeeded`,
      }),
    onError: (error) => deps.onBackgroundError?.(error, 'delivering'),
    metrics: deliveryMetrics,
    options: {
      ...(deps.engineOptions?.defaultPoolSize === undefined
        ? {}
        : { defaultPoolSize: deps.engineOptions.defaultPoolSize }),
      ...(deps.engineOptions?.maxRedirects === undefined
        ? {}
        : { maxRedirects: deps.engineOptions.maxRedirects }),
      ...deps.deliveryWorker,
    },
  });
  const deliveries = createDeliveryService({
    store,
    clock,
    writes: deliveryWrites,
    headerSeal: deliveryHeaderSeal,
    connections,
    environments,
    onAccepted: () => deliveryWorker.wake(),
  });

  // revisions and audit records, bounded: `hookline serve` starts it, tests call sweep()
  const retention = createRetentionSweep({
    pruneRevisions: (keep) => connections.pruneRevisions(keep),
    pruneAudit: (retentionMs) => audit.prune(retentionMs),
    pruneMetrics: () => metrics.prune(),
    ...(deps.retention && { options: deps.retention }),
    onError: (error) => deps.onBackgroundError?.(error, 'pruning revisions and audit records'),
  });

  return {
    store,
    clock,
    audit,
    access,
    environments,
    projects,
    connections,
    deployments,
    approvals,
    httpHeaders,
    variables,
    secrets,
    certificates,
    keyStores,
    connectionExports,
    notifications,
    engine,
    invocations,
    metrics,
    deliveries,
    /** sends what was accepted; `hookline serve` starts it (tests start it when they need it) */
    deliveryWorker,
    /** prunes revisions and audit records past retention; `hookline serve` starts it */
    retention,
    /**
     * Stops the runtime: the delivery worker (attempts under way finish), pools closed,
     * buffered notifications and metrics written. Before the store closes.
     */
    async close(): Promise<void> {
      await retention.stop();
      await deliveryWorker.stop();
      // after the worker: its last attempts are counted too
      await metrics.stop();
      await engine.close();
      await notifications.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/** First start: the standard environments and the `default` project. Idempotent. */
export async function seedStore(services: Services): Promise<void> {
  await services.environments.seed();
  await services.projects.seed();
}
