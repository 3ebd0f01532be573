import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createHttpClient } from './http-client.ts';
import { runLoad, summarize, type LoadResult } from './run-load.ts';

/** What the load process sends: single accepts, or batches of `batchSize`. */
export interface AcceptLoad {
  url: string;
  token: string;
  connectionId: string;
  mode: 'single' | 'batch';
  /** calls (a batch is one call) */
  requests: number;
  concurrency: number;
  batchSize: number;
  /** numbers the deliveries from here, so every run's {{param.n}} differ */
  firstNumber: number;
}

type LoadOutput = { result: LoadResult } | { error: string };

/**
 * Accept calls from a child process (the client gets its own event loop, as in the other
 * benchmarks): each must answer 202. Answers the calls' throughput and latency.
 */
export function runAcceptLoadInChild(load: AcceptLoad): Promise<LoadResult> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.once('message', (output: LoadOutput) => {
      settled = true;
      child.disconnect();
      if ('error' in output) reject(new Error(output.error));
      else resolve(output.result);
    });
    child.once('error', (error) => {
      settled = true;
      reject(error);
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the load process exited with code ${code}`));
    });
    child.send(load);
  });
}

async function runAcceptLoad(load: AcceptLoad): Promise<LoadResult> {
  const client = createHttpClient({
    baseUrl: load.url,
    maxSockets: load.concurrency,
    headers: { authorization: `Bearer ${load.token}` },
  });
  const event = (n: number) => ({
    body: { type: 'order.created', id: `evt_${n}`, data: { orderId: n, total: '19.90' } },
    params: { n },
  });
  try {
    const sample = await runLoad({
      requests: load.requests,
      concurrency: load.concurrency,
      async send(index) {
        const path = `/api/v1/connections/${load.connectionId}/deliveries${load.mode === 'batch' ? '/batch' : ''}`;
        const first = load.firstNumber + index * (load.mode === 'batch' ? load.batchSize : 1);
        const body =
          load.mode === 'batch'
            ? {
                environment: 'development',
                items: Array.from({ length: load.batchSize }, (_, i) => event(first + i)),
              }
            : { environment: 'development', ...event(first) };
        const answer = await client.request('POST', path, body);
        if (answer.status !== 202) {
          throw new Error(`POST ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
        }
      },
    });
    return summarize([sample]);
  } finally {
    client.close();
  }
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  process.once('message', (load: AcceptLoad) => {
    runAcceptLoad(load).then(
      (result) => send({ result } satisfies LoadOutput),
      (error: unknown) =>
        send({
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies LoadOutput),
    );
  });
  process.once('disconnect', () => process.exit(0));
}
