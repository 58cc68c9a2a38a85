import type { FailureKind } from '../provider/faults';
import { findDuplicateProperty } from '../judgement/duplicates';

/**
 * One request as the provider saw it, with what became of it. Every verdict on a client's behaviour is derived
 * from a list of these alone (decision 0060): no clock of the judge, no state of the provider.
 */
export interface TrafficEntry {
  /** Its place in arrival order, from 1 ("request 3" in findings). */
  sequence: number;
  method: string;
  /** The request target as received: version prefix and query string included. */
  path: string;
  /** The header lines as received, in order, each [name as sent, value]; repeated ones stay repeated. */
  rawHeaders: ReadonlyArray<readonly [string, string]>;
  /** The body's bytes; undefined when they were not read (over the body limit, or the client went away first). */
  body: Uint8Array | undefined;
  /** When the request arrived (its header lines were read), in milliseconds of the provider's clock. */
  startedAt: number;
  /** When the answer's last byte was handed to the connection, or the connection ended without one; same clock. */
  endedAt: number;
  /** The answer, or null when there was none: the connection was reset (reset-after-create) or the client went away. */
  answer: { status: number; retryAfter?: string } | null;
  /** The fault injected into this request, and why (a drawn failure or the rate limit); absent for a plain answer. */
  fault?: { kind: FailureKind; by: 'fail-rate' | 'rate-limit' };
  /** Whether this request stored a vppToken (a 201, and the after-create faults). */
  stored: boolean;
  /** True when the client closed the connection before it had an answer. */
  clientClosed?: boolean;
}

const CREATE_PATH = /^(?:\/(?:beta|v1\.0))?\/deviceappmanagement\/vpptokens\/?$/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether the entry is a create: POST to the vppTokens collection, with or without a version prefix. */
export function isCreate(entry: Pick<TrafficEntry, 'method' | 'path'>): boolean {
  return entry.method === 'POST' && CREATE_PATH.test(entry.path.split('?')[0]);
}

/**
 * The `token` a create sent, read strictly: UTF-8 without a bad byte, JSON without a repeated property name, a
 * non-empty string. Undefined for anything else (such a request is the request judgement's business, and Graph
 * creates nothing from it). Two creates are "the same request" when their tokens are equal, whatever the order
 * of the other properties or the whitespace.
 */
export function tokenOf(entry: Pick<TrafficEntry, 'method' | 'path' | 'body'>): string | undefined {
  if (!isCreate(entry) || entry.body === undefined) return undefined;
  let text: string;
  try {
    text = strictUtf8.decode(entry.body);
    const value: unknown = JSON.parse(text);
    if (findDuplicateProperty(text) !== undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const token = (value as Record<string, unknown>).token;
    return typeof token === 'string' && token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Node's flat raw header list as [name, value] pairs. */
export function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}
