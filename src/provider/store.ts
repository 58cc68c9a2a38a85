import { createHash } from 'node:crypto';
import type { VppToken, VppTokenCreateRequest } from '../generated/types';
import { createdVppToken } from '../graph';
import { readAppleSToken, tokenIdentity } from '../validation';
import type { Profile } from '../schemas';
import { wholeOptionProblem } from '../net';

/** The most vppTokens a reference provider keeps unless told otherwise; the next create gets 507. */
export const DEFAULT_MAX_TOKENS = 200_000;
/**
 * The most bytes of create requests a reference provider keeps (default 256 MiB, decision 0091): a count alone let
 * 200,000 one-MiB tokens take 200 GB. The create that would pass it gets 507.
 */
export const DEFAULT_MAX_STORED_BYTES = 256 * 1024 * 1024;
/** The most bytes of vppTokens one page of the collection holds (default 4 MiB); a page always holds one. */
export const DEFAULT_PAGE_BYTES = 4 * 1024 * 1024;
/** What a vppToken adds to its request when answered (ids, dates, Graph's defaults): about 560 bytes, rounded up. */
const ANSWER_OVERHEAD = 1024;

/**
 * What is kept of one created vppToken: the request as compact JSON and the creation time. The vppToken itself
 * is a pure function of (request, id, time), so it is rebuilt when read instead of kept as an object of twenty
 * properties: about a third of the memory (decision 0036).
 */
interface StoredVppToken {
  readonly request: string;
  readonly createdAt: number;
  /** Set only for a profile other than beta (the answer's property set follows the profile it was created under). */
  readonly profile?: Profile;
  /** Set when the store already held its token as it was created (decision 0251). */
  readonly duplicateLocation?: true;
}

/**
 * A token as the store remembers it, to know it again: the first 6 bytes of its sha256 as a number (never the token
 * itself: 20-55 bytes a vppToken, where a string of the digest cost 120). A match is confirmed on the token.
 */
const tokenKey = (token: string): number => createHash('sha256').update(tokenIdentity(token)).digest().readUIntBE(0, 6);
/**
 * An Apple token (the credential inside an sToken) as the store remembers it: 30 bits of its sha256, a small integer
 * (V8 keeps it in the map's entry; tokenKey's 48 bits are a heap number each, some 40 bytes a vppToken more than this
 * in tests/provider/footprint.test.ts). Never the token itself; a match is confirmed on the token, two tokens with
 * one key are both kept.
 */
const appleKey = (apple: string): number => createHash('sha256').update(apple.toLowerCase()).digest().readUInt32BE(0) >>> 2;
/** Two Apple tokens the log hides alike: the redaction finds a secret in any letter case (a path lower-cased by a proxy). */
const sameApple = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
/**
 * A path with each run of valid percent-escapes decoded, and a malformed one (`%zz`, a lone `%`) left as it is: one bad
 * escape elsewhere in the path no longer leaves the token beside it encoded (decodeURIComponent refuses the whole).
 */
const decodedEscapes = (text: string): string =>
  text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run; // bytes that are no UTF-8: as sent
    }
  });
/** An Apple token shorter than this is not remembered: it could not be told from chance (the judgement's MIN_CREDENTIAL_LENGTH). */
const SHORTEST_APPLE_TOKEN = 8;
/** The longest Apple token looked up, and the most lookups one path is given (each a digest). */
const LONGEST_APPLE_TOKEN = 1024;
const MOST_LOOKUPS = 256;
/** Runs of base64 or base64url characters (`/` included) in a decoded URL path: where an Apple token may stand. */
const BASE64_RUNS = /[A-Za-z0-9+/_=-]{8,}/g;

/**
 * The provider's vppTokens, in creation order, bounded by maxTokens. Read as a ReadonlyMap of id to vppToken
 * (without `@odata.context`, which depends on the URL it is read under).
 */
export class VppTokenStore implements ReadonlyMap<string, VppToken> {
  private readonly records = new Map<string, StoredVppToken>();
  private readonly order: string[] = []; // so that a page is a slice, not a walk from the start
  /** Bytes of the requests kept. */
  private bytes = 0;
  /** The tokens held, by tokenKey, each with the id of the first vppToken that holds it (decision 0251). */
  private readonly tokens = new Map<number, string>();
  /** The Apple tokens inside the sTokens held, by appleKey, each with the id of the first vppToken that holds it (decision 0650). */
  private readonly appleTokens = new Map<number, string | string[]>();

  constructor(
    readonly maxTokens: number = DEFAULT_MAX_TOKENS,
    readonly maxStoredBytes: number = DEFAULT_MAX_STORED_BYTES,
  ) {
    const problem = wholeOptionProblem('maxTokens', maxTokens, 1) ?? wholeOptionProblem('maxStoredBytes', maxStoredBytes, 1);
    if (problem) throw new RangeError(problem);
  }

  get full(): boolean {
    return this.records.size >= this.maxTokens;
  }

  /** Bytes of the create requests kept. */
  get storedBytes(): number {
    return this.bytes;
  }

  /** Why a request of `requestBytes` can't be kept (count or bytes), as Graph's 507 message; undefined when it can. */
  refusal(requestBytes: number): string | undefined {
    if (this.full) return `The reference provider keeps at most ${this.maxTokens} vppTokens and has them all; start it with a larger maxTokens (--max-tokens).`;
    if (this.bytes + requestBytes > this.maxStoredBytes) {
      return `The reference provider keeps at most ${this.maxStoredBytes} bytes of vppTokens and ${this.bytes} are kept; this one (${requestBytes} bytes) does not fit; start it with a larger maxStoredBytes (--max-stored-bytes).`;
    }
    return undefined;
  }

  /** Keeps a created vppToken and returns it as created; the caller checks `full` first. */
  add(id: string, request: VppTokenCreateRequest, createdAt: Date, profile?: Profile): VppToken {
    const key = typeof request.token === 'string' ? tokenKey(request.token) : undefined;
    const holder = key === undefined ? undefined : this.tokens.get(key);
    // One sToken however its base64 is written is one token (decision 0205, outside tester K24).
    const duplicate = holder !== undefined && tokenIdentity((JSON.parse(this.records.get(holder)!.request) as VppTokenCreateRequest).token) === tokenIdentity(request.token);
    if (key !== undefined && holder === undefined) this.tokens.set(key, id);
    const apple = typeof request.token === 'string' ? readAppleSToken(request.token)?.token : undefined;
    if (apple !== undefined && apple.length >= SHORTEST_APPLE_TOKEN) {
      const held = this.appleTokens.get(appleKey(apple));
      if (held === undefined) this.appleTokens.set(appleKey(apple), id);
      else if (!this.holdersOf(held).some((holder) => sameApple(this.appleTokenOf(holder), apple))) this.appleTokens.set(appleKey(apple), [...this.holdersOf(held), id]);
    }
    const record: StoredVppToken = Object.freeze({
      request: JSON.stringify(request),
      createdAt: createdAt.getTime(),
      ...(profile && profile !== 'beta' ? { profile } : {}),
      ...(duplicate ? { duplicateLocation: true as const } : {}),
    });
    this.records.set(id, record);
    this.order.push(id);
    this.bytes += Buffer.byteLength(record.request);
    return build(id, record);
  }

  /**
   * The VPP tokens (sTokens) held whose Apple token a request's path names whole (decision 0650, outside attacker R66:
   * a client reading back by `vppTokens/<its Apple token>`, raw or percent-encoded, quoted as a key or not): what the
   * log hides, in every spelling, where the line repeats the path. Each run of base64 characters of the decoded path is
   * looked up from `/` to `/` (an Apple token holds `/`), by its key in a map, never searched for (200,000 tokens
   * could not be matched against every line): in any letter case, as sent and with its escapes decoded once and twice
   * (a token percent-encoded twice, a malformed escape elsewhere in the path: decision 0683). A part of one is not
   * known (0683 says why).
   */
  vppTokensNamedIn(path: string): string[] {
    if (this.appleTokens.size === 0) return [];
    const once = decodedEscapes(path);
    const found = new Set<string>();
    let looked = 0;
    for (const text of new Set([path, once, decodedEscapes(once)])) {
      for (const [run] of text.matchAll(BASE64_RUNS)) {
        const cuts = [0, ...[...run].flatMap((c, i) => (c === '/' ? [i, i + 1] : [])), run.length];
        for (const start of cuts) {
          for (const end of cuts) {
            if (end - start < SHORTEST_APPLE_TOKEN) continue;
            // Bounded, whatever the path: no Apple token is that long, and a line is not worth thousands of digests.
            if (end - start > LONGEST_APPLE_TOKEN || ++looked > MOST_LOOKUPS) break;
            const apple = run.slice(start, end);
            const held = this.appleTokens.get(appleKey(apple));
            for (const holder of held === undefined ? [] : this.holdersOf(held)) if (sameApple(this.appleTokenOf(holder), apple)) found.add(this.tokenOf(holder)!);
          }
        }
      }
    }
    return [...found];
  }

  private holdersOf(held: string | string[]): string[] {
    return typeof held === 'string' ? [held] : held;
  }
  /** The token a stored vppToken was created with, read from its request. */
  private tokenOf(id: string): string | undefined {
    const token = (JSON.parse(this.records.get(id)!.request) as VppTokenCreateRequest).token;
    return typeof token === 'string' ? token : undefined;
  }
  /** The Apple token inside the sToken a stored vppToken was created with. */
  private appleTokenOf(id: string): string | undefined {
    const token = this.tokenOf(id);
    return token === undefined ? undefined : readAppleSToken(token)?.token;
  }

  /**
   * The vppTokens as `profile` shows them, whichever profile each was created under (decision 0474: Graph projects
   * one resource per version): a v1.0 read has v1.0's properties and members, a beta read beta's.
   */
  *valuesAs(profile: Profile): Generator<VppToken> {
    for (const id of this.order) yield build(id, this.records.get(id)!, profile);
  }

  /** One vppToken as `profile` shows it (valuesAs). */
  getAs(id: string, profile: Profile): VppToken | undefined {
    const record = this.records.get(id);
    return record && build(id, record, profile);
  }

  /**
   * The vppTokens from position `skip`, at most `top` of them and about `maxBytes` (at least one): 40 one-MiB
   * tokens are ten pages, not one 40 MB answer. The next page starts at `skip` plus the number returned. `ids`
   * (those a $filter matched, in $orderby's order) is paged instead of all of them in creation order.
   */
  page(skip: number, top: number, maxBytes: number = DEFAULT_PAGE_BYTES, ids: readonly string[] = this.order, profile?: Profile): VppToken[] {
    const page: VppToken[] = [];
    let bytes = 0;
    for (const id of ids.slice(skip, skip + top)) {
      const record = this.records.get(id)!;
      bytes += Buffer.byteLength(record.request) + ANSWER_OVERHEAD;
      if (page.length > 0 && bytes > maxBytes) break;
      page.push(build(id, record, profile));
    }
    return page;
  }

  get size(): number {
    return this.records.size;
  }
  has(id: string): boolean {
    return this.records.has(id);
  }
  get(id: string): VppToken | undefined {
    const record = this.records.get(id);
    return record && build(id, record);
  }
  *entries(): MapIterator<[string, VppToken]> {
    for (const id of this.order) yield [id, build(id, this.records.get(id)!)];
  }
  keys(): MapIterator<string> {
    return this.order[Symbol.iterator]() as MapIterator<string>;
  }
  *values(): MapIterator<VppToken> {
    for (const [, token] of this.entries()) yield token;
  }
  [Symbol.iterator](): MapIterator<[string, VppToken]> {
    return this.entries();
  }
  forEach(callback: (value: VppToken, key: string, map: ReadonlyMap<string, VppToken>) => void, thisArg?: unknown): void {
    for (const [id, token] of this.entries()) callback.call(thisArg, token, id, this);
  }
}

/** A stored vppToken as `profile` shows it; by default as it was created (the profile of its create). */
function build(id: string, record: StoredVppToken, profile: Profile | undefined = record.profile): VppToken {
  return createdVppToken(JSON.parse(record.request) as VppTokenCreateRequest, { id, now: new Date(record.createdAt), profile, duplicateLocation: record.duplicateLocation });
}
