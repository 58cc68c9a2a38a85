import { isCreate, requestName, tokenOf, withBatchMembers, type TrafficEntry } from './traffic';
import { isRead, monitorSaidDone, pageHolds, readShowsNoneMade, seenByARead, sentBeforeEnded, toldByMonitors, whyReadShowsNothing } from './read-back';
import { toProfile, type Profile } from '../schemas';
import { leastRetryAfterMs } from '../wire';
import { argumentProblem, optionsObjectProblem, refuseArguments, shownOption, wholeOptionProblem } from '../net/option';
import { outcomeOfStatus, readRequestTarget, UNKNOWN_OUTCOME_STATUSES, wholeBatchOutcomeOf } from '../judgement';
import { tokenFingerprint, tokenIdentity } from '../validation';

/** The token a create sent, as tokens are told apart: one sToken however its base64 is written (outside tester K24). */
function tokenKeyOf(entry: TrafficEntry): string | undefined {
  const token = tokenOf(entry);
  return token === undefined ? undefined : tokenIdentity(token);
}

/** A request's name at the start of a sentence. */
const capital = (text: string): string => `${text[0].toUpperCase()}${text.slice(1)}`;

/** The checks of a client's behaviour, by the names check-client prints. */
export type BehaviourCheckName = 'retry-after' | 'no duplicate' | 'bounded retries' | 'no silent loss';
export const BEHAVIOUR_CHECKS: readonly BehaviourCheckName[] = ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss'];

/** Most attempts for one token before `bounded retries` fails (an option may change it). */
export const DEFAULT_MAX_ATTEMPTS = 10;
/** The most requests a client is taken to run at once (seed's default): `retry-after` counts its workers by it. */
export const DEFAULT_CONCURRENCY = 8;
/** A re-send may come this much sooner than Retry-After says and still pass (the two clocks' slack). */
export const RETRY_AFTER_SLACK_MS = 50;
/** A re-send sooner than this after a 429 or 503 that carried no Retry-After is a retry "without any delay". */
export const NO_DELAY_MS = 100;

export interface BehaviourOptions {
  /** Most requests one token may be sent in (default 10), a re-send that waited out the Retry-After it was given not counted (decision 0435). */
  maxAttempts?: number;
  /**
   * Whether the client said it succeeded (exited 0, or resolved). Only then does `no silent loss` apply: a client
   * that gives up loudly is not failed for that alone. Default true.
   */
  clientSucceeded?: boolean;
  /**
   * The most requests the client runs at once (default 8, seed's default). `retry-after` fails a create or read sent
   * while more requests wait out a Retry-After, with those in flight, than the client has workers (decisions 0206, 0244).
   */
  concurrency?: number;
  /** The Graph profile a read without a version prefix lists (default beta): its `$filter` is read by that profile's properties. */
  profile?: Profile;
}

/** The names BehaviourOptions has (a Record, so a name added to the interface must be added here). */
const BEHAVIOUR_OPTION_NAMES = Object.keys({ maxAttempts: true, clientSucceeded: true, concurrency: true, profile: true } satisfies Record<keyof BehaviourOptions, true>);

/**
 * The behaviour options a function takes (`known`, all of BehaviourOptions by default), checked: an object of those
 * names only, each a value it can take; throws a TypeError or RangeError naming `name` (a matcher's, or
 * judgeClientBehaviour) and what is allowed (outside finding P7: `toBoundRetries(2)` passed traffic `{ maxAttempts: 2 }` fails).
 */
export function checkBehaviourOptions(name: string, options: unknown, known: readonly (keyof BehaviourOptions)[] = BEHAVIOUR_OPTION_NAMES as (keyof BehaviourOptions)[]): BehaviourOptions {
  const shape = optionsObjectProblem(name, options, known);
  if (shape) throw new TypeError(shape);
  const given = (options ?? {}) as Record<keyof BehaviourOptions, unknown>;
  const unfit = behaviourOptionProblem(given as BehaviourOptions);
  if (unfit) throw new RangeError(unfit);
  if (given.clientSucceeded !== undefined && typeof given.clientSucceeded !== 'boolean') throw new TypeError(`clientSucceeded must be true or false (got ${shownOption(given.clientSucceeded)})`);
  if (given.profile !== undefined) toProfile(given.profile);
  return given as BehaviourOptions;
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
  /**
   * Counts over the traffic: creates sent, distinct tokens, tokens created at least once, extra creations, tokens
   * never created, and tokens whose creates were none seen stored but one may have been (`storedUnknown`: the
   * provider gave no answer to it). `seen`: of `created`, the tokens known created only because a list page read
   * after an unknown outcome held their vppToken (the proxy: decision 0671). `unlisted`: of `lost`, the tokens known
   * never created only because a read of the whole list after their creates' unknown outcomes held no vppToken of
   * them (the proxy: decision 0880).
   */
  counts: { requests: number; creates: number; tokens: number; created: number; duplicates: number; lost: number; unknown: number; seen: number; unlisted: number };
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

/**
 * What the answer a create inside a JSON batch got as its batch's as a whole (`answeredWhole`) told the client of it,
 * by the one outcome rule (wholeBatchOutcomeOf, decisions 1250, 1325): never created (a batch's own status names no
 * create's vppToken), unknown for a 2xx, a 303, 500, 502 or 504; undefined for an answer of its own.
 */
const toldWhole = (entry: TrafficEntry) => (entry.answeredWhole && entry.answer ? wholeBatchOutcomeOf(entry.answer.status) : undefined);
/**
 * The client was told its create was done: 201 Created, or 204 No Content where the create asked return=minimal
 * (the proxy sets `stored` so for it alone: decision 0590); never by its batch's status as a whole (1325).
 */
const toldCreated = (entry: TrafficEntry) => toldWhole(entry) === undefined && (entry.answer?.status === 201 || (entry.answer?.status === 204 && entry.stored));
/** An answer that does not say whether the create happened: a 500, 502 or 504, a 303 See Other (1230), a reset, or none at all. */
const unknownOutcome = (entry: TrafficEntry) => entry.answer === null || UNKNOWN_OUTCOME_STATUSES.includes(entry.answer.status);
/**
 * The answer told the client its create's outcome is unknown (`no silent loss` faults a success after it with no read
 * that could show the vppToken): unknownOutcome, a 202 (decision 1270), or its batch's status as a whole the one rule
 * reads unknown, a 2xx too (1325). A create's own 2xx naming no vppToken is not (1172: its status line said created).
 */
const toldUnknown = (entry: TrafficEntry) => unknownOutcome(entry) || entry.accepted === true || toldWhole(entry)?.outcome === 'unknown';
/**
 * A create whose vppToken may exist though its answer named none: an unknown outcome (unknownOutcome), or one the
 * traffic says may be stored (`storedUnknown`: the proxy's 202, or a 2xx naming no vppToken, a 201 too: decision
 * 1172). Sending its token again before a read that could show it may make a second.
 */
const mayHaveCreated = (entry: TrafficEntry) => unknownOutcome(entry) || entry.storedUnknown !== undefined;

/** What the client got from a request, in words, for a finding. */
function whatItGot(entry: TrafficEntry): string {
  if (entry.fault?.kind === '504-after-create') return `a 504 after the create (${requestName(entry)} stored the vppToken, then answered 504)`;
  if (entry.fault?.kind === 'reset-after-create') return `a reset after the create (${requestName(entry)} stored the vppToken, then the connection was reset without an answer)`;
  if (entry.answer === null) return `no answer to ${requestName(entry)} (the client went away${entry.stored ? ' after the vppToken was stored' : ''})`;
  // A create inside a batch refused as a whole was not run: the batch's refusal is what it got (decision 0462).
  return `a ${entry.answer.status} to ${requestName(entry)}${entry.refusedWithBatch ? ', refused with its batch as a whole (not run)' : ''}`;
}

/**
 * What a request asks for, as the Retry-After rules tell requests apart (decision 0244): a create by its token (the
 * same token is the same request, whatever else the body says), a read (GET) by the resource it names (the list,
 * its count, one vppToken by id; version prefix and query options aside: another page or `$filter` of a throttled
 * list is still a follow-up to it). Undefined for anything else (no token, nothing Graph has): not judged here.
 */
function askedFor(entry: TrafficEntry): string | undefined {
  if (isCreate(entry)) {
    const token = tokenKeyOf(entry);
    return token === undefined ? undefined : `create ${token}`;
  }
  if (!isRead(entry)) return undefined;
  const { names } = readRequestTarget(entry.path);
  return `read ${names.kind}${names.kind === 'entity' ? ` ${names.id}` : ''}`;
}

/**
 * The injected fault a client may have given up after, for the rule that a client under faults may fail loudly
 * (check-client's exit rule): the first request a fault answered that no later request for the same thing
 * (askedFor: the token, the resource read; anything else is its own) got past with a plain answer. Undefined when
 * the client got past every fault it met (outside tester Q1: a client throttled once, then answered 201 for every
 * token, crashed, and passed): its non-zero exit is then its own failure, as without faults. A JSON batch is read as
 * the requests inside it, as the behaviour checks read it: a fault answers a request inside a batch, never the batch,
 * which is answered 200 (decision 0436; outside attacker R70, decision 0660).
 */
export function faultGivenUpAfter(traffic: readonly TrafficEntry[]): TrafficEntry | undefined {
  const ordered = withBatchMembers(traffic).sort((a, b) => a.sequence - b.sequence);
  return ordered.find((entry, n) => {
    if (entry.fault === undefined) return false;
    const asked = askedFor(entry);
    return asked === undefined || !ordered.slice(n + 1).some((later) => later.fault === undefined && later.answer != null && askedFor(later) === asked);
  });
}

/** What a read asked for, in words: "the list of vppTokens", "the count of vppTokens", "vppToken <id>". */
function readName(entry: TrafficEntry): string {
  const { names } = readRequestTarget(entry.path);
  return names.kind === 'entity' ? `vppToken ${names.id}` : `the ${names.kind === 'count' ? 'count' : 'list'} of vppTokens`;
}

/**
 * Requests sent while the client was throttled (outside tester H27, decision 0206; reads too since outside tester
 * J11, decision 0244). Graph throttles an app in a tenant, not one request: after a 429 or 503 with `Retry-After`,
 * "Microsoft Graph limits any further requests from that client" for that time. A client that backs off each
 * request on its own (Microsoft's SDKs do) and runs several at once is correct: while one worker waits out its
 * Retry-After the others go on. The traffic cannot tell which worker sent what, so the rule counts workers: when a
 * create or a read starts, every other request still waiting out a window it was given (a token or a read whose
 * last answer was a 429 or 503 whose Retry-After has not passed) holds a worker, every request in flight holds one,
 * and the new one needs one more. More than `concurrency` (the most requests the client runs at once) means some
 * worker sent into a throttle it was given: a client that answers each 429 by sending the next token at once soon
 * holds more tokens back than it has workers. A re-send of the throttled request itself is the per-request rule's.
 */
function sentIntoAThrottle(ordered: readonly TrafficEntry[], concurrency: number, name: (token: string) => string): BehaviourFinding[] {
  // Where each answer ended among the arrivals, the later of what the provider saw (arrivedByEnd) and what the
  // times allow: a request that started in the same millisecond as an answer ended (or on a fake clock that stood
  // still) is taken as sent while that answer was on its way, not after it (the benefit of the doubt).
  const byStart = [...ordered].sort((a, b) => a.startedAt - b.startedAt);
  const latest: number[] = [];
  byStart.forEach((e, i) => latest.push(Math.max(e.sequence, i > 0 ? latest[i - 1] : 0)));
  const arrivedBy = (at: number) => {
    let [lo, hi] = [0, byStart.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid].startedAt <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? latest[lo - 1] : 0;
  };
  type Event = { entry: TrafficEntry; ends: boolean; key: [number, number, number, number] };
  const events: Event[] = ordered.flatMap((entry) => [
    { entry, ends: false, key: [entry.sequence, 0, 0, 0] as Event['key'] },
    { entry, ends: true, key: [Math.max(entry.sequence, entry.arrivedByEnd ?? 0, arrivedBy(entry.endedAt)), 1, entry.endedAt, entry.sequence] as Event['key'] },
  ]);
  events.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.key[3] - b.key[3]);
  let inFlight = 0;
  // The most requests the client ever had in flight at once: a client of one at a time has no worker to excuse it.
  let peak = 0;
  // The last request for each thing asked for: a throttled token sent again later was waiting, one never sent again given up.
  const lastSent = new Map<string, number>();
  for (const entry of ordered) {
    const asked = askedFor(entry);
    if (asked !== undefined) lastSent.set(asked, entry.sequence);
  }
  // Each token or read whose last answer was throttled with a Retry-After: that answer, and when its window ends.
  const waiting = new Map<string, { by: TrafficEntry; until: number }>();
  const found: { entry: TrafficEntry; held: { by: TrafficEntry; until: number }[]; inFlight: number }[] = [];
  for (const { entry, ends } of events) {
    const asked = askedFor(entry);
    if (ends) {
      inFlight--;
      const wait = asked !== undefined && throttled(entry) ? leastWait(entry)?.ms : undefined;
      if (asked !== undefined && wait !== undefined) waiting.set(asked, { by: entry, until: entry.endedAt + wait });
      continue;
    }
    if (asked !== undefined) {
      waiting.delete(asked);
      const held = [...waiting.values()].filter((w) => w.until - RETRY_AFTER_SLACK_MS > entry.startedAt);
      if (held.length > 0 && held.length + inFlight + 1 > concurrency) found.push({ entry, held, inFlight });
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
  }
  // Said as what the client did (outside tester Q16): the request sent inside a throttle, what Graph asks, and what
  // held the workers it is taken to have (tokens set aside, whether sent again later or given up, and requests in
  // flight); --concurrency is offered only to a client seen running more than one request at once.
  const findings: BehaviourFinding[] = [];
  for (const { entry, held, inFlight: flying } of found) {
    const last = held.reduce((a, b) => (b.by.endedAt > a.by.endedAt ? b : a));
    const tokens = held.filter((w) => isCreate(w.by));
    const reads = held.length - tokens.length;
    const later = (w: { by: TrafficEntry }) => (lastSent.get(askedFor(w.by)!) ?? 0) > entry.sequence;
    const again = tokens.filter(later).length;
    const fate = again === tokens.length ? (tokens.length === 1 ? 'sent again later' : 'each sent again later') : again === 0 ? (tokens.length === 1 ? 'never sent again: given up' : 'none sent again: given up') : `${again} sent again later, ${tokens.length - again} never`;
    const heldBy = [...(tokens.length > 0 ? [`${plural(tokens.length, 'other token')} within a Retry-After ${tokens.length === 1 ? 'it was' : 'they were'} given (${fate})`] : []), ...(reads > 0 ? [`${plural(reads, reads === held.length && !isCreate(entry) ? 'other read' : 'read')} within a Retry-After ${reads === 1 ? 'it was' : 'they were'} given`] : [])].join(' and ');
    const what = isCreate(entry) ? `sent ${name(tokenKeyOf(entry)!)}` : `read ${readName(entry)}`;
    const alone = peak <= 1 ? '); no two of its requests were seen in flight at once' : ": give the client's own if it runs more)";
    findings.push({
      check: 'retry-after',
      message: `${requestName(entry)} ${what} ${Math.round(entry.startedAt - last.by.endedAt)} ms after the ${last.by.answer!.status} to ${requestName(last.by)} ended, which said Retry-After: ${last.by.answer!.retryAfter}: Graph throttles the client, not one request, so wait before any further request. ${capital(heldBy)} and ${flying} ${flying === 1 ? 'request' : 'requests'} in flight already make the ${concurrency} the client is taken to run at once (--concurrency, default 8${alone}`,
      requests: [...held.map((w) => w.by.sequence).sort((a, b) => a - b), entry.sequence],
    });
  }
  return findings;
}

/**
 * The least wait the Retry-After of `entry`'s answer asks from its end (leastRetryAfterMs, decision 1251): an HTTP-date
 * read against the answer's Date (0450) less the second that Date leaves open, so a client that re-sent after the
 * instant the date names is not failed.
 */
const leastWait = (entry: TrafficEntry) => leastRetryAfterMs(entry.answer!.retryAfter, entry.endedAt, entry.answer!.date);

/**
 * Whether `again` was sent after waiting out the Retry-After of the 429 or 503 that `before` got: a wait of more than
 * none, all of it (less the slack) from the answer's end. Retry-After: 0 paces nothing.
 */
function waitedOut(before: TrafficEntry, again: TrafficEntry): boolean {
  if (!throttled(before) || sentBeforeEnded(again, before)) return false;
  const wait = leastWait(before)?.ms;
  return wait !== undefined && wait > 0 && again.startedAt - before.endedAt >= wait - RETRY_AFTER_SLACK_MS;
}

/**
 * The one rule for a request sent again after a 429 or 503 (decision 0060; reads too since outside tester J11,
 * decision 0244): with a readable Retry-After it starts at least that long (less the slack) after the answer ended
 * (`retry-after`, RFC 9110 §10.2.3: "how long the user agent ought to wait before making a follow-up request");
 * without one, not sooner than NO_DELAY_MS (`bounded retries`, decision 0232). `resent` says what was sent again.
 */
function resentTooSoon(before: TrafficEntry, again: TrafficEntry, resent: string, why: string, into: { retryAfter: BehaviourFinding[]; bounded: BehaviourFinding[] }): void {
  // Sent before the 429 or 503 came, it could not wait for it: no re-send (it was judged "-990 ms after"; outside finding M6's sibling).
  if (!throttled(before) || sentBeforeEnded(again, before)) return;
  const gap = again.startedAt - before.endedAt;
  const least = leastWait(before);
  const wait = least?.ms;
  const what = `${requestName(again)} ${resent} ${Math.round(gap)} ms after the ${before.answer!.status} to ${requestName(before)}`;
  const requests = [before.sequence, again.sequence];
  if (wait !== undefined && gap < wait - RETRY_AFTER_SLACK_MS) {
    const byDate = least!.dateLeftOpen ? `: its date less the end of the second its Date, ${before.answer!.date}, names; RFC 9110 §5.6.7` : '';
    into.retryAfter.push({ check: 'retry-after', message: `${what} ended, which said Retry-After: ${before.answer!.retryAfter} (wait at least ${wait} ms${byDate}${why})`, requests });
  }
  if (wait === undefined && gap < NO_DELAY_MS) {
    const said = before.answer!.retryAfter;
    const none = !said?.trim() ? 'which carried no Retry-After' : `whose Retry-After: ${said} is neither delay-seconds nor an HTTP-date (RFC 9110 §10.2.3), so is read as none`;
    into.bounded.push({ check: 'bounded retries', message: `${what}, ${none}: without any delay (back off at least ${NO_DELAY_MS} ms)`, requests });
  }
}

/** Each read re-sent after a throttled read of the same resource, held to the rule a re-sent create is (decision 0244). */
function rereadsTooSoon(ordered: readonly TrafficEntry[], into: { retryAfter: BehaviourFinding[]; bounded: BehaviourFinding[] }): void {
  const last = new Map<string, TrafficEntry>();
  for (const again of ordered) {
    if (!isRead(again)) continue;
    const asked = askedFor(again)!;
    const before = last.get(asked);
    last.set(asked, again);
    if (before !== undefined) resentTooSoon(before, again, `re-read ${readName(again)}`, ': a throttled read waits as a throttled create does', into);
  }
}

/** Whether the vppToken `created` made was deleted (a DELETE of its id answered 2xx) before `again` arrived. */
function deletedBetween(ordered: readonly TrafficEntry[], created: TrafficEntry, again: TrafficEntry): boolean {
  const id = created.createdId?.toLowerCase();
  if (id === undefined) return false;
  return ordered.some((e) => {
    if (e.method !== 'DELETE' || e.sequence <= created.sequence || e.sequence >= again.sequence || !e.answer || e.answer.status < 200 || e.answer.status > 299) return false;
    const names = readRequestTarget(e.path).names;
    return names.kind === 'entity' && names.id === id;
  });
}

/**
 * What tells that a client read a JSON batch's answers by place, where that explains a finding on `entry` (decision
 * 0541): the answer listed at its request's place among the batch's responses was another request's, with the other
 * outcome (a success where it failed, a failure where it succeeded). Empty when `entry` is no request inside a batch
 * answered 200, or that place tells its own outcome.
 */
function readByPlace(ordered: readonly TrafficEntry[], entry: TrafficEntry): string {
  const place = entry.batchPlace;
  if (place === undefined || entry.answer === null) return '';
  const mate = ordered.find((e) => e !== entry && e.sequence === entry.sequence && e.batchPlace?.answer === place.request);
  if (!mate?.answer) return '';
  const ok = (status: number) => status >= 200 && status <= 299;
  if (ok(mate.answer.status) === ok(entry.answer.status)) return '';
  return ` Likely cause: the client read the batch's answers by place. The answer listed ${ordinal(place.request + 1)} in the batch's responses, the place of ${requestName(entry)} among its requests, was ${requestName(mate)}'s ${mate.answer.status}: Graph lists a batch's answers in any order, so read each by its id (json-batching), as the mock lists them in another order than the requests.`;
}

const ordinal = (n: number): string => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;

/**
 * How the client learned that `create`, accepted for processing (202), made the vppToken before it sent `again`: its
 * status monitor's final answer said so (`createdPerMonitor`, decision 1315), answered before `again` was sent; in words,
 * or undefined when it had not.
 */
function monitorToldCreated(ordered: readonly TrafficEntry[], create: TrafficEntry, again: TrafficEntry): string | undefined {
  if (create.createdPerMonitor === undefined) return undefined;
  const read = ordered.find((e) => e.sequence === create.createdPerMonitor && e.method === 'GET' && e.answer?.told !== undefined);
  if (read === undefined || read.sequence >= again.sequence || sentBeforeEnded(again, read)) return undefined;
  return `the status monitor of ${requestName(create)} said it was created (${requestName(read)} was answered ${read.answer!.status} with the create's answer, naming vppToken ${create.createdId}: OData 4.01 Part 1 §11.6)`;
}

/** What a safe client does when its create's outcome is unknown, to the end of a sentence. */
const READ_BACK = 'reads the vppTokens back (GET /deviceAppManagement/vppTokens, answered 200) and re-sends only the tokens that are missing.';
const SAFE = `A safe client treats a 504, a reset or a timeout after it sent a create as an unknown outcome: it ${READ_BACK}`;

/**
 * What a safe client does after the answer `entry` got, when that answer did not tell it the vppToken was made: one
 * wording per outcome of the one rule (createOutcomeOf, its status read with nothing named; a batch's as a whole by
 * wholeBatchOutcomeOf: decisions 1130, 1172, 1250, 1270, 1326). A 202 is polled at its status monitor, a 2xx that
 * names no vppToken, a batch's 2xx as a whole or a 303 read back; a 500, 502, 504, no answer, a fault, or a create
 * stored (its answer named the vppToken, or a page showed it) keep SAFE.
 */
function adviceAfter(entry: TrafficEntry): string {
  if (entry.answer === null || entry.fault !== undefined) return SAFE;
  const { status } = entry.answer;
  const read = entry.answeredWhole ? wholeBatchOutcomeOf(status) : outcomeOfStatus(status);
  if (read.outcome !== 'unknown') return SAFE;
  if (read.accepted)
    return `A 202 Accepted says the create was accepted for processing and not done (RFC 9110 §15.3.3): a safe client polls the status monitor ${entry.answeredWhole ? "the batch's" : 'the'} 202 named in its Location until it gives the outcome (OData 4.01 Part 1 §11.6), and sends the token again only when that says it was not created; a list that lacks the vppToken may have been read before the create ran.`;
  if (read.seeOther) return `A 303 See Other says the create was processed and its result is the resource its Location names, which may be a vppToken it made (RFC 9110 §15.4.4): a safe client ${READ_BACK}`;
  if (read.missing === undefined || entry.stored) return SAFE;
  return entry.answeredWhole
    ? `A ${status} to a JSON batch as a whole gives a create inside it no answer of its own, so its outcome is unknown: a safe client ${READ_BACK}`
    : `A ${status} that names no created vppToken leaves the create's outcome unknown (a 201's body and Location identify what it created: RFC 9110 §15.3.2): a safe client ${READ_BACK}`;
}

/** What a client that sent one token twice at once is told (outside finding M6: it was told it re-sent after a 201). */
const AT_ONCE =
  "A token is sent in one create at a time: a second create of it waits for the first's outcome, and goes only when that outcome, or a read back after an unknown one, shows the first did not create it.";

/** `again`, a create of the token `before` sent, as sent while `before` was in flight: before its answer came. */
const whileInFlight = (before: TrafficEntry): string => `while ${requestName(before)} was still in flight, before its answer came`;

/** Why `maxAttempts` or `concurrency` can't be taken, or undefined: checked before a client runs (check-client, the proxy) and by the judgement. */
export function behaviourOptionProblem(options: Pick<BehaviourOptions, 'maxAttempts' | 'concurrency'>): string | undefined {
  return wholeOptionProblem('maxAttempts', options.maxAttempts, 1) ?? wholeOptionProblem('concurrency', options.concurrency, 1);
}

/**
 * Judges what a client did, from the provider's traffic alone (decision 0060): `retry-after`, `no duplicate`,
 * `bounded retries` and `no silent loss`. "The same request" is a create with the same token value, or a read
 * of the same resource (a re-sent read waits out a Retry-After as a re-sent create does; its shape is the request
 * judgement's). Findings name requests by `sequence` and tokens by
 * the order they were first sent ("token 2"), never by value. Throws NothingToJudgeError when the traffic holds
 * no create.
 */
/** Why a traffic argument (judgeClientBehaviour's, judgeProxiedBehaviour's) can't be judged: one sentence for both. */
export const trafficProblem = (traffic: unknown): string | undefined =>
  argumentProblem('traffic', traffic, 'array', "an array of traffic entries, such as a reference provider's traffic (kept with recordTraffic or faults) or trafficEntriesOf(exchanges)");

export function judgeClientBehaviour(traffic: readonly TrafficEntry[], given: BehaviourOptions = {}): BehaviourVerdict {
  // The traffic by the library's one rule of an argument's shape (decision 0760): it failed inside on `.flatMap`.
  refuseArguments(trafficProblem(traffic));
  const options = checkBehaviourOptions('judgeClientBehaviour', given);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const clientSucceeded = options.clientSucceeded ?? true;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;

  // The creates of each token, in arrival order; tokens numbered in the order they were first sent. A JSON batch is
  // read as the requests inside it, as check-client hands them: the reference provider keeps each batch whole (0662).
  // A create accepted for processing (202) whose status monitor answered the create's own answer is read by it (1315).
  const ordered = toldByMonitors(withBatchMembers(traffic).sort((a, b) => a.sequence - b.sequence));
  const byToken = new Map<string, TrafficEntry[]>();
  let creates = 0;
  for (const entry of ordered) {
    if (!isCreate(entry)) continue;
    creates++;
    const token = tokenKeyOf(entry);
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
  let unknown = 0;
  let seenCount = 0;
  let unlistedCount = 0;
  // The list pages that kept the vppTokens of creates of unknown outcome (the proxy's, decision 0671).
  const listings = ordered.filter((e) => e.answer?.tokensListed?.length && isRead(e));
  // The list pages read whole (the proxy's, decision 0880): one that holds no vppToken of a create may show it made none.
  const wholePages = ordered.filter((e) => e.answer?.readWhole && isRead(e));
  groups.forEach((given, i) => {
    const name = `token ${i + 1}`;
    // A create of unknown outcome whose vppToken a later page held was stored: taken as stored, with the id it made.
    const seen = listings.length > 0 && given.some((e) => e.storedUnknown !== undefined) ? seenByARead(given, listings, tokenFingerprint(tokenOf(given[0])!)) : undefined;
    const shownBy = new Map<TrafficEntry, TrafficEntry>();
    const sent = !seen?.size
      ? given
      : given.map((entry) => {
          const found = seen.get(entry);
          if (!found) return entry;
          const { storedUnknown: _unknown, ...rest } = entry;
          const stored: TrafficEntry = { ...rest, stored: true, createdId: found.id };
          shownBy.set(stored, found.page);
          return stored;
        });
    for (let j = 1; j < sent.length; j++) resentTooSoon(sent[j - 1], sent[j], `re-sent ${name}`, '', { retryAfter, bounded });
    // A re-send that waited out the Retry-After it was given is what Graph asks ("retry the request until it
    // succeeds"): paced by the provider, it is no retry storm, so the bound counts the other attempts (decision 0435).
    const paced = sent.filter((again, j) => j > 0 && waitedOut(sent[j - 1], again)).length;
    if (sent.length - paced > maxAttempts) {
      const waited = paced > 0 ? `, ${sent.length - paced} of them not after waiting out a Retry-After (${paced} ${paced === 1 ? 'was' : 'were'}: Graph asks for those)` : '';
      bounded.push({
        check: 'bounded retries',
        message: `${name} was sent in ${sent.length} requests (${sent.map((e) => requestName(e).slice('request '.length)).join(', ')})${waited}, more than ${maxAttempts} attempts`,
        requests: sent.map((e) => e.sequence),
      });
    }
    const stores = sent.filter((e) => e.stored);
    if (stores.length > 0) created++;
    if (stores.length > 0 && stores.every((e) => shownBy.has(e))) seenCount++;
    // A vppToken the client deleted (a DELETE of its id answered 2xx, before the token was created again) no longer
    // holds the token: creating it again makes one vppToken, not a second (outside tester I27: a suite that creates
    // its test token, cleans up, and creates it again in its next test).
    const live: TrafficEntry[] = [];
    const repeats: { again: TrafficEntry; first: TrafficEntry }[] = [];
    const heldBefore: TrafficEntry[] = [];
    for (const store of stores) {
      for (let k = live.length - 1; k >= 0; k--) if (deletedBetween(ordered, live[k], store)) live.splice(k, 1);
      if (live.length > 0) repeats.push({ again: store, first: live[0] });
      // None before it in this traffic, yet the provider said it held the token (decision 0652, outside attacker R68).
      else if (store.heldAlready) heldBefore.push(store);
      live.push(store);
    }
    if (heldBefore.length > 0) {
      duplicates += heldBefore.length;
      for (const again of heldBefore) {
        duplicate.push({
          check: 'no duplicate',
          message: `${name} was created again by ${requestName(again)}: its 201 said state duplicateLocationId, the provider already held the token (an earlier run, another runner), so it now holds a second vppToken for it. A job that may run again reads the list back first and creates only the tokens it does not find.`,
          requests: [again.sequence],
        });
      }
    }
    if (repeats.length > 0) {
      duplicates += repeats.length;
      for (const { again, first } of repeats) {
        const before = sent[sent.indexOf(again) - 1];
        // A create whose outcome was unknown, shown stored by a page: said, as the client may not know it (decision 0671).
        const shown = [first, again].flatMap((e) => (shownBy.has(e) ? [`${requestName(e)}'s vppToken was listed by ${requestName(shownBy.get(e)!)}`] : []));
        const head = `${name} was created again by ${requestName(again)} (first by ${requestName(first)}${shown.length ? `; ${shown.join(', ')}` : ''}): the client`;
        // Its status monitor's word that it was created (decision 1315), when the client had it before sending again.
        const monitorSaid = monitorToldCreated(ordered, before, again);
        duplicate.push({
          check: 'no duplicate',
          // Sent before the first's answer came, it is no re-send after it: two creates at once (outside finding M6).
          // After a 201 the client knew it was created: the advice for an unknown outcome does not fit (outside tester I13).
          message: sentBeforeEnded(again, before)
            ? `${head} sent it again ${whileInFlight(before)}: two creates of one token at once (two workers given the same token, or the token twice in the client's input). ${AT_ONCE}`
            : `${head} re-sent it after ${whatItGot(before)}. ${toldCreated(before) && before.stored ? `${capital(requestName(before))} was answered ${before.answer!.status} with the created vppToken: a created token is never sent again.${readByPlace(ordered, before)}` : monitorSaid ? `${capital(monitorSaid)}: a created token is never sent again.` : adviceAfter(before)}`,
          requests: [first.sequence, before.sequence, again.sequence, ...[first, again].flatMap((e) => (shownBy.has(e) ? [shownBy.get(e)!.sequence] : []))].filter((n, k, all) => all.indexOf(n) === k),
        });
      }
    }
    // A create re-sent blind after an unknown outcome (a 500, 502 or 504, a reset, no answer): the first may have
    // been stored, whatever this provider did, so a safe client reads back in between (RFC 9110 §9.2.2: a POST is
    // not idempotent). Judged on what the client did, not on whether the dice stored the first.
    for (let j = 1; j < sent.length; j++) {
      const [before, again] = [sent[j - 1], sent[j]];
      if (!mayHaveCreated(before) || duplicate.some((f) => f.requests.includes(again.sequence))) continue;
      // Accepted for processing (202), its status monitor's answer that it ended told the client (decision 1270).
      if (monitorSaidDone(ordered, before, again)) continue;
      // Only a read that could show the vppToken counts (outside testers G4, H3): the whole list, answered 200,
      // filtered and projected so that the vppToken sent would be in it and recognised.
      const reads = ordered.filter((e) => e.sequence > before.sequence && e.sequence < again.sequence && isRead(e));
      const useless = reads.map((read) => whyReadShowsNothing(read, before, reads, options.profile, again));
      if (useless.some((why) => why === undefined)) continue;
      const between = reads.length === 0 ? 'without reading back first' : `after reads that could not show it (${useless.join('; ')})`;
      duplicate.push({
        check: 'no duplicate',
        message: sentBeforeEnded(again, before)
          ? `${requestName(again)} sent ${name} again ${whileInFlight(before)} (then ${whatItGot(before)}): the first may have created it. ${AT_ONCE}`
          : `${requestName(again)} re-sent ${name} after ${whatItGot(before)} ${between}: the first may have created it. ${adviceAfter(before)}`,
        requests: [before.sequence, ...reads.map((e) => e.sequence), again.sequence],
      });
    }
    // A token sent again once the client was told its create made the vppToken, by its own answer (a 201 with it) or
    // by the status monitor of its 202 (decision 1315, outside finding W6: the monitor's answer was that create's
    // answer), whose outcome is unknown (a 202 again may make a second later, a 504 may come after it did): no retry of
    // an unknown outcome but a second create of a created token. One stored by its own answer is a repeat above.
    for (const again of sent) {
      if (again.stored || !mayHaveCreated(again) || duplicate.some((f) => f.requests.includes(again.sequence))) continue;
      const told = (store: TrafficEntry): string | undefined =>
        monitorToldCreated(ordered, store, again) ?? (toldCreated(store) && !sentBeforeEnded(again, store) ? `${whatItGot(store)} with the created vppToken` : undefined);
      const first = stores.find((store) => store.sequence < again.sequence && !deletedBetween(ordered, store, again) && told(store) !== undefined);
      if (first === undefined) continue;
      duplicate.push({
        check: 'no duplicate',
        message: `${name} was sent again by ${requestName(again)} after ${told(first)}: a created token is never sent again, and ${whatItGot(again)} leaves open whether it made a second vppToken`,
        requests: [first.sequence, ...(first.createdPerMonitor === undefined ? [] : [first.createdPerMonitor]), again.sequence],
      });
    }
    const numbers = sent.map((e) => requestName(e).slice('request '.length)).join(', ');
    const last = sent[sent.length - 1];
    /**
     * A success the client could not know (outside testers Q10, Q19): its last create's outcome was unknown and no
     * read after it could show the vppToken. `what` says what became of the token; undefined when the client knew.
     */
    const guessed = (what: string, advice: string): BehaviourFinding | undefined => {
      const reads = ordered.filter((e) => e.sequence > last.sequence && isRead(e));
      // A page that holds the vppToken an earlier create of the token made shows it too (decision 0641).
      const shows = (read: TrafficEntry) => whyReadShowsNothing(read, last, reads, options.profile) === undefined || stores.some((store) => pageHolds(read, store, options.profile));
      // A 202 told the client the create was accepted, not done (decision 1270): until its status monitor said it ended
      // or a list showed it, a success is as much a guess as after a 504.
      if (!clientSucceeded || !toldUnknown(last) || reads.some(shows) || monitorSaidDone(ordered, last)) return undefined;
      const how = last.accepted ? 'poll the status monitor its 202 named until it says the create ran, or read a list that holds it,' : 'read the list back';
      return {
        check: 'no silent loss',
        message: `${name} ${what}: the last of its ${plural(sent.length, 'request')} (${numbers}) got ${whatItGot(last)}, and no read after it could show the vppToken, yet the client reported success (${advice}${how} before reporting it created)`,
        requests: [...sent.map((e) => e.sequence), ...reads.map((e) => e.sequence)],
      };
    };
    // A create the provider had whole and never answered (the proxy's --timeout): whether it stored the token is
    // unknown to the judge as to the client (outside tester Q19), so it is neither created nor never created, until
    // a read of the whole list after it holds no vppToken of its token (decision 0880, outside finding R85: the read
    // that lets a client send it again without a duplicate).
    const unlisted = new Map<TrafficEntry, TrafficEntry>();
    if (stores.length === 0 && wholePages.length > 0) {
      const fingerprint = tokenFingerprint(tokenOf(sent[0])!);
      for (const create of sent) {
        if (create.storedUnknown === undefined) continue;
        const reads = ordered.filter((e) => e.sequence > create.sequence && isRead(e));
        const page = wholePages.find((read) => readShowsNoneMade(read, create, reads, fingerprint, options.profile, ordered));
        if (page) unlisted.set(create, page);
      }
    }
    const unsure = stores.length === 0 ? sent.find((e) => e.storedUnknown !== undefined && !unlisted.has(e)) : undefined;
    let finding: BehaviourFinding | undefined;
    if (unsure) {
      unknown++;
      finding = guessed(`may or may not have been created (${requestName(unsure)} reached the provider, and its outcome is unknown: ${unsure.storedUnknown})`, '');
    } else if (stores.length === 0) {
      lost++;
      if (unlisted.size > 0) unlistedCount++;
      if (clientSucceeded) {
        const shown = [...unlisted].map(([create, page]) => `${requestName(page)} read the whole list after the ${create.answer === null ? 'unknown outcome of' : `${create.answer.status} to`} ${requestName(create)}, and it held no vppToken of it`);
        finding = { check: 'no silent loss', message: `${name} was sent in ${plural(sent.length, 'request')} (${numbers}) and never created, yet the client reported success; the last was ${whatItGot(last)}${readByPlace(ordered, last).replace(/^ /, '. ')}${shown.length ? ` (${shown.join('; ')})` : ''}`, requests: [...sent.map((e) => e.sequence), ...[...unlisted.values()].map((e) => e.sequence)].filter((n, k, all) => all.indexOf(n) === k) };
      }
    } else if (!sent.some(toldCreated)) {
      // Stored, but the client never learned it (outside tester Q10): its success is a guess the draw happened to make
      // true (a plain 504 makes the same client fail here for a token never created).
      finding = guessed('was created, but the client could not know it', 'had the outcome gone the other way, the token would be lost; ');
    }
    if (finding) loss.push(finding);
  });

  rereadsTooSoon(ordered, { retryAfter, bounded });
  retryAfter.push(...sentIntoAThrottle(ordered, concurrency, (token) => `token ${[...byToken.keys()].indexOf(token) + 1}`));

  const check = (name: BehaviourCheckName, findings: BehaviourFinding[], skipped?: string): BehaviourCheck => ({ name, passed: findings.length === 0, findings, ...(skipped ? { skipped } : {}) });
  const checks = [
    check('retry-after', retryAfter),
    check('no duplicate', duplicate),
    check('bounded retries', bounded),
    check('no silent loss', loss, clientSucceeded ? undefined : 'the client reported failure: failing loudly is allowed'),
  ];
  const passed = checks.every((c) => c.passed);
  const counts = { requests: ordered.length, creates, tokens: groups.length, created, duplicates, lost, unknown, seen: seenCount, unlisted: unlistedCount };
  const seenSaid = seenCount > 0 ? ` (${seenCount} seen by a read: ${seenCount === 1 ? 'its' : 'each'} create's outcome was unknown, and a later list page held its vppToken)` : '';
  const unlistedSaid = unlistedCount > 0 ? ` (${unlistedCount} not listed by a read: ${unlistedCount === 1 ? 'its' : 'each'} create's outcome was unknown, and a later read of the whole list held no vppToken of it)` : '';
  const maybe = unknown > 0 ? `, ${unknown} unknown (sent whole, outcome unknown: may be created; read the list back)` : '';
  const summary = `${checks.filter((c) => c.passed).length} of ${checks.length} behaviour checks passed (${checks.map((c) => `${c.name}: ${c.skipped ? 'not applicable' : c.passed ? 'passed' : plural(c.findings.length, 'finding')}`).join(', ')}); ${plural(creates, 'create')} of ${plural(groups.length, 'token')}: ${created} created${seenSaid}, ${plural(duplicates, 'extra creation')}, ${lost} never created${unlistedSaid}${maybe}`;
  return { passed, checks, counts, summary };
}
