import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  hashPassword,
  passwordHashParams,
  passwordProblems,
  verifyPassword,
} from './password-hash.ts';

describe('password hashing', () => {
  test('the hash holds no trace of the password and verifies only the right one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.ok(!stored.includes('correct'), stored);
    assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  test('the same password hashes differently each time (a salt per hash)', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password!'),
      hashPassword('same password!'),
    ]);
    assert.notEqual(a, b);
  });

  test('a hash that is not ours, or damaged, verifies nothing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1$2$3',
      'bcrypt$a$b$c$d$e',
      'scrypt$32768$8$1$c2FsdA==$c2hvcnQ=',
    ]) {
      assert.equal(await verifyPassword('anything at all', stored), false, stored);
    }
  });

  test('the cost parameters stay at least N = 2^15, r = 8 (≈ 64 ms here; bench, not a timed test)', () => {
    assert.ok(passwordHashParams.N >= 2 ** 15);
    assert.ok(passwordHashParams.r >= 8);
  });
});

describe('password rules', () => {
  test('short, common, repeated or containing the user name: each named', () => {
    assert.deepEqual(passwordProblems('short', 'alice'), ['use at least 12 characters']);
    assert.deepEqual(passwordProblems('Password1234', 'alice'), [
      'this password is among the most common ones',
    ]);
    assert.deepEqual(passwordProblems('alice-in-wonderland', 'Alice'), [
      'the password must not contain the user name',
    ]);
    assert.deepEqual(passwordProblems('xxxxxxxxxxxxxx', 'bob'), ['use more than one character']);
    assert.deepEqual(passwordProblems('tangerine-orbit-42', 'alice'), []);
  });

  test('a one- or two-character user name does not rule out every password holding it', () => {
    assert.deepEqual(passwordProblems('a calm tangerine orbit', 'a'), []);
    assert.deepEqual(passwordProblems('jo went to the market', 'jo'), []);
    assert.deepEqual(passwordProblems('the-ann-passphrase-1', 'ann'), [
      'the password must not contain the user name',
    ]);
  });
});
