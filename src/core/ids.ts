import { randomFillPooled } from './random.ts';

// Crockford base32: ids sort by creation time and read unambiguously aloud.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new id: `<prefix>_` + 10 chars of millisecond time + 16 random chars (80 bits),
 * e.g. `con_01jd8x2k9m4f7c1w3e5r8t0y2u`. Time first so ids sort by creation; within one
 * millisecond the random part counts up from the first id's (as monotonic ULIDs do), so ids
 * made in one process sort in the order they were made — a batch of deliveries keeps its
 * order for FIFO delivery.
 */
export function createId(prefix: string, nowMs: number = Date.now()): string {
  // one string read off a byte buffer: concatenating 26 characters made a rope of 26 pieces
  // per id, and ids are made on every outbound call (webhook-id)
  if (nowMs === lastTimeMs && incrementRandomPart()) {
    return `${prefix}_${idChars.toString('latin1', 0, 26)}`;
  }
  if (nowMs !== lastTimeMs) {
    let t = nowMs;
    for (let i = 9; i >= 0; i--) {
      idChars[i] = alphabetCodes[t % 32] as number;
      t = Math.floor(t / 32);
    }
    lastTimeMs = nowMs;
  }
  randomFillPooled(randomScratch, 16);
  for (let i = 0; i < 16; i++) {
    randomDigits[i] = (randomScratch[i] as number) % 32;
    idChars[10 + i] = alphabetCodes[randomDigits[i] as number] as number;
  }
  return `${prefix}_${idChars.toString('latin1', 0, 26)}`;
}

/** The random part plus one, in base 32; false when it would overflow (then: new random). */
function incrementRandomPart(): boolean {
  for (let i = 15; i >= 0; i--) {
    const digit = (randomDigits[i] as number) + 1;
    if (digit < 32) {
      randomDigits[i] = digit;
      idChars[10 + i] = alphabetCodes[digit] as number;
      return true;
    }
    randomDigits[i] = 0;
    idChars[10 + i] = alphabetCodes[0] as number;
  }
  return false;
}

const alphabetCodes = Array.from(alphabet, (char) => char.charCodeAt(0));
/** the 26 characters of the id being made, as Latin-1 bytes: one string is read off them */
const idChars = Buffer.alloc(26);
/** the time the first 10 of idChars encode (many ids are made in the same millisecond) */
let lastTimeMs = Number.NaN;
const randomScratch = Buffer.alloc(16);
/** the random part of the last id, as base-32 digit values */
const randomDigits = new Uint8Array(16);

export function isIdWithPrefix(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(value);
}
