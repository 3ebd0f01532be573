import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeIn } from './invoke.ts';

test('a call header Hookline sets itself, or a name that is not a token, is refused saying why', () => {
  const result = invokeIn.safeParse({
    environment: 'development',
    headers: { Host: 'evil.example', 'Bad Name': 'x', 'X-Request-Id': 'ok' },
  });
  assert.equal(result.success, false);
  const problems = Object.fromEntries(
    result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]),
  );
  assert.match(problems['headers.Host'] ?? '', /hop-by-hop or framing header/);
  assert.match(problems['headers.Bad Name'] ?? '', /RFC 9110 token/);
  assert.equal(problems['headers.X-Request-Id'], undefined);
});

test('a call header value with a line break is refused (no header injection)', () => {
  const result = invokeIn.safeParse({
    environment: 'development',
    headers: { 'X-A': 'a\r\nHost: evil' },
  });
  assert.equal(result.success, false);
  assert.equal(result.error!.issues[0]?.path.join('.'), 'headers.X-A');
});
