import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const redocly = fileURLToPath(
  new URL('../../node_modules/@redocly/cli/bin/cli.js', import.meta.url),
);

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { pointer?: string }[];
}

// What an API user's tooling says first about openapi.json (the drift test keeps that file the
// document the server serves). redocly.yaml: the recommended rules, with missing operationIds,
// servers and license, unused components and illogical compositions as errors; a warning fails
// this test too, unless .redocly.lint-ignore.yaml lists it with its reason.
test('openapi.json passes `redocly lint` with no error and no warning', () => {
  const run = spawnSync(process.execPath, [redocly, 'lint', 'openapi.json', '--format=json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 120_000,
  });
  assert.ok(run.stdout.trim().startsWith('{'), `redocly answered no report:\n${run.stderr}`);
  const report = JSON.parse(run.stdout) as {
    totals: { errors: number; warnings: number };
    problems: LintProblem[];
  };
  assert.deepEqual(
    report.problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} at ${problem.location?.[0]?.pointer ?? '?'}: ${problem.message}`,
    ),
    [],
  );
  assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
  assert.equal(run.status, 0, run.stderr);
});
