import { Agent, Client, Pool, type Dispatcher } from 'undici';
import { PoolExhaustedError } from './pool-exhausted-error.ts';
import { createConnector, type ConnectorOptions } from './timed-connector.ts';

/** A pool is owned by one deployed revision of one connection in one environment. */
export interface PoolKey {
  connectionId: string;
  environmentId: string;
  revision: number;
}

export interface PoolSettings {
  /** TCP connections per origin */
  connections: number;
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
  /** silence limits; the whole-exchange deadline is enforced on top (request-deadline.ts) */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxResponseBytes: number;
  /** TLS trust, client certificate, verification, and the egress-guarded lookup */
  connect: ConnectorOptions;
}

export interface PoolEntry {
  readonly key: PoolKey;
  readonly agent: Agent;
  readonly connections: number;
  inFlight: number;
  lastUsedAt: number;
  /** closed for new requests (redeployed, undeployed, idle): look the pool up again */
  retired: boolean;
  /**
   * The dispatcher of the origin most calls go to, as the agent made it: calls to that origin
   * go to it directly, skipping the agent's per-request origin lookup. The agent may close an
   * unused one and make another: see dispatcherFor.
   */
  primary: { origin: string; dispatcher: Pool | Client } | null;
}

export interface PoolStatsRow extends PoolKey {
  connected: number;
  free: number;
  pending: number;
  running: number;
  inFlight: number;
}

export interface AgentRegistryOptions {
  /** requests that may wait for a busy pool's socket before POOL_EXHAUSTED */
  maxQueuedPerPool: number;
  /** a pool unused this long is closed (its sockets are idle anyway) */
  idleCloseMs: number;
  now?: () => number;
}

/** The one string key of a deployed revision (pools here, prepared targets in the engine). */
export const poolKeyOf = (key: PoolKey) =>
  `${key.connectionId}\u0000${key.environmentId}\u0000${key.revision}`;

/**
 * The keep-alive pools of the runtime: one undici Agent (a pool per origin, normally one) per
 * deployed revision, built once and reused by every request, so no request pays for a pool,
 * an agent or a TLS context. A redeploy retires the old revision's pool: it takes no new
 * requests and closes once its requests finish (undici's close() drains).
 */
export function createAgentRegistry(options: AgentRegistryOptions) {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, PoolEntry>();

  function build(key: PoolKey, settings: PoolSettings, primaryOrigin: string | null): PoolEntry {
    // the entry is made after its agent; the agent's factory runs later, on first dispatch
    const built: { entry: PoolEntry | null } = { entry: null };
    const agent = new Agent({
      factory(origin, agentOptions) {
        // what undici's Agent itself makes: a Client for one connection, a Pool for more
        const factoryOptions = agentOptions as Pool.Options;
        const dispatcher =
          factoryOptions.connections === 1
            ? new Client(origin, factoryOptions)
            : new Pool(origin, factoryOptions);
        if (built.entry && String(origin) === primaryOrigin) {
          built.entry.primary = { origin: primaryOrigin, dispatcher };
        }
        return dispatcher;
      },
      connections: settings.connections,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs,
      maxResponseSize: settings.maxResponseBytes,
      // HTTP/1.1 only: a pool's size is then its number of TCP connections, as configured
      allowH2: false,
      connect: createConnector(settings.connect, settings.connectTimeoutMs),
    });
    const entry: PoolEntry = {
      key,
      agent,
      connections: settings.connections,
      inFlight: 0,
      lastUsedAt: now(),
      retired: false,
      primary: null,
    };
    built.entry = entry;
    return entry;
  }

  function retire(id: string, entry: PoolEntry): void {
    entries.delete(id);
    entry.retired = true;
    // close() lets requests in flight finish; nothing new reaches a retired entry
    entry.agent.close().catch(() => undefined);
  }

  return {
    /**
     * The pool for `key`, built on first use. `primaryOrigin`: the origin most of its calls go
     * to (a fixed origin of the URL template), dispatched to directly.
     */
    entryFor(key: PoolKey, settings: PoolSettings, primaryOrigin: string | null = null): PoolEntry {
      const id = poolKeyOf(key);
      let entry = entries.get(id);
      if (!entry) {
        entry = build(key, settings, primaryOrigin);
        entries.set(id, entry);
      }
      return entry;
    },

    /**
     * One more request on `entry`; refuses with POOL_EXHAUSTED past its wait queue. Pair
     * every begin with an end(entry).
     */
    begin(entry: PoolEntry): void {
      if (entry.inFlight >= entry.connections + options.maxQueuedPerPool) {
        throw new PoolExhaustedError(entry.connections, options.maxQueuedPerPool);
      }
      entry.inFlight += 1;
    },

    /** Where a request to `origin` goes: the primary origin's own dispatcher while it is open. */
    dispatcherFor(entry: PoolEntry, origin: string): Dispatcher {
      const primary = entry.primary;
      if (primary !== null && primary.origin === origin) {
        if (!primary.dispatcher.closed && !primary.dispatcher.destroyed) return primary.dispatcher;
        entry.primary = null;
      }
      return entry.agent;
    },

    /** The request begun on `entry` is over. */
    end(entry: PoolEntry): void {
      entry.inFlight -= 1;
      entry.lastUsedAt = now();
    },

    /**
     * Retires the pools of `connectionId` except the ones `keep` says are still deployed
     * (after a deploy, undeploy, disable or delete).
     */
    retireConnection(connectionId: string, keep: (key: PoolKey) => boolean = () => false): void {
      for (const [id, entry] of entries) {
        if (entry.key.connectionId === connectionId && !keep(entry.key)) retire(id, entry);
      }
    },

    /** Closes pools nobody used for idleCloseMs; answers how many. */
    closeIdle(): number {
      let closed = 0;
      const cutoff = now() - options.idleCloseMs;
      for (const [id, entry] of entries) {
        if (entry.inFlight === 0 && entry.lastUsedAt <= cutoff) {
          retire(id, entry);
          closed += 1;
        }
      }
      return closed;
    },

    stats(): PoolStatsRow[] {
      const rows: PoolStatsRow[] = [];
      for (const entry of entries.values()) {
        const row: PoolStatsRow = {
          ...entry.key,
          connected: 0,
          free: 0,
          pending: 0,
          running: 0,
          inFlight: entry.inFlight,
        };
        // an Agent keeps one Pool per origin, or a single Client when connections is 1
        for (const origin of Object.values(entry.agent.stats)) {
          const connected = Number(origin.connected);
          row.connected += connected;
          row.free += 'free' in origin ? origin.free : connected && origin.running === 0 ? 1 : 0;
          row.pending += origin.pending;
          row.running += origin.running;
        }
        rows.push(row);
      }
      return rows;
    },

    get size(): number {
      return entries.size;
    },

    async close(): Promise<void> {
      const all = [...entries.values()];
      entries.clear();
      for (const entry of all) entry.retired = true;
      await Promise.all(all.map((entry) => entry.agent.destroy().catch(() => undefined)));
    },
  };
}

export type AgentRegistry = ReturnType<typeof createAgentRegistry>;
