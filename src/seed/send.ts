import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VppTokenCreateRequest } from '../generated/types';
import type { VppTokenTrait } from '../fixtures/traits';
import { formatProblem, loadValidators, problemsOf, sentAsJson, problemMessage, readRecords, recordProblems, repeatedTokenChecker, type InputFormat, type InputRecord } from '../validation';
import type { Readable } from 'node:stream';
import type { Profile } from '../schemas';
import { SeedSetupError, type ReportEntry, type ReportStatus, type SendingEntry } from './report';
import { asyncIterableProblem, functionProblem, optionsObjectProblem, membersProblem, shownArgument, argumentProblem, refuseArguments } from '../net/option';
import { TLS_TRUST_MEMBERS } from '../net/tls';
import { BACKOFF, backoffMs, baseUrlOf, urlText, refusalQuestions, checkExtraHeaders, clip, createHttpClient, likelyCause, millisecondsOptionProblem, publicUrl, redact, retryWait, systemReason, throttleFieldsOf, targetQuestions, wholeOptionProblem, type HttpOutcome, type TlsTrust } from '../net';
import { answerJson, bearerProblem, givenSecrets, connectionProblems, createOutcomeOf, acceptedForProcessing, ACCEPTED_WHY, acceptedUnlistedWhy, SEE_OTHER_WHY, readAnswer, rewrappedIn, REWRAPPED, whyPageCannotTell } from '../judgement';
import { headerLines, headerValues } from '../wire';
import { readTargetVppTokens, tokenFingerprint, type TargetVppTokens } from './read-back';

/** The one rule for a --bearer (src/judgement), re-exported where seed's library callers have always found it. */
export { bearerProblem };

/** One record to create: a valid request, or why the input record can't be sent. */
export interface SeedInput {
  index: number;
  request?: VppTokenCreateRequest;
  /** Set when the input record is not a valid create request: it is reported, never sent. */
  invalid?: string[];
  /** With `invalid`: why, as the summary counts it (its first problem without the value it shows). */
  reason?: string;
}

export interface SeedCounts {
  total: number;
  created: number;
  /**
   * Of `created`, those whose 201 said the target already held their token (`state: duplicateLocationId`, Graph
   * beta's word): the token now has two vppTokens. Never a clean run (decision 0429).
   */
  createdAgain: number;
  failed: number;
  invalid: number;
  unknown: number;
  notSent: number;
}

export interface SeedSummary extends SeedCounts {
  elapsedMs: number;
  /** Creates per second over the run (records carried over by --resume are not counted). */
  rate: number;
  interrupted: boolean;
  /**
   * Whether any request of this run reached the target: it answered one, or one was written whole before its
   * connection failed (the target may have acted on it). A run that stopped without reaching it is exit 2 (nothing
   * was done); one that reached it is judged by its records (decision 0426).
   */
  reached: boolean;
  /** Set when the run stopped by itself: the target did not answer, or can never be reached as given. */
  stopped?: string;
  /**
   * Set when the run stopped at this machine's limit (too many open files, EMFILE or ENFILE): the kit could not run as
   * asked, exit 2 whatever was done (decision 0475).
   */
  machineLimit?: true;
  /** Why records were not created, the most frequent first (at most 5): `failed 401 InvalidAuthenticationToken`. */
  reasons: SeedReason[];
  /** The one likely cause when every record sent failed the same way (401 everywhere: the bearer), for a person. */
  likelyCause?: string;
  /**
   * With `retryUnknown`: what reading the target's vppTokens back found before any record left unknown was sent
   * again: how many were there (`created`, not sent again), or why the list could not be read (none was sent again).
   */
  readBack?: { found: number; failure?: string };
}

export interface SeedReason {
  status: 'failed' | 'invalid' | 'unknown' | 'created again';
  /** For a failure, the HTTP status and Graph error code (or the connection's code); else the first problem or reason. */
  reason: string;
  count: number;
  /** HTTP status of a failure, when there was an answer. */
  httpStatus?: number;
}

/** The key a record's outcome is counted under in the summary's reasons, or undefined for created and not sent. */
function reasonOf(entry: ReportEntry, invalid?: string): Omit<SeedReason, 'count'> | undefined {
  if (entry.status === 'failed') {
    const answered = entry.httpStatus === null ? entry.code : `${entry.httpStatus} ${entry.code}`;
    return { status: 'failed', reason: entry.gaveUp === undefined ? answered : `${answered}: ${entry.gaveUp}`, ...(entry.httpStatus === null ? {} : { httpStatus: entry.httpStatus }) };
  }
  if (entry.status === 'invalid') return { status: 'invalid', reason: invalid ?? entry.problems[0] ?? 'invalid' };
  if (entry.status === 'unknown') return { status: 'unknown', reason: entry.reason };
  if (entry.status === 'created' && entry.state === 'duplicateLocationId') return { status: 'created again', reason: CREATED_AGAIN };
  return undefined;
}

/**
 * A reason with the values it quotes left out (a quoted text, a GUID, a record's number): what reasons of one cause
 * share, so that they are counted as one, shown with the first one's values (outside finding R65: forty 201s whose
 * Location named another GUID were forty reasons of one each), as validate counts problems told apart only by their
 * value as one (decision 0166).
 */
const causeOf = (reason: string): string =>
  reason
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, '<id>')
    .replace(/\brecord \d+/g, 'record <n>');

/** Why a 201 that says `state: duplicateLocationId` is no clean create (decision 0429). */
const CREATED_AGAIN = "the target already held the token: its 201 said state duplicateLocationId, so it now holds a second vppToken for it";

/** A header's value as one text (Node gives a repeated one as an array). */
const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/** What to check when every record that was sent failed with the same status (src/net's one rule). */
function likelyCauseOf(reasons: SeedReason[], counts: SeedCounts, challenges: readonly (string | undefined)[], given: readonly string[]): string | undefined {
  if (counts.failed === 0 || counts.created > 0 || counts.unknown > 0) return undefined;
  const statuses = reasons.filter((r) => r.status === 'failed').map((r) => r.httpStatus);
  // A 401 that challenges for another scheme than Bearer refused no bearer (outside attacker K12), and a key given with --header is not asked for again (R115).
  return likelyCause(statuses, refusalQuestions(targetQuestions('--target', '--bearer (or VPPKIT_BEARER)'), challenges, given));
}

export interface SeedOptions {
  /** Base URL of the server, a version prefix allowed: http://127.0.0.1:8080/beta, as text or a `URL`. */
  target: string | URL;
  records: AsyncIterable<SeedInput>;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Access token for `Authorization: Bearer ...`; none is sent without it. */
  bearer?: string;
  /** Extra headers sent on every request (a gateway's key, `--header`): checked as verify's and conform's are, never shown but a plain field's (addedHeaderSecrets). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 15,000): a request unanswered by then is `unknown`. */
  timeoutMs?: number;
  /** Tries per record for 429, 503 with Retry-After, and refused connections (default 5). */
  maxAttempts?: number;
  /**
   * The run stops after this many connection failures in a row, across all records (default 10): refused,
   * reset or timed-out connections. Any answer from the server starts the count again.
   */
  maxConsecutiveFailures?: number;
  /** How to trust an https target. An unknown host or an untrusted certificate stops the run at once. */
  trust?: TlsTrust;
  /**
   * The backoff after a 429 or 503 without Retry-After, and after a refused connection: `baseDelayMs` (default 250)
   * for the first try, doubling each try, at most `maxDelayMs` (default 32 s). Fixed, without jitter: the kit's one
   * rule (src/net/throttle.ts, decision 0249).
   */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After honoured (default 60 s; `--max-retry-after`); a longer one fails the record. */
  maxRetryAfterMs?: number;
  /** What an earlier run's report says, by index: created records are not sent again. */
  previous?: Map<number, ReportEntry | SendingEntry>;
  /** Send again the records an earlier run left `unknown` (they may exist on the server already). */
  retryUnknown?: boolean;
  /** Called once per record, in completion order; records carried over from `previous` have `resumed: true`. */
  report: (entry: ReportEntry) => void;
  /** Called just before a record's first request is sent (a report writes a `sending` line). */
  onSending?: (index: number) => void;
  onProgress?: (counts: SeedCounts) => void;
  /** Aborting stops new requests; those in flight finish; the rest are reported `not-sent`. */
  signal?: AbortSignal;
  /** Aborting drops the requests in flight (reported `unknown`: they may exist) and stops the run at once. */
  abandon?: AbortSignal;
}

const count = (counts: SeedCounts, status: ReportStatus, entry?: ReportEntry) => {
  counts.total++;
  if (entry?.status === 'created' && entry.state === 'duplicateLocationId') counts.createdAgain++;
  if (status === 'not-sent') counts.notSent++;
  else counts[status]++;
};

/** The longest message a report line keeps of an answer or an error (redacted first, then cut). */
const MAX_MESSAGE = 500;

/**
 * Why a number option of a seed run can't be taken (src/net/option.ts, decision 0356), or undefined: checked before
 * anything is sent or a report opened (NaN workers sent nothing; a string timeout was Node's type error mid-run).
 */
export function seedOptionProblem(options: Pick<SeedOptions, 'concurrency' | 'timeoutMs' | 'maxAttempts' | 'maxConsecutiveFailures' | 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>): string | undefined {
  return (
    wholeOptionProblem('concurrency', options.concurrency, 1) ??
    millisecondsOptionProblem('timeoutMs', options.timeoutMs) ??
    wholeOptionProblem('maxAttempts', options.maxAttempts, 1) ??
    wholeOptionProblem('maxConsecutiveFailures', options.maxConsecutiveFailures, 1) ??
    millisecondsOptionProblem('baseDelayMs', options.baseDelayMs, 'from 0') ??
    millisecondsOptionProblem('maxDelayMs', options.maxDelayMs, 'from 0') ??
    millisecondsOptionProblem('maxRetryAfterMs', options.maxRetryAfterMs, 'from 0')
  );
}

/** The names SeedOptions takes: any other is refused, never left without a word (decision 0408). */
const SEED_OPTION_NAMES = Object.keys({
  target: true, records: true, concurrency: true, bearer: true, headers: true, timeoutMs: true, maxAttempts: true, maxConsecutiveFailures: true, trust: true,
  baseDelayMs: true, maxDelayMs: true, maxRetryAfterMs: true, previous: true, retryUnknown: true, report: true, onSending: true, onProgress: true, signal: true, abandon: true,
} satisfies Record<keyof SeedOptions, true>);

/** Why seedVppTokens' records or functions are not what it takes (an async iterable, the report's function), or undefined. */
function seedPartsProblem(options: SeedOptions): string | undefined {
  const given = (name: 'onSending' | 'onProgress', what: string) => (options[name] === undefined ? undefined : functionProblem(name, options[name], what));
  return (
    asyncIterableProblem('records', options.records, "an async iterable of records, such as generatedSeedInputs({ count: 10 }) or fileSeedInputs(stream, 'ndjson')") ??
    functionProblem('report', options.report, "called with each record's entry") ??
    given('onSending', "called with a record's index before it is first sent") ??
    given('onProgress', 'called with the counts so far')
  );
}

/**
 * Creates vppTokens on a server by POSTing each record to `target`/deviceAppManagement/vppTokens, with bounded
 * concurrency over keep-alive connections. 429 and 503 wait as Retry-After says, or a 429 without one backs off on
 * the kit's fixed schedule (src/net/throttle.ts: `retryWait`); a refused connection is retried; other answers are final. A request whose connection broke after it
 * was sent, that got no answer in time, or that was answered 500, 502, 504 or 503 without Retry-After, is `unknown` and never sent again
 * here: POST is not idempotent, and the service may have committed it before the failure. So is one answered 303 See
 * Other: processed, its result the resource the Location names (RFC 9110 §9.3.3; decision 1230).
 * The run stops by itself after `maxConsecutiveFailures` connection failures in a row, and at once on an
 * unknown host or an untrusted certificate. Every record gets one report entry.
 */
export async function seedVppTokens(options: SeedOptions): Promise<SeedSummary> {
  // Its arguments' shapes by the library's one rule (src/net/option.ts, decision 0760), before anything is sent:
  // `seedVppTokens({})` failed inside with "Cannot read properties of undefined (reading 'replace')" (outside finding R83).
  const shape =
    optionsObjectProblem('seedVppTokens', options, SEED_OPTION_NAMES, 'required') ??
    membersProblem(options, { bearer: 'string', headers: ['object', 'an object of header names and values'], trust: TLS_TRUST_MEMBERS, retryUnknown: 'boolean', onSending: 'function', onProgress: 'function', signal: 'signal', abandon: 'signal' }) ??
    (options.previous === undefined || options.previous instanceof Map ? undefined : `previous must be a Map of record indexes and their entries, such as (await readSeedReport(stream)).entries (got ${shownArgument(options.previous)})`);
  if (shape) throw new TypeError(shape);
  // The target by seed's one rule (runSeed's, the CLI's: baseUrlOf), the library's caller's included.
  baseUrlOf(options.target, '--target', (message) => new SeedSetupError(message));
  const parts = seedPartsProblem(options);
  if (parts) throw new TypeError(parts);
  const url = new URL(`${urlText(options.target).replace(/\/+$/, '')}/deviceAppManagement/vppTokens`);
  const badBearer = bearerProblem(options.bearer);
  if (badBearer) throw new SeedSetupError(badBearer);
  try {
    checkExtraHeaders(options.headers ?? {});
  } catch (error) {
    throw new SeedSetupError((error as Error).message);
  }
  // The run's credentials as whatever it writes hides them: --bearer, the --header values that may be credentials (a
  // plain field's, `Prefer`, is shown, as conform and verify show it: decision 0682) and a create's VPP token, each
  // looked for only when it could be told from chance (decision 0740).
  const given = (token?: string) => givenSecrets({ bearer: options.bearer, headers: options.headers, others: [token] });
  const unfit = seedOptionProblem(options);
  if (unfit) throw new SeedSetupError(unfit);
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 5;
  const maxFailures = options.maxConsecutiveFailures ?? 10;
  const backoff = { firstMs: options.baseDelayMs ?? BACKOFF.firstMs, maxMs: options.maxDelayMs ?? BACKOFF.maxMs };
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  // What the run reads from the kit's own files is read before it opens any connection (decision 0475).
  loadValidators();
  const client = createHttpClient({ sockets: concurrency, timeoutMs, trust: options.trust });
  const headers: Record<string, string> = { ...options.headers, 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  // A --header Prefer: return=minimal may be honoured with 204 No Content naming the created vppToken (decision 0590).
  const prefer = headerValues(headerLines(headers), 'Prefer');
  const counts: SeedCounts = { total: 0, created: 0, createdAgain: 0, failed: 0, invalid: 0, unknown: 0, notSent: 0 };
  let freshlyCreated = 0;
  const started = Date.now();
  // `halt`: no new request starts. The run's own stop (target unreachable), the caller's interrupt or abandon.
  // (Not AbortSignal.any, which Node 20 has only from 20.3.)
  const stop = new AbortController();
  const halt = stop.signal;
  // Every retry wait listens to it: however many are waiting, that is no leak.
  setMaxListeners(0, halt);
  let stopped: string | undefined;
  let consecutiveFailures = 0;
  // Of those, the requests written whole before their connection failed (the target may have acted on each), and the
  // last failure of each kind: a run stopped by creates it took and never answered is no unreachable target (Q14).
  let consecutiveSent = 0;
  let lastSentFailure: string | undefined;
  let lastUnsentFailure: string | undefined;
  // Whether the target answered anything at all, and the last connection failure: a run it never answered stops.
  let answered = false;
  // Whether any request of this run reached the target: answered, or written whole before its connection failed.
  let reached = false;
  let lastConnectionFailure: string | undefined;
  // The process met its limit of open files: the run stops, as nothing more can be opened (decision 0475).
  let machineLimit = false;
  const onInterrupt = () => stop.abort();
  const abandon = () => {
    client.abandon();
    stop.abort();
  };
  for (const [signal, listener] of [[options.signal, onInterrupt], [options.abandon, abandon]] as const) {
    if (signal?.aborted) listener();
    else signal?.addEventListener('abort', listener, { once: true });
  }
  const interrupted = () => options.signal?.aborted === true || options.abandon?.aborted === true;
  const stopRun = (why: string) => {
    if (stopped === undefined && !interrupted()) stopped = why;
    stop.abort();
  };
  const notSentReason = () => (stopped !== undefined && !interrupted() ? `the run stopped before it was sent (${stopped})` : 'interrupted before it was sent');

  // A report that can't be written stops the run: nothing more is sent whose outcome could not be recorded.
  let reportFailure: Error | undefined;
  const reportFailed = (error: unknown) => {
    reportFailure ??= error instanceof Error ? error : new Error(String(error));
    stopRun(`the report could not be written (${systemReason(reportFailure)})`);
  };
  const reasons = new Map<string, SeedReason>();
  // Each 401's WWW-Authenticate: which credentials the target asked for (RFC 9110 §11.6.1).
  const challenges: (string | undefined)[] = [];
  const record = (entry: ReportEntry, invalid?: string) => {
    count(counts, entry.status, entry);
    const why = reasonOf(entry, invalid);
    if (why) {
      const key = `${why.status}\u0000${causeOf(why.reason)}`;
      const known = reasons.get(key);
      if (known) known.count++;
      else reasons.set(key, { ...why, count: 1 });
    }
    try {
      options.report(entry);
    } catch (error) {
      reportFailed(error);
    }
    options.onProgress?.({ ...counts });
  };

  // The id each record of the run was created under, earlier runs' included (resume).
  const createdIds = new Map<string, number>();
  for (const entry of options.previous?.values() ?? []) if (entry.status === 'created' && entry.id) createdIds.set(entry.id.toLowerCase(), entry.index);

  // Creates reuse connections once the target has answered a request on a reused one (0494), which creates alone
  // never show (0831): before its second create, the run reads the collection twice, the second on the connection the
  // first left open (decision 1201). Their answers are not judged; a run of one create sends neither.
  const read = { method: 'GET', url, headers: { ...options.headers, Accept: 'application/json', ...(options.bearer ? { Authorization: `Bearer ${options.bearer}` } : {}) } };
  let proof: Promise<void> | undefined;
  const halted = new Promise<void>((resolve) => (halt.aborted ? resolve() : halt.addEventListener('abort', () => resolve(), { once: true })));
  let creates = 0;
  async function keptConnectionsProven(): Promise<void> {
    proof ??= (async () => {
      // A read-back (--retry-unknown) left a connection open already: its answer is the first.
      if (!onTarget) await client.send(read);
      await client.proveKeptConnections(read);
    })();
    await Promise.race([proof, halted]);
  }

  async function createOne(input: SeedInput): Promise<ReportEntry> {
    const { index, request } = input;
    if (creates++ > 0) {
      await keptConnectionsProven();
      if (halt.aborted) return { index, status: 'not-sent', reason: notSentReason() };
    }
    const body = JSON.stringify(request);
    const secrets = given(request?.token);
    const clean = (text: string) => clip(text, MAX_MESSAGE, secrets);
    const hide = (text: string) => redact(text, secrets);
    try {
      options.onSending?.(index);
    } catch (error) {
      reportFailed(error);
      return { index, status: 'not-sent', reason: 'the report could not be written, so it was not sent' };
    }
    for (let attempt = 1; ; attempt++) {
      const outcome: HttpOutcome = await client.send({ method: 'POST', url, headers, body });
      let wait: number | undefined;
      if (outcome.kind === 'failure') {
        if (outcome.failure === 'abandoned') return { index, status: 'unknown', reason: 'vppkit was stopped (second interrupt) while it was in flight; it may have been created', attempts: attempt };
        // The process's (or the system's) limit of open files: no connection can be opened until some close, so the run
        // stops and says what the limit is; a record not sent is not-sent, one sent is judged below as any other.
        if (!outcome.sent && (outcome.code === 'EMFILE' || outcome.code === 'ENFILE')) {
          machineLimit = true;
          stopRun(`${outcome.code === 'EMFILE' ? "this process's" : "the system's"} limit of open files was reached (${outcome.code}) at --concurrency ${concurrency}: raise it (ulimit -n shows it) or lower --concurrency, then --resume`);
          return { index, status: 'not-sent', reason: `${outcome.code}: too many open files, so no connection could be opened; nothing was created` };
        }
        // An unknown host or an untrusted certificate does not heal by waiting.
        const lasting = outcome.failure === 'tls' || outcome.code === 'ENOTFOUND' || outcome.code === 'EAI_AGAIN';
        if (lasting) {
          stopRun(outcome.failure === 'tls' ? outcome.message : `${outcome.message}: check --target`);
          return { index, status: 'failed', httpStatus: null, code: outcome.code, message: clean(outcome.message), attempts: attempt };
        }
        consecutiveFailures++;
        lastConnectionFailure = clean(outcome.message);
        if (outcome.sent) {
          reached = true;
          consecutiveSent++;
          lastSentFailure = lastConnectionFailure;
        } else lastUnsentFailure = lastConnectionFailure;
        if (consecutiveFailures >= maxFailures) stopRun(failuresInARow(publicUrl(options.target), consecutiveFailures, consecutiveSent, lastSentFailure, lastUnsentFailure));
        if (outcome.sent) {
          const why = outcome.failure === 'timeout' || outcome.failure === 'malformed' ? outcome.message : `the connection broke after the request was sent (${outcome.code})`;
          return { index, status: 'unknown', reason: `${why}; it may have been created`, attempts: attempt };
        }
        if (attempt >= maxAttempts || halt.aborted) return { index, status: 'failed', httpStatus: null, code: outcome.code, message: clean(outcome.message), attempts: attempt };
      } else if (outcome.status >= 200 && outcome.status < 300) {
        answered = reached = true;
        consecutiveFailures = consecutiveSent = 0;
        // The status line's word is not enough: Graph's 201 carries the created vppToken, and its id is what the
        // report is for. Without one, the record may exist: unknown, never sent again without --retry-unknown.
        // 202 Accepted is "accepted for processing, not completed ... might or might not be acted upon" (RFC 9110
        // §15.3.3): nothing is created yet, and it may still fail (outside tester J18).
        // One outcome rule with the proxy's count (createOutcomeOf, decision 1130).
        const created = createOutcomeOf({ status: outcome.status, headers: {}, rawHeaders: outcome.rawHeaders, bytes: outcome.body, body: undefined, ...(outcome.cut ? { cut: true } : {}), httpVersion: outcome.httpVersion }, request, prefer);
        if (created.outcome === 'unknown' && created.accepted) return { index, status: 'unknown', httpStatus: 202, reason: ACCEPTED_WHY, attempts: attempt };
        // What the body holds instead is quoted from the answer (an `@odata.type` or `id` echoing the bearer): redacted (K25).
        if (created.outcome !== 'created') {
          const missing = (created.outcome === 'unknown' && created.missing) || 'no vppToken';
          // A body that is a vppToken whose Location or OData-EntityId names another is no answer "without" one (R65).
          const namesAnother = /^a [\w-]+ naming another vppToken, /.test(missing);
          const what = namesAnother ? `with ${hide(missing)}` : `without the created vppToken (${hide(missing)})`;
          return { index, status: 'unknown', httpStatus: outcome.status, reason: `answered ${outcome.status} ${what}; it may have been created`, attempts: attempt };
        }
        const id = created.id;
        // One id names one vppToken (OData's entity key): an id another record of the run was created under means this
        // token was written over it, or merged into it, or not stored (outside tester J3). Neither can be trusted.
        const earlier = createdIds.get(id.toLowerCase());
        if (earlier !== undefined && earlier !== index) {
          return { index, status: 'unknown', httpStatus: outcome.status, reason: `answered ${outcome.status} with the id of record ${earlier}'s vppToken (${id}): one id names one vppToken, so this token was written over that one, merged into it or not stored; it may have been created`, attempts: attempt };
        }
        // More bytes after the answer: the provider's answers are out of step with its requests, so this one may be
        // another request's. The record may exist: unknown, as for a 2xx without a vppToken.
        if (connectionProblems(outcome).length > 0) {
          const reason = `answered ${outcome.status}, then sent more on the connection before any request (RFC 9112 §9.3: one answer per request), so this answer may be another request's; it may have been created`;
          return { index, status: 'unknown', httpStatus: outcome.status, reason, attempts: attempt };
        }
        createdIds.set(id.toLowerCase(), index);
        // Graph beta's word for a token it already held (decision 0251): created, and created again (decision 0429).
        return { index, status: 'created', id, httpStatus: outcome.status, attempts: attempt, ...(created.state === 'duplicateLocationId' ? { state: created.state } : {}) };
      } else {
        answered = reached = true;
        consecutiveFailures = consecutiveSent = 0;
        if (outcome.status === 401) challenges.push(headerText(outcome.headers['www-authenticate']));
        let code = `HTTP${outcome.status}`;
        // Graph's error body read by the one reader, as the 201's is (its content coding undone, strict JSON): a body it
        // refuses is not Graph's error, and the start of its text (decoded where it could be) is kept instead.
        const answer = { status: outcome.status, headers: {}, rawHeaders: outcome.rawHeaders, bytes: outcome.body, body: undefined, ...(outcome.cut ? { cut: true } : {}) };
        const read = answerJson(answer);
        let message = readAnswer(answer).text ?? outcome.body.toString('utf8');
        const error = 'value' in read && typeof read.value === 'object' && read.value !== null ? (read.value as { error?: unknown }).error : undefined;
        if (typeof error === 'object' && error !== null) {
          const { code: said, message: text } = error as { code?: unknown; message?: unknown };
          code = said === undefined || said === null ? code : String(said);
          message = text === undefined || text === null ? message : String(text);
        }
        // Every string taken from the answer is redacted (and cut) before it is kept: the code too (outside tester J12).
        code = clean(code);
        // A gateway's 504 (or a 500 or 502) may come after the service committed: the outcome is unknown, and
        // sending it again could create it twice (decision 0008). --resume sends it only with --retry-unknown.
        // A 303 See Other says the create was processed, its result elsewhere (decision 1230): unknown alike.
        // One outcome rule with the proxy's count (createOutcomeOf, decision 1130).
        const said = createOutcomeOf(answer);
        if (said.outcome === 'unknown') {
          const reason = said.seeOther ? SEE_OTHER_WHY : `answered ${outcome.status} ${code} after the request was sent; it may have been created`;
          return { index, status: 'unknown', httpStatus: outcome.status, code, reason, attempts: attempt };
        }
        // The server's message is redacted and cut; what the kit adds to it is kept whole.
        // What made the kit itself give the record up (its limits, an interrupt) is said apart, for the summary's reasons.
        const failed = (gaveUp?: string) => ({ index, status: 'failed' as const, httpStatus: outcome.status, code, message: gaveUp === undefined ? clean(message) : `${clean(message)} (${gaveUp})`, attempts: attempt, ...(gaveUp === undefined ? {} : { gaveUp }) });
        // The kit's one rule for how long to wait after a 429 or 503 (decision 0249).
        const { retryAfter, date } = throttleFieldsOf(outcome.rawHeaders);
        const asked = retryWait(outcome.status, retryAfter, attempt, backoff, Date.now(), date);
        // A 503 without Retry-After is no throttling but a failure that may come after the create was stored (a
        // gateway's late answer; decision 0232, outside tester L11): unknown, as a 504, never sent again blind.
        if (!asked && outcome.status === 503) return { index, status: 'unknown', httpStatus: 503, code, reason: `answered 503 ${code} without Retry-After after the request was sent: not throttling; it may have been created`, attempts: attempt };
        if (!asked) return failed();
        if (attempt >= maxAttempts) return failed(`gave up after ${attempt} tries`);
        wait = asked.ms;
        // The value as the server wrote it: a number read from 20 digits is not what it said.
        if (asked.retryAfter && wait > maxRetryAfter) return failed(`Retry-After: ${clean(headerText(outcome.headers['retry-after']) ?? '')} asks for longer than the ${maxRetryAfter / 1000} s --max-retry-after allows`);
        if (halt.aborted) return failed(`${interrupted() ? 'interrupted' : 'the run stopped'} before retrying`);
      }
      // A refused connection backs off on the same schedule.
      const delay = wait ?? backoffMs(attempt, backoff);
      try {
        await sleep(delay, undefined, { signal: halt });
      } catch {
        return { index, status: 'not-sent', reason: `${interrupted() ? 'interrupted' : 'the run stopped'} while waiting to retry; nothing was created` } as ReportEntry;
      }
    }
  }

  // Records an earlier run left unknown are sent again only once the target's vppTokens were read back, and only
  // those it does not hold (README "Clients under failure"; decision 0429, outside tester Q2).
  let onTarget: TargetVppTokens | undefined;
  const left = (entry: ReportEntry | SendingEntry | undefined): entry is Extract<ReportEntry, { status: 'unknown' }> | SendingEntry => entry?.status === 'unknown' || entry?.status === 'sending';
  // A record an earlier run created, left unknown or had in flight (`sending`), kept as it is, not sent: its last line
  // is never less than what happened (it was sent: never `not-sent`, which --resume sends again blind; R129).
  const keptFromBefore = (index: number, before: Extract<ReportEntry, { status: 'created' | 'unknown' }> | SendingEntry): ReportEntry =>
    before.status === 'sending' ? { index, status: 'unknown', reason: 'vppkit stopped while it was in flight in an earlier run; it may have been created', attempts: 1 } : { ...before, resumed: true };
  if (options.retryUnknown && [...(options.previous?.values() ?? [])].some(left) && !halt.aborted) {
    onTarget = await readTargetVppTokens(client, url, { headers: { ...options.headers, Accept: 'application/json', ...(options.bearer ? { Authorization: `Bearer ${options.bearer}` } : {}) }, maxAttempts, backoff, maxRetryAfterMs: maxRetryAfter, signal: halt, secrets: given() });
    if ('ids' in onTarget) answered = reached = true;
  }
  let found = 0;
  // A listed token that is no sToken proves no token (decision 1090) but the very string a record of this run sent: the
  // fingerprints of those listed, and of them the ones a record read so far holds. A withheld token listed as the
  // vppToken an earlier run's create was answered with (its id) is that record's too. Records stream: a record left
  // unknown such a token might be is judged once every record was read (untilAllRead). Decision 1140.
  const withheldListed = new Set(onTarget && 'ids' in onTarget ? onTarget.listed.filter((l) => l.noSToken).map((l) => l.token) : []);
  const recordsWithheld = new Set<string>();
  const untilAllRead: SeedInput[] = [];
  let withheldStop: string | undefined;
  const withheldFor = (token: string): string | undefined => {
    if (!onTarget || !('ids' in onTarget) || onTarget.withheld === undefined) return undefined;
    const own = tokenFingerprint(token);
    const told = whyPageCannotTell({ listed: onTarget.listed, body: {} }, (fingerprint) => fingerprint === own || recordsWithheld.has(fingerprint), (id) => createdIds.has(id));
    return told === undefined ? undefined : onTarget.withheld;
  };

  const iterator = options.records[Symbol.asyncIterator]();
  // Each token is created once (decision 0205): a record whose token an earlier one holds is invalid, never sent.
  // Records reach the workers in the order of the input, each taken by one synchronous step after its await.
  const repeated = repeatedTokenChecker();
  async function worker(): Promise<void> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      // A caller's own request is no JSON text when it holds itself or a BigInt (JSON.stringify throws) or nests past 64
      // levels (the one reader refuses it): an invalid record in validate's words, never sent, as a file's is (decision
      // 1296). Else it is what JSON.stringify sends of it (a toJSON's value, 1305), its token read from that.
      const sent = next.value.request && !next.value.invalid ? sentAsJson(next.value.request) : undefined;
      // A toJSON that makes no object (undefined: nothing is sent) is invalid in validate's words too.
      const unsent = sent && 'problem' in sent ? sent.problem : sent && (typeof sent.value !== 'object' || sent.value === null) ? problemsOf('request', sent.value)[0] : undefined;
      const input = sent && 'value' in sent && !unsent ? { ...next.value, request: sent.value as VppTokenCreateRequest } : next.value;
      const invalid = input.invalid ?? (unsent && [formatProblem(unsent)]);
      if (input.request && withheldListed.size > 0) {
        const fingerprint = tokenFingerprint(input.request.token);
        if (withheldListed.has(fingerprint)) recordsWithheld.add(fingerprint);
      }
      // Carried-over records count too: the token of a record created by an earlier run is not sent again.
      const again = input.request && !invalid ? repeated(input.index, input.request) : undefined;
      const before = options.previous?.get(input.index);
      // The id the target lists for a record an earlier run left unknown: created by that run (decision 0429).
      const listed = onTarget && 'ids' in onTarget && left(before) && input.request ? onTarget.ids.get(tokenFingerprint(input.request.token)) : undefined;
      // A page lists a token that is no sToken and that no record read so far sent: it may be this record's, withheld.
      const withheld = left(before) && input.request ? withheldFor(input.request.token) : undefined;
      // A record an earlier run left unknown stays so when this run stops before sending it again: its last line is
      // never less than what happened (it was sent), so never `not-sent`, which --resume sends again blind (R129).
      const kept = !options.retryUnknown || halt.aborted;
      if (before !== undefined && (before.status === 'created' || (left(before) && kept))) {
        record(keptFromBefore(input.index, before));
      } else if (invalid) {
        record({ index: input.index, status: 'invalid', problems: invalid }, unsent ? formatProblem({ ...unsent, message: problemMessage(unsent, { got: false }) }) : input.reason);
      } else if (again) {
        record({ index: input.index, status: 'invalid', problems: [formatProblem(again)] }, formatProblem({ ...again, message: 'is the token of an earlier record again' }));
      } else if (halt.aborted) {
        record({ index: input.index, status: 'not-sent', reason: notSentReason() });
      } else if (onTarget && left(before) && 'failure' in onTarget) {
        record({ index: input.index, status: 'unknown', reason: `not sent again: the target's vppTokens could not be read back to see whether it was created (${onTarget.failure})`, attempts: 0 });
      } else if (listed === undefined && onTarget && 'ids' in onTarget && left(before) && input.request && rewrappedIn(onTarget.listed, input.request.token)) {
        // Its Apple token listed inside another sToken: the create's, rewritten by the service, or another vppToken of
        // one Apple token; sent again, it may be a second (decision 1093).
        record({ index: input.index, status: 'unknown', reason: `not sent again: the target's vppTokens read back ${REWRAPPED}`, attempts: 0 });
      } else if (listed !== undefined) {
        createdIds.set(listed.toLowerCase(), input.index);
        found++;
        record({ index: input.index, status: 'created', id: listed, httpStatus: 200, attempts: 0, readBack: true });
      } else if (before?.status === 'unknown' && acceptedForProcessing(before.httpStatus)) {
        // Accepted for processing (202) by an earlier run, and not listed: it may not have run yet, and the list shows
        // only what has (decision 1270, outside finding R154). Kept unknown, its 202 with it, so a later run reads
        // again; sent again, the target would hold two creates of the token.
        record({ index: input.index, status: 'unknown', httpStatus: before.httpStatus!, reason: `not sent again: ${acceptedUnlistedWhy()}`, attempts: 0 });
      } else if (withheld !== undefined) {
        // Judged again once every record was read: a later record may hold the string listed.
        untilAllRead.push(input);
      } else {
        const entry = await createOne(input);
        if (entry.status === 'created') freshlyCreated++;
        record(entry);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    // Records left unknown that a listed token no sToken might be: with every record's token known, a string one of
    // them sent is that record's; any other is withheld and the record stays unknown, not sent again (decision 1140).
    for (const input of untilAllRead) {
      const withheld = withheldFor(input.request!.token);
      const before = options.previous?.get(input.index);
      if (withheld !== undefined) {
        withheldStop ??= withheld;
        record({ index: input.index, status: 'unknown', reason: `not sent again: the target's vppTokens could not be read back to see whether it was created (${withheld})`, attempts: 0 });
      } else if (halt.aborted && left(before)) {
        // Each record here was left by an earlier run (left), so kept as it was.
        record(keptFromBefore(input.index, before));
      } else {
        const entry = await createOne(input);
        if (entry.status === 'created') freshlyCreated++;
        record(entry);
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onInterrupt);
    options.abandon?.removeEventListener('abort', abandon);
    client.close();
  }
  if (reportFailure) throw new SeedReportError(reportFailure);
  // Fewer records than --max-consecutive-failures, none answered: the target is not there, not a record's fault.
  if (!answered && lastConnectionFailure !== undefined && counts.unknown === 0 && counts.created === 0 && !interrupted()) {
    stopped ??= `${publicUrl(options.target)} did not answer: every connection attempt failed (last: ${lastConnectionFailure}); is it running, and is --target right?`;
  }
  const elapsedMs = Date.now() - started;
  const top = [...reasons.values()].sort((a, b) => b.count - a.count).slice(0, 5);
  const likelyCause = likelyCauseOf([...reasons.values()], counts, challenges, Object.keys(options.headers ?? {}));
  return {
    ...counts,
    elapsedMs,
    rate: elapsedMs > 0 ? (freshlyCreated * 1000) / elapsedMs : 0,
    interrupted: interrupted(),
    reached,
    ...(stopped === undefined ? {} : { stopped }),
    ...(machineLimit && !interrupted() ? { machineLimit: true as const } : {}),
    reasons: top,
    ...(likelyCause ? { likelyCause } : {}),
    ...(onTarget ? { readBack: { found, ...('failure' in onTarget ? { failure: onTarget.failure } : withheldStop === undefined ? {} : { failure: withheldStop }) } } : {}),
  };
}


/**
 * Why a run stopped after `failures` connection failures in a row, `sent` of them requests written whole (decision
 * 0426, outside tester Q14): connections that failed before a request went out are a target not there; creates it
 * took and never answered are records it may have made, said as such, with what to do before sending them again.
 */
function failuresInARow(target: string, failures: number, sent: number, lastSent: string | undefined, lastUnsent: string | undefined): string {
  if (sent === 0) return `${target} did not answer: ${failures} connection attempts in a row failed (last: ${lastUnsent})`;
  const others = sent === failures ? '' : `, and ${failures - sent} connection${failures - sent === 1 ? '' : 's'} failed before the request was sent (last: ${lastUnsent})`;
  return `${target} answered none of ${sent} creates in a row that were sent whole (last: ${lastSent})${others}: it may have created each (reported unknown): --resume --retry-unknown reads the target's vppTokens back and sends again only those it does not hold`;
}

/** The report could not be written during the run; the run stopped before sending anything it could not record. */
export class SeedReportError extends Error {
  override readonly name = 'SeedReportError';
  constructor(override readonly cause: Error) {
    super(systemReason(cause));
  }
}

/** Create requests from the fixture factory: records offset .. offset+count-1 of the data set for a seed. */
export async function* generatedSeedInputs(options: { count: number; offset?: number; seed?: number; traits?: VppTokenTrait[]; signal?: AbortSignal; profile?: Profile }): AsyncGenerator<SeedInput> {
  // Its options by the library's one rule (decision 0760), at the first record asked: no count yielded nothing, so a
  // seed run of `generatedSeedInputs({ cout: 10 })` sent nothing without a word.
  const shape =
    optionsObjectProblem('generatedSeedInputs', options, ['count', 'offset', 'seed', 'traits', 'signal', 'profile'], 'required') ??
    (options.count === undefined ? 'count must be a whole number of at least 0 (got undefined)' : wholeOptionProblem('count', options.count, 0)) ??
    wholeOptionProblem('offset', options.offset, 0, 0xffffffff) ??
    wholeOptionProblem('seed', options.seed, 0, 0xffffffff) ??
    membersProblem(options, { traits: ['strings', "an array of traits, such as ['full']"], signal: 'signal' });
  if (shape) throw new TypeError(shape);
  // Loaded here, not at the top: a run from a file never needs faker.
  const { createRequestFactory, DEFAULT_SEED } = require('../fixtures') as typeof import('../fixtures');
  const factory = (createRequestFactory.withProfile(options.profile ?? 'beta') as typeof createRequestFactory).withSeed(options.seed ?? DEFAULT_SEED).withTraits(...(options.traits ?? []));
  const offset = options.offset ?? 0;
  for (let i = 0; i < options.count; i++) {
    // Once interrupted, the rest are only accounted for: no need to build them.
    yield options.signal?.aborted ? { index: offset + i } : { index: offset + i, request: factory.buildAt(offset + i) };
  }
}

/**
 * Create requests read from a file or stdin (JSON, JSON array or NDJSON); invalid ones are marked, not dropped. Each
 * record is judged as `validate` judges it and check-client a client's create (recordProblems, decision 0427): the
 * schema, what the one reader refuses, the read-only properties, and Intune's sToken rule unless `schemaTokens`.
 */
export async function* fileSeedInputs(input: Readable, format: InputFormat = 'auto', profile?: Profile, options: { schemaTokens?: boolean } = {}): AsyncGenerator<SeedInput> {
  refuseArguments(optionsObjectProblem('fileSeedInputs', options, ['schemaTokens']), membersProblem(options, { schemaTokens: 'boolean' }));
  for await (const record of readRecords(input, format) as AsyncIterable<InputRecord>) {
    if (record.syntaxError) {
      const e = record.syntaxError;
      yield { index: record.index, invalid: [`line ${e.line}, column ${e.column}: not JSON: ${e.message}`] };
      continue;
    }
    // What the one reader refuses (a name twice, an unpaired surrogate, a number no double holds) is never sent.
    const problems = recordProblems('request', record, profile, { schemaTokens: options.schemaTokens });
    // Records told apart only by a value count as one reason: the first problem told without it.
    if (problems.length) yield { index: record.index, invalid: problems.map(formatProblem), reason: formatProblem({ ...problems[0], message: problemMessage(problems[0], { got: false }) }) };
    else yield { index: record.index, request: record.value as VppTokenCreateRequest };
  }
}
