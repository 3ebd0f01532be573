import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { exitCodes } from './main.ts';

test('the exit code table of docs/reference/cli.md lists every exit code main.ts answers', () => {
  const docs = readFileSync(new URL('../../docs/reference/cli.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf('## Exit codes'), docs.indexOf('## Output'));
  const documented = [...section.matchAll(/^\| (\d+) +\|/gm)].map((match) => Number(match[1]));
  assert.deepEqual(documented, Object.values(exitCodes));
});
