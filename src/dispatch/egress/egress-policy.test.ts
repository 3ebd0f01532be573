import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Environment } from '../../contracts/environments.ts';
import {
  checkAddress,
  compileEgressPolicy,
  egressPolicyFor,
  type EgressPolicy,
} from './egress-policy.ts';
import { classifyAddress } from './special-ranges.ts';

const production = compileEgressPolicy({ allowLoopback: false });
const development = compileEgressPolicy({ allowLoopback: true });
const denyingPrivate = compileEgressPolicy({ allowLoopback: true, denyPrivate: true });

type Verdict = 'allowed' | 'refused';
type Row = [
  address: string,
  category: string,
  range: string,
  prod: Verdict,
  dev: Verdict,
  denyPrivate: Verdict,
];

// One row per category (DESIGN.md §2 step 3): under the production default policy, the
// development default policy, and a development policy with denyPrivate.
const rows: Row[] = [
  ['127.0.0.1', 'loopback', '127.0.0.0/8', 'refused', 'allowed', 'allowed'],
  ['127.255.0.9', 'loopback', '127.0.0.0/8', 'refused', 'allowed', 'allowed'],
  ['::1', 'loopback', '::1/128', 'refused', 'allowed', 'allowed'],
  ['0.0.0.0', 'unspecified', '0.0.0.0/8', 'refused', 'refused', 'refused'],
  ['0.1.2.3', 'unspecified', '0.0.0.0/8', 'refused', 'refused', 'refused'],
  ['::', 'unspecified', '::/128', 'refused', 'refused', 'refused'],
  ['169.254.1.1', 'linkLocal', '169.254.0.0/16', 'refused', 'refused', 'refused'],
  ['fe80::1', 'linkLocal', 'fe80::/10', 'refused', 'refused', 'refused'],
  ['fe80::1%eth0', 'linkLocal', 'fe80::/10', 'refused', 'refused', 'refused'],
  ['169.254.169.254', 'metadata', '169.254.169.254/32', 'refused', 'refused', 'refused'],
  ['100.100.100.200', 'metadata', '100.100.100.200/32', 'refused', 'refused', 'refused'],
  ['fd00:ec2::254', 'metadata', 'fd00:ec2::254/128', 'refused', 'refused', 'refused'],
  ['168.63.129.16', 'metadata', '168.63.129.16/32', 'refused', 'refused', 'refused'],
  ['224.0.0.1', 'multicast', '224.0.0.0/4', 'refused', 'refused', 'refused'],
  ['239.255.255.250', 'multicast', '224.0.0.0/4', 'refused', 'refused', 'refused'],
  ['ff02::1', 'multicast', 'ff00::/8', 'refused', 'refused', 'refused'],
  ['255.255.255.255', 'broadcast', '255.255.255.255/32', 'refused', 'refused', 'refused'],
  ['240.0.0.1', 'reserved', '240.0.0.0/4', 'refused', 'refused', 'refused'],
  ['192.0.2.10', 'reserved', '192.0.2.0/24', 'refused', 'refused', 'refused'],
  ['198.18.0.1', 'reserved', '198.18.0.0/15', 'refused', 'refused', 'refused'],
  ['2001:db8::1', 'reserved', '2001:db8::/32', 'refused', 'refused', 'refused'],
  ['2002:7f00:1::1', 'reserved', '2002::/16', 'refused', 'refused', 'refused'],
  ['::7f00:1', 'reserved', '::/8', 'refused', 'refused', 'refused'],
  ['100::1', 'reserved', '100::/8', 'refused', 'refused', 'refused'],
  ['5f00::1', 'reserved', '4000::/3', 'refused', 'refused', 'refused'],
  // carrier-grade NAT is counted as private: see special-ranges.ts
  ['100.64.0.1', 'private', '100.64.0.0/10', 'allowed', 'allowed', 'refused'],
  ['10.1.2.3', 'private', '10.0.0.0/8', 'allowed', 'allowed', 'refused'],
  ['172.16.0.1', 'private', '172.16.0.0/12', 'allowed', 'allowed', 'refused'],
  ['172.31.255.255', 'private', '172.16.0.0/12', 'allowed', 'allowed', 'refused'],
  ['192.168.1.1', 'private', '192.168.0.0/16', 'allowed', 'allowed', 'refused'],
  ['fc00::1', 'private', 'fc00::/7', 'allowed', 'allowed', 'refused'],
  ['fd12:3456::1', 'private', 'fc00::/7', 'allowed', 'allowed', 'refused'],
  ['93.184.215.14', 'public', '0.0.0.0/0', 'allowed', 'allowed', 'allowed'],
  ['172.32.0.1', 'public', '0.0.0.0/0', 'allowed', 'allowed', 'allowed'],
  ['2606:4700::6810:84e5', 'public', '2000::/3', 'allowed', 'allowed', 'allowed'],
  // IPv4-mapped IPv6 and NAT64 (64:ff9b::/96) are judged as the IPv4 address they carry
  ['::ffff:127.0.0.1', 'loopback', '127.0.0.0/8', 'refused', 'allowed', 'allowed'],
  ['::ffff:7f00:1', 'loopback', '127.0.0.0/8', 'refused', 'allowed', 'allowed'],
  ['::ffff:169.254.169.254', 'metadata', '169.254.169.254/32', 'refused', 'refused', 'refused'],
  ['::ffff:10.0.0.1', 'private', '10.0.0.0/8', 'allowed', 'allowed', 'refused'],
  ['64:ff9b::a9fe:a9fe', 'metadata', '169.254.169.254/32', 'refused', 'refused', 'refused'],
  ['64:ff9b::7f00:1', 'loopback', '127.0.0.0/8', 'refused', 'allowed', 'allowed'],
  ['64:ff9b::808:808', 'public', '0.0.0.0/0', 'allowed', 'allowed', 'allowed'],
];

function verdict(address: string, policy: EgressPolicy): Verdict {
  return checkAddress(address, policy).allowed ? 'allowed' : 'refused';
}

describe('checkAddress', () => {
  for (const [address, category, range, prod, dev, noPrivate] of rows) {
    test(`${address} (${category}): ${prod} in production, ${dev} in development, ${noPrivate} with denyPrivate`, () => {
      assert.equal(verdict(address, production), prod);
      assert.equal(verdict(address, development), dev);
      assert.equal(verdict(address, denyingPrivate), noPrivate);
      const found = classifyAddress(address);
      assert.deepEqual([found?.category, found?.range], [category, range]);
      const decision = checkAddress(address, production);
      if (!decision.allowed) {
        assert.equal(decision.category, category);
        assert.equal(decision.range, range);
      }
    });
  }

  test('says why, with the range, in words a user can act on', () => {
    assert.deepEqual(checkAddress('127.0.0.1', production), {
      allowed: false,
      category: 'loopback',
      range: '127.0.0.0/8',
      reason:
        'loopback address (127.0.0.0/8): refused in production-kind environments unless allow-listed',
    });
    const metadata = checkAddress('169.254.169.254', development);
    assert.equal(metadata.allowed, false);
    assert.match(
      !metadata.allowed ? metadata.reason : '',
      /^cloud metadata address .*always refused$/,
    );
  });

  test('refuses text that is no IP address', () => {
    const decision = checkAddress('localhost', development);
    assert.equal(decision.allowed, false);
    assert.equal(!decision.allowed && decision.category, 'notAnAddress');
  });

  test('opens loopback in production when 127.0.0.0/8 is allow-listed', () => {
    const policy = compileEgressPolicy({ allowLoopback: false, allowCidrs: ['127.0.0.0/8'] });
    assert.equal(verdict('127.0.0.1', policy), 'allowed');
    assert.equal(verdict('::ffff:127.0.0.1', policy), 'allowed');
    // ::1 is another range: the IPv4 entry does not open it
    assert.equal(verdict('::1', policy), 'refused');
  });

  test('opens one private range under denyPrivate when it is allow-listed', () => {
    const policy = compileEgressPolicy({
      allowLoopback: true,
      denyPrivate: true,
      allowCidrs: ['10.20.0.0/16', 'fd00:1::/32'],
    });
    assert.equal(verdict('10.20.3.4', policy), 'allowed');
    assert.equal(verdict('10.21.3.4', policy), 'refused');
    assert.equal(verdict('fd00:1::5', policy), 'allowed');
    assert.equal(verdict('fd00:2::5', policy), 'refused');
  });

  test('lets the deny list win over the allow list', () => {
    const policy = compileEgressPolicy({
      allowLoopback: true,
      allowCidrs: ['10.0.0.0/8'],
      denyCidrs: ['10.9.0.0/16'],
    });
    assert.equal(verdict('10.1.0.1', policy), 'allowed');
    const decision = checkAddress('10.9.0.1', policy);
    assert.deepEqual(decision, {
      allowed: false,
      category: 'denyList',
      range: '10.9.0.0/16',
      reason: "in the environment's deny list (10.9.0.0/16)",
    });
  });

  test('refuses public addresses on the deny list', () => {
    const policy = compileEgressPolicy({ allowLoopback: true, denyCidrs: ['93.184.0.0/16'] });
    assert.equal(verdict('93.184.215.14', policy), 'refused');
    assert.equal(verdict('::ffff:93.184.215.14', policy), 'refused');
    assert.equal(verdict('93.185.0.1', policy), 'allowed');
  });

  test('cannot allow-list metadata, link-local, unspecified, multicast, broadcast or reserved', () => {
    const policy = compileEgressPolicy({
      allowLoopback: true,
      allowCidrs: ['0.0.0.0/0', '::/0', '169.254.169.254/32', '::ffff:0:0/96'],
    });
    for (const address of [
      '169.254.169.254',
      '100.100.100.200',
      'fd00:ec2::254',
      '169.254.1.1',
      'fe80::1',
      '0.0.0.0',
      '::',
      '224.0.0.1',
      '255.255.255.255',
      '240.0.0.1',
    ]) {
      assert.equal(verdict(address, policy), 'refused', address);
    }
  });

  test('reads an IPv4-mapped CIDR as the IPv4 range it maps', () => {
    const policy = compileEgressPolicy({ allowLoopback: true, denyCidrs: ['::ffff:10.0.0.0/104'] });
    assert.equal(verdict('10.3.3.3', policy), 'refused');
    assert.equal(verdict('11.3.3.3', policy), 'allowed');
  });

  test('matches list entries against NAT64 addresses as written and as the IPv4 they carry', () => {
    const policy = compileEgressPolicy({ allowLoopback: true, denyCidrs: ['64:ff9b::/96'] });
    assert.equal(verdict('64:ff9b::808:808', policy), 'refused');
    assert.equal(verdict('8.8.8.8', policy), 'allowed');
    const byIpv4 = compileEgressPolicy({ allowLoopback: true, denyCidrs: ['8.8.8.0/24'] });
    assert.equal(verdict('64:ff9b::808:808', byIpv4), 'refused');
  });

  test('an IPv6 allow entry does not open IPv4 loopback through its mapped form', () => {
    const policy = compileEgressPolicy({ allowLoopback: false, allowCidrs: ['::/0'] });
    assert.equal(verdict('::ffff:127.0.0.1', policy), 'refused');
    assert.equal(verdict('::1', policy), 'allowed');
  });

  test('refuses to compile an entry that is no CIDR, naming it', () => {
    assert.throws(
      () => compileEgressPolicy({ allowLoopback: true, allowCidrs: ['10.0.0.0/8', 'intranet'] }),
      /'intranet' is not a CIDR/,
    );
  });
});

describe('egressPolicyFor', () => {
  const environment = (kind: Environment['kind'], egress: Partial<Environment['egress']> = {}) =>
    ({
      id: kind,
      name: kind,
      kind,
      description: '',
      egress: { allowCidrs: [], denyCidrs: [], denyPrivate: false, ...egress },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }) satisfies Environment;

  test('refuses loopback in production-kind environments and allows it elsewhere', () => {
    assert.equal(verdict('127.0.0.1', egressPolicyFor(environment('production'))), 'refused');
    assert.equal(verdict('127.0.0.1', egressPolicyFor(environment('test'))), 'allowed');
    assert.equal(verdict('127.0.0.1', egressPolicyFor(environment('development'))), 'allowed');
  });

  test("applies the environment's lists and denyPrivate", () => {
    const policy = egressPolicyFor(
      environment('production', {
        allowCidrs: ['127.0.0.0/8', '10.1.0.0/16'],
        denyCidrs: ['127.0.0.2/32'],
        denyPrivate: true,
      }),
    );
    assert.equal(verdict('127.0.0.1', policy), 'allowed');
    assert.equal(verdict('127.0.0.2', policy), 'refused');
    assert.equal(verdict('10.1.2.3', policy), 'allowed');
    assert.equal(verdict('10.2.2.3', policy), 'refused');
    assert.equal(verdict('192.168.0.1', policy), 'refused');
  });
});
