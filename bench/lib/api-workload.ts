import { performance } from 'node:perf_hooks';
import { createHttpClient, type HttpAnswer, type HttpClient } from './http-client.ts';
import { createRandom, runLoad, summarize, type LoadResult, type LoadSample } from './run-load.ts';

/** How much work one run does: the full run and `--quick` differ only in these numbers. */
export interface WorkloadPlan {
  connections: number;
  /** per get variant and concurrency */
  getRequests: number;
  /** per list variant and concurrency */
  listRequests: number;
  /** concurrency of the create phase and of the "many clients" runs */
  concurrency: number;
  /** every measurement is split into this many rounds, alternating the two targets */
  rounds: number;
}

export interface WorkloadRow {
  /** stable key, the same for Hookline and the baseline: rows are paired by it */
  key: string;
  operation: string;
  result: LoadResult;
}

export interface TargetAddress {
  url: string;
  token: string;
}

export type Side = 'hookline' | 'baseline';
export type WorkloadTargets = Record<Side, TargetAddress>;
export type WorkloadRows = Record<Side, WorkloadRow[]>;

const environmentIds = ['development', 'test', 'production'] as const;
const vendors = [
  'slack',
  'teams',
  'datadog',
  'splunk',
  'servicenow',
  'crm',
  'audit',
  'pagerduty',
  'jira',
  'github',
] as const;
const base = '/api/v1/connections';
const pageSize = 50;
const warmUpRequests = 200;

export function connectionName(index: number): string {
  return `svc-${String(index).padStart(5, '0')}-${vendors[index % vendors.length]}`;
}

/** A realistic connection: 3 environments, a templated https URL, 2 headers, one a secret. */
export function connectionBody(index: number) {
  const vendor = vendors[index % vendors.length]!;
  return {
    name: connectionName(index),
    description: `Benchmark connection ${index} to ${vendor}`,
    environments: Object.fromEntries(
      environmentIds.map((environment) => [
        environment,
        {
          method: 'POST',
          url: `https://${environment}.${vendor}.example.com/hooks/{{param.id}}`,
          headers: [
            { name: 'Authorization', value: 'Bearer {{secret.TOKEN}}' },
            { name: 'Content-Type', value: 'application/json' },
          ],
        },
      ]),
    ),
  };
}

function expectStatus(answer: HttpAnswer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`,
    );
  }
}

interface Measurement {
  key: string;
  operation: string;
  requests: number;
  concurrency: number;
  /** the call number `index` (0 … requests-1) against one side */
  send: (side: Side, index: number) => Promise<void>;
}

/**
 * The management-API workload against Hookline and the baseline together: create
 * `plan.connections` connections, read them back by id and by name, then page through lists.
 * Each measurement runs in rounds that alternate the two sides (and which goes first), so a
 * neighbour's burst of CPU on a shared machine lands on both and the ratio survives it.
 */
export async function runWorkload(
  targets: WorkloadTargets,
  plan: WorkloadPlan,
): Promise<WorkloadRows> {
  const clients: Record<Side, HttpClient> = {
    hookline: clientFor(targets.hookline, plan),
    baseline: clientFor(targets.baseline, plan),
  };
  const rows: WorkloadRows = { hookline: [], baseline: [] };

  function record(key: string, operation: string, samples: Record<Side, LoadSample[]>): void {
    for (const side of ['hookline', 'baseline'] as const) {
      rows[side].push({ key, operation, result: summarize(samples[side]) });
    }
  }

  async function measure(measurement: Measurement): Promise<void> {
    const samples: Record<Side, LoadSample[]> = { hookline: [], baseline: [] };
    const rounds = Math.min(plan.rounds, measurement.requests);
    for (let round = 0; round < rounds; round++) {
      const from = Math.floor((measurement.requests * round) / rounds);
      const to = Math.floor((measurement.requests * (round + 1)) / rounds);
      const order: Side[] = round % 2 === 0 ? ['baseline', 'hookline'] : ['hookline', 'baseline'];
      for (const side of order) {
        samples[side].push(
          await runLoad({
            requests: to - from,
            concurrency: measurement.concurrency,
            send: (index) => measurement.send(side, from + index),
          }),
        );
      }
    }
    record(measurement.key, measurement.operation, samples);
  }

  try {
    const created = await createConnections(clients, plan, measure);
    await readConnections(clients, plan, created, measure);
    await listConnections(clients, plan, measure, record);
    return rows;
  } finally {
    clients.hookline.close();
    clients.baseline.close();
  }
}

function clientFor(target: TargetAddress, plan: WorkloadPlan): HttpClient {
  return createHttpClient({
    baseUrl: target.url,
    maxSockets: plan.concurrency,
    headers: { authorization: `Bearer ${target.token}` },
  });
}

type Measure = (measurement: Measurement) => Promise<void>;
type RecordSamples = (key: string, operation: string, samples: Record<Side, LoadSample[]>) => void;
type Created = Record<Side, Array<{ id: string; name: string }>>;

async function createConnections(
  clients: Record<Side, HttpClient>,
  plan: WorkloadPlan,
  measure: Measure,
): Promise<Created> {
  const created: Created = { hookline: [], baseline: [] };
  await measure({
    key: 'create',
    operation: `create (3 environments each, ${plan.connections.toLocaleString('en')} in all)`,
    requests: plan.connections,
    concurrency: plan.concurrency,
    async send(side, index) {
      const answer = await clients[side].request('POST', base, connectionBody(index));
      expectStatus(answer, 201, `create ${connectionName(index)}`);
      const { id } = JSON.parse(answer.text) as { id: string };
      created[side][index] = { id, name: connectionName(index) };
    },
  });
  return created;
}

async function readConnections(
  clients: Record<Side, HttpClient>,
  plan: WorkloadPlan,
  created: Created,
  measure: Measure,
) {
  const variants = [
    { key: 'get-id', operation: 'get by id (random)', ref: (c: { id: string }) => c.id },
    { key: 'get-name', operation: 'get by name (random)', ref: (c: { name: string }) => c.name },
  ];
  for (const variant of variants) {
    const get = async (side: Side, pick: () => number) => {
      const all = created[side];
      const path = `${base}/${encodeURIComponent(variant.ref(all[Math.floor(pick() * all.length)]!))}`;
      expectStatus(await clients[side].request('GET', path), 200, `GET ${path}`);
    };
    for (const side of ['hookline', 'baseline'] as const) {
      await runLoad({
        requests: warmUpRequests,
        concurrency: plan.concurrency,
        send: () => get(side, Math.random),
      });
    }
    for (const concurrency of [1, plan.concurrency]) {
      // the same picks, in the same order, on both sides
      const picks = { hookline: createRandom(concurrency), baseline: createRandom(concurrency) };
      await measure({
        key: `${variant.key}-c${concurrency}`,
        operation: variant.operation,
        requests: plan.getRequests,
        concurrency,
        send: (side) => get(side, picks[side]),
      });
    }
  }
}

/**
 * Every page in order, one after the other, as a client syncing all of them would: each page
 * is timed; answers the cursors met on the way.
 */
async function walkList(
  client: HttpClient,
  expectedItems: number,
): Promise<{ cursors: string[]; sample: LoadSample }> {
  const cursors: string[] = [];
  const latenciesMs: number[] = [];
  let items = 0;
  let cursor: string | null = null;
  const startedAt = performance.now();
  do {
    const path: string = `${base}?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`;
    const sentAt = performance.now();
    const answer = await client.request('GET', path);
    latenciesMs.push(performance.now() - sentAt);
    expectStatus(answer, 200, `GET ${path}`);
    const page = JSON.parse(answer.text) as { items: unknown[]; next: string | null };
    items += page.items.length;
    cursor = page.next && encodeURIComponent(page.next);
    if (cursor) cursors.push(cursor);
  } while (cursor);
  if (items !== expectedItems) {
    throw new Error(`walking the list saw ${items} of ${expectedItems} connections`);
  }
  return {
    cursors,
    sample: { concurrency: 1, elapsedMs: performance.now() - startedAt, latenciesMs },
  };
}

async function listConnections(
  clients: Record<Side, HttpClient>,
  plan: WorkloadPlan,
  measure: Measure,
  record: RecordSamples,
) {
  const pages = Math.ceil(plan.connections / pageSize);
  const cursors: Record<Side, string[]> = { hookline: [], baseline: [] };
  const walks: Record<Side, LoadSample[]> = { hookline: [], baseline: [] };
  // two walks each, alternating who goes first, as the rounds of `measure` do
  for (const side of ['baseline', 'hookline', 'hookline', 'baseline'] as const) {
    const walk = await walkList(clients[side], plan.connections);
    cursors[side] = walk.cursors;
    walks[side].push(walk.sample);
  }
  record('walk', `walk all ${pages} pages (limit ${pageSize}, cursors)`, walks);

  const deep = Math.floor(cursors.hookline.length * 0.75);
  const variants = [
    { key: 'list-first', operation: `list: first page (limit ${pageSize})`, query: () => '' },
    {
      key: 'list-deep',
      operation: `list: page ${deep + 2} of ${pages} (cursor)`,
      query: (side: Side) => `&cursor=${cursors[side][deep]}`,
    },
    { key: 'list-q', operation: 'list: q=datadog (1 in 10 match)', query: () => '&q=datadog' },
    { key: 'list-q-rare', operation: 'list: q=00042 (1 match)', query: () => '&q=00042' },
    {
      key: 'list-environment',
      operation: 'list: environment=production',
      query: () => '&environment=production',
    },
  ];
  for (const variant of variants) {
    const pathFor = (side: Side) => `${base}?limit=${pageSize}${variant.query(side)}`;
    const list = async (side: Side) =>
      expectStatus(await clients[side].request('GET', pathFor(side)), 200, `GET ${pathFor(side)}`);
    for (const side of ['hookline', 'baseline'] as const) {
      const first = await clients[side].request('GET', pathFor(side));
      expectStatus(first, 200, `GET ${pathFor(side)}`);
      if ((JSON.parse(first.text) as { items: unknown[] }).items.length === 0) {
        throw new Error(`${side}: GET ${pathFor(side)} answered no items`);
      }
      await runLoad({
        requests: Math.min(warmUpRequests, plan.listRequests),
        concurrency: plan.concurrency,
        send: () => list(side),
      });
    }
    for (const concurrency of [1, plan.concurrency]) {
      await measure({
        key: `${variant.key}-c${concurrency}`,
        operation: variant.operation,
        requests: plan.listRequests,
        concurrency,
        send: list,
      });
    }
  }
}
