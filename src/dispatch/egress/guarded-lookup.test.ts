import assert from 'node:assert/strict';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, test } from 'node:test';
import { EgressBlockedError } from './egress-blocked-error.ts';
import { compileEgressPolicy, type EgressPolicy } from './egress-policy.ts';
import { createGuardedLookup } from './guarded-lookup.ts';

const production = compileEgressPolicy({ allowLoopback: false });
const development = compileEgressPolicy({ allowLoopback: true });

/** A resolver with a fixed answer per name (what an attacker's DNS server can serve). */
function fixedResolver(answers: Record<string, LookupAddress[]>, seen: LookupOptions[] = []) {
  const lookup: LookupFunction = (hostname, options, callback) => {
    seen.push(options);
    const addresses = answers[hostname];
    if (!addresses) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
      });
      setImmediate(() => callback(error, ''));
      return;
    }
    setImmediate(() => {
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  return lookup;
}

interface Answer {
  error: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
}

function resolve(
  lookup: LookupFunction,
  hostname: string,
  options: LookupOptions,
): Promise<Answer> {
  return new Promise((done) =>
    lookup(hostname, options, (error, address, family) => done({ error, address, family })),
  );
}

function guarded(policy: EgressPolicy, answers: Record<string, LookupAddress[]>) {
  return createGuardedLookup(policy, fixedResolver(answers));
}

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

describe('createGuardedLookup', () => {
  test('answers every address when net asks for all (happy eyeballs)', async () => {
    const lookup = guarded(production, {
      'hooks.example': [v6('2606:4700::1'), v4('93.184.215.14')],
    });
    const answer = await resolve(lookup, 'hooks.example', { all: true });
    assert.equal(answer.error, null);
    assert.deepEqual(answer.address, [v6('2606:4700::1'), v4('93.184.215.14')]);
  });

  test('answers the first address and its family when net asks for one', async () => {
    const lookup = guarded(production, {
      'hooks.example': [v4('93.184.215.14'), v6('2606:4700::1')],
    });
    const answer = await resolve(lookup, 'hooks.example', { family: 0 });
    assert.deepEqual([answer.error, answer.address, answer.family], [null, '93.184.215.14', 4]);
  });

  test('always asks the resolver for all addresses, keeping the caller’s other options', async () => {
    const seen: LookupOptions[] = [];
    const lookup = createGuardedLookup(
      production,
      fixedResolver({ 'hooks.example': [v4('93.184.215.14')] }, seen),
    );
    await resolve(lookup, 'hooks.example', { family: 4, hints: 32 });
    assert.deepEqual(seen, [{ family: 4, hints: 32, all: true }]);
  });

  test('refuses a name that resolves to loopback in production with EGRESS_BLOCKED', async () => {
    const lookup = guarded(production, { 'rebind.test': [v4('127.0.0.1')] });
    const answer = await resolve(lookup, 'rebind.test', { all: true });
    assert.ok(answer.error instanceof EgressBlockedError);
    assert.equal(answer.error.code, 'EGRESS_BLOCKED');
    assert.equal(answer.error.host, 'rebind.test');
    assert.equal(answer.error.address, '127.0.0.1');
    assert.equal(answer.error.range, '127.0.0.0/8');
    assert.equal(
      answer.error.message,
      "the egress policy refuses 'rebind.test': loopback address (127.0.0.0/8): refused in production-kind environments unless allow-listed",
    );
  });

  test('lets the same name through in development', async () => {
    const lookup = guarded(development, { 'rebind.test': [v4('127.0.0.1')] });
    const answer = await resolve(lookup, 'rebind.test', {});
    assert.deepEqual([answer.error, answer.address], [null, '127.0.0.1']);
  });

  test('refuses the whole answer when any one address is refused (round robin, rebinding)', async () => {
    const lookup = guarded(development, {
      'mixed.test': [v4('93.184.215.14'), v4('169.254.169.254'), v4('93.184.215.15')],
    });
    for (const options of [{ all: true }, {}]) {
      const answer = await resolve(lookup, 'mixed.test', options);
      assert.ok(answer.error instanceof EgressBlockedError);
      assert.equal(answer.error.address, '169.254.169.254');
      assert.match(answer.error.message, /cloud metadata address \(169\.254\.169\.254\/32\)/);
    }
  });

  test('refuses an IPv4-mapped loopback answer', async () => {
    const lookup = guarded(production, { 'mapped.test': [v6('::ffff:127.0.0.1')] });
    const answer = await resolve(lookup, 'mapped.test', { all: true });
    assert.ok(answer.error instanceof EgressBlockedError);
    assert.equal(answer.error.range, '127.0.0.0/8');
  });

  test('passes a resolver failure through unchanged (classified DNS_FAILED)', async () => {
    const lookup = guarded(production, {});
    const answer = await resolve(lookup, 'nowhere.test', { all: true });
    assert.equal(answer.error?.code, 'ENOTFOUND');
    assert.equal(answer.error?.syscall, 'getaddrinfo');
  });

  test('answers ENOTFOUND for an empty answer instead of dialling nothing', async () => {
    const lookup = guarded(production, { 'empty.test': [] });
    const answer = await resolve(lookup, 'empty.test', { all: true });
    assert.equal(answer.error?.code, 'ENOTFOUND');
  });

  test('uses the system resolver by default: localhost is refused in production', async () => {
    const answer = await resolve(createGuardedLookup(production), 'localhost', { all: true });
    assert.ok(answer.error instanceof EgressBlockedError);
    assert.equal(answer.error.host, 'localhost');
    const allowed = await resolve(createGuardedLookup(development), 'localhost', { all: true });
    assert.equal(allowed.error, null);
    assert.ok(Array.isArray(allowed.address) && allowed.address.length > 0);
  });
});
