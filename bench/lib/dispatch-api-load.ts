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

/**
 * Part (b)'s load in a child process (as bench/lib/workload-process.ts does for the API
 * benchmark): the client gets an event loop of its own, so the servers measured are not also
 * parsing the client's answers. The same invoke body goes to both sides.
 */
export function runInvokeLoadInChild(input: LoadInput): Promise<PairRow[]> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.once('message', (output: LoadOutput) => {
      settled = true;
      child.disconnect();
      if ('error' in output) reject(new Error(output.error));
      else resolve(output.rows);
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
          // the servers run in the parent: CPU here would be the client's
          measureCpu: false,
        }),
      );
    } finally {
      subject.close();
      baseline.close();
    }
  }
  return rows;
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
