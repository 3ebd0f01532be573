import { randomFillPooled } from './random.ts';

// Crockford base32: ids sort by creation time and read unambiguously aloud.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new id: `<prefix>_` + 10 chars of millisecond time + 16 random chars (80 bits),
 * e.g. `con_01jd8x2k9m4f7c1w3e5r8t0y2u`. Time first so ids sort by creation; within one
 * millisecond the random part counts up from the first id's (as monotonic ULIDs do), per
 * prefix, so ids of one kind made in one process sort in the order they were made — a batch
 * of deliveries keeps its order for FIFO delivery, whatever other ids are made in between.
 */
export function createId(prefix: string, nowMs: number = Date.now()): string {
  let state = states.get(prefix);
  if (!state) {
    state = { timeMs: Number.NaN, digits: new Uint8Array(16), chars: Buffer.alloc(26) };
    states.set(prefix, state);
  }
  const { chars, digits } = state;
  // one string read off a byte buffer: concatenating 26 characters made a rope of 26 pieces
  // per id, and ids are made on every outbound call (webhook-id)
  if (nowMs === state.timeMs && incrementRandomPart(state)) {
    return `${prefix}_${chars.toString('latin1', 0, 26)}`;
  }
  if (nowMs !== state.timeMs) {
    let t = nowMs;
    for (let i = 9; i >= 0; i--) {
      chars[i] = alphabetCodes[t % 32] as number;
      t = Math.floor(t / 32);
    }
    state.timeMs = nowMs;
  }
  randomFillPooled(randomScratch, 16);
  for (let i = 0; i < 16; i++) {
    digits[i] = (randomScratch[i] as number) % 32;
    chars[10 + i] = alphabetCodes[digits[i] as number] as number;
  }
  return `${prefix}_${chars.toString('latin1', 0, 26)}`;
}

interface IdState {
  /** the time the first 10 of `chars` encode (many ids are made in the same millisecond) */
  timeMs: number;
  /** the random part of the last id, as base-32 digit values */
  digits: Uint8Array;
  /** the 26 characters of the last id, as Latin-1 bytes: one string is read off them */
  chars: Buffer;
}

/** The last id made per prefix. */
const states = new Map<string, IdState>();

/** The random part plus one, in base 32; false when it would overflow (then: new random). */
function incrementRandomPart({ digits, chars }: IdState): boolean {
  for (let i = 15; i >= 0; i--) {
    const digit = (digits[i] as number) + 1;
    if (digit < 32) {
      digits[i] = digit;
      chars[10 + i] = alphabetCodes[digit] as number;
      return true;
    }
    digits[i] = 0;
    chars[10 + i] = alphabetCodes[0] as number;
  }
  return false;
}

const alphabetCodes = Array.from(alphabet, (char) => char.charCodeAt(0));
const randomScratch = Buffer.alloc(16);

export function isIdWithPrefix(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(value);
}
