import { randomBytesPooled as randomBytes } from './random.ts';

// Crockford base32: ids sort by creation time and read unambiguously aloud.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new id: `<prefix>_` + 10 chars of millisecond time + 16 random chars (80 bits),
 * e.g. `con_01jd8x2k9m4f7c1w3e5r8t0y2u`. Time first so ids sort by creation.
 */
export function createId(prefix: string, nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const byte of bytes) random += alphabet[byte % 32];
  return `${prefix}_${time}${random}`;
}

export function isIdWithPrefix(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(value);
}
