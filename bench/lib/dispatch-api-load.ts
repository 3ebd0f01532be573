import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measurePair, type PairPlan, type PairRow } from './dispatch-compare.ts';
import { eventBody } from './dispatch-payload.ts';
import { createHttpClient, type HttpClient } from './http-client.ts';

interface Endpoint {
  url: string;
  path: string;
  token: string;
}

interface LoadInput {
  subject: Endpoint;
  baseline: Endpoint;
  concurrencies: number[];
  plan: PairPlan;
}

type LoadOutput = { rows: PairRow[] } | { error: string };

/** The child marks each measured round so the parent can read its own (the servers') CPU. */
interface RoundMark {
  round: { key: string; side: 'subject' | 'baseline'; phase: 'start' | 'end' };
}

/**
 * Part (b)'s load in a child process (as bench/lib/workload-process.ts does for the API
 * benchmark): the client gets an event loop of its own, so the servers measured are not also
 * parsing the client's answers. The same invoke body goes to both sides. Both servers run in
 * this process, one side at a time: this process's CPU over a side's rounds, per call, is
 * what that server spent on a call (`cpuUsPerCall`), steadier than throughput on 2 cores.
 */
export function runInvokeLoadInChild(input: LoadInput): Promise<PairRow[]> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: 'inherit' });
  const serverCpuUs = new Map<string, { subject: number; baseline: number }>();
  let roundStartedAt: NodeJS.CpuUsage | undefined;
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: LoadOutput | RoundMark) => {
      if ('round' in message) {
        const { key, side, phase } = message.round;
        if (phase === 'start') {
          roundStartedAt = process.cpuUsage();
        } else if (roundStartedAt) {
          const used = process.cpuUsage(roundStartedAt);
          const sum = serverCpuUs.get(key) ?? { subject: 0, baseline: 0 };
          sum[side] += used.user + used.system;
          serverCpuUs.set(key, sum);
        }
        child.send('go on');
        return;
      }
      settled = true;
      child.disconnect();
      if ('error' in message) reject(new Error(message.error));
      else {
        const calls = Math.max(1, input.plan.requests);
        resolve(
          message.rows.map((row) => {
            const sum = serverCpuUs.get(row.key);
            return sum
              ? {
                  ...row,
                  cpuUsPerCall: { subject: sum.subject / calls, baseline: sum.baseline / calls },
                }
              : row;
          }),
        );
      }
    });
    child.once('error', (error) => {
      settled = true;
      reject(error);
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the load process exited with code ${code}`));
    });
    child.send(input);
  });
}

function clientFor(endpoint: Endpoint, maxSockets: number): HttpClient {
  return createHttpClient({
    baseUrl: endpoint.url,
    maxSockets,
    headers: { authorization: `Bearer ${endpoint.token}` },
  });
}

async function invoke(client: HttpClient, path: string, index: number): Promise<void> {
  const answer = await client.request('POST', path, {
    environment: 'development',
    body: eventBody(index),
    params: { id: index },
  });
  if (answer.status !== 200 || !answer.text.includes('"outcome":"OK"')) {
    throw new Error(`POST ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
}

async function runInvokeLoad(input: LoadInput): Promise<PairRow[]> {
  const rows: PairRow[] = [];
  for (const concurrency of input.concurrencies) {
    const subject = clientFor(input.subject, concurrency);
    const baseline = clientFor(input.baseline, concurrency);
    try {
      rows.push(
        await measurePair({
          key: `api-http-${concurrency}`,
          label: 'HTTP',
          concurrency,
          plan: input.plan,
          subject: (index) => invoke(subject, input.subject.path, index),
          baseline: (index) => invoke(baseline, input.baseline.path, index),
          // the servers run in the parent: CPU here would be the client's; the parent reads its own
          measureCpu: false,
          onRound: (side, phase) => markRound({ key: `api-http-${concurrency}`, side, phase }),
        }),
      );
    } finally {
      subject.close();
      baseline.close();
    }
  }
  return rows;
}

/** Tells the parent a round starts or ends, and waits until it has read its CPU. */
function markRound(round: RoundMark['round']): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send?.({ round } satisfies RoundMark);
  });
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  process.once('message', (input: LoadInput) => {
    runInvokeLoad(input).then(
      (rows) => send({ rows } satisfies LoadOutput),
      (error: unknown) =>
        send({
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies LoadOutput),
    );
  });
  // the parent stopping (Ctrl-C, an error) must not leave this loop running
  process.once('disconnect', () => process.exit(0));
}
