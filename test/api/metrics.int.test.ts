// GET /metrics as Prometheus reads it, on both stores: every series once (two connections of
// the same name in two projects stay apart), one HELP and TYPE per family, conventional names,
// and the delivery, pool, circuit and process series an operator alerts on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import {
  closeAllTargets,
  startHttpTarget,
  startStatusTarget,
  type Target,
} from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { eventually } from '../helpers/eventually.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  /** family name → TYPE */
  types: Map<string, string>;
  /** problems a Prometheus parser or `promtool check metrics` would report */
  problems: string[];
}

/** Reads one label value at `text[at]` (just after the opening quote); answers it and the index after its closing quote. */
function readQuoted(text: string, at: number): [string, number] {
  let value = '';
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      const next = text[i + 1];
      value += next === 'n' ? '\n' : next;
      i += 1;
    } else if (char === '"') {
      return [value, i + 1];
    } else {
      value += char;
    }
  }
  throw new Error(`unterminated label value in ${text}`);
}

/** Parses the text exposition format (version 0.0.4) and checks what Prometheus checks. */
function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'HELP') {
        if (helps.has(name)) problems.push(`HELP of ${name} twice`);
        helps.add(name);
      } else {
        if (types.has(name)) problems.push(`TYPE of ${name} twice`);
        types.set(name, rest);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{?)/.exec(line);
    if (!head) {
      problems.push(`unparsable line: ${line}`);
      continue;
    }
    const name = head[1] as string;
    const labels: Record<string, string> = {};
    let at = name.length;
    if (head[2] === '{') {
      at += 1;
      while (line[at] !== '}') {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
        if (!label) throw new Error(`bad label at ${at} in ${line}`);
        const [value, next] = readQuoted(line, at + label[0].length);
        if (Object.hasOwn(labels, label[1] as string)) problems.push(`label twice: ${line}`);
        labels[label[1] as string] = value;
        at = line[next] === ',' ? next + 1 : next;
      }
      at += 1;
    }
    const value = Number(line.slice(at).trim().split(' ')[0]);
    if (Number.isNaN(value) && !/ nan$/i.test(line)) problems.push(`bad value: ${line}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) problems.push(`duplicate series: ${line}`);
    seen.add(key);
    samples.push({ name, labels, value });
  }
  // every sample belongs to a family with a TYPE, by the suffix rules of its type
  for (const sample of samples) {
    const family = [
      sample.name,
      ...['_bucket', '_sum', '_count'].map((suffix) =>
        sample.name.endsWith(suffix) ? sample.name.slice(0, -suffix.length) : null,
      ),
    ].find((candidate) => candidate !== null && types.has(candidate));
    if (!family) problems.push(`no TYPE for ${sample.name}`);
  }
  // Prometheus naming conventions (what promtool check metrics lints)
  for (const [name, type] of types) {
    if (type === 'counter' && !name.endsWith('_total'))
      problems.push(`counter ${name} without _total`);
    if (type !== 'counter' && name.endsWith('_total'))
      problems.push(`${type} ${name} ends in _total`);
    if (/_(ms|milliseconds|minutes|hours|kb|mb)(_|$)/.test(name))
      problems.push(`${name}: not a base unit`);
    if (!name.startsWith('hookline_')) problems.push(`${name} is not prefixed hookline_`);
  }
  return { samples, types, problems };
}

/** The samples of `name` whose labels include every one of `labels`. */
function find(exposition: Exposition, name: string, labels: Record<string, string> = {}) {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

for (const kind of testStores()) {
  describe(`GET /metrics on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { deliveryWorker: { pollIntervalMs: 50 } });
    });
    after(() => api.close());

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    async function scrape(): Promise<Exposition> {
      const response = await api.request('GET', '/metrics');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const exposition = parseExposition(response.text);
      assert.deepEqual(exposition.problems, [], 'the exposition is valid');
      return exposition;
    }

    /** Scrapes until `check` holds (the queue gauge is read at most once a second). */
    async function scrapeUntil(check: (exposition: Exposition) => boolean): Promise<Exposition> {
      return eventually(
        async () => {
          const exposition = await scrape();
          const deliveries = find(exposition, 'hookline_deliveries').map(
            (sample) => `${JSON.stringify(sample.labels)} ${sample.value}`,
          );
          assert.ok(check(exposition), `the scrape never showed it:\n${deliveries.join('\n')}`);
          return exposition;
        },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
    }

    async function deployedTo(
      target: Target,
      options: { name?: string; project?: string; global?: boolean } = {},
    ): Promise<{ id: string; name: string }> {
      const created = await ok('POST', base, {
        name: options.name ?? uniqueName('Metrics'),
        ...(options.project !== undefined && { project: options.project }),
        ...(options.global !== undefined && { global: options.global }),
        environments: { development: { method: 'POST', url: `${target.origin}/hook` } },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      return { id: created.id, name: created.name };
    }

    test('two connections of the same name in two projects are two series, each scrape valid', async () => {
      const target = await startHttpTarget();
      const name = uniqueName('Same');
      const projectB = uniqueName('proj').toLowerCase().replace('_', '-');
      await ok('POST', '/api/v1/projects', { id: projectB, name: projectB });
      const inDefault = await deployedTo(target, { name });
      const inB = await deployedTo(target, { name, project: projectB });
      const global = await deployedTo(target, { global: true });
      for (const { id } of [inDefault, inB, global]) {
        const result = await ok('POST', `${base}/${id}/invoke`, { environment: 'development' });
        assert.equal(result.outcome, 'OK');
      }

      const exposition = await scrape();
      const requests = find(exposition, 'hookline_requests_total', {
        connection: name,
        outcome: 'OK',
      });
      assert.deepEqual(
        requests
          .map((sample) => [sample.labels.connection_id, sample.labels.project, sample.value])
          .sort(),
        [
          [inDefault.id, 'default', 1],
          [inB.id, projectB, 1],
        ].sort(),
      );
      assert.deepEqual(Object.keys(requests[0]!.labels), [
        'connection_id',
        'connection',
        'project',
        'environment',
        'outcome',
      ]);
      const [globalRequests] = find(exposition, 'hookline_requests_total', {
        connection_id: global.id,
      });
      assert.equal(globalRequests?.labels.project, '', 'a global connection has an empty project');
      for (const id of [inDefault.id, inB.id]) {
        assert.equal(
          find(exposition, 'hookline_request_duration_seconds_count', { connection_id: id })[0]
            ?.value,
          1,
        );
        // the pools: sockets and requests are two metrics, each with its own states
        const sockets = find(exposition, 'hookline_pool_sockets', { connection_id: id });
        assert.deepEqual(sockets.map((sample) => sample.labels.state).sort(), ['busy', 'free']);
        const requestsInPool = find(exposition, 'hookline_pool_requests', { connection_id: id });
        assert.deepEqual(requestsInPool.map((sample) => sample.labels.state).sort(), [
          'pending',
          'running',
        ]);
      }
      assert.equal(exposition.types.get('hookline_pool_sockets'), 'gauge');
      assert.equal(exposition.types.get('hookline_pool_requests'), 'gauge');
      assert.equal(exposition.types.get('hookline_pool_connections'), undefined);
    });

    test('the Node process and the build are described', async () => {
      const exposition = await scrape();
      const [build] = find(exposition, 'hookline_build_info');
      assert.equal(build?.value, 1);
      assert.equal(build?.labels.node, process.versions.node);
      assert.match(build?.labels.version ?? '', /^\d+\.\d+\.\d+/);
      for (const name of [
        'hookline_process_cpu_user_seconds_total',
        'hookline_process_resident_memory_bytes',
        'hookline_nodejs_heap_size_used_bytes',
        'hookline_nodejs_eventloop_lag_seconds',
      ]) {
        assert.ok(find(exposition, name).length > 0, `${name} is missing`);
      }
    });

    test('deliveries: the queue by status, attempts by outcome, accept → success latency, dead letters, a closed circuit as 0', async () => {
      const good = await deployedTo(await startHttpTarget());
      const refusing = await deployedTo(await startStatusTarget(422));
      const paused = await deployedTo(await startHttpTarget());

      // not sent yet (the worker is not running): pending
      await ok('POST', `${base}/${good.id}/deliveries/batch`, {
        environment: 'development',
        items: [{ body: { n: 1 } }, { body: { n: 2 } }, { body: { n: 3 } }],
      });
      const queued = await scrapeUntil(
        (exposition) =>
          find(exposition, 'hookline_deliveries', { connection_id: good.id, status: 'pending' })[0]
            ?.value === 3,
      );
      assert.deepEqual(
        find(queued, 'hookline_deliveries', { connection_id: good.id })
          .map((sample) => [sample.labels.status, sample.value])
          .sort(),
        [
          ['failed', 0],
          ['in_flight', 0],
          ['paused', 0],
          ['pending', 3],
        ],
      );
      assert.equal(queued.types.get('hookline_deliveries'), 'gauge');

      await ok('POST', `${base}/${paused.id}/disable`);
      const { id: pausedDelivery } = await ok('POST', `${base}/${paused.id}/deliveries`, {
        environment: 'development',
        body: { n: 4 },
      });
      const { id: refused } = await ok('POST', `${base}/${refusing.id}/deliveries`, {
        environment: 'development',
        body: { n: 5 },
      });
      api.services.deliveryWorker.start();
      const final = await scrapeUntil((exposition) => {
        const value = (connection: string, status: string) =>
          find(exposition, 'hookline_deliveries', { connection_id: connection, status })[0]?.value;
        return (
          value(good.id, 'pending') === 0 &&
          value(refusing.id, 'failed') === 1 &&
          value(paused.id, 'paused') === 1
        );
      });
      assert.equal((await ok('GET', `/api/v1/deliveries/${pausedDelivery}`)).status, 'paused');
      assert.equal((await ok('GET', `/api/v1/deliveries/${refused}`)).status, 'failed');

      const one = (name: string, labels: Record<string, string>) => {
        const samples = find(final, name, labels);
        assert.equal(samples.length, 1, `${name} ${JSON.stringify(labels)}: ${samples.length}`);
        return samples[0]!;
      };
      const goodLabels = { connection_id: good.id, connection: good.name, project: 'default' };
      assert.equal(
        one('hookline_delivery_attempts_total', { ...goodLabels, outcome: 'OK' }).value,
        3,
      );
      assert.equal(
        one('hookline_delivery_attempts_total', { connection_id: refusing.id, outcome: 'HTTP_4XX' })
          .value,
        1,
      );
      assert.equal(one('hookline_delivery_latency_seconds_count', goodLabels).value, 3);
      assert.ok(one('hookline_delivery_latency_seconds_sum', goodLabels).value > 0);
      assert.equal(
        one('hookline_delivery_latency_seconds_bucket', { ...goodLabels, le: '+Inf' }).value,
        3,
      );
      assert.equal(final.types.get('hookline_delivery_latency_seconds'), 'histogram');
      assert.equal(
        one('hookline_delivery_dead_letters_total', { connection_id: refusing.id }).value,
        1,
      );
      assert.equal(one('hookline_delivery_dead_letters_total', goodLabels).value, 0);
      // circuits the worker knows are present, closed = 0
      assert.equal(one('hookline_delivery_circuit_open', goodLabels).value, 0);
      assert.equal(one('hookline_delivery_circuit_open', { connection_id: refusing.id }).value, 0);
    });
  });
}
