// Approvals for critical connections (issue "access" §5) over the real API on both stores:
// who may deploy where, the pending approval a critical production deploy becomes, another
// admin's approval (the deploy happens then), rejection, self-approval refused, expiry.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser, type TestUser } from '../helpers/test-users.ts';

const base = '/api/v1/connections';
const dayMs = 24 * 3_600_000;

function body(name: string, critical = true) {
  return {
    name,
    critical,
    environments: {
      production: { method: 'POST', url: 'https://crm.example.com/hooks' },
      test: { method: 'POST', url: 'https://crm-test.example.com/hooks' },
    },
  };
}

for (const kind of testStores()) {
  describe(`approvals on ${kind.name}`, () => {
    let api: TestApi;
    let alice: TestUser; // a second admin
    let bob: TestUser; // an editor
    let offsetMs = 0;

    before(async () => {
      api = await startTestApi(kind, { clock: { now: () => new Date(Date.now() + offsetMs) } });
      alice = await addUser(api.services, 'admin', 'alice');
      bob = await addUser(api.services, 'editor', 'bob');
    });
    after(() => api.close());

    const as = (user: TestUser | null) => ({ token: user ? user.token : undefined });
    const create = async (critical = true) => {
      const made = await api.request('POST', base, body(uniqueName('Crit'), critical));
      assert.equal(made.status, 201, made.text);
      return made.body as { id: string; name: string; revision: number };
    };
    const deploy = (id: string, environment: string, user: TestUser | null = null) =>
      api.request('POST', `${base}/${id}/deploy`, { environment }, as(user));
    const running = async (id: string, environment: string) =>
      (await api.request('GET', `${base}/${id}`)).body.deployments?.[environment]?.revision ?? null;
    const approval = async (id: string) =>
      (await api.request('GET', `/api/v1/approvals/${id}`)).body;

    test('an editor deploys to test but not to production; FORBIDDEN names deploy:production', async () => {
      const connection = await create(false);
      const toTest = await deploy(connection.id, 'test', bob);
      assert.equal(toTest.status, 200, toTest.text);
      const toProduction = await deploy(connection.id, 'production', bob);
      assert.equal(toProduction.status, 403);
      assert.equal(toProduction.body.error.details.permission, 'deploy:production');
      assert.equal(await running(connection.id, 'production'), null);
      const undeploy = await api.request(
        'POST',
        `${base}/${connection.id}/undeploy`,
        { environment: 'test' },
        as(bob),
      );
      assert.equal(undeploy.status, 200);
      // an admin deploys a connection that is not critical at once
      assert.equal((await deploy(connection.id, 'production')).status, 200);
      assert.equal(await running(connection.id, 'production'), 1);
    });

    test('a critical production deploy waits for another admin, who approves it: then it runs', async () => {
      const connection = await create();
      const asked = await deploy(connection.id, 'production');
      assert.equal(asked.status, 409, asked.text);
      assert.equal(asked.body.error.code, 'APPROVAL_REQUIRED');
      const approvalId = asked.body.error.details.approvalId as string;
      assert.match(approvalId, /^apr_/);
      assert.equal(await running(connection.id, 'production'), null);
      // asking again for the same revision is the same approval, not a second one
      const again = await deploy(connection.id, 'production');
      assert.equal(again.body.error.details.approvalId, approvalId);
      const pending = await api.request(
        'GET',
        `/api/v1/approvals?state=pending&connection=${connection.name}`,
      );
      assert.deepEqual(
        pending.body.items.map((a: { id: string }) => a.id),
        [approvalId],
      );
      assert.equal(pending.body.items[0].requestedBy, 'admin');
      assert.equal(pending.body.items[0].revision, 1);
      // critical only matters for production-kind environments
      assert.equal((await deploy(connection.id, 'test')).status, 200);

      const own = await api.request('POST', `/api/v1/approvals/${approvalId}/approve`, {});
      assert.equal(own.status, 403);
      assert.equal(own.body.error.details.reason, 'own_request');
      const byEditor = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/approve`,
        {},
        as(bob),
      );
      assert.equal(byEditor.status, 403);
      assert.equal(byEditor.body.error.details.permission, 'approvals:decide');
      assert.equal((await approval(approvalId)).state, 'pending');
      assert.equal(await running(connection.id, 'production'), null);

      const approved = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/approve`,
        { comment: 'looks right' },
        as(alice),
      );
      assert.equal(approved.status, 200, approved.text);
      assert.equal(approved.body.approval.state, 'approved');
      assert.equal(approved.body.approval.decidedBy, 'alice');
      assert.equal(approved.body.approval.comment, 'looks right');
      assert.equal(approved.body.deployment.outcome, 'deployed');
      assert.equal(approved.body.approval.deploymentId, approved.body.deployment.id);
      assert.equal(await running(connection.id, 'production'), 1);

      const twice = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/approve`,
        {},
        as(alice),
      );
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'APPROVAL_NOT_PENDING');
      assert.equal(twice.body.error.details.state, 'approved');
    });

    test('Save and Deploy of a critical connection saves the revision and waits; a rejection deploys nothing', async () => {
      const connection = await create();
      const saved = await api.request('PUT', `${base}/${connection.id}?deploy=production`, {
        ...body(connection.name),
        description: 'second revision',
      });
      assert.equal(saved.status, 409, saved.text);
      assert.equal(saved.body.error.code, 'APPROVAL_REQUIRED');
      assert.equal(saved.body.error.details.saved, true);
      assert.equal(saved.body.error.details.revision, 2);
      const current = await api.request('GET', `${base}/${connection.id}`);
      assert.equal(current.body.revision, 2, 'the revision was saved');
      assert.equal(current.body.description, 'second revision');
      assert.equal(await running(connection.id, 'production'), null);

      const approvalId = saved.body.error.details.approvalId as string;
      const rejected = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/reject`,
        { comment: 'not this week' },
        as(alice),
      );
      assert.equal(rejected.status, 200, rejected.text);
      assert.equal(rejected.body.state, 'rejected');
      assert.equal(rejected.body.comment, 'not this week');
      assert.equal(await running(connection.id, 'production'), null);
      const late = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/approve`,
        {},
        as(alice),
      );
      assert.equal(late.status, 409);
      assert.equal(late.body.error.details.state, 'rejected');
    });

    test('a pending approval expires after 24 h: it can no longer be approved', async () => {
      const connection = await create();
      const asked = await deploy(connection.id, 'production');
      const approvalId = asked.body.error.details.approvalId as string;
      const expiresAt = Date.parse(asked.body.error.details.expiresAt);
      assert.ok(Math.abs(expiresAt - (Date.now() + offsetMs + dayMs)) < 60_000);
      const start = offsetMs;
      try {
        offsetMs = start + dayMs - 60_000;
        assert.equal((await approval(approvalId)).state, 'pending', 'a minute before: pending');
        offsetMs = start + dayMs + 1000;
        assert.equal((await approval(approvalId)).state, 'expired');
        const tooLate = await api.request(
          'POST',
          `/api/v1/approvals/${approvalId}/approve`,
          {},
          as(alice),
        );
        assert.equal(tooLate.status, 409);
        assert.equal(tooLate.body.error.code, 'APPROVAL_NOT_PENDING');
        assert.equal(tooLate.body.error.details.state, 'expired');
        assert.equal(await running(connection.id, 'production'), null);
        // a new request is a new approval
        const anew = await deploy(connection.id, 'production');
        assert.notEqual(anew.body.error.details.approvalId, approvalId);
      } finally {
        offsetMs = start;
      }
    });

    test('switching critical off does not skip the second person while a critical revision runs', async () => {
      const connection = await create();
      const first = await deploy(connection.id, 'production');
      const approved = await api.request(
        'POST',
        `/api/v1/approvals/${first.body.error.details.approvalId}/approve`,
        {},
        as(alice),
      );
      assert.equal(approved.status, 200, approved.text);
      assert.equal(await running(connection.id, 'production'), 1);
      // the admin turns the flag off (revision 2) and deploys alone: still a second person,
      // as the revision running in production is critical
      const off = await api.request('PATCH', `${base}/${connection.id}`, { critical: false });
      assert.equal(off.body.revision, 2);
      const alone = await deploy(connection.id, 'production');
      assert.equal(alone.status, 409, alone.text);
      assert.equal(alone.body.error.code, 'APPROVAL_REQUIRED');
      assert.equal(alone.body.error.details.revision, 2);
      const second = await api.request(
        'POST',
        `/api/v1/approvals/${alone.body.error.details.approvalId}/approve`,
        {},
        as(alice),
      );
      assert.equal(second.status, 200, second.text);
      // now nothing critical runs there or is deployed: a next revision goes straight through
      const next = await api.request('PATCH', `${base}/${connection.id}`, { description: 'v3' });
      assert.equal(next.body.revision, 3);
      assert.equal((await deploy(connection.id, 'production')).status, 200);
      assert.equal(await running(connection.id, 'production'), 3);
    });

    /** An environment of its own, and a critical connection with parameters for it. */
    const ownEnvironment = async (kind: 'production' | 'test') => {
      const id = `env-${Math.random().toString(36).slice(2, 8)}`;
      const made = await api.request('POST', '/api/v1/environments', { id, name: id, kind });
      assert.equal(made.status, 201, made.text);
      const connection = await api.request('POST', base, {
        name: uniqueName('Crit'),
        critical: true,
        environments: { [id]: { method: 'POST', url: 'https://crm.example.com/hooks' } },
      });
      assert.equal(connection.status, 201, connection.text);
      return { environment: id, connection: connection.body as { id: string; name: string } };
    };
    const kindOf = async (environment: string) =>
      (await api.request('GET', `/api/v1/environments/${environment}`)).body.kind as string;
    const decide = (approvalId: string, verb: 'approve' | 'reject', user: TestUser | null) =>
      api.request('POST', `/api/v1/approvals/${approvalId}/${verb}`, {}, as(user));
    const undeploy = (id: string, environment: string, user: TestUser | null = null) =>
      api.request('POST', `${base}/${id}/undeploy`, { environment }, as(user));
    /** A critical deploy to a production-kind environment, approved by alice. */
    const deployApproved = async (id: string, environment: string) => {
      const asked = await deploy(id, environment);
      assert.equal(asked.status, 409, asked.text);
      const approved = await decide(asked.body.error.details.approvalId, 'approve', alice);
      assert.equal(approved.status, 200, approved.text);
    };

    test('lowering a production environment waits for another admin: no critical deploy by one admin, with or without an editor', async () => {
      const { environment, connection } = await ownEnvironment('production');
      // the admin alone: lower the kind, deploy, raise it back
      const lowered = await api.request('PATCH', `/api/v1/environments/${environment}`, {
        kind: 'test',
      });
      assert.equal(lowered.status, 409, lowered.text);
      assert.equal(lowered.body.error.code, 'APPROVAL_REQUIRED');
      const approvalId = lowered.body.error.details.approvalId as string;
      assert.match(approvalId, /^apr_/);
      assert.deepEqual(
        [lowered.body.error.details.action, lowered.body.error.details.kind],
        ['environment-kind', 'test'],
      );
      assert.equal(await kindOf(environment), 'production');
      // asking again is the same approval; other fields in the same patch are not applied
      const again = await api.request('PATCH', `/api/v1/environments/${environment}`, {
        kind: 'test',
        name: 'Renamed',
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.details.approvalId, approvalId);
      assert.equal(
        (await api.request('GET', `/api/v1/environments/${environment}`)).body.name,
        environment,
      );
      assert.equal((await deploy(connection.id, environment)).status, 409);
      const own = await decide(approvalId, 'approve', null);
      assert.equal(own.status, 403);
      assert.equal(own.body.error.details.reason, 'own_request');
      // with an editor: the editor can neither change the kind nor deploy to production
      const byEditor = await api.request(
        'PATCH',
        `/api/v1/environments/${environment}`,
        { kind: 'test' },
        as(bob),
      );
      assert.equal(byEditor.status, 403);
      assert.equal((await deploy(connection.id, environment, bob)).status, 403);
      assert.equal(await kindOf(environment), 'production');
      assert.equal(await running(connection.id, environment), null);
      const listed = await approval(approvalId);
      assert.deepEqual(
        [listed.action, listed.environment, listed.kind, listed.connection, listed.revision],
        ['environment-kind', environment, 'test', null, null],
      );

      // a second admin approves: the kind changes then, in their name
      const approved = await decide(approvalId, 'approve', alice);
      assert.equal(approved.status, 200, approved.text);
      assert.equal(approved.body.approval.state, 'approved');
      assert.equal(approved.body.environment.kind, 'test');
      assert.equal(approved.body.deployment, null);
      assert.equal(await kindOf(environment), 'test');
    });

    test('raising an environment to production while a critical connection runs there waits for another admin', async () => {
      const { environment, connection } = await ownEnvironment('test');
      // nothing critical runs there yet: the kind goes up and down… up at once
      const plain = await ownEnvironment('test');
      const up = await api.request('PATCH', `/api/v1/environments/${plain.environment}`, {
        kind: 'production',
      });
      assert.equal(up.status, 200, up.text);
      // an editor deploys the critical connection to the test-kind environment (allowed)
      assert.equal((await deploy(connection.id, environment, bob)).status, 200);
      const raised = await api.request('PATCH', `/api/v1/environments/${environment}`, {
        kind: 'production',
      });
      assert.equal(raised.status, 409, raised.text);
      assert.equal(raised.body.error.code, 'APPROVAL_REQUIRED');
      assert.equal(raised.body.error.details.kind, 'production');
      assert.equal(await kindOf(environment), 'test', 'no critical connection runs in production');
      const rejected = await decide(raised.body.error.details.approvalId, 'reject', alice);
      assert.equal(rejected.status, 200, rejected.text);
      assert.equal(await kindOf(environment), 'test');
      // undeployed, it may go up alone
      assert.equal((await undeploy(connection.id, environment, bob)).status, 200);
      const later = await api.request('PATCH', `/api/v1/environments/${environment}`, {
        kind: 'production',
      });
      assert.equal(later.status, 200, later.text);
    });

    test('undeploying a critical connection from production waits for another admin, who undeploys it', async () => {
      const { environment, connection } = await ownEnvironment('production');
      await deployApproved(connection.id, environment);
      assert.equal(await running(connection.id, environment), 1);
      const asked = await undeploy(connection.id, environment);
      assert.equal(asked.status, 409, asked.text);
      assert.equal(asked.body.error.code, 'APPROVAL_REQUIRED');
      assert.deepEqual(
        [asked.body.error.details.action, asked.body.error.details.revision],
        ['undeploy', 1],
      );
      assert.equal(await running(connection.id, environment), 1, 'still running');
      const approvalId = asked.body.error.details.approvalId as string;
      assert.equal((await decide(approvalId, 'approve', null)).status, 403);
      const approved = await decide(approvalId, 'approve', alice);
      assert.equal(approved.status, 200, approved.text);
      assert.equal(approved.body.deployment.outcome, 'undeployed');
      assert.equal(approved.body.deployment.createdBy, 'alice');
      assert.equal(approved.body.approval.deploymentId, approved.body.deployment.id);
      assert.equal(await running(connection.id, environment), null);
    });

    test('a connection whose last production revision was critical stays critical: undeploy, then deploy critical:false asks', async () => {
      const { environment, connection } = await ownEnvironment('production');
      await deployApproved(connection.id, environment);
      const asked = await undeploy(connection.id, environment);
      assert.equal(asked.status, 409, asked.text);
      assert.equal(
        (await decide(asked.body.error.details.approvalId, 'approve', alice)).status,
        200,
      );
      const off = await api.request('PATCH', `${base}/${connection.id}`, { critical: false });
      assert.equal(off.status, 200, off.text);
      assert.equal(off.body.revision, 2);
      const alone = await deploy(connection.id, environment);
      assert.equal(alone.status, 409, alone.text);
      assert.equal(alone.body.error.code, 'APPROVAL_REQUIRED');
      assert.equal(alone.body.error.details.revision, 2);
      assert.equal(await running(connection.id, environment), null);
      // once a non-critical revision ran there (approved), the next one goes straight through
      assert.equal(
        (await decide(alone.body.error.details.approvalId, 'approve', alice)).status,
        200,
      );
      assert.equal((await undeploy(connection.id, environment)).status, 200);
    });

    test('a kind change waiting for approval expires like a deploy: it is never made', async () => {
      const { environment } = await ownEnvironment('production');
      const asked = await api.request('PATCH', `/api/v1/environments/${environment}`, {
        kind: 'development',
      });
      assert.equal(asked.status, 409, asked.text);
      const approvalId = asked.body.error.details.approvalId as string;
      const start = offsetMs;
      try {
        offsetMs = start + dayMs + 1000;
        assert.equal((await approval(approvalId)).state, 'expired');
        const tooLate = await decide(approvalId, 'approve', alice);
        assert.equal(tooLate.status, 409);
        assert.equal(tooLate.body.error.details.state, 'expired');
        assert.equal(await kindOf(environment), 'production');
      } finally {
        offsetMs = start;
      }
    });

    test('approvals are audited and notified', async () => {
      const audit = await api.request('GET', '/api/v1/audit?targetType=approval&limit=500');
      const actions = new Set(audit.body.items.map((r: { action: string }) => r.action));
      assert.deepEqual([...actions].sort(), [
        'approval.approve',
        'approval.expire',
        'approval.reject',
        'approval.request',
      ]);
      assert.ok(
        audit.body.items.some(
          (r: { action: string; actor: string }) =>
            r.action === 'approval.approve' && r.actor === 'alice',
        ),
      );
      await api.services.notifications.flush();
      const notes = await api.request('GET', '/api/v1/notifications?limit=500');
      const kinds = new Set(notes.body.items.map((n: { kind: string }) => n.kind));
      for (const kind of ['approval_requested', 'approval_decided', 'approval_expired']) {
        assert.ok(kinds.has(kind), `${kind} in ${[...kinds].join(', ')}`);
      }
      // kind changes and undeploys are told as such
      const messages = notes.body.items.map((n: { message: string }) => n.message).join('\n');
      assert.match(messages, /admin asks to make environment 'env-\w+' test-kind: approval apr_/);
      assert.match(messages, /alice approved the request to undeploy revision 1 of '/);
      assert.ok(
        audit.body.items.some(
          (r: { action: string; targetName: string }) =>
            r.action === 'approval.request' && / → test$/.test(r.targetName),
        ),
      );
      // each with a code of the catalog (docs/reference/notifications.md), never OK
      const codes = new Set(
        notes.body.items
          .filter((n: { kind: string }) => n.kind.startsWith('approval_'))
          .map((n: { kind: string; code: string }) => `${n.kind} ${n.code}`),
      );
      assert.deepEqual([...codes].sort(), [
        'approval_decided APPROVAL_APPROVED',
        'approval_decided APPROVAL_REJECTED',
        'approval_expired APPROVAL_EXPIRED',
        'approval_requested APPROVAL_REQUIRED',
      ]);
    });
  });
}
