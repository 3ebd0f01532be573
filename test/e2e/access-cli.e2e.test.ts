// The real `hookline` binary on access and change control: a server spawned with `serve --port
// 0` on SQLite in a temp data directory, every CLI command its own child process — `whoami`,
// `users`, `tokens` and `approvals` as people with different roles run them, and a critical
// connection's production deploy that waits for a second admin.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { closeAllTargets, startHttpTarget, type Target } from '../helpers/target-servers.ts';
import { field, parseTable } from './helpers/cli-output.ts';
import {
  cleanEnv,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';
import { createTokenAs, logIn } from './helpers/login.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-access-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));
after(() => closeAllTargets());

const passwords = {
  alice: 'Juniper-orbit-4411',
  bob: 'Granite-kettle-2093',
  bobReset: 'Saffron-lantern-5127',
  bobOwn: 'Harbor-pepper-3382',
  aliceOwn: 'Cobalt-willow-7265',
  aliceNew: 'Meadow-quartz-8830',
};

describe('hookline whoami / users / tokens / approvals', () => {
  const dataDir = join(root, 'data');
  let server: ServeProcess;
  let adminToken: string;
  let target: Target;
  const tokens: { alice?: string; bob?: string } = {};

  /** Runs a command as the holder of `token` (default: the admin token); `input` is stdin. */
  async function hookline(
    args: string[],
    options: { token?: string; input?: string } = {},
  ): Promise<CliResult> {
    const env = cleanEnv({ HOOKLINE_URL: server.url, HOOKLINE_TOKEN: options.token ?? adminToken });
    const result = await runHookline(args, { env, cwd: root, input: options.input });
    // no password given on stdin is ever printed back
    for (const password of Object.values(passwords)) {
      assert.ok(
        !`${result.stdout}${result.stderr}`.includes(password),
        `a password was printed by ${args.join(' ')}`,
      );
    }
    return result;
  }
  const ok = (result: CliResult) => {
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const refused = (result: CliResult, code: string) => {
    assert.equal(result.code, 1, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^error ${code}: `));
    return result.stderr;
  };
  const usernames = async () =>
    JSON.parse(ok(await hookline(['users', 'list', '--json']))).items.map(
      (user: { username: string }) => user.username,
    );

  before(async () => {
    target = await startHttpTarget();
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
      env: cleanEnv(),
      cwd: root,
    });
    adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  });
  after(async () => {
    await server.stop();
  });

  test('whoami names the admin token’s user, role and token id', async () => {
    const shown = ok(await hookline(['whoami']));
    assert.equal(field(shown, 'User'), 'admin');
    assert.equal(field(shown, 'Role'), 'admin');
    assert.equal(field(shown, 'Via'), 'token');
    assert.match(field(shown, 'Token') ?? '', /^tok_\w+$/);

    const json = JSON.parse(ok(await hookline(['whoami', '--json'])));
    assert.deepEqual([json.user.username, json.role, json.via], ['admin', 'admin', 'token']);
    assert.equal(json.tokenId, field(shown, 'Token'));
  });

  test('users create takes the password from stdin; a weak one is refused with its problems and creates nothing', async () => {
    const alice = ok(
      await hookline(
        [
          'users',
          'create',
          'alice',
          '--role',
          'admin',
          '--display-name',
          'Alice Admin',
          '--password-stdin',
        ],
        { input: `${passwords.alice}\n` },
      ),
    );
    assert.equal(alice.trim(), 'created user alice (admin)');
    ok(
      await hookline(['users', 'create', 'bob', '--role', 'editor', '--password-stdin'], {
        input: `${passwords.bob}\n`,
      }),
    );

    const listed = JSON.parse(ok(await hookline(['users', 'list', '--json'])));
    assert.deepEqual(
      listed.items.map((u: { username: string; role: string }) => [u.username, u.role]),
      [
        ['admin', 'admin'],
        ['alice', 'admin'],
        ['bob', 'editor'],
      ],
    );
    assert.equal(listed.next, null);
    const table = ok(await hookline(['users', 'list']));
    assert.match(table, /^USERNAME +NAME +ROLE +STATUS +LAST LOGIN$/m);
    assert.match(table, /^alice +Alice Admin +admin +must change password +never$/m);

    const weak = await hookline(
      ['users', 'create', 'carol', '--role', 'viewer', '--password-stdin'],
      {
        input: 'password\n',
      },
    );
    assert.match(refused(weak, 'VALIDATION_FAILED'), /^ {2}password: use at least 12 characters$/m);
    const common = await hookline(
      ['users', 'create', 'carol', '--role', 'viewer', '--password-stdin'],
      { input: 'Password1234\n' },
    );
    assert.match(
      refused(common, 'VALIDATION_FAILED'),
      /^ {2}password: this password is among the most common ones$/m,
    );
    const named = await hookline(
      ['users', 'create', 'carol', '--role', 'viewer', '--password-stdin'],
      { input: 'carol-Is-12-chars-long\n' },
    );
    assert.match(refused(named, 'VALIDATION_FAILED'), /must not contain the user name/);
    assert.deepEqual(await usernames(), ['admin', 'alice', 'bob']);
    refused(await hookline(['users', 'show', 'carol']), 'NOT_FOUND');

    const again = await hookline(
      ['users', 'create', 'bob', '--role', 'viewer', '--password-stdin'],
      {
        input: `${passwords.bob}\n`,
      },
    );
    refused(again, 'USER_EXISTS');
  });

  test('a password is never taken from argv; without stdin or a terminal one is generated and shown once', async () => {
    const argv = await hookline([
      'users',
      'create',
      'dave',
      '--role',
      'viewer',
      '--password',
      'Tundra-violet-6610',
    ]);
    assert.equal(argv.code, 2, argv.stderr);
    assert.match(argv.stderr, /never taken on the command line/);
    const twoLines = await hookline(
      ['users', 'create', 'dave', '--role', 'viewer', '--password-stdin'],
      { input: 'first-line-password\nsecond-line\n' },
    );
    assert.equal(twoLines.code, 2, twoLines.stderr);
    assert.deepEqual(await usernames(), ['admin', 'alice', 'bob']);

    const created = await hookline(['users', 'create', 'dave', '--role', 'viewer']);
    const [line, passwordLine] = ok(created).trimEnd().split('\n');
    assert.equal(line, 'created user dave (viewer)');
    const password = /^password: (\S{24})$/.exec(passwordLine ?? '')?.[1];
    assert.ok(password, created.stdout);
    assert.match(created.stderr, /shown only now.*must change it at their next login/);
    const session = await logIn(server.url, 'dave', password);
    assert.equal(session.mustChangePassword, true);

    const shown = ok(await hookline(['users', 'show', 'dave']));
    assert.equal(field(shown, 'Role'), 'viewer');
    assert.equal(field(shown, 'Must change password'), 'yes');
    assert.ok(!shown.includes(password), 'show never prints a password');

    const disabled = ok(await hookline(['users', 'update', 'dave', '--disable']));
    assert.equal(disabled.trim(), 'updated user dave (viewer, disabled)');
    await assert.rejects(logIn(server.url, 'dave', password), /401/);
    const both = await hookline(['users', 'update', 'dave', '--disable', '--enable']);
    assert.equal(both.code, 2, both.stderr);
    const nothing = await hookline(['users', 'update', 'dave']);
    assert.equal(nothing.code, 2, nothing.stderr);
    const json = JSON.parse(
      ok(await hookline(['users', 'update', 'dave', '--enable', '--role', 'editor', '--json'])),
    );
    assert.deepEqual([json.disabled, json.role], [false, 'editor']);
  });

  test('users set-password resets another user’s password; users passwd changes your own', async () => {
    const reset = await hookline(['users', 'set-password', 'bob', '--password-stdin'], {
      input: `${passwords.bobReset}\n`,
    });
    assert.equal(ok(reset).trim(), 'set a new password for bob');
    assert.match(reset.stderr, /bob must change it at their next login/);
    await assert.rejects(logIn(server.url, 'bob', passwords.bob), /401/);
    // a password someone else set is changed before anything else, a token included
    tokens.bob = await createTokenAs(
      server.url,
      'bob',
      passwords.bobReset,
      'bob-cli',
      passwords.bobOwn,
    );

    tokens.alice = await createTokenAs(
      server.url,
      'alice',
      passwords.alice,
      'alice-cli',
      passwords.aliceOwn,
    );
    const wrong = await hookline(['users', 'passwd'], {
      token: tokens.alice,
      input: `not-my-password-at-all\n${passwords.aliceNew}\n`,
    });
    assert.match(
      refused(wrong, 'VALIDATION_FAILED'),
      /^ {2}currentPassword: is not your current password$/m,
    );
    const oneLine = await hookline(['users', 'passwd'], {
      token: tokens.alice,
      input: `${passwords.aliceOwn}\n`,
    });
    assert.equal(oneLine.code, 2, oneLine.stderr);
    const changed = await hookline(['users', 'passwd'], {
      token: tokens.alice,
      input: `${passwords.aliceOwn}\n${passwords.aliceNew}\n`,
    });
    assert.match(ok(changed), /^changed your password/);
    await logIn(server.url, 'alice', passwords.aliceNew);
    const me = JSON.parse(ok(await hookline(['whoami', '--json'], { token: tokens.alice })));
    assert.deepEqual([me.user.username, me.user.mustChangePassword], ['alice', false]);
  });

  test('tokens create prints a narrower token once; whoami shows its role; revoke ends it', async () => {
    const created = await hookline(
      ['tokens', 'create', 'ci', '--role', 'viewer', '--expires', '30d'],
      {
        token: tokens.alice,
      },
    );
    const [line, value] = ok(created).trimEnd().split('\n');
    assert.match(
      line ?? '',
      /^created token ci \(tok_\w+\) for alice: role viewer, expires \d{4}-/,
    );
    assert.ok(value && value.length >= 32, created.stdout);
    assert.match(created.stderr, /shown only now and never again/);
    const id = /\((tok_\w+)\)/.exec(line ?? '')?.[1];

    const who = ok(await hookline(['whoami'], { token: value }));
    assert.equal(field(who, 'User'), 'alice');
    assert.equal(field(who, 'Role'), "viewer (the token's; admin as a user)");
    assert.equal(field(who, 'Token'), id);
    const me = JSON.parse(ok(await hookline(['whoami', '--json'], { token: value })));
    assert.deepEqual([me.role, me.user.role, me.tokenId], ['viewer', 'admin', id]);

    // the viewer token may read but not manage users
    refused(await hookline(['users', 'list'], { token: value }), 'FORBIDDEN');

    const mine = JSON.parse(
      ok(await hookline(['tokens', 'list', '--json'], { token: tokens.alice })),
    );
    assert.deepEqual(
      mine.items.map((t: { name: string; role: string | null }) => [t.name, t.role]),
      [
        ['alice-cli', null],
        ['ci', 'viewer'],
      ],
    );
    const ci = mine.items.find((t: { name: string }) => t.name === 'ci');
    const expiresInDays = (Date.parse(ci.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(expiresInDays > 29.9 && expiresInDays <= 30, `expires in ${expiresInDays} days`);
    assert.ok(!JSON.stringify(mine).includes(value), 'a list never holds a token value');
    const table = ok(await hookline(['tokens', 'list'], { token: tokens.alice }));
    assert.match(table, /^ID +NAME +USER +ROLE +STATE +EXPIRES +LAST USED$/m);
    assert.match(table, new RegExp(`^${id} +ci +alice +viewer +active +\\d{4}-`, 'm'));
    // an admin looks at alice's tokens; by default one sees only one's own
    const byAdmin = JSON.parse(ok(await hookline(['tokens', 'list', '--user', 'alice', '--json'])));
    assert.deepEqual(
      byAdmin.items.map((t: { name: string }) => t.name),
      ['alice-cli', 'ci'],
    );
    const adminOwn = JSON.parse(ok(await hookline(['tokens', 'list', '--json'])));
    assert.ok(adminOwn.items.every((t: { username: string }) => t.username === 'admin'));

    refused(await hookline(['tokens', 'create', 'ci'], { token: tokens.alice }), 'TOKEN_EXISTS');
    const badExpiry = await hookline(['tokens', 'create', 'x', '--expires', 'tomorrow'], {
      token: tokens.alice,
    });
    assert.equal(badExpiry.code, 2, badExpiry.stderr);
    assert.match(badExpiry.stderr, /--expires 'tomorrow' is neither a duration/);

    const revoked = ok(await hookline(['tokens', 'revoke', id!], { token: tokens.alice }));
    assert.equal(revoked.trim(), `revoked token ci (${id}) of alice`);
    const shown = ok(await hookline(['tokens', 'show', id!], { token: tokens.alice }));
    assert.equal(field(shown, 'State'), 'revoked');
    const after = await hookline(['whoami'], { token: value });
    refused(after, 'UNAUTHENTICATED');
  });

  test('a critical production deploy waits for another admin: approve deploys it, reject does not', async () => {
    const connection = 'Payments_Critical';
    // loopback is refused in production unless allowed: the target listens on 127.0.0.1
    ok(await hookline(['environments', 'update', 'production', '--allow-cidrs', '127.0.0.1/32']));
    const file = join(root, 'payments.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: connection,
        critical: true,
        environments: { production: { method: 'POST', url: `${target.origin}/payments` } },
      }),
    );
    ok(await hookline(['connections', 'create', '-f', file]));

    const asked = await hookline(['connections', 'deploy', connection, '--env', 'production']);
    assert.equal(asked.code, 4, `${asked.stdout}\n${asked.stderr}`);
    assert.equal(asked.stdout, '');
    const approvalId = /waits for approval (apr_\w+) until /.exec(asked.stderr)?.[1];
    assert.ok(approvalId, asked.stderr);
    assert.match(
      asked.stderr,
      new RegExp(
        `^hookline: deploying revision 1 of '${connection}' to production waits for approval ${approvalId} until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ \\(another admin: hookline approvals approve ${approvalId}\\)$`,
        'm',
      ),
    );
    // asking again while it waits reuses the approval; --json gives scripts the API answer
    const json = await hookline([
      'connections',
      'deploy',
      connection,
      '--env',
      'production',
      '--json',
    ]);
    assert.equal(json.code, 4, json.stderr);
    const answer = JSON.parse(json.stdout);
    assert.equal(answer.error.code, 'APPROVAL_REQUIRED');
    assert.deepEqual(
      [
        answer.error.details.approvalId,
        answer.error.details.revision,
        answer.error.details.requestedBy,
      ],
      [approvalId, 1, 'admin'],
    );

    const pending = JSON.parse(
      ok(await hookline(['approvals', 'list', '--state', 'pending', '--json'])),
    );
    assert.deepEqual(
      pending.items.map((a: Record<string, unknown>) => [
        a.id,
        a.connection,
        a.environment,
        a.revision,
        a.state,
        a.requestedBy,
      ]),
      [[approvalId, connection, 'production', 1, 'pending', 'admin']],
    );
    const table = parseTable(ok(await hookline(['approvals', 'list'])));
    assert.deepEqual(table.header, [
      'ID',
      'ACTION',
      'CONNECTION',
      'ENVIRONMENT',
      'REVISION',
      'STATE',
      'REQUESTED',
      'BY',
      'EXPIRES',
    ]);
    assert.deepEqual(
      table.rows.map((row) => [row[0], row[1], row[2], row[3], row[4], row[5], row[7]]),
      [[approvalId, 'deploy', connection, 'production', '1', 'pending', 'admin']],
    );
    const shown = ok(await hookline(['approvals', 'show', approvalId]));
    const expiresAt = pending.items[0].expiresAt as string;
    assert.ok(Date.parse(expiresAt) > Date.now(), expiresAt);
    assert.equal(field(shown, 'Expires'), `${expiresAt.slice(0, 10)} ${expiresAt.slice(11, 16)}Z`);
    assert.equal(field(shown, 'State'), 'pending');

    // the admin who asked may not approve their own deploy
    const own = await hookline(['approvals', 'approve', approvalId]);
    assert.match(refused(own, 'FORBIDDEN'), /another admin must approve it/);
    const still = JSON.parse(ok(await hookline(['approvals', 'show', approvalId, '--json'])));
    assert.equal(still.state, 'pending');

    const approved = await hookline(['approvals', 'approve', approvalId, '--comment', 'ok'], {
      token: tokens.alice,
    });
    assert.deepEqual(ok(approved).trimEnd().split('\n'), [
      `approved ${approvalId}: deploy revision 1 of ${connection} to production, asked by admin`,
      `${connection}: deployed revision 1 to production, approved in ${approvalId}`,
    ]);
    const decided = JSON.parse(ok(await hookline(['approvals', 'show', approvalId, '--json'])));
    assert.deepEqual(
      [decided.state, decided.decidedBy, decided.comment],
      ['approved', 'alice', 'ok'],
    );
    assert.match(decided.deploymentId, /\w+/);
    const deployed = JSON.parse(ok(await hookline(['connections', 'get', connection, '--json'])));
    assert.equal(deployed.deployments.production.revision, 1);
    assert.equal(deployed.deployments.production.deployedBy, 'alice');
    const invoked = ok(
      await hookline(['connections', 'invoke', connection, '--env', 'production', '--data', '{}']),
    );
    assert.equal(field(invoked, 'Outcome'), 'OK');
    assert.equal(target.requests.at(-1)?.url, '/payments');

    const twice = await hookline(['approvals', 'approve', approvalId], { token: tokens.alice });
    assert.match(refused(twice, 'APPROVAL_NOT_PENDING'), /already approved/);

    // revision 2 asks again; rejected, production keeps revision 1
    ok(await hookline(['connections', 'update', connection, '--description', 'second']));
    const second = await hookline(['connections', 'deploy', connection, '--env', 'production']);
    assert.equal(second.code, 4, second.stderr);
    const secondId = /waits for approval (apr_\w+)/.exec(second.stderr)?.[1];
    assert.ok(secondId && secondId !== approvalId, second.stderr);
    assert.match(second.stderr, /deploying revision 2 of/);
    const rejected = await hookline(['approvals', 'reject', secondId, '--comment', 'not today'], {
      token: tokens.alice,
    });
    assert.equal(
      ok(rejected).trim(),
      `rejected ${secondId}: revision 2 of ${connection} is not deployed to production`,
    );
    const rejectedJson = JSON.parse(ok(await hookline(['approvals', 'show', secondId, '--json'])));
    assert.deepEqual(
      [rejectedJson.state, rejectedJson.decidedBy, rejectedJson.comment, rejectedJson.deploymentId],
      ['rejected', 'alice', 'not today', null],
    );
    const [current] = ok(await hookline(['connections', 'deployments', connection])).split('\n\n');
    assert.deepEqual(
      parseTable(current ?? '').rows.map((row) => [row[0], row[1], row[3]]),
      [['production', '1', 'alice']],
    );
    const history = JSON.parse(
      ok(
        await hookline([
          'approvals',
          'list',
          '--connection',
          connection,
          '--environment',
          'production',
          '--json',
        ]),
      ),
    );
    assert.deepEqual(
      history.items.map((a: { id: string; state: string }) => [a.id, a.state]),
      [
        [secondId, 'rejected'],
        [approvalId, 'approved'],
      ],
    );

    // a third request lapses undecided: 24 h pass (its expiry moved back in the store the
    // server runs on), after which nobody can approve it
    const third = await hookline(['connections', 'deploy', connection, '--env', 'production']);
    assert.equal(third.code, 4, third.stderr);
    const thirdId = /waits for approval (apr_\w+)/.exec(third.stderr)?.[1];
    assert.ok(thirdId && thirdId !== secondId, third.stderr);
    const store = new DatabaseSync(join(dataDir, 'hookline.sqlite'));
    try {
      store.exec('PRAGMA busy_timeout = 5000');
      const moved = store
        .prepare('UPDATE approvals SET expires_at = ? WHERE id = ?')
        .run(new Date(Date.now() - 1000).toISOString(), thirdId);
      assert.equal(moved.changes, 1);
    } finally {
      store.close();
    }
    const expired = ok(await hookline(['approvals', 'show', thirdId]));
    assert.equal(field(expired, 'State'), 'expired');
    const tooLate = await hookline(['approvals', 'approve', thirdId], { token: tokens.alice });
    assert.match(refused(tooLate, 'APPROVAL_NOT_PENDING'), /expired/);
    const expiredList = JSON.parse(
      ok(await hookline(['approvals', 'list', '--state', 'expired', '--json'])),
    );
    assert.deepEqual(
      expiredList.items.map((a: { id: string }) => a.id),
      [thirdId],
    );
    const stillOne = JSON.parse(ok(await hookline(['connections', 'get', connection, '--json'])));
    assert.equal(stillOne.deployments.production.revision, 1);
  });

  test('an editor may not deploy to production nor decide approvals: FORBIDDEN names the permission', async () => {
    const deploy = await hookline(
      ['connections', 'deploy', 'Payments_Critical', '--env', 'production'],
      { token: tokens.bob },
    );
    assert.match(refused(deploy, 'FORBIDDEN'), /deploy:production/);
    const decide = await hookline(['approvals', 'approve', 'apr_00000000000000000000000000'], {
      token: tokens.bob,
    });
    assert.match(refused(decide, 'FORBIDDEN'), /approvals:decide/);
    const pending = JSON.parse(
      ok(
        await hookline(['approvals', 'list', '--state', 'pending', '--json'], {
          token: tokens.bob,
        }),
      ),
    );
    assert.deepEqual(pending.items, []);
  });
});
