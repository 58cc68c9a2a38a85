import { isCreate, tokenOf, type TrafficEntry } from './traffic';
import { isRead, whyReadShowsNothing } from './read-back';
import type { Profile } from '../schemas';
import { retryAfterMs } from '../wire';

/** The checks of a client's behaviour, by the names check-client prints. */
export type BehaviourCheckName = 'retry-after' | 'no duplicate' | 'bounded retries' | 'no silent loss';
export const BEHAVIOUR_CHECKS: readonly BehaviourCheckName[] = ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss'];

/** Most attempts for one token before `bounded retries` fails (an option may change it). */
export const DEFAULT_MAX_ATTEMPTS = 10;
/** A re-send may come this much sooner than Retry-After says and still pass (the two clocks' slack). */
export const RETRY_AFTER_SLACK_MS = 50;
/** A re-send sooner than this after a 429 or 503 that carried no Retry-After is a retry "without any delay". */
export const NO_DELAY_MS = 100;

export interface BehaviourOptions {
  /** Most requests one token may be sent in (default 10). */
  maxAttempts?: number;
  /**
   * Whether the client said it succeeded (exited 0, or resolved). Only then does `no silent loss` apply: a client
   * that gives up loudly is not failed for that alone. Default true.
   */
  clientSucceeded?: boolean;
  /** The Graph profile a read without a version prefix lists (default beta): its `$filter` is read by that profile's properties. */
  profile?: Profile;
}

/** One thing the client did wrong: what, and which requests (their `sequence`) show it. Never a token value. */
export interface BehaviourFinding {
  check: BehaviourCheckName;
  message: string;
  requests: number[];
}

export interface BehaviourCheck {
  name: BehaviourCheckName;
  passed: boolean;
  findings: BehaviourFinding[];
  /** Why the check had nothing to judge, when it did not apply (no silent loss for a client that failed loudly). */
  skipped?: string;
}

export interface BehaviourVerdict {
  passed: boolean;
  /** One result per check, in the order of BEHAVIOUR_CHECKS. */
  checks: BehaviourCheck[];
  /** Counts over the traffic: creates sent, distinct tokens, tokens created at least once, extra creations, tokens never created. */
  counts: { requests: number; creates: number; tokens: number; created: number; duplicates: number; lost: number };
  summary: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Traffic that holds no create has no behaviour to judge: the checks would hold vacuously, so a verdict either way
 * would be false (outside tester G6: `.not` passed on empty traffic). `held` says what the traffic holds instead.
 */
export class NothingToJudgeError extends Error {
  constructor(readonly held: string) {
    super(`the traffic holds no create of a vppToken (POST .../deviceAppManagement/vppTokens), so there is no behaviour to judge: it holds ${held}`);
    this.name = 'NothingToJudgeError';
  }
}

/** What traffic holds, in a few words: "no request at all", or its count and first kinds ("2 requests: 404 at POST /beta/..."). */
function whatItHolds(traffic: readonly TrafficEntry[]): string {
  if (traffic.length === 0) return 'no request at all';
  const seen = [...new Set(traffic.map((e) => `${e.answer ? e.answer.status : 'no answer'} at ${e.method} ${e.path.split('?')[0]}`))];
  return `${plural(traffic.length, 'request')}: ${seen.slice(0, 3).join(', ')}${seen.length > 3 ? ', ...' : ''}`;
}

const throttled = (entry: TrafficEntry) => entry.answer !== null && (entry.answer.status === 429 || entry.answer.status === 503);

/** An answer that does not say whether the create happened: a 500, 502 or 504, a reset, or none at all. */
const unknownOutcome = (entry: TrafficEntry) => entry.answer === null || [500, 502, 504].includes(entry.answer.status);

/** What the client got from a request, in words, for a finding. */
function whatItGot(entry: TrafficEntry): string {
  if (entry.fault?.kind === '504-after-create') return `a 504 after the create (request ${entry.sequence} stored the vppToken, then answered 504)`;
  if (entry.fault?.kind === 'reset-after-create') return `a reset after the create (request ${entry.sequence} stored the vppToken, then the connection was reset without an answer)`;
  if (entry.answer === null) return `no answer to request ${entry.sequence} (the client went away${entry.stored ? ' after the vppToken was stored' : ''})`;
  return `a ${entry.answer.status} to request ${entry.sequence}`;
}

const SAFE =
  'A safe client treats a 504, a reset or a timeout after it sent a create as an unknown outcome: it reads the vppTokens back (GET /deviceAppManagement/vppTokens, answered 200) and re-sends only the tokens that are missing.';

/**
 * Judges what a client did, from the provider's traffic alone (decision 0060): `retry-after`, `no duplicate`,
 * `bounded retries` and `no silent loss`. "The same request" is a create with the same token value; reads are
 * not judged here (their shape is the request judgement's). Findings name requests by `sequence` and tokens by
 * the order they were first sent ("token 2"), never by value. Throws NothingToJudgeError when the traffic holds
 * no create.
 */
export function judgeClientBehaviour(traffic: readonly TrafficEntry[], options: BehaviourOptions = {}): BehaviourVerdict {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number of at least 1 (got ${String(maxAttempts)})`);
  const clientSucceeded = options.clientSucceeded ?? true;

  // The creates of each token, in arrival order; tokens numbered in the order they were first sent.
  const ordered = [...traffic].sort((a, b) => a.sequence - b.sequence);
  const byToken = new Map<string, TrafficEntry[]>();
  let creates = 0;
  for (const entry of ordered) {
    if (!isCreate(entry)) continue;
    creates++;
    const token = tokenOf(entry);
    if (token === undefined) continue;
    const sent = byToken.get(token);
    if (sent) sent.push(entry);
    else byToken.set(token, [entry]);
  }
  if (creates === 0) throw new NothingToJudgeError(whatItHolds(ordered));
  const groups = [...byToken.values()];

  const retryAfter: BehaviourFinding[] = [];
  const duplicate: BehaviourFinding[] = [];
  const bounded: BehaviourFinding[] = [];
  const loss: BehaviourFinding[] = [];
  let created = 0;
  let duplicates = 0;
  let lost = 0;
  groups.forEach((sent, i) => {
    const name = `token ${i + 1}`;
    for (let j = 1; j < sent.length; j++) {
      const [before, again] = [sent[j - 1], sent[j]];
      if (!throttled(before)) continue;
      const gap = again.startedAt - before.endedAt;
      const wait = retryAfterMs(before.answer!.retryAfter, before.endedAt);
      if (wait !== undefined && gap < wait - RETRY_AFTER_SLACK_MS) {
        retryAfter.push({
          check: 'retry-after',
          message: `request ${again.sequence} re-sent ${name} ${Math.round(gap)} ms after the ${before.answer!.status} to request ${before.sequence} ended, which said Retry-After: ${before.answer!.retryAfter} (wait at least ${wait} ms)`,
          requests: [before.sequence, again.sequence],
        });
      }
      if (wait === undefined && gap < NO_DELAY_MS) {
        bounded.push({
          check: 'bounded retries',
          message: `request ${again.sequence} re-sent ${name} ${Math.round(gap)} ms after the ${before.answer!.status} to request ${before.sequence}, which carried no Retry-After: without any delay (back off at least ${NO_DELAY_MS} ms)`,
          requests: [before.sequence, again.sequence],
        });
      }
    }
    if (sent.length > maxAttempts) {
      bounded.push({
        check: 'bounded retries',
        message: `${name} was sent in ${sent.length} requests (${sent.map((e) => e.sequence).join(', ')}), more than ${maxAttempts} attempts`,
        requests: sent.map((e) => e.sequence),
      });
    }
    const stores = sent.filter((e) => e.stored);
    if (stores.length > 0) created++;
    if (stores.length > 1) {
      duplicates += stores.length - 1;
      for (const again of stores.slice(1)) {
        const before = sent[sent.indexOf(again) - 1];
        duplicate.push({
          check: 'no duplicate',
          message: `${name} was created again by request ${again.sequence} (first by request ${stores[0].sequence}): the client re-sent it after ${whatItGot(before)}. ${SAFE}`,
          requests: [stores[0].sequence, before.sequence, again.sequence].filter((n, k, all) => all.indexOf(n) === k),
        });
      }
    }
    // A create re-sent blind after an unknown outcome (a 500, 502 or 504, a reset, no answer): the first may have
    // been stored, whatever this provider did, so a safe client reads back in between (RFC 9110 §9.2.2: a POST is
    // not idempotent). Judged on what the client did, not on whether the dice stored the first.
    for (let j = 1; j < sent.length; j++) {
      const [before, again] = [sent[j - 1], sent[j]];
      if (!unknownOutcome(before) || duplicate.some((f) => f.requests.includes(again.sequence))) continue;
      // Only a read that could show the vppToken counts (outside testers G4, H3): the whole list, answered 200,
      // filtered and projected so that the vppToken sent would be in it and recognised.
      const reads = ordered.filter((e) => e.sequence > before.sequence && e.sequence < again.sequence && isRead(e));
      const useless = reads.map((read) => whyReadShowsNothing(read, before, reads, options.profile));
      if (useless.some((why) => why === undefined)) continue;
      const between = reads.length === 0 ? 'without reading back first' : `after reads that could not show it (${useless.join('; ')})`;
      duplicate.push({
        check: 'no duplicate',
        message: `request ${again.sequence} re-sent ${name} after ${whatItGot(before)} ${between}: the first may have created it. ${SAFE}`,
        requests: [before.sequence, ...reads.map((e) => e.sequence), again.sequence],
      });
    }
    if (stores.length === 0) {
      lost++;
      if (clientSucceeded) {
        const last = sent[sent.length - 1];
        loss.push({
          check: 'no silent loss',
          message: `${name} was sent in ${plural(sent.length, 'request')} (${sent.map((e) => e.sequence).join(', ')}) and never created, yet the client reported success; the last was ${whatItGot(last)}`,
          requests: sent.map((e) => e.sequence),
        });
      }
    }
  });

  const check = (name: BehaviourCheckName, findings: BehaviourFinding[], skipped?: string): BehaviourCheck => ({ name, passed: findings.length === 0, findings, ...(skipped ? { skipped } : {}) });
  const checks = [
    check('retry-after', retryAfter),
    check('no duplicate', duplicate),
    check('bounded retries', bounded),
    check('no silent loss', loss, clientSucceeded ? undefined : 'the client reported failure: failing loudly is allowed'),
  ];
  const passed = checks.every((c) => c.passed);
  const counts = { requests: traffic.length, creates, tokens: groups.length, created, duplicates, lost };
  const summary = `${checks.filter((c) => c.passed).length} of ${checks.length} behaviour checks passed (${checks.map((c) => `${c.name}: ${c.skipped ? 'not applicable' : c.passed ? 'passed' : plural(c.findings.length, 'finding')}`).join(', ')}); ${plural(creates, 'create')} of ${plural(groups.length, 'token')}: ${created} created, ${plural(duplicates, 'extra creation')}, ${lost} never created`;
  return { passed, checks, counts, summary };
}
