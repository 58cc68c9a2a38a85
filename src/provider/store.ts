import type { VppToken, VppTokenCreateRequest } from '../generated/types';
import { createdVppToken } from '../fixtures';
import type { Profile } from '../schemas';

/** The most vppTokens a reference provider keeps unless told otherwise; the next create gets 507. */
export const DEFAULT_MAX_TOKENS = 200_000;

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
}

/**
 * The provider's vppTokens, in creation order, bounded by maxTokens. Read as a ReadonlyMap of id to vppToken
 * (without `@odata.context`, which depends on the URL it is read under).
 */
export class VppTokenStore implements ReadonlyMap<string, VppToken> {
  private readonly records = new Map<string, StoredVppToken>();
  private readonly order: string[] = []; // so that a page is a slice, not a walk from the start

  constructor(readonly maxTokens: number = DEFAULT_MAX_TOKENS) {
    if (!Number.isSafeInteger(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be a whole number of at least 1 (got ${String(maxTokens)})`);
  }

  get full(): boolean {
    return this.records.size >= this.maxTokens;
  }

  /** Keeps a created vppToken and returns it as created; the caller checks `full` first. */
  add(id: string, request: VppTokenCreateRequest, createdAt: Date, profile?: Profile): VppToken {
    const record: StoredVppToken = Object.freeze({ request: JSON.stringify(request), createdAt: createdAt.getTime(), ...(profile && profile !== 'beta' ? { profile } : {}) });
    this.records.set(id, record);
    this.order.push(id);
    return build(id, record);
  }

  /** The vppTokens from position `skip`, at most `top` of them. */
  page(skip: number, top: number): VppToken[] {
    return this.order.slice(skip, skip + top).map((id) => build(id, this.records.get(id)!));
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

function build(id: string, record: StoredVppToken): VppToken {
  return createdVppToken(JSON.parse(record.request) as VppTokenCreateRequest, { id, now: new Date(record.createdAt), profile: record.profile });
}
