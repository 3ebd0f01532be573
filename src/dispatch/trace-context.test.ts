import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTraceparent, parseTraceparent } from './trace-context.ts';

const format = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('createTraceparent', () => {
  test('starts a new sampled trace in the W3C version 00 format', () => {
    const trace = createTraceparent();
    const match = format.exec(trace.traceparent);
    assert.ok(match, trace.traceparent);
    assert.equal(match[1], trace.traceId);
    assert.notEqual(match[1], '0'.repeat(32));
    assert.notEqual(match[2], '0'.repeat(16));
    assert.equal(match[3], '01');
    assert.ok(parseTraceparent(trace.traceparent));
  });

  test('starts a different trace on every call', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createTraceparent().traceId));
    assert.equal(ids.size, 1000);
  });

  test('continues a valid incoming trace with its trace id and flags and a new parent id', () => {
    for (const flags of ['01', '00']) {
      const trace = createTraceparent(incoming.replace(/-01$/, `-${flags}`));
      const match = format.exec(trace.traceparent);
      assert.ok(match, trace.traceparent);
      assert.equal(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
      assert.equal(match[1], trace.traceId);
      assert.notEqual(match[2], '00f067aa0ba902b7');
      assert.equal(match[3], flags);
    }
  });

  test('continues a later version by its first four fields, written as version 00', () => {
    const trace = createTraceparent(
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future-field',
    );
    assert.equal(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.match(trace.traceparent, /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  test('tolerates whitespace around the header value', () => {
    assert.equal(createTraceparent(`  ${incoming} `).traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  });

  test('starts a new trace when the incoming value is not valid', () => {
    const invalid = [
      '',
      'garbage',
      incoming.toUpperCase(),
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `${incoming}-extra`,
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
      '00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01',
    ];
    for (const value of invalid) {
      assert.equal(parseTraceparent(value), null, value);
      const trace = createTraceparent(value);
      assert.notEqual(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736', value);
      assert.match(trace.traceparent, format);
    }
  });
});
