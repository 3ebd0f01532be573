import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMinuteHistory } from '../../dispatch/engine/minute-history.ts';
import { createStore, type Store } from '../../store/create-store.ts';
import { readMetricMinutes } from './metric-minutes.repo.ts';
import { createMetricsService, type MetricsSource } from './metrics.service.ts';

const now = Date.parse('2026-12-08T10:37:20Z');

/** One target's in-memory minutes, as the engine keeps them. */
function memorySource() {
  const history = createMinuteHistory();
  const source: MetricsSource = {
    forConnection: () => [],
    unflushedMinutes: () => {
      const minutes = history.unflushed();
      return minutes.length ? [{ connectionId: 'con_1', environment: 'test', minutes }] : [];
    },
    markFlushed: (flushed) => flushed.minutes.forEach((minute) => history.markFlushed(minute)),
  };
  return { history, source };
}

async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-metrics-'));
  const store = await createStore({ dialect: 'sqlite', file: join(dir, 'hookline.sqlite') });
  try {
    await work(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stored = (store: Store) =>
  readMetricMinutes(store.db, {
    connectionId: 'con_1',
    fromMinute: '2026-12-08T00:00:00.000Z',
    toMinute: '2026-12-09T00:00:00.000Z',
  });

test('a failed flush leaves its counts unflushed, and the next flush stores them once', async () => {
  await withStore(async (store) => {
    const { history, source } = memorySource();
    let failNext = true;
    const failingOnce: Store = {
      ...store,
      transaction: (work) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('disk full'));
        }
        return store.transaction(work);
      },
    };
    const errors: unknown[] = [];
    const metrics = createMetricsService({
      store: failingOnce,
      clock: { now: () => new Date(now) },
      source,
      findConnection: async () => ({ id: 'con_1', name: 'Alerts' }),
      onError: (error) => errors.push(error),
    });
    history.add(now, true, 12);
    history.add(now, false, 40);
    await assert.rejects(metrics.flush(), /disk full/);
    assert.deepEqual(await stored(store), []);

    history.add(now + 1000, true, 12);
    await metrics.flush();
    await metrics.flush(); // nothing new: writes nothing
    const rows = await stored(store);
    assert.deepEqual(
      rows.map((row) => [row.minute, row.total, row.failures]),
      [['2026-12-08T10:37:00.000Z', 3, 1]],
    );

    // the API's answer: the stored minute plus one more call not stored yet, counted once
    history.add(now + 2000, false, 12);
    const answer = await metrics.connectionMetrics('con_1', { range: '1h' });
    const point = answer.environments[0]?.history.at(-1);
    assert.deepEqual([point?.total, point?.failures], [4, 2]);
    await metrics.stop(); // flushes the rest
    assert.deepEqual(
      (await stored(store)).map((row) => row.total),
      [4],
    );
    assert.deepEqual(errors, []);
  });
});
