import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  runWorkload,
  type WorkloadPlan,
  type WorkloadRows,
  type WorkloadTargets,
} from './api-workload.ts';

interface WorkloadInput {
  targets: WorkloadTargets;
  plan: WorkloadPlan;
}

type WorkloadOutput = { rows: WorkloadRows } | { error: string };

/**
 * Runs the workload in a child process: the load generator gets its own event loop (and, on
 * a 2-core machine, its own core), so the server measured is not also parsing the client's
 * answers, and the RSS read afterwards is the servers' alone.
 */
export function runWorkloadInChild(
  targets: WorkloadTargets,
  plan: WorkloadPlan,
): Promise<WorkloadRows> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.once('message', (output: WorkloadOutput) => {
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
    // only the addresses: a target's close() stays with its server
    const input: WorkloadInput = {
      targets: {
        hookline: { url: targets.hookline.url, token: targets.hookline.token },
        baseline: { url: targets.baseline.url, token: targets.baseline.token },
      },
      plan,
    };
    child.send(input);
  });
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  process.once('message', (input: WorkloadInput) => {
    runWorkload(input.targets, input.plan).then(
      (rows) => send({ rows } satisfies WorkloadOutput),
      (error: unknown) =>
        send({
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies WorkloadOutput),
    );
  });
}
