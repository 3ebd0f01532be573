import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkUrlHost } from './check-url-host.ts';
import { compileEgressPolicy } from './egress-policy.ts';

const production = compileEgressPolicy({ allowLoopback: false });
const development = compileEgressPolicy({ allowLoopback: true });

// Every spelling of an address that `new URL()` turns into an IP-literal host; net.connect
// would dial these without calling `lookup`, so only this check stands between them and
// the target. [written, what new URL() makes of it, range refused in production]
const literals: Array<[string, string, string]> = [
  ['127.0.0.1', '127.0.0.1', '127.0.0.0/8'],
  ['2130706433', '127.0.0.1', '127.0.0.0/8'],
  ['0x7f.1', '127.0.0.1', '127.0.0.0/8'],
  ['017700000001', '127.0.0.1', '127.0.0.0/8'],
  ['127.1', '127.0.0.1', '127.0.0.0/8'],
  ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '127.0.0.0/8'],
  ['[::ffff:7f00:1]', '[::ffff:7f00:1]', '127.0.0.0/8'],
  ['[::1]', '[::1]', '::1/128'],
  ['[0:0:0:0:0:0:0:1]', '[::1]', '::1/128'],
  ['0.0.0.0', '0.0.0.0', '0.0.0.0/8'],
  ['0', '0.0.0.0', '0.0.0.0/8'],
  ['[::]', '[::]', '::/128'],
  ['169.254.169.254', '169.254.169.254', '169.254.169.254/32'],
  ['0xa9fea9fe', '169.254.169.254', '169.254.169.254/32'],
  ['[::ffff:169.254.169.254]', '[::ffff:a9fe:a9fe]', '169.254.169.254/32'],
  ['[fd00:ec2::254]', '[fd00:ec2::254]', 'fd00:ec2::254/128'],
  ['100.100.100.200', '100.100.100.200', '100.100.100.200/32'],
  ['[fe80::1]', '[fe80::1]', 'fe80::/10'],
  ['255.255.255.255', '255.255.255.255', '255.255.255.255/32'],
];

describe('checkUrlHost', () => {
  for (const [written, normalized, range] of literals) {
    test(`refuses http://${written}/ in production (new URL() makes it ${normalized})`, () => {
      const url = new URL(`http://${written}:8080/hook`);
      assert.equal(url.hostname, normalized);
      const decision = checkUrlHost(url, production);
      assert.ok(decision && !decision.allowed, `${written} should be refused`);
      assert.equal(decision.range, range);
    });
  }

  test('allows loopback literals in a development-kind environment', () => {
    for (const host of ['127.0.0.1', '2130706433', '[::1]', '[::ffff:127.0.0.1]']) {
      assert.deepEqual(checkUrlHost(new URL(`https://${host}/`), development), { allowed: true });
    }
  });

  test('allows public and private literals', () => {
    for (const host of ['93.184.215.14', '10.0.0.8', '[2606:4700::6810:84e5]', '[fd12::1]']) {
      assert.deepEqual(checkUrlHost(new URL(`http://${host}/`), production), { allowed: true });
    }
  });

  test('answers null for a host name: the connect-time lookup decides those', () => {
    for (const host of [
      'localhost',
      'example.com',
      '127.0.0.1.nip.io',
      'metadata.google.internal',
    ]) {
      assert.equal(checkUrlHost(new URL(`http://${host}/`), production), null);
    }
  });
});
