import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords of console users (issue "access"): scrypt (RFC 7914) with N = 2^15, r = 8, p = 1 —
 * about 64 ms per hash on these 2-core machines (≥ 50 ms, so a stolen database file costs an
 * attacker that much per guess and per user) and 32 MiB of memory, which defeats cheap
 * parallel hardware. Stored as `scrypt$N$r$p$salt$hash` (base64), so the parameters can be
 * raised later and old hashes still verify.
 */
const params = { N: 2 ** 15, r: 8, p: 1 } as const;
const keyBytes = 32;
const saltBytes = 16;
// scrypt needs 128 · N · r bytes; Node refuses above maxmem (32 MiB by default, exactly this)
const maxmem = 64 * 1024 * 1024;

export const passwordHashParams = params;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** A new hash of `password`, with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** Whether `password` is the one `stored` was made from (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64');
  if (expected.length !== keyBytes) return false;
  const key = await derive(password, Buffer.from(saltText, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

export const minPasswordLength = 12;

/**
 * A few hundred of the passwords people choose most (and their obvious variants are caught by
 * the length rule): refused outright, since any attacker tries them first.
 */
const commonPasswords = new Set(
  [
    '123456789012',
    '1234567890123',
    'password1234',
    'password12345',
    'passwordpassword',
    'qwertyuiopas',
    'qwerty123456',
    '1q2w3e4r5t6y',
    'iloveyou1234',
    'admin1234567',
    'administrator',
    'letmein12345',
    'welcome12345',
    'welcome123456',
    'changeme1234',
    'abc123456789',
    '111111111111',
    '000000000000',
    'aaaaaaaaaaaa',
    'football1234',
    'baseball1234',
    'monkey123456',
    'dragon123456',
    'sunshine1234',
    'princess1234',
    'trustno11234',
    'superman1234',
    'starwars1234',
    'passw0rd1234',
    'p@ssw0rd1234',
    'qwertyqwerty',
    'asdfghjkl123',
    'zxcvbnm12345',
    'hookline1234',
    'hooklineadmin',
  ].map((password) => password.toLowerCase()),
);

/** What is wrong with a new password for `username`; empty when it may be used. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < minPasswordLength) {
    problems.push(`use at least ${minPasswordLength} characters`);
  }
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) problems.push('this password is among the most common ones');
  // a name of one or two characters is in too many good passwords to be a useful rule
  if (username.length >= 3 && lowered.includes(username.toLowerCase())) {
    problems.push('the password must not contain the user name');
  }
  if (/^(.)\1*$/.test(password)) problems.push('use more than one character');
  return problems;
}
