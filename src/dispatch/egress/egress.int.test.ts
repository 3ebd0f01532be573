import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Agent } from 'undici';
import {
  closeAllTargets,
  startHttpTarget,
  startHttpsTarget,
  type Target,
  type TargetPki,
} from '../../../test/helpers/target-servers.ts';
import { checkUrlHost } from './check-url-host.ts';
import { EgressBlockedError } from './egress-blocked-error.ts';
import { compileEgressPolicy, type EgressPolicy } from './egress-policy.ts';
import { createGuardedLookup } from './guarded-lookup.ts';

// The guard as the dispatch engine uses it: a REAL undici 8 Agent whose connector gets
// `connect.lookup`, against real servers on 127.0.0.1 port 0. undici's connector
// (lib/core/connect.js) spreads its options into net.connect / tls.connect, so the lookup
// it is given is the one the socket resolves with; these tests prove it end to end.

const production = compileEgressPolicy({ allowLoopback: false });
const development = compileEgressPolicy({ allowLoopback: true });

const agents: Agent[] = [];

function guardedAgent(policy: EgressPolicy, resolver?: LookupFunction, ca?: string): Agent {
  const agent = new Agent({
    connect: { lookup: createGuardedLookup(policy, resolver), ...(ca ? { ca } : {}) },
    // a refused lookup must not be retried or hidden behind a timeout
    connectTimeout: 5000,
  });
  agents.push(agent);
  return agent;
}

/** The request as the engine sends it: the answer's status, or the error it rejected with. */
async function send(agent: Agent, url: string): Promise<number | unknown> {
  const { origin, pathname } = new URL(url);
  try {
    const response = await agent.request({ origin, path: pathname, method: 'GET' });
    await response.body.dump();
    return response.statusCode;
  } catch (error) {
    return error;
  }
}

/** A resolver that answers every name with one fixed address, as a hostile DNS server can. */
function resolverAnswering(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    const answer: LookupAddress = { address, family };
    setImmediate(() => (options.all ? callback(null, [answer]) : callback(null, address, family)));
  };
}

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.destroy()));
});
after(() => closeAllTargets());

describe('egress guard in a real undici Agent over plain HTTP', () => {
  let target: Target;
  before(async () => {
    target = await startHttpTarget();
  });

  test('refuses http://localhost:<port>/ in production with the EgressBlockedError itself', async () => {
    const connectionsBefore = target.connectionCount;
    const result = await send(guardedAgent(production), `http://localhost:${target.port}/`);
    // undici hands the request the very error the lookup raised (client.js handleConnectError)
    assert.ok(
      result instanceof EgressBlockedError,
      `expected EgressBlockedError, got ${String(result)}`,
    );
    assert.equal(result.code, 'EGRESS_BLOCKED');
    assert.equal(result.host, 'localhost');
    assert.equal(result.range, '127.0.0.0/8');
    assert.equal(target.connectionCount, connectionsBefore, 'no TCP connection reached the server');
  });

  test('lets http://localhost:<port>/ through in development', async () => {
    assert.equal(await send(guardedAgent(development), `http://localhost:${target.port}/`), 200);
  });

  test('lets http://localhost:<port>/ through in production when 127.0.0.0/8 is allow-listed', async () => {
    const policy = compileEgressPolicy({ allowLoopback: false, allowCidrs: ['127.0.0.0/8'] });
    assert.equal(await send(guardedAgent(policy), `http://localhost:${target.port}/`), 200);
  });

  test('checks the address actually dialled: a name rebound to loopback is refused', async () => {
    const rebinding = resolverAnswering('127.0.0.1', 4);
    const before = target.requests.length;
    const refused = await send(
      guardedAgent(production, rebinding),
      `http://rebind.test:${target.port}/`,
    );
    assert.ok(refused instanceof EgressBlockedError);
    assert.equal(refused.host, 'rebind.test');
    assert.equal(refused.address, '127.0.0.1');
    // the control: with loopback allowed, that same answer is what the socket dials — the
    // request for rebind.test lands on our 127.0.0.1 server
    const allowed = await send(
      guardedAgent(development, rebinding),
      `http://rebind.test:${target.port}/`,
    );
    assert.equal(allowed, 200);
    assert.equal(target.requests.length, before + 1);
    assert.equal(target.requests.at(-1)?.headers.host, `rebind.test:${target.port}`);
  });

  test('refuses a name answering an IPv4-mapped loopback address', async () => {
    const mapped = resolverAnswering('::ffff:127.0.0.1', 6);
    const result = await send(
      guardedAgent(production, mapped),
      `http://mapped.test:${target.port}/`,
    );
    assert.ok(result instanceof EgressBlockedError);
    assert.equal(result.range, '127.0.0.0/8');
  });

  test('IP-literal hosts never reach the lookup, so checkUrlHost must refuse them before dispatch', async () => {
    for (const host of ['127.0.0.1', '2130706433', '[::ffff:127.0.0.1]']) {
      const url = new URL(`http://${host}:${target.port}/`);
      // the hole: through the guarded Agent the literal is dialled without any lookup …
      assert.equal(await send(guardedAgent(production), url.href), 200, `${host} bypasses lookup`);
      // … which is why the engine asks checkUrlHost first
      const decision = checkUrlHost(url, production);
      assert.ok(decision && !decision.allowed, `${host} is refused before dispatch`);
    }
  });
});

describe('egress guard in a real undici Agent over HTTPS', () => {
  let dir: string;
  let pki: TargetPki;
  let target: Target;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-egress-'));
    // a self-signed P-256 certificate for localhost, its own CA; one day is plenty for a test
    const command =
      'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -keyout key.pem' +
      ' -out cert.pem -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1';
    execFileSync('openssl', command.split(' '), { cwd: dir, stdio: 'ignore' });
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    pki = {
      ca: { certPem },
      server: { certPem, keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') },
    };
    target = await startHttpsTarget({ pki });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('tls.connect gets the lookup too: https://localhost:<port>/ is refused in production', async () => {
    const result = await send(
      guardedAgent(production, undefined, pki.ca.certPem),
      `https://localhost:${target.port}/`,
    );
    assert.ok(result instanceof EgressBlockedError);
    assert.equal(result.code, 'EGRESS_BLOCKED');
    assert.equal(target.connectionCount, 0, 'no TLS handshake was started');
  });

  test('and answered in development', async () => {
    const status = await send(
      guardedAgent(development, undefined, pki.ca.certPem),
      `https://localhost:${target.port}/`,
    );
    assert.equal(status, 200);
  });
});
