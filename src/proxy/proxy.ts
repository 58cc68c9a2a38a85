import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import {
  VPP_TOKENS_PATH,
  readRequestTarget,
  serverWideOptions,
  acceptedForProcessing,
  checkFindingProblem,
  formatCheckFinding,
  judgeCreateExchange,
  answerJson,
  createdVppTokenIn,
  createOutcomeOf,
  monitorOutcomeOf,
  judgeCreateHead,
  requestCheckOf,
  judgeUnfinishedCreate,
  batchedAnswer,
  FAILED_DEPENDENCY,
  failedDependencyIn,
  batchIdKey,
  failedDependencyMessage,
  failedDependencyAnswer,
  batchRunOrder,
  checkBatchRequest,
  batchedCreates,
  batchHeaderCredentialProblems,
  isBatchTarget,
  judgeCreateRequest,
  trailerProblems,
  isHeaderSectionOnly,
  pathUnderBase,
  versionAtEnd,
  profileOfVersion,
  readVppTokenPage,
  pageTally,
  readListOptionsButFilter,
  resolveODataLink,
  whyPageCannotTell,
  rewrappedIn,
  credentialEchoProblems,
  judgeReadEcho,
  judgeReadAnswer,
  ownBearerOfHeaders,
  urlCredentials,
  type BodySize,
  type ExchangeProblem,
  type ListTally,
  type CreateOutcome,
  type ObservedAnswer,
  type ObservedRequest,
  type RequestTarget,
} from '../judgement';
import { optionsObjectProblem, argumentProblem, refuseArguments, membersProblem } from '../net/option';
import { TLS_TRUST_MEMBERS } from '../net/tls';
import { baseUrlOf, checkReachable, createHttpStreamer, interimAnswers, listen, millisecondsOptionProblem, publicHostOf, publicUrl, redact, serverOptionProblem, type HttpStream, type Secrets, type InterimAnswer, type Listening, type TlsTrust } from '../net';
import { at, headFailure, headerLines, headerValues, hostProblem, misreadChunkedProblem, isBearerCredentials, readMessage, singleHeader, versionFramingProblem, type ParseError, type RawHeaders } from '../wire';
import { FaultInjector, GRAPH_JSON, answerInOrder, noteUnanswered, graphError, isAfterCreateFault, refusalOf, refusedBodyAnswer, refusedHeadAnswer, systemClock, type FaultOptions, type InjectedFault, type ProviderClock } from '../provider';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { tokenFingerprint, type Problem } from '../validation';
import { BodyCapture, forwardedHeaders } from './capture';
import { outcomeOf, sentCreateOf, trafficEntriesOf } from './traffic';
import type { VppTokenCreateRequest } from '../generated/types';
import { secretsOf } from './redact';
import type { BatchFault, BatchRead, BatchedVerdict, ExchangeOutcome, ProxiedExchange, ProxyRoute, SeenAnswer, Violation } from './types';
import { pageKey, tokenOf, type TrafficEntry } from '../behaviour';

/** Graph takes request bodies up to 4 MB: the proxy keeps (and judges) bodies up to that by default. */
export const DEFAULT_PROXY_BODY_LIMIT = 4 * 1024 * 1024;
export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;
/** How long close() waits for requests in flight before it cuts them. */
export const DEFAULT_DRAIN_MS = 10_000;
/**
 * The most vppTokens the proxy keeps of the pages it forwards (a fingerprint and an id each, about 200 bytes): a
 * create's earlier-run vppToken is told from its own by a page before it (decision 0813); past this many, a page's
 * further vppTokens are not kept, and one of them is taken as the create's as before (0671's limit).
 */
export const MAX_LISTED_KEPT = 10_000;
/**
 * The most ids the proxy keeps of the pages of lists it reads whole across more than one page (each page's own, in its
 * tally): pages of one list add up by them, a vppToken listed on two pages once (decision 1170). Past it, a page keeps
 * how many it listed alone, and a list whose count its pages then cannot be told to meet is not read whole (the
 * cautious verdict: the create stays unknown). A list of one page needs none: its own count of ids is exact.
 */
export const MAX_TALLIED_IDS = 10_000;
/** How long close() lets the handlers of the requests it cut end them, before it ends them itself. */
const CUT_SETTLE_MS = 1_000;

export interface JudgingProxyOptions {
  /** Where every request goes: the reference provider, a provider under development, https://graph.microsoft.com. A path (/beta) is kept as a prefix. */
  target: string | URL;
  /** The port to listen on (default 0: a free one). */
  port?: number;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /**
   * The Graph version a create is judged by when its path names none (default: the target's version, --target
   * .../v1.0, else beta); /beta and /v1.0 paths, the client's or the target's, speak their own.
   */
  profile?: Profile;
  /** How to trust an https target: a private CA, or any certificate. */
  tls?: TlsTrust;
  /**
   * Milliseconds the target may stay silent on one request before the client gets a 504, and the most its answer may
   * take from its head to its end before the client's answer is cut (default 30,000).
   */
  timeoutMs?: number;
  /** Most bytes of a body kept and judged (default 4 MiB); past it the body still passes, unjudged. */
  bodyLimit?: number;
  /**
   * Hosts the target names itself by behind a gateway (`gw.example`, `gw.example:8443`): a 201's Location and
   * @odata.context may name them, besides the target's host and Graph's own (docs/decisions/0190).
   */
  publicHosts?: readonly string[];
  /** Answer a create the contract refuses with Graph's refusal, without forwarding it. */
  strict?: boolean;
  /** Faults on the way, drawn as the reference provider draws them (src/provider/faults). */
  faults?: FaultOptions;
  /** The clock of the rate limit, the latency and the exchanges' times; tests pass a fake one. */
  clock?: ProviderClock;
  /** Keep the (bounded) bodies of every exchange, not only of creates: a HAR log needs them. */
  keepBodies?: boolean;
  /** Check at start that the target answers (and its certificate is trusted); default true. */
  checkTarget?: boolean;
  /** One line per request, when it ends. */
  log?: (line: string) => void;
  /** Each violation as it is found, with its line. */
  onViolation?: (violation: Violation, line: string) => void;
}

export interface JudgingProxy {
  /** The proxy's own address, e.g. http://127.0.0.1:41234: give it to the client in place of the target. */
  url: string;
  host: string;
  port: number;
  /** The target as it may be shown (no credentials). */
  target: string;
  profile: Profile;
  strict: boolean;
  /** The faults configured and their seed. */
  faults?: { seed: number; description: string };
  /** Every request so far, in arrival order; an exchange is complete once `outcome` is set and it is no longer in flight. */
  readonly exchanges: readonly ProxiedExchange[];
  /** Every violation so far, in the order found. */
  readonly violations: readonly Violation[];
  /** The finished exchanges as traffic, for the client-behaviour checks (src/behaviour: judgeClientBehaviour). */
  readonly traffic: TrafficEntry[];
  /** Requests not finished yet. */
  readonly inFlight: number;
  /** Stops accepting, lets requests in flight finish for up to `graceMs` (default 10 s), then cuts the rest. */
  close(options?: { graceMs?: number }): Promise<{ abandoned: number }>;
  /**
   * Cuts every request in flight now (a second Ctrl-C) and resolves once each is settled, judged as cut: at once, or
   * within a second when a handler does not end it itself (decision 0246).
   */
  abandon(): Promise<void>;
}

/** The proxy could not start: a target it can't use or reach, a port in use. The message is one line. */
export class ProxyStartError extends Error {
  override readonly name = 'ProxyStartError';
}


/** One answer inside a JSON batch's answer. */
interface BatchMemberAnswer {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What the faults drawn for the requests inside a batch do to it (decision 0454). */
interface BatchPlan {
  /** The proxy's answers, by the request's place in the batch: the requests taken out of what the target gets. */
  answered: Map<number, BatchMemberAnswer>;
  /** The requests whose 201 becomes the fault's 504 (504-after-create), by lower-cased id. */
  afterCreate: Map<string, InjectedFault>;
  ids: { requestId: string };
  /** The batch the target gets; undefined when every request in it met a fault. */
  body: Buffer | undefined;
}

/** The proxy's own answers to the requests it took out of a batch, in the batch's order of those requests. */
const answeredInOrder = (plan: BatchPlan): BatchMemberAnswer[] => [...plan.answered.keys()].sort((a, b) => a - b).map((index) => plan.answered.get(index)!);

/** The line a violation is logged with. */
export const formatViolation = (v: Violation): string => {
  refuseArguments(checkFindingProblem('v', v, "a violation, one of the proxy's violations"));
  refuseArguments(argumentProblem('v.request', v.request, 'number', 'a number, the request\'s place in the traffic'), argumentProblem('v.side', v.side, 'string'), argumentProblem('v.batchId', v.batchId, 'string', undefined, 'optional'));
  return `request ${v.request}${v.batchId !== undefined ? ` ($batch id ${JSON.stringify(v.batchId)})` : ''}: ${v.side}: ${formatCheckFinding(v)}`;
};

/** The names JudgingProxyOptions takes: any other is refused, never left without a word (decision 0408). */
const PROXY_OPTION_NAMES = Object.keys({
  target: true, port: true, host: true, profile: true, tls: true, timeoutMs: true, bodyLimit: true, publicHosts: true, strict: true, faults: true, clock: true, keepBodies: true, checkTarget: true, log: true, onViolation: true,
} satisfies Record<keyof JudgingProxyOptions, true>);

function targetOf(target: string | URL): URL {
  // A URL object as its text; any other value as it is, so a missing one reads `(got undefined)` (decision 0760).
  return baseUrlOf(target, '--target', (message) => new ProxyStartError(message), 'https://graph.microsoft.com', "the client's own Authorization header is forwarded");
}

/**
 * Starts a proxy that forwards every request to `target`, streaming, and judges each
 * POST .../deviceAppManagement/vppTokens and its answer with the kit's one judgement (src/judgement): each
 * violation names the side at fault, the check and the place. It never alters the traffic, unless `strict`
 * (a create the contract refuses gets Graph's refusal, unforwarded) or `faults` (answers replaced as the
 * reference provider would fail).
 */
export async function startJudgingProxy(options: JudgingProxyOptions): Promise<JudgingProxy> {
  // Its options' shape by the library's one rule (src/net/option.ts, decision 0760): an object of the names it takes.
  const shape =
    optionsObjectProblem('startJudgingProxy', options, PROXY_OPTION_NAMES, 'required') ??
    membersProblem(options, { host: 'string', tls: TLS_TRUST_MEMBERS, publicHosts: 'strings', strict: 'boolean', faults: 'object', clock: 'clock', keepBodies: 'boolean', checkTarget: 'boolean', log: 'function', onViolation: 'function' });
  if (shape) throw new TypeError(shape);
  const unfit = serverOptionProblem(options) ?? millisecondsOptionProblem('timeoutMs', options.timeoutMs);
  if (unfit) throw new ProxyStartError(unfit);
  const target = targetOf(options.target);
  const publicHosts = (options.publicHosts ?? []).map((host) => publicHostOf(host, '--public-host', (message) => new ProxyStartError(message)));
  const basePath = target.pathname.replace(/\/+$/, '');
  // A client keeps its /beta or /v1.0 (README): against a target ending in one, the client's replaces the
  // target's, so --target http://host/beta and a client's /beta/... go to /beta/..., never /beta/beta/...
  const forwardedPath = (pathname: string): string => pathUnderBase(basePath, pathname);
  // The version --target ends in, read once as pathUnderBase and the CLI's warning read it (versionAtEnd, decision 0903).
  const baseVersion = versionAtEnd(basePath)?.version;
  // Without a profile given, the target's version (--target .../v1.0) is the one its creates are judged by (a client's
  // own /beta or /v1.0 path aside), so it is the proxy's profile: said in the banner and recorded by (decision 0851).
  const profile = options.profile !== undefined ? toProfile(options.profile) : ((baseVersion ? profileOfVersion(baseVersion) : undefined) ?? DEFAULT_PROFILE);
  const bodyLimit = options.bodyLimit ?? DEFAULT_PROXY_BODY_LIMIT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const injector = options.faults ? new FaultInjector(options.faults, clock) : undefined;
  // The one HTTP client's streaming side: the target may stay silent for timeoutMs on one exchange.
  const streamer = createHttpStreamer({ trust: options.tls, timeoutMs });
  const shownTarget = publicUrl(target);
  if (options.checkTarget !== false) {
    try {
      await checkReachable(target, 'the target', { timeoutMs: Math.min(timeoutMs, 10_000), tls: options.tls });
    } catch (error) {
      streamer.close();
      throw new ProxyStartError((error as Error).message);
    }
  }

  const exchanges: ProxiedExchange[] = [];
  /** The VPP tokens the client sent in its creates so far, alone or inside a batch: looked for in its other URLs (0650). */
  const clientTokens = new Set<string>();
  /** Their fingerprints: a listed token that is no sToken tells only as the very string a create sent (decision 1090). */
  const clientFingerprints = new Set<string>();
  /**
   * The ids the target's answers to creates named (lower-case): a page listing a token that is no sToken under one
   * lists that create's vppToken, not a token withheld (seed's proof, decisions 1140, 1171). One per create answered.
   */
  const createdIds = new Set<string>();
  // The status monitors the 202s to creates named (their path and query at the target), each with the create it
  // watches: a GET of one is read for the create's answer it ends with (noteMonitor, decision 1315).
  const monitors = new Map<string, VppTokenCreateRequest | undefined>();
  /** The fingerprints of the tokens of creates whose outcome was unknown: list pages are read for these alone (0671). */
  const unknownTokens = new Set<string>();
  /** Those tokens themselves: a page listing one's Apple token inside another sToken cannot tell (rewrappedIn, decision 1093). */
  const unknownSent = new Set<string>();
  // Every vppToken a list page answered 200 held, by its token's fingerprint: its id and when the page ended (decision
  // 0813). A create of unknown outcome is not shown by a vppToken of its token listed before it was sent. Bounded.
  const listedEver = new Map<string, { id: string; at: number }[]>();
  let listedCount = 0;
  // The pages a page read whole named by its @odata.nextLink (pageKey), and the ids kept in such pages' tallies (1170).
  const linkedPages = new Set<string>();
  let talliedIds = 0;
  /** Of these, those a request's URL held: hidden from its line, which the request's own secrets alone did not (R66). */
  const heldInUrl = new WeakMap<ProxiedExchange, string[]>();
  // Each connection's answers not yet written whole, in the order of their requests (answerInOrder, decision 0814).
  const unanswered = new WeakMap<Socket, ServerResponse[]>();
  const violations: Violation[] = [];
  const active = new Map<ProxiedExchange, { req: IncomingMessage; res: ServerResponse; out?: HttpStream }>();
  // A request taken whose chunked body Node's parser then refused, with the 400 written for it (decision 0613).
  const refusedBodies = new WeakMap<IncomingMessage, NonNullable<ReturnType<typeof refusedBodyAnswer>>>();
  /** Exchanges the proxy itself cut as it stopped: whatever their handlers see next, that is their outcome. */
  const cutting = new Set<ProxiedExchange>();
  /** How each exchange in flight is ended (settle), once. */
  const settling = new Map<ProxiedExchange, () => void>();
  /** Each waiter for no request in flight (close()'s drain, abandon()'s settling), told once the last one ends. */
  const idleWaiters = new Set<() => void>();
  const whenIdle = (): Promise<void> => (active.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.add(resolve)));
  /** How many requests in flight were cut (abandon(), or close() past its grace period). */
  let abandoned = 0;
  /** The request waiting out an injected latency, each with what wakes it: abandon() cuts it without waiting. */
  const waking = new Map<ProxiedExchange, () => void>();
  /** Waits out an injected latency, or until the proxy cuts the request. True when the request is still to be answered. */
  const waitOut = (delay: number, exchange: ProxiedExchange): Promise<boolean> => {
    // Cut early, the sleep is ended too: its timer must not hold the process open (decision 0445).
    const slept = new AbortController();
    return new Promise<void>((resolve) => {
      waking.set(exchange, resolve);
      void clock.sleep(delay, slept.signal).then(() => resolve());
    }).then(() => {
      slept.abort();
      waking.delete(exchange);
      return !cutting.has(exchange);
    });
  };

  const say = (line: string): void => {
    try {
      options.log?.(line);
    } catch {
      // A logger that throws is the caller's bug; the traffic goes on.
    }
  };

  function judge(exchange: ProxiedExchange, path: string): void {
    // A head the proxy refused (outside tester I18) is the client's, on any route: it went nowhere else.
    if (exchange.headProblem) {
      const problem = exchange.headProblem;
      exchange.problems = [{ side: 'client', check: requestCheckOf(problem), ...problem }];
      return report(exchange, path, exchange.problems);
    }
    if (exchange.route === 'batch') return judgeBatch(exchange, path);
    if (exchange.route !== 'create') return judgeUrl(exchange, path);
    if (exchange.notJudged !== undefined) return;
    if (exchange.outcome === 'client closed' || exchange.outcome === 'cut') {
      exchange.notJudged = exchange.outcome === 'cut' ? 'cut when the proxy stopped' : 'the client closed the request';
      return;
    }
    // A body over the limit keeps only its size, and one the target answered before it ended may not have come
    // whole (outside tester H16): the head is judged, the body is not, and the answer by the size (decision 0200).
    const size = sizeOf(exchange);
    const over = size.bytes > bodyLimit;
    const whole = !over && exchange.request.ended !== false;
    if (over) exchange.bodyNotJudged = `over --body-limit ${bodyLimit} bytes, only its size (${size.bytes} bytes) kept`;
    else if (!whole && exchange.answer === undefined) exchange.bodyNotJudged = `the target failed before it ended (${exchange.request.size} of ${size.bytes} bytes came)`;
    else if (!whole) exchange.bodyNotJudged = `the target answered before it ended, and the client then stopped (${exchange.request.size} of ${size.bytes} bytes came)`;
    const request = observedRequest(exchange);
    // The request alone (no answer to judge it with): whole, or by its head when its body did not come whole.
    const requestProblems = (): ExchangeProblem[] => (whole ? judgeCreateRequest(request, exchange.profile) : judgeCreateHead(request, exchange.profile, size));
    // When the answer came, on the proxy's clock (an sToken expired by then was fairly refused: decision 0195).
    const context = { target: exchange.targetUrl, size, publicHosts, receivedAt: new Date(exchange.answeredAt ?? clock.now()) };
    let problems: ExchangeProblem[];
    if (exchange.outcome === 'refused' || exchange.outcome === 'fault') problems = requestProblems();
    // An answer no Node client of this version reads (decision 0812): the target's, at its header, as verify says it.
    else if (exchange.unreadableAnswer) problems = [...requestProblems(), { side: 'provider', check: 'response headers', ...exchange.unreadableAnswer }];
    else {
      const answer = exchange.answer === undefined ? undefined : observedAnswer(exchange.answer);
      if (typeof answer === 'string' && over) {
        // Both over the limit: the status alone shows a target that took a body it must refuse; nothing else is kept.
        const head = { ...(observedAnswer({ ...exchange.answer!, overLimit: false }) as ObservedAnswer), bytes: new Uint8Array() };
        problems = judgeCreateExchange(request, head, exchange.profile, undefined, context).filter((p) => p.side === 'client' || p.part === 'status');
        exchange.bodyNotJudged += ', and its answer, over it too, by its status only';
      } else if (typeof answer === 'string') {
        exchange.notJudged = answer;
        problems = requestProblems();
      } else if (!whole && !over) problems = judgeUnfinishedCreate(request, answer, size, exchange.profile, exchange.error);
      else problems = judgeCreateExchange(request, answer, exchange.profile, exchange.answer === undefined ? exchange.error : undefined, context);
    }
    // Fields the client put in the trailer section that belong in the head: its fault, whatever the answer (decision 0224).
    problems.push(...trailerProblems(exchange.request.rawTrailers).map((p): ExchangeProblem => ({ side: 'client', check: requestCheckOf(p), ...p })));
    exchange.problems = problems;
    report(exchange, path, problems);
  }

  /**
   * A request the proxy judges nothing else of (a read, a delete...): the credentials its URL carries, as check-client
   * reads every request's (urlCredentials: its own access token or any sToken in its path, the client's VPP tokens
   * from its creates before it in its path or query; decision 0650, outside attacker R66), and its query's
   * credentials by the mock's rule (an access_token, a Bearer value or an sToken under any name: decision 0683), the
   * client's violation.
   */
  function judgeUrl(exchange: ProxiedExchange, path: string): void {
    if (exchange.notForwarded !== undefined) return;
    const { problems, held } = urlCredentials(exchange.url, ownBearerOfHeaders(exchange.request.rawHeaders), [...clientTokens], undefined, true);
    if (held.length > 0) heldInUrl.set(exchange, held);
    const judged = [...problems.map((p): ExchangeProblem => ({ side: 'client', check: requestCheckOf(p), ...p })), ...readEchoProblems(exchange)];
    if (judged.length === 0) return;
    exchange.problems = judged;
    report(exchange, path, exchange.problems);
  }

  /**
   * The target's answer to a read of the vppTokens (a page, one by id, the count) carries no credential of the read:
   * its bearer, nor the credential of another of its header lines (a gateway key), by the one rule conform's reads
   * are judged by (judgeReadEcho, decision 0900); a GET of a page or of one vppToken answered 200 is held to the rest
   * of the read rule too (readRuleProblems, decision 1050). The answer was forwarded as it came, the target is blamed.
   */
  function readEchoProblems(exchange: ProxiedExchange): ExchangeProblem[] {
    const seen = exchange.answer;
    if (seen === undefined || exchange.outcome !== 'answered' || exchange.unreadableAnswer || !isVppTokensRead(exchange)) return [];
    // A body over --body-limit is not kept: its head alone is judged.
    const answer = observedAnswer(seen.overLimit ? { ...seen, overLimit: false, body: undefined } : seen) as ObservedAnswer;
    const echoed = judgeReadEcho(answer, exchange.request.rawHeaders, undefined, undefined, publicHosts).map((p): ExchangeProblem => ({ side: 'provider', ...p }));
    return seen.overLimit ? echoed : [...echoed, ...readRuleProblems(exchange.method, readRequestTarget(exchange.url), answer, exchange.targetUrl, exchange.request.rawHeaders)];
  }

  /**
   * A GET of one vppToken or of a page of the collection answered 200, held to the whole read rule conform's read-back
   * holds its reads to, by its one judgement (judgeReadAnswer, decisions 0366, 0971): a JSON content type as Graph
   * writes it with a charset that does not lie, no singleton header twice, a body read strictly, and an
   * `@odata.context`, when given, naming what was read (one vppToken, or the collection) on the service's own hosts
   * (the target's, Graph's, a --public-host) and of the version read (`target`: as the client asked it, its version
   * else the --target's), a relative one resolved against the URL the target was asked (`targetUrl`, decision 1181). A HEAD (its head may leave the content's fields out, RFC 9110 §9.3.2), a `$count` (text,
   * not JSON) and any other status are judged for the read's credentials alone. Decision 1050.
   */
  function readRuleProblems(method: string, target: RequestTarget, answer: ObservedAnswer, targetUrl: string, request: RawHeaders): ExchangeProblem[] {
    const kind = target.names.kind;
    if (method !== 'GET' || answer.status !== 200 || (kind !== 'collection' && kind !== 'entity')) return [];
    const version = target.version || baseVersion || '';
    const service = { target: `${new URL(targetUrl).origin}${VPP_TOKENS_PATH}`, publicHosts, profile: profileOfVersion(version) ?? profile };
    // An answer in OData 4.01's spelling is fair to a read that asked OData-MaxVersion: 4.01 (decision 1220).
    const odataMaxVersion = headerValues(headerLines(request), 'OData-MaxVersion');
    return judgeReadAnswer(answer, { kind, service, url: targetUrl, odataMaxVersion }).problems.map((p): ExchangeProblem => ({ side: 'provider', ...p }));
  }

  /**
   * Keeps the VPP tokens a create sent, alone or inside a batch, once it is judged: what later URLs are read for; and
   * the fingerprints of those whose outcome was unknown, which later list pages are read for (decision 0671).
   */
  function noteClientTokens(exchange: ProxiedExchange): void {
    if (exchange.route !== 'create' && exchange.route !== 'batch') return;
    const before: string[] = [];
    let unknown = false;
    for (const entry of trafficEntriesOf(exchange)) {
      if (entry.stored && entry.createdId !== undefined) createdIds.add(entry.createdId.toLowerCase());
      // A lone create's status monitor (a batch's answers for the whole batch, no one create's answer).
      if (entry.monitor !== undefined && entry.batchId === undefined) monitors.set(entry.monitor, sentCreateOf({ method: exchange.method, path: exchange.url, body: exchange.request.body, rawHeaders: exchange.request.rawHeaders }));
      const token = tokenOf(entry);
      if (token !== undefined && !clientTokens.has(token)) {
        clientTokens.add(token);
        clientFingerprints.add(tokenFingerprint(token));
      }
      if (token === undefined || entry.storedUnknown === undefined) continue;
      unknown = true;
      const fingerprint = tokenFingerprint(token);
      unknownTokens.add(fingerprint);
      unknownSent.add(token);
      // Listed by a page that ended by the time the create arrived: the target held it before (an earlier run's).
      for (const { id, at } of listedEver.get(fingerprint) ?? []) if (at <= exchange.startedAt && !before.includes(id)) before.push(id);
    }
    if (before.length > 0) exchange.listedBefore = before;
    // A page that arrived once this create's answer had ended, and was read before the create was noted here (the
    // same millisecond, or a clock that stands still), kept nothing of its token: it proves nothing of it (0880).
    if (!unknown) return;
    for (let n = exchange.index; n < exchanges.length; n++) {
      const later = exchanges[n];
      if (later.answeredAt === undefined || active.has(later) || later.startedAt < exchange.answeredAt!) continue;
      delete later.readWhole;
      delete later.nextPage;
      delete later.tally;
      for (const read of later.batchReads ?? []) delete read.readWhole;
    }
  }

  /** The path and query an exchange reached at the target, as the traffic names a status monitor (`monitor`). */
  const targetPathOf = (exchange: ProxiedExchange): string => {
    const url = new URL(exchange.targetUrl);
    return `${url.pathname}${url.search}`;
  };
  /** A GET of the status monitor a create's 202 named. */
  const isMonitorRead = (exchange: ProxiedExchange): boolean => exchange.method === 'GET' && monitors.has(targetPathOf(exchange));

  /**
   * A GET of a create's status monitor answered by the target: what its final answer said became of the create, by
   * the one reading (monitorOutcomeOf, decision 1315, outside finding W6: a 200 holding the create's `201 Created`
   * as `application/http`), kept as `monitorTold`; the answer's body is then dropped unless --har keeps every body.
   */
  function noteMonitor(exchange: ProxiedExchange): void {
    const answer = exchange.answer;
    if (answer === undefined || !isMonitorRead(exchange)) return;
    const body = answer.body;
    if (!options.keepBodies) delete answer.body;
    if (exchange.outcome !== 'answered' || answer.overLimit) return;
    const told = monitorOutcomeOf({ status: answer.status, headers: {}, rawHeaders: answer.rawHeaders, body: undefined, bytes: body ?? new Uint8Array() }, monitors.get(targetPathOf(exchange)));
    if (told?.outcome === 'created') exchange.monitorTold = { created: true, createdId: told.id, ...(createdVppTokenIn(told).heldAlready ? { heldAlready: true as const } : {}) };
    else if (told?.outcome === 'not created') exchange.monitorTold = { created: false };
  }

  /** Keeps each vppToken a list page answered 200 held, by fingerprint, up to MAX_LISTED_KEPT (decision 0813). */
  function noteListed(listed: readonly { id: string; token: string }[], at: number): void {
    for (const { id, token } of listed) {
      const known = listedEver.get(token);
      if (known?.some((k) => k.id.toLowerCase() === id.toLowerCase())) continue;
      if (listedCount >= MAX_LISTED_KEPT) return;
      listedCount++;
      if (known) known.push({ id, at });
      else listedEver.set(token, [{ id, at }]);
    }
  }

  /** A read of the vppTokens collection (a list page; not its count, not one vppToken). */
  const isListRead = (exchange: ProxiedExchange): boolean => exchange.method === 'GET' && readRequestTarget(exchange.url).names.kind === 'collection';
  /** A read of the vppTokens: a list page, its count or one vppToken (a HEAD too: its head alone), whose answer is judged for the read's credentials (readEchoProblems). */
  const isVppTokensRead = (exchange: ProxiedExchange): boolean => (exchange.method === 'GET' || exchange.method === 'HEAD') && readRequestTarget(exchange.url).names.kind !== 'none';

  /**
   * What the proxy keeps of a list page answered 200 (R64, decision 0671): the vppTokens it held whose token a create
   * of unknown outcome sent, each by id and by its token's fingerprint; the page itself is not kept (0180) unless
   * --har keeps every body. A 504 to a create names no id: a page that holds its token is what shows it was stored.
   * Read by the kit's one page reader, seed's read-back's (readVppTokenPage, decision 0810), lenient where seed is
   * strict: a page that is no list, or a vppToken listed without its token or id, shows nothing (the create stays
   * unknown), where seed, which would send a record again, stops.
   */
  function notePage(exchange: ProxiedExchange): void {
    const answer = exchange.answer;
    if (answer === undefined || !isVppTokensRead(exchange)) return;
    const body = answer.body;
    if (!options.keepBodies) delete answer.body;
    if (!isListRead(exchange)) return;
    if (body === undefined || answer.status !== 200 || exchange.outcome !== 'answered') return;
    const { held, whole, nextPage, tally } = unknownListed({ status: 200, headers: {}, rawHeaders: answer.rawHeaders, body: undefined, bytes: body }, exchange.request.rawHeaders, exchange.answeredAt ?? clock.now(), exchange.url, exchange.profile ?? profile, new URL(exchange.targetUrl));
    if (held.length > 0) exchange.tokensListed = held;
    if (whole) exchange.readWhole = true;
    if (nextPage !== undefined) exchange.nextPage = nextPage;
    if (whole && tally !== undefined) exchange.tally = tally;
  }

  /**
   * The reads of the vppTokens inside a JSON batch (R64's leftover, decision 0811), each by the one member reader
   * (checkBatchRequest for the requests, batchedAnswer for each one's answer in the batch's, what the client got) and
   * a list answered 200 by the one page reader, as a page sent alone: the vppTokens it held of the creates of unknown
   * outcome. Only the statuses and those are kept; the batch's body is not, unless --har keeps every body.
   */
  function noteBatchReads(exchange: ProxiedExchange, written: string): void {
    if (exchange.route !== 'batch' || exchange.request.body === undefined || exchange.request.overLimit || exchange.request.ended === false) return;
    const { members } = checkBatchRequest(observedRequest(exchange));
    const version = readRequestTarget(exchange.url).version;
    // A DELETE of one vppToken is kept as well: the behaviour checks read a deletion inside a batch as one sent alone
    // (decision 0852, outside finding R94: a re-create after it was a duplicate).
    // Each member's target read once, under the batch's version.
    const reads = members.flatMap((member) => {
      const target = `${version}${member.target}`;
      const names = readRequestTarget(target).names.kind;
      return (member.method === 'GET' && names !== 'none') || (member.method === 'DELETE' && names === 'entity') ? [{ member, target, names }] : [];
    });
    if (reads.length === 0) return;
    const got = exchange.delivered ?? exchange.answer;
    const answer = got === undefined || !['answered', 'fault'].includes(exchange.outcome) ? undefined : observedAnswer(got);
    const batchPath = new URL(exchange.targetUrl).pathname;
    exchange.batchReads = reads.map(({ member, target, names }): BatchRead => {
      const path = `${batchPath.replace(/\$batch\/?$/i, '')}${member.target.slice(1)}`;
      const one = answer === undefined || typeof answer === 'string' ? undefined : batchedAnswer(answer, member.id);
      const status = typeof one === 'object' ? one.status : typeof answer === 'object' && answer.status !== 200 ? answer.status : undefined;
      const { held: listed, whole, nextPage, tally } = member.method === 'GET' && typeof one === 'object' && one.status === 200 && names === 'collection' ? unknownListed(one, member.rawHeaders, exchange.answeredAt ?? clock.now(), target, exchange.profile ?? profile, new URL(path, exchange.targetUrl)) : { held: [], whole: false };
      // The target's answer to a read inside it carries no credential of that read, its own lines' nor the batch's bearer,
      // as a read sent alone (readEchoProblems, decision 0900); the proxy's own answers (a fault) are not the target's.
      const echoed = member.method === 'GET' && typeof one === 'object' && exchange.outcome === 'answered' ? [...judgeReadEcho(one, member.rawHeaders, undefined, member.batchAuthorization, publicHosts).map((p): ExchangeProblem => ({ side: 'provider', ...p })), ...readRuleProblems(member.method, readRequestTarget(target), one, exchange.targetUrl, member.rawHeaders)] : [];
      if (echoed.length > 0) {
        exchange.problems = [...exchange.problems, ...echoed];
        report(exchange, written, echoed, member.id);
      }
      return { id: member.id, method: member.method, path, rawHeaders: member.rawHeaders, ...(status === undefined ? {} : { status }), ...(listed.length > 0 ? { tokensListed: listed } : {}), ...(whole ? { readWhole: true as const, ...(tally === undefined ? {} : { tally }) } : {}), ...(nextPage === undefined ? {} : { nextPage }) };
    });
  }

  /**
   * The vppTokens a list page answered 200 holds of the creates of unknown outcome (readVppTokenPage, the one page
   * reader); every one it holds is kept by fingerprint too, as listed at `at` (noteListed, decision 0813). And whether
   * it is read whole (decision 0880): it tells every vppToken it lists (whyPageCannotTell, seed's rule too) and, when
   * its target (`target`, as the client asked it) gave a `$top` and it has no `@odata.nextLink`, lists fewer vppTokens
   * than that (a target may end a list at `$top` without a nextLink); with its nextLink, resolved as conform and seed
   * resolve it (against its context URL, else `url`, the page's), kept as `pageKey` keeps it (`nextPage`): a later
   * read of those options through the proxy is its next page (a client that uses the proxy as its HTTP proxy, or
   * rewrites the link to it); one that is no URL leaves the page not whole.
   */
  function unknownListed(page: ObservedAnswer, requestHeaders: readonly string[], at: number, target: string, version: Profile, url: URL): { held: { id: string; token: string }[]; whole: boolean; nextPage?: string; tally?: ListTally } {
    const read = readVppTokenPage(page, headerValues(headerLines(requestHeaders), 'Prefer'));
    if ('failure' in read) return { held: [], whole: false };
    noteListed(read.listed, at);
    // Kept as id and fingerprint alone (the traffic's tokensListed), not the reader's other marks.
    const held = read.listed.filter((listed) => unknownTokens.has(listed.token)).map(({ id, token }) => ({ id, token }));
    // A token listed that is no sToken (masked, cut) is withheld, unless it is one the client sent (decision 1090) or
    // is listed under the id a create was answered with (that create's vppToken: 1171).
    if (whyPageCannotTell(read, (fingerprint) => clientFingerprints.has(fingerprint), (id) => createdIds.has(id)) !== undefined) return { held, whole: false };
    // Nor one listing the Apple token of a create of unknown outcome inside another sToken: it may be the create's (1093).
    for (const token of unknownSent) if (rewrappedIn(read.listed, token)) return { held, whole: false };
    // What it listed and the count it gave: the list's pages, to the last, are judged by them (decision 1101).
    const tally = pageTally(read);
    if (read.nextLink !== undefined) {
      const link = typeof read.nextLink === 'string' ? resolveODataLink(read.nextLink, read.body, url) : undefined;
      const nextPage = link === undefined ? undefined : pageKey(`${link.pathname}${link.search}`);
      if (nextPage !== undefined) linkedPages.add(nextPage);
      return nextPage === undefined ? { held, whole: false } : { held, whole: true, nextPage, tally: keptTally(tally, true, url) };
    }
    let top: number | undefined;
    try {
      // The $top alone decides it; the $filter is not compiled here (decision 1192): the behaviour reads it where it proves something.
      top = readListOptionsButFilter(new URLSearchParams(readRequestTarget(target).query), version).top;
    } catch {
      return { held, whole: false };
    }
    return { held, whole: top === undefined || read.listed.length < top, tally: keptTally(tally, false, url) };
  }

  /**
   * A page's tally as the proxy keeps it (decision 1170): its ids only where pages add up by them, a page that names
   * a next (`linking`) or one a page read before named (its `url`), and only up to MAX_TALLIED_IDS in all.
   */
  function keptTally(tally: ListTally, linking: boolean, url: URL): ListTally {
    const { ids, ...rest } = tally;
    if (ids === undefined || (!linking && !linkedPages.has(pageKey(`${url.pathname}${url.search}`) ?? ''))) return rest;
    if (talliedIds + ids.length > MAX_TALLIED_IDS) return rest;
    talliedIds += ids.length;
    return tally;
  }

  function report(exchange: ProxiedExchange, path: string, problems: readonly ExchangeProblem[], batchId?: string): void {
    for (const problem of problems) {
      // A problem in the body carries its pointer ('' for the body as a whole, as a violation has always said it).
      const violation: Violation = { ...problem, request: exchange.index, method: exchange.method, path, ...(problem.part === 'body' ? { pointer: problem.pointer ?? '' } : {}), ...(batchId !== undefined ? { batchId } : {}) };
      violations.push(violation);
      try {
        options.onViolation?.(violation, redact(formatViolation(violation), lineSecrets(exchange)));
      } catch {
        // As for log.
      }
    }
  }

  /**
   * A JSON batch (outside tester H21): each create of a vppToken inside it is judged with the answer the batch
   * gave it, by the one judgement, as a create of its own (src/judgement/batch.ts, decision 0201). A batch holding
   * no create passes unjudged, as any other request.
   */
  function judgeBatch(exchange: ProxiedExchange, path: string): void {
    if (exchange.request.overLimit || exchange.request.ended === false || exchange.outcome === 'client closed' || exchange.outcome === 'cut') {
      exchange.notJudged = exchange.request.overLimit ? `its body is over --body-limit ${bodyLimit} bytes: the requests inside it were not read` : 'its body did not come whole: the requests inside it were not read';
      return;
    }
    const batch = observedRequest(exchange);
    const { creates, problems: envelope } = batchedCreates(batch);
    if (creates.length === 0) return;
    // The batch's own head, as a create's: a credential of a request inside it there is the client's leak (0346).
    const clientSide: ExchangeProblem[] = [
      ...batchHeaderCredentialProblems(batch).map((p): ExchangeProblem => ({ side: 'client', check: requestCheckOf(p), ...p })),
      ...envelope.map((p): ExchangeProblem => ({ side: 'client', check: 'request schema', ...p })),
    ];
    exchange.problems = clientSide;
    report(exchange, path, clientSide);
    // Where the batch's creates stand: the vppTokens collection beside its $batch, for the answers' identity.
    const target = exchange.targetUrl.replace(/\$batch\/?(?=\?|$)/i, VPP_TOKENS_PATH.slice(1));
    const answer = exchange.answer === undefined ? undefined : observedAnswer(exchange.answer);
    exchange.batched = creates.map(({ id, request, dependsOn }): BatchedVerdict => {
      const profile = exchange.profile;
      // Answered in the target's place (a fault, or 424 after one): never forwarded, so judged as a request (0454).
      const met = exchange.batchFaults?.find((f) => batchIdKey(f.id) === batchIdKey(id));
      if (met && !met.stored) {
        const problems = judgeCreateRequest(request, profile);
        report(exchange, path, problems, id);
        const why = met.fault ? `answered by an injected fault (${met.fault.by === 'rate-limit' ? 'rate limited' : met.fault.kind}), not forwarded` : `not run: a request it depends on met an injected fault (${met.status})`;
        return { id, problems, answerNotJudged: why, fault: met.fault, stored: false, sent: { rawHeaders: request.rawHeaders ?? [], body: request.bytes ?? new Uint8Array(), answer: { status: met.status, ...(met.retryAfter === undefined ? {} : { retryAfter: met.retryAfter }) } } };
      }
      const unjudged = exchange.outcome === 'refused' ? 'refused by --strict, not forwarded' : exchange.answer === undefined ? undefined : typeof answer === 'string' ? answer : batchedAnswer(answer!, id);
      const problems =
        exchange.answer === undefined && unjudged === undefined
          ? judgeCreateExchange(request, undefined, profile, exchange.error)
          : typeof unjudged === 'string'
            ? judgeCreateRequest(request, profile)
            : judgeCreateExchange(request, unjudged, profile, undefined, { target, publicHosts, receivedAt: new Date(exchange.answeredAt ?? clock.now()), failedDependency: failedDependencyAnswer(answer as ObservedAnswer, dependsOn) });
      report(exchange, path, problems, id);
      // What the behaviour checks read of it (outside tester I30): the create as sent, and the status its id got.
      const retryAfter = typeof unjudged === 'object' ? headerValues(headerLines(unjudged.rawHeaders ?? []), 'Retry-After')[0] : undefined;
      // An HTTP-date there is the target's clock: read against the request's own Date, else the batch answer's (0450).
      const dates = retryAfter === undefined ? [] : [(unjudged as ObservedAnswer).rawHeaders ?? [], exchange.answer?.rawHeaders ?? []].map((lines) => headerValues(headerLines(lines), 'Date')).find((values) => values.length > 0) ?? [];
      const date = dates.length === 1 ? { date: dates[0] } : {};
      const sent = { rawHeaders: request.rawHeaders ?? [], body: request.bytes ?? new Uint8Array(), ...(typeof unjudged === 'object' ? { answer: { status: unjudged.status, ...(retryAfter === undefined ? {} : { retryAfter, ...date }) } } : {}) };
      // The vppToken its 2xx says it made, read as a plain create's is (its id, and whether the target already held
      // its token: state duplicateLocationId, a second vppToken of it; decision 0670, outside attacker R68).
      const made = typeof unjudged === 'object' ? createdVppTokenIn(memberOutcome(request, unjudged)) : {};
      // Created by the target, then answered 504 by the proxy (504-after-create): the client got the 504.
      if (met) return { id, problems, fault: met.fault, stored: true, sent: { ...sent, answer: { status: met.status } }, ...made };
      // The target answered the batch, and gave this create no answer of its own in it (answered as a whole, 202 or 504
      // say; or an answer the one reader cannot read): its status is read by the one outcome rule (wholeBatchOutcomeOf, 1250).
      // So does a batch whose answer's head came and whose body did not (answerCut), read as an answer cut.
      const whole =
        typeof unjudged === 'string' && exchange.outcome !== 'refused' && exchange.answer !== undefined
          ? { answeredWhole: exchange.answer.status }
          : exchange.answer === undefined && exchange.answerCut !== undefined
            ? { answeredWhole: exchange.answerCut.status, answerCut: exchange.error ?? 'its body did not come whole' }
            : {};
      return { id, problems, sent, ...(typeof unjudged === 'string' ? { answerNotJudged: unjudged } : {}), ...made, ...whole };
    });
  }

  /** What a create inside a JSON batch made, by its answer in the batch's: the one outcome rule, as a create alone's (0670, 1130). */
  function memberOutcome(request: ObservedRequest, answer: ObservedAnswer): CreateOutcome {
    return createOutcomeOf(answer, sentCreateOf({ method: 'POST', path: request.path, body: request.bytes, rawHeaders: request.rawHeaders ?? [] }), headerValues(headerLines(request.rawHeaders ?? []), 'Prefer'));
  }

  /**
   * A create's body size against the limit assumed (src/judgement/body-size.ts): the bytes that came, or its
   * Content-Length when more was declared than came. The limit is --body-limit, Graph's 4 MB when none was given.
   */
  function sizeOf(exchange: ProxiedExchange): BodySize {
    const declared = headerValues(headerLines(exchange.request.rawHeaders), 'Content-Length');
    const length = declared.length === 1 && /^\d{1,15}$/.test(declared[0].trim()) ? Number(declared[0].trim()) : 0;
    return { bytes: Math.max(exchange.request.size, length), limit: bodyLimit, graphs: options.bodyLimit === undefined };
  }

  /** The request as the judgement reads it: its raw header lines and body bytes (the one reader, src/wire). */
  function observedRequest(exchange: ProxiedExchange): ObservedRequest {
    const { request } = exchange;
    // The query is the client's too (outside tester H10): judged with the create, as check-client judges it.
    const { search } = new URL(exchange.url, 'http://proxy.invalid');
    return { method: exchange.method, path: `${VPP_TOKENS_PATH}${search}`, headers: {}, rawHeaders: request.rawHeaders, body: undefined, bytes: request.body ?? new Uint8Array() };
  }

  function observedAnswer(answer: SeenAnswer): ObservedAnswer | string {
    if (answer.overLimit) return `its answer is over ${bodyLimit} bytes`;
    return { status: answer.status, headers: {}, rawHeaders: answer.rawHeaders, body: undefined, bytes: answer.body ?? new Uint8Array(), ...(answer.rawTrailers ? { rawTrailers: answer.rawTrailers } : {}), ...(answer.statusText ? { statusText: answer.statusText } : {}), ...(answer.httpVersion ? { httpVersion: answer.httpVersion } : {}), ...(answer.interim ? { interim: answer.interim } : {}) };
  }

  /** Answers in the provider's place (a refusal, a fault, a failure to reach it), with Graph's error body. */
  function answerFromProxy(
    req: IncomingMessage,
    res: ServerResponse,
    exchange: ProxiedExchange,
    status: number,
    code: string,
    message: string,
    extra: { headers?: Record<string, string>; problems?: Problem[] } = {},
  ): void {
    const requestId = randomUUID();
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const text = JSON.stringify(graphError(code, message, { requestId, clientRequestId, problems: extra.problems }));
    const headers = { 'Content-Type': GRAPH_JSON, 'Content-Length': String(Buffer.byteLength(text)), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId, ...extra.headers };
    exchange.delivered = { status, statusText: '', rawHeaders: Object.entries(headers).flat(), body: Buffer.from(text), size: Buffer.byteLength(text), overLimit: false };
    if (res.destroyed) return;
    res.writeHead(status, headers);
    res.end(text);
  }

  // By what the client asked (outside tester G5: a gateway path on --target, /gw or /gw/beta, hid every create),
  // read as the mock reads a target (src/judgement/target.ts); the version is the client's, else the target's.
  function classify(method: string, pathname: string): { route: ProxyRoute; version: string } {
    const target = readRequestTarget(pathname);
    const { version: asked, names } = target;
    const version = asked || (baseVersion ?? '');
    if (isBatchTarget(method, target)) return { route: 'batch', version };
    if (names.kind === 'collection') return { route: method === 'POST' ? 'create' : 'vppTokens', version };
    return { route: names.kind === 'entity' || names.kind === 'count' ? 'vppTokens' : 'other', version };
  }

  /** The profile a create (alone or inside a batch) is judged by: its own version prefix's, else the proxy's. */
  function profileOf(route: ProxyRoute, version: string): { profile?: Profile } {
    return route === 'create' || route === 'batch' ? { profile: profileOfVersion(version) ?? profile } : {};
  }

  /** Reads a request body before anything is sent on, up to the limit: the chunks, and whether it ended. */
  function readAhead(req: IncomingMessage): Promise<{ chunks: Buffer[]; ended: boolean; closed: boolean }> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (ended: boolean, closed = false) => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('close', onClose);
        if (!ended) req.pause();
        resolve({ chunks, ended, closed });
      };
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size > bodyLimit) done(false);
      };
      const onEnd = () => done(true);
      const onClose = () => {
        if (!req.complete) done(false, true);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('close', onClose);
    });
  }

  /**
   * The faults the requests inside a JSON batch meet, drawn as the mock draws them (decision 0436), in the batch's run
   * order, for those a request alone would meet them on (creates and the vppTokens routes): a fault that answers
   * instead of the target takes its request out of the batch the target gets, with every request that depends on it
   * (answered 424, as Graph answers one whose dependency failed); 504-after-create lets its request through and
   * replaces its 201 (decision 0454). Undefined when none is drawn, or the batch is one the proxy does not rewrite
   * (refused by the one judgement of a batch, or its body content-coded): it then goes as it came.
   */
  function batchFaultsOf(exchange: ProxiedExchange, req: IncomingMessage): BatchPlan | undefined {
    if (!injector || headerValues(headerLines(req.rawHeaders), 'Content-Encoding').length > 0) return undefined;
    const batch = observedRequest(exchange);
    // The envelope as the one judgement read it (no second read of the body), to forward its other requests as they came.
    const { problems, members, envelope } = checkBatchRequest(batch);
    if (problems.length > 0 || envelope === undefined) return undefined;
    const version = readRequestTarget(exchange.url).version;
    const ids = { requestId: randomUUID() };
    const answered = new Map<number, BatchMemberAnswer>();
    const faults: BatchFault[] = [];
    const afterCreate = new Map<string, InjectedFault>();
    const failed = new Map<string, number>();
    for (const member of batchRunOrder(members)) {
      const key = batchIdKey(member.id);
      const statusOf = (id: string): number | undefined => failed.get(batchIdKey(id));
      const after = failedDependencyIn(member.dependsOn, statusOf);
      if (after !== undefined) {
        const status = FAILED_DEPENDENCY;
        failed.set(key, status);
        answered.set(member.index, { id: member.id, status, headers: { 'Content-Type': GRAPH_JSON }, body: graphError('FailedDependency', failedDependencyMessage(after, statusOf(after)), ids) });
        faults.push({ id: member.id, status, stored: false });
        continue;
      }
      const { route } = classify(member.method, `${version}${member.target.replace(/\?.*$/, '')}`);
      if (route !== 'create' && route !== 'vppTokens') continue;
      const fault = injector.nextFault(route === 'create', true);
      if (!fault) continue;
      const by = { kind: fault.failure, by: fault.kind };
      if (isAfterCreateFault(fault.failure)) {
        afterCreate.set(key, fault);
        continue;
      }
      failed.set(key, fault.status!);
      answered.set(member.index, { id: member.id, status: fault.status!, headers: { 'Content-Type': GRAPH_JSON, ...fault.headers }, body: graphError(fault.code, fault.message, ids) });
      faults.push({ id: member.id, status: fault.status!, ...(fault.headers?.['Retry-After'] === undefined ? {} : { retryAfter: fault.headers['Retry-After'] }), fault: by, stored: false });
    }
    if (answered.size === 0 && afterCreate.size === 0) return undefined;
    const kept = envelope.requests.filter((_, index) => !answered.has(index));
    exchange.batchFaults = faults;
    return { answered, afterCreate, ids, body: kept.length > 0 ? Buffer.from(JSON.stringify({ ...envelope, requests: kept })) : undefined };
  }

  /**
   * The target's batch answer with the proxy's answers merged in: each request it took out answered as drawn, each
   * 504-after-create's 201 replaced by the 504 (decision 0454). Undefined when the answer holds no `responses`.
   */
  function mergedBatchAnswer(exchange: ProxiedExchange, seen: SeenAnswer, plan: BatchPlan): { rawHeaders: string[]; body: Buffer } | undefined {
    const value = seen.body === undefined ? undefined : (readMessage({ headers: seen.rawHeaders, bytes: seen.body }).json?.value as { responses?: unknown[] } | undefined);
    if (!Array.isArray(value?.responses)) return undefined;
    // A member's failure after the create applies to an answer the one outcome rule reads as created (1172), as alone.
    const observed = observedAnswer(seen);
    const creates = plan.afterCreate.size === 0 || typeof observed === 'string' ? [] : batchedCreates(observedRequest(exchange)).creates;
    const created = (id: string) => {
      const create = creates.find((c) => batchIdKey(c.id) === batchIdKey(id));
      const one = create === undefined ? undefined : batchedAnswer(observed as ObservedAnswer, create.id);
      return typeof one === 'object' && memberOutcome(create!.request, one).outcome === 'created';
    };
    const responses = value!.responses!.map((one) => {
      const { id } = (one ?? {}) as { id?: unknown };
      const fault = typeof id === 'string' ? plan.afterCreate.get(batchIdKey(id)) : undefined;
      if (!fault || !created(id as string)) return one;
      exchange.batchFaults!.push({ id: id as string, status: fault.status!, fault: { kind: fault.failure, by: fault.kind }, stored: true });
      return { id, status: fault.status, headers: { 'Content-Type': GRAPH_JSON, ...fault.headers }, body: graphError(fault.code, fault.message, plan.ids) };
    });
    const body = Buffer.from(JSON.stringify({ ...value, responses: [...responses, ...answeredInOrder(plan)] }));
    const kept = forwardedHeaders(seen.rawHeaders, { 'Content-Length': String(body.length) }).filter((_, i, lines) => lines[i - (i % 2)].toLowerCase() !== 'content-encoding');
    return { rawHeaders: kept, body };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, exchange: ProxiedExchange, pathname: string, search: string): Promise<void> {
    const capture = new BodyCapture(bodyLimit);
    // A request's trailer fields, judged on a create (decision 0224): not forwarded, never written.
    req.once('end', () => {
      if (req.rawTrailers.length > 0) exchange.request.rawTrailers = [...req.rawTrailers];
    });
    const keep = options.keepBodies || exchange.route === 'create' || exchange.route === 'batch';
    const finishRequest = () => {
      exchange.request.size = capture.size;
      exchange.request.overLimit = capture.overLimit;
      if (keep) exchange.request.body = capture.bytes();
    };
    // A request without its one Host line is refused, not forwarded (RFC 9112 §3.2: a server MUST answer it 400):
    // the proxy cannot tell which host the client meant (outside tester I18). So is an HTTP/1.0 request with
    // Transfer-Encoding, whose framing is faulty (RFC 9112 §6.1), and its connection closed (outside tester R26, 0492).
    const framing = versionFramingProblem(req.httpVersion, headerLines(req.rawHeaders));
    const host = hostProblem(req.httpVersion, req.rawHeaders) ?? framing;
    if (host) {
      req.on('data', (chunk: Buffer) => capture.add(chunk));
      await new Promise((resolve) => req.once('end', resolve).once('close', resolve));
      finishRequest();
      exchange.outcome = 'refused';
      exchange.headProblem = host;
      answerFromProxy(req, res, exchange, 400, 'BadRequest', `${host.where}: ${host.message}`, framing ? { headers: { Connection: 'close' } } : {});
      return;
    }
    // So is a target no server takes (a fragment, userinfo, `*` but for OPTIONS): the mock's one reading (outside findings P14, N23).
    const asked = readRequestTarget(req.url ?? '/');
    const serverWide = serverWideOptions(req.method ?? '', asked);
    if (asked.problem && !serverWide) {
      req.resume();
      await new Promise((resolve) => req.once('end', resolve).once('close', resolve));
      finishRequest();
      exchange.outcome = 'refused';
      exchange.headProblem = { ...at('path'), message: `the request target ${asked.problem}` };
      answerFromProxy(req, res, exchange, 400, 'BadRequest', `The request target ${asked.problem}.`);
      return;
    }
    // Faults hit authenticated requests to the vppTokens routes, drawn as the reference provider draws them.
    const authorization = headerValues(headerLines(req.rawHeaders), 'Authorization');
    const authenticated = authorization.length === 1 && isBearerCredentials(authorization[0]);
    let fault: InjectedFault | undefined;
    let delay = 0;
    if (injector && (exchange.route === 'create' || exchange.route === 'vppTokens') && authenticated) {
      fault = injector.nextFault(exchange.route === 'create');
      delay = injector.nextLatency();
    }
    // A failure after the create is applied to the target's answer; any other fault replaces forwarding.
    const afterCreate = fault && isAfterCreateFault(fault.failure) ? fault : undefined;
    const before = afterCreate ? undefined : fault;
    let ahead: { chunks: Buffer[]; ended: boolean; closed: boolean } | undefined;
    // A batch is read whole when the requests inside it meet the faults (decisions 0436, 0454), as under --strict.
    const faultsInside = injector !== undefined && exchange.route === 'batch' && authenticated;
    if (before || faultsInside || (options.strict && (exchange.route === 'create' || exchange.route === 'batch'))) {
      ahead = await readAhead(req);
      for (const chunk of ahead.chunks) capture.add(chunk);
      if (ahead.closed) {
        finishRequest();
        exchange.outcome = 'client closed';
        return;
      }
    }
    if (before) {
      // The request never reaches the target.
      if (!ahead!.ended) {
        req.on('data', (chunk: Buffer) => capture.add(chunk));
        req.resume();
        await new Promise((resolve) => req.once('end', resolve).once('close', resolve));
      }
      finishRequest();
      if (delay > 0 && !(await waitOut(delay, exchange))) return;
      exchange.outcome = 'fault';
      exchange.fault = { kind: before.failure, by: before.kind };
      answerFromProxy(req, res, exchange, before.status!, before.code, before.message, { headers: before.headers });
      return;
    }
    if (ahead?.ended && exchange.route === 'create') {
      finishRequest();
      const refusal = refusalOf(judgeCreateRequest(observedRequest(exchange), exchange.profile), headerValues(headerLines(req.rawHeaders), 'Content-Type'));
      if (refusal) {
        exchange.outcome = 'refused';
        answerFromProxy(req, res, exchange, refusal.status, refusal.code, refusal.message, { headers: refusal.headers, problems: refusal.problems });
        return;
      }
    }
    // --strict keeps a broken create from the target inside a batch too (outside tester I25): the batch is refused
    // whole with the first refused member's refusal (the proxy cannot answer the other members in the target's place).
    if (ahead?.ended && exchange.route === 'batch') {
      finishRequest();
      const batch = observedRequest(exchange);
      const { creates } = batchedCreates(batch);
      // Its own head too, as a create's: a credential of a request inside it there (0346).
      const head = creates.length > 0 ? refusalOf(batchHeaderCredentialProblems(batch), []) : undefined;
      if (head) {
        exchange.outcome = 'refused';
        answerFromProxy(req, res, exchange, head.status, head.code, head.message, { headers: head.headers });
        return;
      }
      for (const { id, request } of creates) {
        const refusal = refusalOf(judgeCreateRequest(request, exchange.profile), headerValues(headerLines(request.rawHeaders ?? []), 'Content-Type'));
        if (!refusal) continue;
        exchange.outcome = 'refused';
        const message = `The request with the id ${JSON.stringify(id)} in the batch is refused, so the batch is not forwarded (--strict): ${refusal.message}`;
        answerFromProxy(req, res, exchange, 400, 'BadRequest', message, { problems: refusal.problems });
        return;
      }
    }
    // The requests inside a batch meet the faults as each would alone (decisions 0436, 0454).
    let plan: BatchPlan | undefined;
    if (faultsInside && ahead?.ended) {
      finishRequest();
      plan = batchFaultsOf(exchange, req);
      if (plan && plan.body === undefined) {
        // Every request in it met a fault: the proxy answers the batch, and the target is not asked.
        const text = JSON.stringify({ responses: answeredInOrder(plan) });
        const headers = { 'Content-Type': GRAPH_JSON, 'Content-Length': String(Buffer.byteLength(text)), 'request-id': plan.ids.requestId };
        exchange.outcome = 'fault';
        exchange.delivered = { status: 200, statusText: '', rawHeaders: Object.entries(headers).flat(), body: Buffer.from(text), size: Buffer.byteLength(text), overLimit: false };
        if (!res.destroyed) res.writeHead(200, headers).end(text);
        return;
      }
    }
    // A request cut while it waited is never sent on: the target would create what no one is told of.
    if (delay > 0 && !(await waitOut(delay, exchange))) return finishRequest();
    // `OPTIONS *` asks of the server as a whole: the target is asked the same (RFC 9112 §3.2.4).
    await forward(req, res, exchange, serverWide ? '*' : `${forwardedPath(pathname)}${search}`, capture, plan?.body ? { chunks: [plan.body], ended: true } : ahead, finishRequest, afterCreate, plan);
  }

  /**
   * An interim 1xx the target sent before its answer, passed on as it came (RFC 9110 §15.2: "A proxy MUST forward 1xx
   * responses"; outside tester K8), status line and header lines: a 103's Link hints, a 102 keeping a client's timer
   * alive. Not a 100 Continue (Node's server answers the client's Expect itself) nor a 101, never to an HTTP/1.0
   * client (§15.2), and not once the answer has begun or while the connection still writes an earlier answer.
   * Nor one that carries a credential of the request (outside tester R36): the client would get it, and every log on
   * its way; it is left out, the exchange says so, and the create's judgement finds it (decision 0521).
   */
  function forwardInterim(req: IncomingMessage, res: ServerResponse, exchange: ProxiedExchange, capture: BodyCapture, interim: InterimAnswer): void {
    const { status, statusText, rawHeaders } = interim;
    const socket = res.socket;
    if (status === 100 || status === 101 || req.httpVersion === '1.0' || res.headersSent || res.destroyed || !socket || socket.destroyed) return;
    if (echoesCredential(req, capture, interim)) {
      (exchange.interimNotForwarded ??= []).push(status);
      return;
    }
    let lines = '';
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
    socket.write(`HTTP/1.1 ${status} ${statusText}\r\n${lines}\r\n`, 'latin1');
  }

  /**
   * Does an interim answer carry a credential of its request: its bearer, its VPP token (read from the body as far as
   * it came), any other sToken? The one judgement's rule (credentials not echoed), the interim answer alone.
   */
  function echoesCredential(req: IncomingMessage, capture: BodyCapture, interim: InterimAnswer): boolean {
    const bytes = capture.bytes();
    const sent = bytes === undefined || bytes.length === 0 ? undefined : readMessage({ headers: req.rawHeaders, bytes }).json?.value;
    const read = readMessage({ headers: [], text: '', interim: [interim] });
    return credentialEchoProblems(read, { authorization: singleHeader(headerLines(req.rawHeaders), 'Authorization'), sent }, false).length > 0;
  }

  /** The client gets, instead of the target's 201, the failure after the create: a 504 with Graph's error body, or a reset. */
  function failAfterCreate(req: IncomingMessage, res: ServerResponse, exchange: ProxiedExchange, fault: InjectedFault): void {
    exchange.fault = { kind: fault.failure, by: fault.kind };
    if (fault.failure === 'reset-after-create') {
      exchange.outcome = 'reset-after-create';
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    exchange.outcome = '504-after-create';
    answerFromProxy(req, res, exchange, fault.status!, fault.code, fault.message, { headers: fault.headers });
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    exchange: ProxiedExchange,
    path: string,
    capture: BodyCapture,
    ahead: { chunks: Buffer[]; ended: boolean } | undefined,
    finishRequest: () => void,
    afterCreate?: InjectedFault,
    plan?: BatchPlan,
  ): Promise<void> {
    return new Promise((resolve) => {
      // A list page while a create's outcome is unknown: read for its vppToken, then dropped (notePage, decision 0671).
      // Every list page, for the vppTokens it held before a create of unknown outcome (noteListed, decision 0813); every
      // read of the vppTokens, judged for the read's credentials (readEchoProblems, decision 0900), then dropped.
      const keepAnswer = options.keepBodies || exchange.route === 'create' || exchange.route === 'batch' || isVppTokensRead(exchange) || isMonitorRead(exchange);
      // The target's interim answers, judged with its answer (decision 0521).
      const interim = interimAnswers();
      // What was read ahead, then the rest of the request body as it comes, kept as it passes.
      let body: Buffer | PassThrough;
      let onData: ((chunk: Buffer) => void) | undefined;
      if (ahead?.ended) body = Buffer.concat(ahead.chunks);
      else {
        const upload = new PassThrough();
        for (const chunk of ahead?.chunks ?? []) upload.write(chunk);
        onData = (chunk: Buffer) => {
          capture.add(chunk);
          if (!upload.write(chunk)) req.pause();
        };
        upload.on('drain', () => req.resume());
        req.on('data', onData);
        req.once('end', () => upload.end());
        // The client went away mid-body: the upload fails, and so does the exchange (as the client's doing).
        req.once('close', () => {
          if (!req.complete) upload.destroy(new Error('the client closed the request'));
        });
        req.resume();
        body = upload;
      }
      const out = streamer.open({
        method: req.method ?? 'GET',
        url: new URL(path, target.origin),
        // The query as the client wrote it: a proxy MUST NOT modify it (RFC 9110 §7.7; outside tester K21).
        requestTarget: path,
        onInformation: (head) => {
          const got = { status: head.status, statusText: head.statusText, rawHeaders: [...head.rawHeaders] };
          interim.add(got);
          forwardInterim(req, res, exchange, capture, got);
        },
        // A batch the faults took requests out of goes with its own length (decision 0454).
        headers: forwardedHeaders(req.rawHeaders, { Host: target.host, ...(plan?.body ? { 'Content-Length': String(plan.body.length) } : {}) }),
        body,
        // The request's trailer fields go on after its body, as a proxy forwards what is end-to-end: not the hop-by-hop
        // ones, nor one that must not be in a trailer section (Authorization there: judged, never passed on; 0224).
        trailers: () => forwardedHeaders(req.rawTrailers).filter((_, i, lines) => !isHeaderSectionOnly(lines[i - (i % 2)])),
      });
      active.get(exchange)!.out = out;
      let settled = false;
      const settle = (outcome: ExchangeOutcome) => {
        if (settled) return;
        settled = true;
        exchange.outcome = outcome;
        resolve();
      };
      /**
       * The target answered before the request's body ended (outside tester H16: a 413 from the head of a body over
       * its limit): the rest is read here, no longer forwarded, so that the client is judged on all it sent. A client
       * that stops sending (or stays silent for --timeout) leaves its body not whole, and so unjudged.
       */
      let answeredEarly = false;
      const restOfBody = (): Promise<void> => {
        if (ahead?.ended || req.complete) return Promise.resolve();
        if (req.destroyed) {
          exchange.request.ended = false;
          return Promise.resolve();
        }
        answeredEarly = true;
        if (onData) req.off('data', onData);
        out.abort();
        return new Promise<void>((done) => {
          let timer: NodeJS.Timeout | undefined;
          const silent = () => {
            clearTimeout(timer);
            timer = setTimeout(() => {
              req.destroy();
              end();
            }, timeoutMs);
          };
          const end = () => {
            clearTimeout(timer);
            req.off('data', onRest);
            exchange.request.ended = req.complete;
            done();
          };
          const onRest = (chunk: Buffer) => {
            capture.add(chunk);
            silent();
          };
          req.on('data', onRest);
          req.once('end', end).once('close', end);
          silent();
          req.resume();
        });
      };
      let failing = false;
      const fail = (why: string, status: number, code: string, untrusted = false) => {
        if (settled || answeredEarly || failing) return;
        failing = true;
        out.abort();
        exchange.error = why;
        // A certificate the proxy was not told to trust is no fault of the provider's.
        if (untrusted) exchange.notJudged = 'the target\'s certificate is not trusted';
        const answer = () => {
          finishRequest();
          if (res.headersSent) res.destroy();
          else answerFromProxy(req, res, exchange, status, code, `vppkit proxy: ${why}`);
          settle('no answer');
        };
        // Failed in the middle of the body (outside tester I10): the proxy reads the rest before it answers, so the
        // client reads its 502 and is judged on all it sent. An answer already begun is cut, and the body with it:
        // what did not come is then the target's doing, not the client's cut.
        if (res.headersSent) {
          if (!ahead?.ended && !req.complete) exchange.request.ended = false;
          answer();
        } else void restOfBody().then(answer);
      };
      // The client went away before its answer was written: nothing more to send it.
      res.once('close', () => {
        if (res.writableFinished || settled || failing || exchange.outcome === 'reset-after-create') return;
        // Gone after its whole answer, while the rest of its body was awaited: answered, its body not whole.
        if (answeredEarly && exchange.answer) {
          exchange.request.ended = false;
          finishRequest();
          return settle('answered');
        }
        out.abort();
        finishRequest();
        settle('client closed');
      });
      void out.answer.then((answer) => {
        if (answer.kind === 'failure') {
          // Written whole, then no answer: the target may have acted on it (a create stored), which the proxy cannot know (outside tester Q19).
          if (answer.sent) exchange.targetStored = 'unknown';
          // The client went away while its body was still coming: that, not the target, ended the exchange.
          if (res.destroyed || (req.destroyed && !req.complete)) {
            if (settled) return;
            finishRequest();
            return settle('client closed');
          }
          if (answer.failure === 'timeout') return fail(`the target did not answer within ${timeoutMs / 1000} s (--timeout)`, 504, 'GatewayTimeout');
          if (answer.failure === 'tls') return fail(answer.message, 502, 'BadGateway', true);
          const why = answer.code === 'ECONNREFUSED' ? 'it refused the connection' : answer.code === 'ECONNRESET' ? 'it reset the connection' : answer.code;
          return fail(`the target at ${target.origin} failed: ${why}${why !== answer.code ? ` (${answer.code})` : ''}`, 502, 'BadGateway');
        }
        const seen = new BodyCapture(bodyLimit);
        // A failure after the create applies only to an answer the one outcome rule reads as created (createOutcomeOf,
        // decision 1172: a 2xx naming the vppToken made, a 200 as well as a 201, or a 204 to return=minimal), never to
        // a 202 Accepted. Such an answer is held and read to its end (up to --body-limit), then replaced when created,
        // else passed on as it came; any other answer passes as it comes.
        const held = afterCreate && exchange.route === 'create' && answer.status >= 200 && answer.status < 300 && !acceptedForProcessing(answer.status) ? { chunks: [] as Buffer[], size: 0 } : undefined;
        let holding = held !== undefined;
        // A batch answer the proxy's answers go into is read whole, then written merged (decision 0454).
        const merge = plan && answer.status === 200 ? plan : undefined;
        const stream = answer.body;
        // The answer ends within --timeout of its head (outside tester R6): a body that trickles (a byte every 300 ms,
        // or chunks without the last one) is never silent, so the connection's own timer never fires, and it held the
        // client for as long as the client waited, as seed, verify and conform do not. The client's answer is cut
        // (it then knows the outcome is unknown), and the provider is judged as for no answer; so is a body that
        // stops for --timeout (the connection's timer), said alike.
        // A create's answer cut short (or not ended in time) is read by its head as an answer cut (1172): a 2xx
        // naming no vppToken it can read, its outcome unknown, as seed counts one. So is a batch's, for the creates
        // inside it (1250): none has an answer of its own that came whole.
        const cutHead = () => {
          if (exchange.route === 'create' || exchange.route === 'batch') exchange.answerCut = { status: answer.status, rawHeaders: answer.rawHeaders, ...(answer.httpVersion ? { httpVersion: answer.httpVersion } : {}) };
        };
        const cut = (timedOut: boolean) => {
          cutHead();
          if (timedOut) fail(`the target did not end its answer within ${timeoutMs / 1000} s (--timeout)`, 504, 'GatewayTimeout');
          else fail('the target cut its answer short', 502, 'BadGateway');
        };
        /**
         * Passes the target's answer on as it comes: its head, what was held of its body (`first`), then the rest; or,
         * when the body has ended, held whole (`ended`), its end after the request's. Else the caller ends it.
         */
        const pass = (first?: Buffer, ended = false): void => {
          if (res.destroyed) return;
          const write = (bytes?: Buffer) => {
            res.writeHead(answer.status || 502, answer.statusText, forwardedHeaders(answer.rawHeaders));
            if (bytes?.length) res.write(bytes);
            // The answer's end waits for the request's: Node drops the connection of a finished answer unread.
            if (ended) void restOfBody().then(() => res.end());
            else stream.pipe(res, { end: false });
          };
          const misread = answer.misreadChunked;
          if (!misread) return write(first);
          // A tab in the head after Transfer-Encoding's value, or an empty list element ending it: held until its first bytes show how this Node read the
          // framing. Read as another coding (the chunk lines as the body), it cannot be read, by the rule verify,
          // conform and seed read it by (misreadChunkedValue, decision 0692): the client gets a 502, never the chunk
          // lines, and the target is blamed at that header (decision 0812).
          let decided = false;
          const decide = (bytes?: Buffer) => {
            if (decided) return;
            decided = true;
            const value = bytes?.length ? misread(bytes) : undefined;
            if (value === undefined) return write(bytes);
            const problem = misreadChunkedProblem(value);
            exchange.unreadableAnswer = problem;
            // Its status line was read: a create's is read as an answer cut (1172), as one cut short is.
            cutHead();
            // fail() ends the target's connection (the rest is not read: a kept one would never end the body Node reads).
            fail(headFailure("the target's answer", problem), 502, 'BadGateway');
          };
          if (first?.length || ended) return decide(first);
          stream.once('data', decide);
          stream.once('end', () => decide());
        };
        const unfinished = setTimeout(() => cut(true), timeoutMs);
        stream.once('close', () => clearTimeout(unfinished));
        stream.on('data', (chunk: Buffer) => {
          seen.add(chunk);
          if (!holding) return;
          held!.chunks.push(chunk);
          held!.size += chunk.length;
          // Over --body-limit it is not read (so names no vppToken the kit takes): passed on as it comes from here.
          if (held!.size > bodyLimit) {
            holding = false;
            pass(Buffer.concat(held!.chunks));
            stream.once('end', () => void restOfBody().then(() => res.end()));
          }
        });
        stream.on('end', () => {
          clearTimeout(unfinished);
          exchange.answer = {
            status: answer.status,
            statusText: answer.statusText,
            httpVersion: answer.httpVersion,
            rawHeaders: answer.rawHeaders,
            // Node has read the trailer fields by the body's end.
            ...(stream.rawTrailers.length > 0 ? { rawTrailers: stream.rawTrailers } : {}),
            ...(interim.list.length > 0 ? { interim: interim.list } : {}),
            size: seen.size,
            overLimit: seen.overLimit,
            ...(keepAnswer ? { body: seen.bytes() } : {}),
          };
          if (holding && !settled) {
            holding = false;
            if (outcomeOf(exchange)?.outcome === 'created') {
              finishRequest();
              failAfterCreate(req, res, exchange, afterCreate!);
              if (exchange.outcome === 'reset-after-create') settle('reset-after-create');
            } else if (!res.destroyed) pass(Buffer.concat(held!.chunks), true);
          }
          if (merge && !settled && !res.destroyed) {
            const merged = mergedBatchAnswer(exchange, exchange.answer, merge);
            if (!merged && seen.overLimit) return fail(`the target's batch answer is over --body-limit ${bodyLimit} bytes: the proxy cannot put its injected faults into it`, 502, 'BadGateway');
            const rawHeaders = merged?.rawHeaders ?? forwardedHeaders(answer.rawHeaders);
            const body = merged?.body ?? exchange.answer.body!;
            exchange.delivered = { status: answer.status, statusText: answer.statusText, rawHeaders, body, size: body.length, overLimit: false };
            res.writeHead(answer.status, answer.statusText, rawHeaders);
            void restOfBody().then(() => res.end(body));
          }
        });
        stream.on('aborted', () => cut(out.timedOut));
        stream.on('error', () => cut(out.timedOut));
        if (!held && !merge) {
          pass();
          stream.once('end', () => void restOfBody().then(() => res.end()));
        }
        res.once('finish', () => {
          finishRequest();
          settle(exchange.outcome === '504-after-create' ? '504-after-create' : 'answered');
        });
      });
    });
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // A client that uses the proxy as an HTTP proxy sends an absolute URL: only its path and query count.
    const asked = new URL(req.url ?? '/', 'http://proxy.invalid');
    const path = forwardedPath(asked.pathname);
    // The path as the client wrote it (dot segments, escapes): forwarded and shown as it came (decision 0451).
    const written = rawPath(req.url ?? '/');
    const method = req.method ?? 'GET';
    const { route, version } = classify(method, asked.pathname);
    const exchange: ProxiedExchange = {
      index: exchanges.length + 1,
      method,
      url: `${written}${rawQuery(req.url ?? '/')}`,
      targetUrl: new URL(`${path}${asked.search}`, target.origin).toString(),
      route,
      ...profileOf(route, version),
      startedAt: clock.now(),
      request: { rawHeaders: req.rawHeaders, size: 0, overLimit: false },
      outcome: 'answered',
      problems: [],
    };
    exchanges.push(exchange);
    active.set(exchange, { req, res });
    noteUnanswered(unanswered, req.socket, res);
    res.sendDate = false;
    // The client's FIN once its request is whole: a half-close, answered still (decision 0453). One before is its
    // request cut short (Node's parser fails it: `client closed`).
    const socket = req.socket;
    const halfClosed = () => {
      if (req.complete && active.has(exchange)) exchange.clientHalfClosed = true;
    };
    if (socket.readableEnded) halfClosed();
    else socket.once('end', halfClosed);
    const started = process.hrtime.bigint();
    handle(req, res, exchange, written, rawQuery(req.url ?? '/'))
      .catch((error: unknown) => {
        exchange.outcome = 'no answer';
        exchange.error = `internal error: ${error instanceof Error ? error.message : String(error)}`;
        res.destroy();
      })
      .finally(() => settle(exchange));
    settling.set(exchange, () => {
      if (cutting.has(exchange)) exchange.outcome = 'cut';
      const refusedBody = refusedBodies.get(req);
      if (refusedBody) {
        // Its chunked body refused by the parser and answered 400 by onClientError: the client's fault, at that line.
        const text = refusedBody.bytes.slice(refusedBody.bytes.indexOf('\r\n\r\n') + 4);
        exchange.outcome = 'refused';
        exchange.headProblem = refusedBody.problem;
        exchange.delivered = { status: refusedBody.status, statusText: '', rawHeaders: ['Content-Type', GRAPH_JSON, 'Content-Length', String(Buffer.byteLength(text))], body: Buffer.from(text), size: Buffer.byteLength(text), overLimit: false };
      }
      socket.off('end', halfClosed);
      if (exchange.outcome !== 'answered') delete exchange.clientHalfClosed;
      exchange.answeredAt = clock.now();
      active.delete(exchange);
      judge(exchange, written);
      noteClientTokens(exchange);
      notePage(exchange);
      noteMonitor(exchange);
      noteBatchReads(exchange, written);
      // The path may carry a credential (an sToken read back by token, the Apple token of one the client created
      // before): the line is redacted like every file.
      say(redact(requestLine(exchange, written, Number(process.hrtime.bigint() - started) / 1e6), lineSecrets(exchange)));
      if (active.size === 0) {
        for (const idle of idleWaiters) idle();
        idleWaiters.clear();
      }
    });
  };

  /**
   * The path of a request-target as the client wrote it: the origin-form's up to its `?`, the absolute-form's after
   * its authority (`/` when it has none). The URL parser removes dot segments (`x/../`, `%2E%2E`) and turns `\` into
   * `/`; a proxy MUST NOT modify the absolute-path it forwards (RFC 9110 §7.7; outside tester R13, decision 0451).
   */
  const rawPath = (requestTarget: string): string => {
    const mark = requestTarget.indexOf('?');
    const beforeQuery = mark < 0 ? requestTarget : requestTarget.slice(0, mark);
    const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(beforeQuery);
    return absolute ? beforeQuery.slice(absolute[0].length) || '/' : beforeQuery;
  };

  /** The query of a request-target as the client wrote it, from its `?` on (none: empty); the URL parser re-encodes it. */
  const rawQuery = (requestTarget: string): string => {
    const mark = requestTarget.indexOf('?');
    return mark < 0 ? '' : requestTarget.slice(mark);
  };

  /** What a line about an exchange hides: its own credentials, and the client's VPP tokens its URL held (judgeUrl). */
  function lineSecrets(exchange: ProxiedExchange): Secrets {
    const own = secretsOf([exchange]);
    const held = heldInUrl.get(exchange);
    return held ? { ...own, values: [...(own.values ?? []), ...held] } : own;
  }

  /** Ends an exchange once: judged, logged, no longer in flight (its handler's end, or close() for one it cut). */
  function settle(exchange: ProxiedExchange): void {
    const end = settling.get(exchange);
    settling.delete(exchange);
    end?.();
  }

  function requestLine(exchange: ProxiedExchange, path: string, ms: number): string {
    const status = exchange.delivered?.status ?? exchange.answer?.status;
    const arrow = exchange.outcome === 'client closed' ? ': client closed the request' : exchange.outcome === 'cut' ? ': cut as the proxy stopped' : exchange.outcome === 'reset-after-create' ? ' -> connection reset' : ` -> ${status ?? 'no answer'}`;
    const how =
      exchange.outcome === 'fault'
        ? ` (${exchange.fault?.by === 'rate-limit' ? 'rate limited' : 'injected fault'})`
        : exchange.outcome === 'refused'
          ? exchange.headProblem
            ? ' (refused for its head, not forwarded)'
            : exchange.notForwarded
              ? ` (not forwarded: ${exchange.notForwarded})`
            : ' (refused by --strict, not forwarded)'
          : exchange.outcome === '504-after-create' || exchange.outcome === 'reset-after-create'
            ? ` (injected fault ${exchange.outcome}; the target answered ${exchange.answer?.status ?? 'nothing'})`
            : exchange.error
              ? ` (${exchange.error})`
              : exchange.clientHalfClosed
                ? ' (the client ended its sending side after its request: answered, whether it still reads no server can see)'
                : '';
    const verdict = exchange.headProblem
      ? ': 1 violation'
      : exchange.route === 'batch'
        ? batchVerdict(exchange)
        : exchange.route !== 'create'
        ? exchange.problems.length === 0 ? '' : `: ${exchange.problems.length} violation${exchange.problems.length === 1 ? '' : 's'}`
        : exchange.notJudged
          ? `: not judged: ${exchange.notJudged}`
          : `${exchange.problems.length === 0 ? ': kept the contract' : `: ${exchange.problems.length} violation${exchange.problems.length === 1 ? '' : 's'}`}${exchange.bodyNotJudged ? ` (body not judged: ${exchange.bodyNotJudged})` : ''}`;
    const statuses = exchange.interimNotForwarded ? [...new Set(exchange.interimNotForwarded)] : [];
    const withheld = statuses.length ? ` (interim ${statuses.join(', ')} not forwarded: ${statuses.length === 1 ? 'it' : 'they'} carried a credential of the request)` : '';
    return `request ${exchange.index}: ${exchange.method} ${path}${arrow} ${ms.toFixed(1)}ms${how}${withheld}${verdict}`;
  }

  /** What a batch's line says: how many creates inside it were judged, and what came of them. */
  function batchVerdict(exchange: ProxiedExchange): string {
    if (exchange.notJudged) return `: not judged: ${exchange.notJudged}`;
    const batched = exchange.batched ?? [];
    // A batch of reads only: what its reads' answers broke (decision 0900), else nothing judged to say.
    if (batched.length === 0) return exchange.problems.length === 0 ? '' : `: ${exchange.problems.length} violation${exchange.problems.length === 1 ? '' : 's'}`;
    const count = exchange.problems.length + batched.reduce((n, b) => n + b.problems.length, 0);
    const unanswered = [...new Set(batched.flatMap((b) => (b.answerNotJudged ? [b.answerNotJudged] : [])))];
    const creates = `${batched.length} create${batched.length === 1 ? '' : 's'} inside judged`;
    return `: ${creates}: ${count === 0 ? 'kept the contract' : `${count} violation${count === 1 ? '' : 's'}`}${unanswered.length ? ` (answer not judged: ${unanswered.join('; ')})` : ''}`;
  }

  /**
   * A head Node's parser refused (two Content-Length lines, Transfer-Encoding beside Content-Length, a folded line:
   * outside tester I18) is recorded as a request the proxy refused, the client's violation, and answered as the
   * reference provider answers it (Graph's 400 naming the header and the rule); it is never forwarded.
   */
  const onClientError = (error: ParseError, socket: Socket): void => {
    // The connection ended in the middle of a message: a request in flight on it says so itself; no head, no request.
    if (error.code === 'HPE_INVALID_EOF_STATE') return void socket.destroy();
    // A parse error in the chunked body of a request already taken (whitespace before a chunk extension) is that
    // request's: answered 400 naming the chunk line and judged as it when it settles, never as a new request read
    // from its body's bytes, nor as the client closing (outside tester R46, decision 0613), as the mock does.
    // So is a refusal of its head that the parser gives once it took the request (`Transfer-Encoding: chunked<TAB>` or
    // `chunked<TAB>,`): that request's, one exchange refused, never a second beside it the client "closed" (decision 0901).
    const taken = [...active.values()].find((a) => a.req.socket === socket && !a.req.complete);
    const body = taken ? (refusedBodyAnswer(error) ?? refusedHeadAnswer(error)) : undefined;
    if (taken && body) {
      refusedBodies.set(taken.req, body);
      if (!socket.writable) return void socket.destroy();
      // After the answers of the requests before it on the connection, as the mock (decision 0814).
      answerInOrder(unanswered, socket, body.bytes, taken.req);
      return;
    }
    const refused = refusedHeadAnswer(error);
    if (!refused || !socket.writable) return void socket.destroy();
    // A head refused outright made no request: every answer on the connection is earlier (decision 0814).
    answerInOrder(unanswered, socket, refused.bytes);
    const { head } = refused;
    let asked: URL;
    try {
      asked = new URL(head.target, 'http://proxy.invalid');
    } catch {
      asked = new URL('/', 'http://proxy.invalid');
    }
    const { route, version } = classify(head.method, asked.pathname);
    const now = clock.now();
    const text = refused.bytes.slice(refused.bytes.indexOf('\r\n\r\n') + 4);
    const exchange: ProxiedExchange = {
      index: exchanges.length + 1,
      method: head.method,
      url: `${asked.pathname}${asked.search}`,
      targetUrl: new URL(`${forwardedPath(asked.pathname)}${asked.search}`, target.origin).toString(),
      route,
      ...profileOf(route, version),
      startedAt: now,
      answeredAt: now,
      request: { rawHeaders: head.rawHeaders, size: head.body?.length ?? 0, overLimit: false, ...(head.body ? { body: head.body } : {}) },
      delivered: { status: refused.status, statusText: '', rawHeaders: ['Content-Type', GRAPH_JSON, 'Content-Length', String(Buffer.byteLength(text))], body: Buffer.from(text), size: Buffer.byteLength(text), overLimit: false },
      outcome: 'refused',
      headProblem: refused.problem,
      problems: [],
    };
    exchanges.push(exchange);
    judge(exchange, asked.pathname);
    say(redact(requestLine(exchange, asked.pathname, 0), secretsOf([exchange])));
  };

  /**
   * A CONNECT: a client given the proxy as its HTTPS_PROXY asks it for a tunnel (RFC 9110 §9.3.6), through which it
   * would see nothing to judge. Node's server drops such a connection without a word when no one listens for it
   * (outside tester R50); it is answered 501 (§15.6.2: the method is not supported) with Graph's error body saying
   * what to do, and recorded as a request the proxy did not forward (decision 0491).
   */
  const onConnect = (req: IncomingMessage, socket: Socket): void => {
    const authority = req.url ?? '';
    const requestId = randomUUID();
    const message = `vppkit proxy is no forward proxy: it cannot judge what goes through a tunnel (CONNECT ${authority}). Give the client ${listening.url} as its Graph base URL instead of as its HTTPS_PROXY`;
    const text = JSON.stringify(graphError('NotImplemented', message, { requestId }));
    const headers = ['Content-Type', GRAPH_JSON, 'Content-Length', String(Buffer.byteLength(text)), 'request-id', requestId, 'Connection', 'close'];
    let head = 'HTTP/1.1 501 Not Implemented\r\n';
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    socket.on('error', () => undefined);
    if (socket.writable) socket.end(`${head}\r\n${text}`);
    const now = clock.now();
    const exchange: ProxiedExchange = {
      index: exchanges.length + 1,
      method: req.method ?? 'CONNECT',
      url: authority,
      targetUrl: target.origin,
      route: 'other',
      startedAt: now,
      answeredAt: now,
      request: { rawHeaders: req.rawHeaders, size: 0, overLimit: false },
      delivered: { status: 501, statusText: 'Not Implemented', rawHeaders: headers, body: Buffer.from(text), size: Buffer.byteLength(text), overLimit: false },
      outcome: 'refused',
      notForwarded: 'the proxy is no forward proxy',
      problems: [],
    };
    exchanges.push(exchange);
    say(redact(requestLine(exchange, authority, 0), secretsOf([exchange])));
  };

  let listening: Listening;
  try {
    // Host is judged by the proxy (hostProblem), not refused bare by Node.
    const server = createServer({ requireHostHeader: false }, onRequest);
    // A client may half-close its side once its request is sent and still read the answer (RFC 9112 §9.6: outside
    // tester R9, decision 0453); Node's server ends the connection on the FIN unless told so (a property, not an option).
    (server as typeof server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    server.on('clientError', onClientError);
    server.on('connect', onConnect);
    listening = await listen(server, { host: options.host, port: options.port });
  } catch (error) {
    streamer.close();
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
    throw code === 'EADDRINUSE'
      ? new ProxyStartError(`port ${options.port} on ${options.host ?? '127.0.0.1'} is in use: choose another with --port, or --port 0 for a free one`)
      : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
        ? new ProxyStartError(`cannot listen on --host ${options.host}: no such local address`)
        : new ProxyStartError(`cannot listen on ${where}: ${code ?? (error as Error).message}`);
  }

  /**
   * Cuts every request in flight, then settles each: its handler ends it, or, past CUT_SETTLE_MS, this does (a
   * bounded wait: a handler that does not end, a target that never answers, cannot hold it). What was cut is judged
   * (not judged: cut) and in the traffic once it resolves.
   */
  const abandon = async (): Promise<void> => {
    if (active.size === 0) return;
    for (const [exchange, { req, res, out }] of active) {
      if (cutting.has(exchange)) continue;
      abandoned++;
      exchange.outcome = 'cut';
      cutting.add(exchange);
      out?.abort();
      req.destroy();
      res.destroy();
      waking.get(exchange)?.();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([whenIdle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, CUT_SETTLE_MS)))]);
    clearTimeout(timer);
    for (const exchange of [...active.keys()]) settle(exchange);
  };
  let closing: Promise<{ abandoned: number }> | undefined;
  return {
    url: listening.url,
    host: listening.host,
    port: listening.port,
    target: shownTarget,
    profile,
    strict: options.strict === true,
    ...(injector ? { faults: { seed: injector.seed, description: injector.describe() } } : {}),
    exchanges,
    violations,
    get traffic() {
      return exchanges.filter((e) => !active.has(e)).flatMap(trafficEntriesOf);
    },
    get inFlight() {
      return active.size;
    },
    abandon,
    close: ({ graceMs = DEFAULT_DRAIN_MS } = {}) =>
      (closing ??= (async () => {
        // Requests in flight may finish for up to graceMs; then the rest are cut. An abandon() meanwhile (a second
        // Ctrl-C) settles them, which ends the wait. What was cut is judged before close() resolves (outside tester
        // J20: a create cut here was counted judged, with no violation, and missing from the traffic).
        const drain = async () => {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
          if ((await Promise.race([whenIdle(), late])) === 'late') await abandon();
          clearTimeout(timer);
        };
        await listening.close(drain());
        streamer.close();
        return { abandoned };
      })()),
  };
}
