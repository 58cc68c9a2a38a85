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

/**
 * The one rule for a file of create requests (decision 0205, outside tester H31): each token is created once. A
 * create of a token already created makes a second vppToken of one Apple token (the reference provider stores
 * it, and nothing in Graph's documentation says Intune refuses it), so a record whose token an earlier record
 * of the same file holds is no record to send: `validate` calls it invalid and `seed` reports it `invalid`, never
 * sent. Tokens are kept as fingerprints, never as values, and no problem shows one.
 *
 * Returns a checker to call with each record that is otherwise a valid create, in the order of the file: it
 * answers the problem of a repeat, or undefined (and remembers the token) for the first of its token.
 */
export function repeatedTokenChecker(): (index: number, request: unknown) => Problem | undefined {
  const seen = new FingerprintIndex();
  return (index, request) => {
    const token = typeof request === 'object' && request !== null ? (request as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token.length === 0) return undefined;
    // One sToken however its base64 is written (padding, alphabet) is one token.
    const digest = createHash('sha256').update(tokenIdentity(token)).digest();
    const earlier = seen.firstOr(digest.readUInt32BE(0), digest.readUInt32BE(4), index);
    if (earlier === undefined || earlier === index) return undefined;
    return {
      pointer: '/token',
      keyword: 'repeatedToken',
      message: `is the token of record ${earlier} again: a second create of one token makes a second vppToken (each token is created once)`,
    };
  };
}
