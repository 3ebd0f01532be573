import { randomFillPooled } from './random.ts';

// Crockford base32: ids sort by creation time and read unambiguously aloud.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new id: `<prefix>_` + 10 chars of millisecond time + 16 random chars (80 bits),
 * e.g. `con_01jd8x2k9m4f7c1w3e5r8t0y2u`. Time first so ids sort by creation.
 */
export function createId(prefix: string, nowMs: number = Date.now()): string {
  // one string built from char codes: concatenating 26 characters made a rope of 26 pieces
  // per id, and ids are made on every outbound call (webhook-id)
  let t = nowMs;
  for (let i = 9; i >= 0; i--) {
    idChars[i] = alphabetCodes[t % 32] as number;
    t = Math.floor(t / 32);
  }
  randomFillPooled(randomScratch, 16);
  for (let i = 0; i < 16; i++)
    idChars[10 + i] = alphabetCodes[(randomScratch[i] as number) % 32] as number;
  return `${prefix}_${String.fromCharCode.apply(null, idChars)}`;
}

const alphabetCodes = Array.from(alphabet, (char) => char.charCodeAt(0));
const idChars: number[] = new Array<number>(26).fill(0);
const randomScratch = Buffer.alloc(16);

export function isIdWithPrefix(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(value);
}
