import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createChangeFeed, type RuntimeValueChange } from './change-feed.ts';

describe('createChangeFeed', () => {
  test('counts every change and tells each listener until it unsubscribes', () => {
    const feed = createChangeFeed();
    const heard: RuntimeValueChange[] = [];
    const stop = feed.onChange((change) => heard.push(change));
    assert.equal(feed.version(), 0);
    feed.emit({ kind: 'secret', name: 'A', action: 'create' });
    stop();
    feed.emit({ kind: 'secret', name: 'A', action: 'delete' });
    assert.equal(feed.version(), 2);
    assert.deepEqual(heard, [{ kind: 'secret', name: 'A', action: 'create' }]);
  });

  test('a listener that throws does not keep the others from hearing, and is reported', async () => {
    const feed = createChangeFeed();
    const heard: string[] = [];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      feed.onChange(() => {
        throw new Error('cache gone');
      });
      feed.onChange((change) => heard.push(change.name));
      feed.emit({ kind: 'variable', name: 'B', action: 'update' });
      // process warnings are emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(heard, ['B']);
    assert.deepEqual(warnings, ['a variable change listener failed: cache gone']);
  });
});
