import { randomFillSync } from 'node:crypto';

// Cryptographically random bytes, drawn from a 4 KiB pool refilled by one randomFillSync:
// a randomBytes() call per id cost ~4.5 µs on the benchmark VM (a third of the dispatch
// engine's own time, bench/dispatch.ts); a slice of the pool costs ~0.3 µs. Same source,
// fewer calls into it. Every byte is handed out once.
const poolBytes = 4096;
const pool = Buffer.allocUnsafe(poolBytes);
let offset = poolBytes;

/**
 * `size` fresh random bytes (at most 256). The answer is a copy, so callers may keep it.
 */
export function randomBytesPooled(size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  randomFillPooled(bytes, size);
  return bytes;
}

/**
 * Fills the first `size` bytes of `target` with fresh random bytes (at most 256): for hot
 * paths that format ids from a scratch buffer and allocate nothing but the id itself.
 */
export function randomFillPooled(target: Uint8Array, size: number): void {
  if (size > 256) throw new RangeError('randomFillPooled takes at most 256 bytes');
  if (size > target.length) throw new RangeError('the target is shorter than size');
  if (offset + size > poolBytes) {
    randomFillSync(pool);
    offset = 0;
  }
  pool.copy(target, 0, offset, offset + size);
  // never hand out the same bytes twice
  pool.fill(0, offset, offset + size);
  offset += size;
}
