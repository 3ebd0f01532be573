import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePassword } from './password-input.ts';

test('a generated password is 24 characters and never holds the user name, in any case', () => {
  // a one-letter name is in about half of all random 24-character strings: draw many
  for (let i = 0; i < 200; i++) {
    const password = generatePassword('A');
    assert.match(password, /^[A-Za-z0-9_-]{24}$/);
    assert.ok(!password.toLowerCase().includes('a'), password);
  }
  assert.notEqual(generatePassword('bob'), generatePassword('bob'));
});
