import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRetentionSweep } from './retention-sweep.ts';

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    pruneRevisions: async (keep: number) => {
      calls.push(`revisions ${keep}`);
      return 2;
    },
    pruneAudit: async (retentionMs: number) => {
      calls.push(`audit ${retentionMs}`);
      return 3;
    },
  };
}

test('a sweep prunes revisions past the retention, then audit records past theirs', async () => {
  const prune = recorder();
  const sweep = createRetentionSweep({
    ...prune,
    options: { revisionRetention: 5, auditRetentionMs: 1000 },
  });
  assert.deepEqual(await sweep.sweep(), { revisions: 2, auditRecords: 3, metricMinutes: 0 });
  assert.deepEqual(prune.calls, ['revisions 5', 'audit 1000']);
});

test('0 revisions and no audit retention keep everything: nothing is pruned', async () => {
  const prune = recorder();
  const sweep = createRetentionSweep({
    ...prune,
    options: { revisionRetention: 0, auditRetentionMs: null },
  });
  assert.deepEqual(await sweep.sweep(), { revisions: 0, auditRecords: 0, metricMinutes: 0 });
  assert.deepEqual(prune.calls, []);
});

test('start sweeps at once; a failed sweep is reported, and stop waits for the one under way', async () => {
  const errors: unknown[] = [];
  const sweep = createRetentionSweep({
    pruneRevisions: async () => {
      throw new Error('store gone');
    },
    pruneAudit: async () => 0,
    options: { intervalMs: 3_600_000 },
    onError: (error) => errors.push(error),
  });
  sweep.start();
  sweep.start(); // idempotent: still one sweep
  await sweep.stop();
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /store gone/);
});

test('a sweep also prunes the stored metric minutes when it is given how', async () => {
  const prune = recorder();
  const sweep = createRetentionSweep({
    ...prune,
    pruneMetrics: async () => 7,
    options: { revisionRetention: 0, auditRetentionMs: null },
  });
  assert.deepEqual(await sweep.sweep(), { revisions: 0, auditRecords: 0, metricMinutes: 7 });
});
