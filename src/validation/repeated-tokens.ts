import { createHash } from 'node:crypto';
import type { Problem } from './problems';
import { tokenIdentity } from './stoken';

/**
 * The record index of each token seen, by a 64-bit fingerprint of it (the first 8 bytes of its sha256), in typed
 * arrays with open addressing: 12 bytes a slot at most half full, so a million records cost about 25 MB where a Map
 * of digests would cost about 100 MB, and `validate`'s memory stays near flat (README: peak memory). Two tokens
 * share a fingerprint with a chance of about n²/2^65 (3 in 100 million at a million records).
 */
class FingerprintIndex {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  /** The record's index + 1; 0 is an empty slot. */
  private index = new Uint32Array(1024);
  private size = 0;

  /** The index stored for this fingerprint, or, when there is none, stores `at` and answers undefined. */
  firstOr(high: number, low: number, at: number): number | undefined {
    if ((this.size + 1) * 2 > this.index.length) this.grow();
    const mask = this.index.length - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      if (this.index[slot] === 0) {
        this.high[slot] = high;
        this.low[slot] = low;
        this.index[slot] = at + 1;
        this.size++;
        return undefined;
      }
      if (this.high[slot] === high && this.low[slot] === low) return this.index[slot] - 1;
    }
  }

  private grow(): void {
    const [high, low, index] = [this.high, this.low, this.index];
    this.high = new Uint32Array(index.length * 2);
    this.low = new Uint32Array(index.length * 2);
    this.index = new Uint32Array(index.length * 2);
    this.size = 0;
    for (let slot = 0; slot < index.length; slot++) if (index[slot] !== 0) this.firstOr(high[slot], low[slot], index[slot] - 1);
  }
}

/** A token check over the records of one data set: the problem of a repeat, or undefined for the first of its token. */
export type RepeatedTokenChecker = (index: number, request: unknown, file?: string) => Problem | undefined;

/**
 * The one rule for a data set of create requests (decision 0205, outside tester H31): each token is created once. A
 * create of a token already created makes a second vppToken of one Apple token (the reference provider stores
 * it, and nothing in Graph's documentation says Intune refuses it), so a record whose token an earlier record
 * holds is no record to send: `validate` calls it invalid and `seed` reports it `invalid`, never sent. Tokens are
 * kept as fingerprints, never as values, and no problem shows one.
 *
 * Returns a checker to call with each record that is otherwise a valid create, in the order of the file: it
 * answers the problem of a repeat, or undefined (and remembers the token) for the first of its token. The files of
 * one data set (the shards one `validate` run checks together) share one checker, each record given with its file's
 * name: a token an earlier file holds is named with that file and record (decision 0428, outside tester Q15).
 * `named` names an earlier one by its index otherwise than `record N` (compare: `interaction "its description"`).
 */
export function repeatedTokenChecker(options: { named?: (index: number) => string } = {}): RepeatedTokenChecker {
  const seen = new FingerprintIndex();
  // The files read so far, each with the ordinal of its record 0: records are kept by ordinal, and told by file.
  const files: { name: string | undefined; base: number; last: number }[] = [];
  let next = 0;
  const fileOf = (ordinal: number) => {
    let low = 0;
    let high = files.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (files[middle].base <= ordinal) low = middle;
      else high = middle - 1;
    }
    return files[low];
  };
  return (index, request, file) => {
    const token = typeof request === 'object' && request !== null ? (request as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token.length === 0) return undefined;
    // Another file, or the same one read again (its records start over): a reading of its own.
    let current = files[files.length - 1];
    if (current === undefined || current.name !== file || index <= current.last) files.push((current = { name: file, base: next, last: index }));
    current.last = index;
    const ordinal = current.base + index;
    next = Math.max(next, ordinal + 1);
    // One sToken however its base64 is written (padding, alphabet) is one token.
    const digest = createHash('sha256').update(tokenIdentity(token)).digest();
    const earlier = seen.firstOr(digest.readUInt32BE(0), digest.readUInt32BE(4), ordinal);
    if (earlier === undefined) return undefined;
    const where = fileOf(earlier);
    // compare's creates are those of one JSON batch, each named by its $batch id and interaction (decisions 0733, 0782).
    const record = options.named ? options.named(earlier - where.base) : `record ${earlier - where.base}`;
    return {
      pointer: '/token',
      keyword: 'repeatedToken',
      message: `is the token of ${where === current || where.name === undefined ? record : `${where.name} ${record}`} again: a second create of one token makes a second vppToken (each token is created once)`,
    };
  };
}
