import { NothingToJudgeError, createBodyOf, isCreate, judgeClientBehaviour, trafficProblem, type BehaviourOptions, type BehaviourVerdict, type TrafficEntry } from '../behaviour';
import { ACCEPTED_WHY, acceptedForProcessing, SEE_OTHER_WHY, UNKNOWN_OUTCOME_STATUSES, VPP_TOKENS_PATH, createOutcomeOf, createdVppTokenIn, wholeBatchOutcomeOf, type CreateOutcome } from '../judgement';
import { headerLines, headerValues } from '../wire';
import type { VppTokenCreateRequest } from '../generated/types';
import type { ProxiedExchange } from './types';
import { argumentProblem, refuseArguments } from '../net/option';

/** The request's `Prefer` values: a create that asked return=minimal may be answered 204 No Content (decision 0590). */
const preferOf = (rawHeaders: readonly string[]): string[] => headerValues(headerLines(rawHeaders), 'Prefer');

/**
 * The create a request sent, read by the one reader (createBodyOf), as the judgement's createdIdOf compares an
 * answer's token with it; undefined when it sent no token.
 */
export function sentCreateOf(request: { method: string; path: string; body: Uint8Array | undefined; rawHeaders: readonly string[] }): VppTokenCreateRequest | undefined {
  const body = createBodyOf({ method: request.method, path: request.path, body: request.body, rawHeaders: [...request.rawHeaders] });
  return typeof body?.token === 'string' ? (body as unknown as VppTokenCreateRequest) : undefined;
}

/**
 * What the target's answer to a create says became of it, by seed's one rule (createOutcomeOf, decision 1130);
 * undefined for another route or no answer. Its id is what the create's 2xx named, by the judgement's one reader
 * (createdIdOf, the rule seed records a create by): a 201's body read strictly, its id a GUID, its token this
 * request's own, its Location naming the same vppToken; a 204's Location to a create that asked return=minimal
 * (decision 0590). For the behaviour judgement to see it deleted, or listed by a later read. A 2xx whose vppToken
 * the judgement does not take names nothing, and its outcome is unknown, as seed counts it (decisions 0690, 1172);
 * so is one whose body did not come whole (`answerCut`: cut, not ended in time, its framing misread), read as an
 * answer cut. And whether it said the target already held the token (decision 0652). One reading with a create inside
 * a JSON batch's (createdVppTokenOf, decision 0670); the proxy's after-create faults are drawn on it too (1172).
 */
export function outcomeOf(exchange: ProxiedExchange): CreateOutcome | undefined {
  const answer = exchange.answerCut ?? exchange.answer;
  if (exchange.route !== 'create' || answer === undefined) return undefined;
  const bytes = exchange.answerCut === undefined ? exchange.answer?.body : undefined;
  const observed = { status: answer.status, headers: {}, rawHeaders: answer.rawHeaders, body: undefined, bytes: bytes ?? new Uint8Array(), ...(answer.httpVersion ? { httpVersion: answer.httpVersion } : {}), ...(exchange.answerCut ? { cut: true } : {}) };
  return createOutcomeOf(observed, sentCreateOf({ method: exchange.method, path: exchange.url, body: exchange.request.body, rawHeaders: exchange.request.rawHeaders }), preferOf(exchange.request.rawHeaders));
}

/**
 * Why a create the target answered may be stored, or not yet, when its answer does not name the vppToken it made
 * (decisions 1130, 1172): a 202 Accepted (accepted for processing, RFC 9110 §15.3.3), another 2xx that names none (a
 * 201 whose body names no vppToken the kit takes, a 200 without it, a 204 the create did not ask: seed counts them
 * unknown alike), a 500, 502 or 504 (0642); an answer whose body did not come whole (`cut`, why) by its status alike.
 */
function answeredUnknownOf(status: number, named: boolean, cut?: string): string | undefined {
  if (cut !== undefined && ((status >= 200 && status < 300) || UNKNOWN_OUTCOME_STATUSES.includes(status))) return `the target answered ${status}, and its answer did not come whole (${cut}); it may have been created`;
  if (acceptedForProcessing(status)) return `the target ${ACCEPTED_WHY}`;
  if (status >= 200 && status < 300 && !named) return `the target answered ${status} without the created vppToken; it may have been created`;
  return answeredUnknown(status);
}

/**
 * Why a create inside a JSON batch the target answered as a whole, giving it no answer of its own, may be stored: the
 * batch's status read by the one outcome rule (wholeBatchOutcomeOf, decision 1250, outside finding R149). Undefined when
 * the rule reads it not created (the batch refused whole: a 4xx, a 503). A batch answer whose head came and whose body
 * did not (`cut`, why) is read by its status alike: none of its creates has an answer of its own that came whole.
 */
function answeredWholeUnknownOf(status: number, cut?: string): string | undefined {
  const read = wholeBatchOutcomeOf(status);
  if (read.outcome !== 'unknown') return undefined;
  // Its head came and its body did not: the same status read as an answer cut (answeredUnknownOf's words, 1172).
  if (cut !== undefined) return `the target answered the batch ${status}, and its answer did not come whole (${cut}); it may have been created`;
  const whole = `the target answered the batch ${status} as a whole`;
  if (read.accepted) return `${whole}: accepted for processing, not done (RFC 9110 §15.3.3; OData 4.01 Part 1 §11.6: the creates inside it may run later); it may be created later, or not`;
  if (read.seeOther) return `${whole}: See Other, the batch processed and its result elsewhere (RFC 9110 §9.3.3); it may have been created`;
  if (read.missing !== undefined) return `${whole}, giving this create no answer of its own; it may have been created`;
  return `${whole}, which may come after it ran the creates inside it`;
}

/**
 * A create the target accepted for processing (202, alone or its batch as a whole: decision 1270), with the path of its
 * status monitor, the 202's Location resolved against the URL the create went to, when it named one.
 */
function acceptedOf(exchange: ProxiedExchange): { accepted: true; monitor?: string } {
  const answer = exchange.answerCut ?? exchange.answer;
  const location = answer === undefined ? undefined : headerValues(headerLines(answer.rawHeaders), 'Location')[0];
  try {
    const monitor = location === undefined ? undefined : new URL(location, exchange.targetUrl);
    return { accepted: true, ...(monitor ? { monitor: `${monitor.pathname}${monitor.search}` } : {}) };
  } catch {
    return { accepted: true };
  }
}

/** Why what the target did is not known, in a few words. */
const unknownWhy = (exchange: ProxiedExchange): string => exchange.error ?? 'the client went away before the target answered';

/**
 * Why a create the target itself answered may be stored all the same: a 500, 502 or 504 of its own (the kit's one
 * rule, decision 0642: a gateway's timeout in front of Graph may come after the store), or a 303 See Other, the create
 * processed and its result elsewhere (decision 1230). Undefined for any other status; a fault the proxy drew is no
 * answer of the target's (it knows what it forwarded).
 */
const answeredUnknown = (status: number | undefined): string | undefined =>
  status === undefined || !UNKNOWN_OUTCOME_STATUSES.includes(status) ? undefined : status === 303 ? `the target ${SEE_OTHER_WHY}` : `the target answered ${status}, which may come after it stored the vppToken`;

/**
 * Why `exchange` is none of the proxy's exchanges (decision 1041): the members trafficEntryOf reads, each asked by the
 * one rule before it is read (`trafficEntryOf({})` failed with the URL parser's `Invalid URL`).
 */
function exchangeProblem(exchange: unknown): string | undefined {
  if (exchange === null || typeof exchange !== 'object') return argumentProblem('exchange', exchange, 'object', "one of the proxy's exchanges, such as proxy.exchanges[0]");
  const { index, method, url, targetUrl, startedAt, request, outcome, answer, delivered } = exchange as Partial<Record<keyof ProxiedExchange, unknown>>;
  return (
    argumentProblem('exchange.targetUrl', targetUrl, 'string', "the URL it was forwarded to, a string: exchange must be one of the proxy's exchanges, such as proxy.exchanges[0]") ??
    argumentProblem('exchange.index', index, 'number') ??
    argumentProblem('exchange.method', method, 'string') ??
    argumentProblem('exchange.url', url, 'string') ??
    argumentProblem('exchange.startedAt', startedAt, 'number', 'a number of milliseconds, a time') ??
    argumentProblem('exchange.outcome', outcome, 'string') ??
    argumentProblem('exchange.request', request, 'object', 'an object of rawHeaders and body, the request as seen') ??
    argumentProblem('exchange.answer', answer, 'object', 'an object of status and rawHeaders, the answer as seen', 'optional') ??
    argumentProblem('exchange.delivered', delivered, 'object', 'an object of status and rawHeaders, the answer as delivered', 'optional')
  );
}

/**
 * An exchange as the behaviour judgement reads traffic (src/behaviour): what the target saw (its path, prefix
 * included), what the client got (no answer after a reset, a cut or the client going away), and whether the
 * target stored the vppToken (it answered a create 201, whatever the client got instead).
 */
export function trafficEntryOf(exchange: ProxiedExchange): TrafficEntry {
  refuseArguments(exchangeProblem(exchange));
  const target = new URL(exchange.targetUrl);
  const got = exchange.delivered ?? exchange.answer;
  const answered = got !== undefined && !['reset-after-create', 'client closed', 'cut'].includes(exchange.outcome);
  const lines = got ? headerLines(got.rawHeaders) : [];
  const retryAfter = headerValues(lines, 'Retry-After')[0];
  // Its Date with it: an HTTP-date Retry-After is the target's clock, read against the target's Date (decision 0450).
  const date = retryAfter === undefined ? [] : headerValues(lines, 'Date');
  const outcome = outcomeOf(exchange);
  return {
    sequence: exchange.index,
    method: exchange.method,
    // A CONNECT the proxy answered itself (decision 0491) reached no target: its authority as the client asked it.
    path: exchange.notForwarded === undefined ? `${target.pathname}${target.search}` : exchange.url,
    rawHeaders: exchange.request.rawHeaders,
    body: exchange.request.body,
    startedAt: exchange.startedAt,
    endedAt: exchange.answeredAt ?? exchange.startedAt,
    answer: answered
      ? {
          status: got.status,
          ...(retryAfter === undefined ? {} : { retryAfter }),
          ...(date.length === 1 ? { date: date[0] } : {}),
          // What a list page held of the vppTokens of creates whose outcome was unknown (decision 0671).
          ...(exchange.tokensListed ? { listed: exchange.tokensListed.map((held) => held.id), tokensListed: exchange.tokensListed } : {}),
          // Read whole: a page that holds none of an unknown create's token shows it made none (decision 0880).
          // What a status monitor's final answer said became of the create it watches (decision 1315).
          ...(exchange.monitorTold ? { told: exchange.monitorTold } : {}),
          ...(exchange.readWhole && got.status === 200 ? { readWhole: true as const, ...(exchange.nextPage === undefined ? {} : { nextPage: exchange.nextPage }), ...(exchange.tally === undefined ? {} : { tally: exchange.tally }) } : {}),
        }
      : null,
    ...(exchange.fault ? { fault: exchange.fault } : {}),
    // A 2xx naming the vppToken it created (a 201, a 200, a 204 to return=minimal) is created, as seed counts it, and
    // no other answer (1130, 1172): a 201 whose body names none is unknown, as seed counts it.
    stored: exchange.route === 'create' && outcome?.outcome === 'created',
    ...(exchange.route === 'create' && exchange.targetStored === 'unknown' ? { storedUnknown: unknownWhy(exchange), unanswered: true as const } : {}),
    // A 202, another 2xx naming none, a 500, 502 or 504, one of them cut: it may be stored (never "never created",
    // outside findings R138, R139).
    ...(exchange.route === 'create' && exchange.targetStored === undefined && outcome?.outcome === 'unknown' ? { storedUnknown: answeredUnknownOf((exchange.answerCut ?? exchange.answer)!.status, false, exchange.answerCut ? unknownWhy(exchange) : undefined) } : {}),
    // Accepted for processing (202): no list that lacks it proves it made none, until its status monitor said it ended (1270).
    ...(exchange.route === 'create' && exchange.targetStored === undefined && outcome?.outcome === 'unknown' && outcome.accepted ? acceptedOf(exchange) : {}),
    // The vppTokens of its token a page listed before it arrived: none is its (decision 0813).
    ...(exchange.route === 'create' && exchange.listedBefore ? { listedBefore: exchange.listedBefore } : {}),
    ...(outcome ? createdVppTokenIn(outcome) : {}),
    ...(exchange.outcome === 'client closed' ? { clientClosed: true } : {}),
    ...(exchange.outcome === 'cut' ? { cut: true } : {}),
  };
}

/**
 * An exchange as traffic, a JSON batch as the creates inside it (outside tester I30: a token created twice, each
 * time in a batch, passed): each a create of the collection beside the `$batch`, sent when the batch was, answered
 * with the status the batch gave its id (the batch's own when it gave none: refused or failed as a whole), stored
 * when that was 201. Other exchanges are one entry each (trafficEntryOf).
 */
export function trafficEntriesOf(exchange: ProxiedExchange): TrafficEntry[] {
  refuseArguments(exchangeProblem(exchange));
  refuseArguments(argumentProblem('exchange.batched', exchange.batched, 'array', undefined, 'optional'), argumentProblem('exchange.batchReads', exchange.batchReads, 'array', undefined, 'optional'));
  const entry = trafficEntryOf(exchange);
  if (!exchange.batched?.length && !exchange.batchReads?.length) return [entry];
  const path = entry.path.replace(/\$batch\/?(?=\?|$)/i, VPP_TOKENS_PATH.slice(1)).replace(/\?.*$/, '');
  // Its reads of the vppTokens, each a read of its own (decision 0811), as check-client reads a batch's members: a
  // list's status in the batch's answer, and what it held of the creates of unknown outcome.
  const reads = (exchange.batchReads ?? []).map(({ id, method, path: target, rawHeaders, status, tokensListed, readWhole, nextPage, tally }): TrafficEntry => ({
    ...entry,
    batchId: id,
    method,
    path: target,
    rawHeaders,
    body: undefined,
    answer: status === undefined ? null : { status, ...(tokensListed ? { listed: tokensListed.map((held) => held.id), tokensListed } : {}), ...(readWhole && status === 200 ? { readWhole, ...(nextPage === undefined ? {} : { nextPage }), ...(tally === undefined ? {} : { tally }) } : {}) },
    stored: false,
  }));
  return [...createsOf(exchange, entry, path), ...reads];
}

/** A JSON batch's creates, each an entry of its own (trafficEntriesOf). */
function createsOf(exchange: ProxiedExchange, entry: TrafficEntry, path: string): TrafficEntry[] {
  return (exchange.batched ?? []).map(({ id, sent, fault, stored, createdId, heldAlready, answeredWhole, answerCut }) => {
    // One the target answered 500, 502 or 504 inside its batch's 200 (not a fault the proxy answered for it).
    // So is a 202, or another 2xx that named no vppToken it made, a 201 too (1130, 1172); and one whose batch the
    // target answered as a whole 202, 2xx, 303, 500, 502 or 504, by the same rule (1250).
    const whyUnknown =
      fault || stored ? undefined : sent.answer !== undefined ? answeredUnknownOf(sent.answer.status, createdId !== undefined) : answeredWhole !== undefined ? answeredWholeUnknownOf(answeredWhole, answerCut) : undefined;
    return {
      ...entry,
      // Named by its batch's number and its own id in findings (`request 3 ($batch id "2")`): they share the number.
      batchId: id,
      path,
      rawHeaders: sent.rawHeaders,
      body: sent.body,
      answer: sent.answer ?? entry.answer,
      // The fault it met inside the batch (decision 0454): 504-after-create stored it all the same.
      ...(fault ? { fault } : {}),
      // Its answer inside the batch read as a create's alone (1130): a 2xx naming the vppToken it made is created.
      stored: stored ?? createdId !== undefined,
      // What its own answer inside the batch said it made, as a create sent alone (decision 0670, outside attacker R68).
      ...(createdId === undefined ? {} : { createdId }),
      ...(heldAlready ? { heldAlready } : {}),
      // A batch the target never answered: each create in it may be stored as the batch may.
      ...(sent.answer === undefined && exchange.targetStored === 'unknown' ? { storedUnknown: unknownWhy(exchange), unanswered: true as const } : {}),
      ...(whyUnknown ? { storedUnknown: whyUnknown } : {}),
      // Its answer the batch's as a whole, none of its own: what it told the client is read by the one rule (1325).
      ...(sent.answer === undefined && answeredWhole !== undefined ? { answeredWhole: true as const } : {}),
      // Accepted for processing (202) in the batch's answer, or the batch accepted as a whole (its monitor the batch's): 1270.
      ...(whyUnknown && sent.answer !== undefined && acceptedForProcessing(sent.answer.status) ? { accepted: true as const } : {}),
      ...(whyUnknown && sent.answer === undefined && answeredWhole !== undefined && acceptedForProcessing(answeredWhole) ? acceptedOf(exchange) : {}),
      ...(exchange.listedBefore ? { listedBefore: exchange.listedBefore } : {}),
    };
  });
}

/**
 * The client-behaviour checks (retry-after, no duplicate, bounded retries, no silent loss) on proxied traffic.
 * A proxy does not see whether the client reported success: unless `clientSucceeded` says so, `no silent loss`
 * is not judged, and says why. A request the proxy cut as it stopped (`cut`) is not judged (decision 0234), for
 * behaviour neither (0250): the checks read the rest. Throws NothingToJudgeError when that holds no create (outside
 * tester G6): a client that never reached the proxy proves nothing either way.
 */
export function judgeProxiedBehaviour(traffic: readonly TrafficEntry[], options: BehaviourOptions = {}): BehaviourVerdict {
  refuseArguments(trafficProblem(traffic));
  const cut = traffic.filter((entry) => entry.cut);
  const seen = cut.length ? traffic.filter((entry) => !entry.cut) : traffic;
  try {
    if (options.clientSucceeded !== undefined) return judgeClientBehaviour(seen, options);
    const verdict = judgeClientBehaviour(seen, { ...options, clientSucceeded: false });
    const why = 'a proxy does not see whether the client reported success (clientSucceeded)';
    return { ...verdict, checks: verdict.checks.map((c) => (c.name === 'no silent loss' ? { ...c, skipped: why } : c)) };
  } catch (error) {
    const cutCreates = cut.filter(isCreate).length;
    if (!(error instanceof NothingToJudgeError) || cutCreates === 0) throw error;
    const n = traffic.length;
    throw new NothingToJudgeError(`${n} request${n === 1 ? '' : 's'}, whose only create${cutCreates === 1 ? ' was' : 's were'} cut when the proxy stopped (not judged)`);
  }
}
