import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { VppToken } from '../generated/types';
import { GRAPH_BODY_LIMIT, GRAPH_JSON, graphError } from '../graph';
import { FAILED_DEPENDENCY, batchIdKey, batchedBody, batchedCreates, batchRunOrder, failedDependencyIn, failedDependencyMessage, checkBatchRequest, corsHeaders, formatRequestProblem, preflightHeaders, readRequestTarget, refusalStatus, type BatchRequestMember } from '../judgement';
import { listen, redact, serverOptionProblem } from '../net';
import { optionsObjectProblem, membersProblem } from '../net/option';
import { forwardedOrigin, headerLines, headerValues, hostValueProblem, readMessage, versionFramingProblem, type ParseError, type RawHeaders } from '../wire';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { trafficSecrets, type TrafficEntry } from '../behaviour';
import { ClientClosed, faultNote, HttpError, ResetAfterCreate, TooLarge, type Answer, type Seen } from './answer';
import { answerTooLarge, declaredTooLarge, readBody } from './body';
import { createVppToken } from './create';
import { FaultInjector, isAfterCreateFault, systemClock, type FaultOptions, type InjectedFault, type ProviderClock } from './faults';
import { countVppTokens, listVppTokens, readVppToken } from './list';
import { answerInOrder, noteUnanswered, refusedBodyAnswer, refusedHeadAnswer } from './refused-head';
import { route, routePreflight, type ProviderRequest, type Route } from './routing';
import { DEFAULT_MAX_STORED_BYTES, DEFAULT_MAX_TOKENS, VppTokenStore } from './store';

/** Graph's 4 MB (4 MiB): the reference provider takes what Graph takes (decision 0171; it was 1 MiB). */
export const DEFAULT_BODY_LIMIT = GRAPH_BODY_LIMIT;

export interface RecordedRequest {
  method: string;
  /** The path as received, version prefix included. */
  path: string;
  headers: IncomingMessage['headers'];
  /** Every header line as received (Node's rawHeaders), repeats kept. */
  rawHeaders: RawHeaders;
  /** The body text (Content-Encoding undone, UTF-8), or undefined when it could not be read (too large, not decodable). */
  body: string | undefined;
  /** The body bytes as received; undefined when too large. */
  bytes: Buffer | undefined;
}

export interface ReferenceProviderOptions {
  port?: number;
  host?: string;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  bodyLimit?: number;
  /** Most vppTokens kept (default 200,000); a create beyond it gets 507 with Graph's error body. */
  maxTokens?: number;
  /** Most bytes of create requests kept (default 256 MiB); a create that would pass it gets 507 (decision 0091). */
  maxStoredBytes?: number;
  /** Failures, a rate limit and latency on demand, deterministic under `faults.seed`. */
  faults?: FaultOptions;
  /** The clock for the rate limit and the latency; tests pass a fake one. */
  clock?: ProviderClock;
  /** Called with one line per answered request (method, path, status, time): never a header or a body. */
  log?: (line: string) => void;
  /** The Graph profile of requests without a version prefix (default beta); /beta and /v1.0 always speak their own. */
  profile?: Profile;
  /**
   * Refuse a create whose token is no Apple sToken with Graph's 400, as Intune does (decision 0216): check-client's
   * mock does, unless `--schema-tokens`. Off by default: the schema takes any non-empty token.
   */
  requireSTokens?: boolean;
  /** Called with every request and the status it got, after it was answered. */
  onRequest?: (request: RecordedRequest, status: number) => void;
  /**
   * Keep every request and what became of it, handed back as `traffic` (default: true when `faults` are given).
   * It grows with every request: leave it off for a long-running server.
   */
  recordTraffic?: boolean;
}

export interface ReferenceProvider {
  /** Base URL without a version prefix, e.g. http://127.0.0.1:41234; /beta and /v1.0 work under it too. */
  url: string;
  host: string;
  port: number;
  server: Server;
  /** The vppTokens created so far, in creation order (read-only; each read rebuilds the vppToken). */
  vppTokens: ReadonlyMap<string, VppToken>;
  /** The faults configured, and the seed they are drawn with (undefined without faults). */
  faults?: { seed: number; description: string };
  /**
   * Every request answered (or cut) so far, in arrival order, with its timing on the provider's clock, its answer,
   * the fault injected and whether it stored a vppToken: what `judgeClientBehaviour` judges. Undefined unless
   * traffic is recorded (`recordTraffic`, on by default with `faults`). Each read is a fresh array.
   */
  readonly traffic?: readonly TrafficEntry[];
  close(): Promise<void>;
}

/** The ids an answer carries (Graph's request-id and client-request-id). */
interface Ids {
  requestId: string;
  clientRequestId?: string;
}

/**
 * An answer as the traffic keeps it: its status, Retry-After, Graph's error, and of a list page its nextLink and the
 * ids it held (decision 0641); a request inside a JSON batch keeps its own the same way.
 */
function keptAnswer({ status, headers, body, listed }: Answer): NonNullable<TrafficEntry['answer']> {
  const retryAfter = headers?.['Retry-After'];
  const { error, '@odata.nextLink': nextLink } = (body ?? {}) as { error?: { code: string; message: string }; '@odata.nextLink'?: string };
  return {
    status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
    ...(nextLink === undefined ? {} : { nextLink }),
    ...(listed === undefined ? {} : { listed }),
  };
}

/** Header lines as Node's `req.headers` gives them: lower-case names, repeated values joined (Set-Cookie aside). */
function headersOf(rawHeaders: RawHeaders): IncomingMessage['headers'] {
  const headers: Record<string, string> = {};
  for (const { name, value } of headerLines(rawHeaders)) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

/**
 * The base URL a request asked the provider by: the target's own scheme and authority when it came in absolute form
 * (RFC 9112 §3.2.2: the origin server uses them, not Host; outside tester N22); else its one Host header (RFC 9110
 * §7.2), as ASP.NET Core's OData writes Location and @odata.context, so an answer names the host its client asked,
 * as Graph names the host its clients ask (graph.microsoft.com), and a front that passes Host on gets its own name
 * back (docs/decisions/0190); and the scheme and host a front says its client asked by (`Forwarded: host=...;
 * proto=https`, RFC 7239, or `X-Forwarded-Host` and `X-Forwarded-Proto`), both from the same place (forwardedOrigin),
 * so an https client is never sent to an http link (outside tester J17), nor a client behind a front that rewrites
 * Host to the upstream's (nginx's default) to the upstream, under the front's scheme (R53, decision 0566). Without a
 * host that is one (hostValueProblem, the routing's rule), the provider's listening address.
 */
function baseAsked(req: ProviderRequest, listening: string): string {
  const { origin } = readRequestTarget(req.url ?? '/');
  if (origin) return origin;
  const lines = headerLines(req.rawHeaders);
  const front = forwardedOrigin(lines);
  const hosts = front?.host === undefined ? headerValues(lines, 'Host') : [front.host];
  if (hosts.length !== 1 || hosts[0] === '' || hostValueProblem(hosts[0])) return listening;
  return `${front?.proto ?? 'http'}://${hosts[0].toLowerCase()}`;
}

/** The names ReferenceProviderOptions takes: any other is refused, never left without a word (decisions 0408, 0760). */
const PROVIDER_OPTION_NAMES = Object.keys({ port: true, host: true, bodyLimit: true, maxTokens: true, maxStoredBytes: true, faults: true, clock: true, log: true, profile: true, requireSTokens: true, onRequest: true, recordTraffic: true } satisfies Record<keyof ReferenceProviderOptions, true>);

/**
 * Starts an in-memory server that answers POST /deviceAppManagement/vppTokens (and /beta, /v1.0 under it) the
 * way Graph does: 201 with the created vppToken, Graph's error body for 400, 401, 404, 405, 413, 415 and 507,
 * and GET of the collection (with $top and @odata.nextLink paging) and of one vppToken by id. With `faults`, it
 * also throttles, fails and is slow on demand.
 */
export async function startReferenceProvider(options: ReferenceProviderOptions = {}): Promise<ReferenceProvider> {
  // Its options' shape by the library's one rule (src/net/option.ts, decision 0760): a bare value or a misspelt name
  // was taken as no options, and the default run made (`startReferenceProvider('x')`).
  const shape =
    optionsObjectProblem('startReferenceProvider', options, PROVIDER_OPTION_NAMES) ??
    membersProblem(options, { host: 'string', clock: 'clock', log: 'function', onRequest: 'function', recordTraffic: 'boolean', requireSTokens: 'boolean' });
  if (shape) throw new TypeError(shape);
  if (options.profile !== undefined) toProfile(options.profile);
  const unfit = serverOptionProblem(options);
  if (unfit) throw new RangeError(unfit);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const vppTokens = new VppTokenStore(options.maxTokens ?? DEFAULT_MAX_TOKENS, options.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES);
  const clock = options.clock ?? systemClock;
  const injector = options.faults ? new FaultInjector(options.faults, clock) : undefined;
  // Arrival order: slot n-1 is request n, filled in when it ends.
  const traffic: (TrafficEntry | undefined)[] | undefined = options.recordTraffic ?? options.faults !== undefined ? [] : undefined;
  let arrivals = 0;
  // Requests waiting out an injected latency: each wakes when its client goes away or the provider closes, so a
  // request the client gave up on is kept in the traffic before close() resolves, not when its latency would have
  // ended (outside tester J28: check-client's verdict missed creates the client had re-sent blindly).
  const sleeping = new Set<() => void>();
  let closing = false;
  const waitOut = (delay: number, res: ServerResponse): Promise<void> =>
    closing
      ? Promise.resolve()
      : new Promise((resolve) => {
          // Woken early, the sleep is ended too: its timer must not hold the process open (decision 0445).
          const slept = new AbortController();
          const wake = () => {
            sleeping.delete(wake);
            res.off('close', wake);
            slept.abort();
            resolve();
          };
          sleeping.add(wake);
          res.once('close', wake);
          void clock.sleep(delay, slept.signal).then(wake);
        });
  let base = '';

  // A callback that throws is the caller's bug; it must not take the server down nor answer for the request.
  const log = (line: string, request?: Pick<TrafficEntry, 'method' | 'path' | 'rawHeaders' | 'body'>): void => {
    if (!options.log) return;
    try {
      // A request line may carry an sToken in its path or query (a read-back by token), or the request's own
      // credentials (its bearer where the id belongs: outside tester L9), or the Apple token of a vppToken the store
      // holds (a read-back by the token the client took for the key: outside attacker R66, decision 0650): never logged.
      const secrets = request ? trafficSecrets([request]) : {};
      const stored = request ? vppTokens.vppTokensNamedIn(request.path.split('?')[0]) : [];
      options.log(redact(line, stored.length ? { ...secrets, values: [...(secrets.values ?? []), ...stored] } : secrets));
    } catch {
      // Nothing left to tell it with.
    }
  };
  const recorded = (request: RecordedRequest, status: number): void => {
    try {
      options.onRequest?.(request, status);
    } catch (error) {
      log(`onRequest callback failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  async function handle(req: IncomingMessage, seen: Seen, ids: Ids): Promise<Answer> {
    // Read (bounded) before anything else, so that every request is drained and can be recorded whatever its answer.
    seen.bytes = await readBody(req, bodyLimit);
    // The one reader (src/wire): the body as text when its bytes decode, whatever else is wrong with it.
    const read = readMessage({ headers: req.rawHeaders, bytes: seen.bytes }, { maxDecodedBytes: bodyLimit });
    seen.body = read.text;
    // An HTTP/1.0 request with Transfer-Encoding: its framing is faulty (RFC 9112 §6.1), whatever Node's parser made of
    // it, so it is refused before anything else, as a head the parser refused is, and its connection closed (0492).
    const framing = versionFramingProblem(req.httpVersion, headerLines(req.rawHeaders));
    if (framing) {
      seen.refusedHead = framing;
      throw new HttpError(400, 'BadRequest', `${framing.where}: ${framing.message}`, { headers: { Connection: 'close' } });
    }
    if (read.problems.some((p) => p.rule === 'decoded size')) throw new TooLarge(`The request body decodes to more than ${bodyLimit} bytes, the most accepted.`);
    // A preflight is the browser's, not a request of the client's: no fault is drawn for it, nothing is stored.
    if (req.method === 'OPTIONS') return { status: 204, body: undefined, headers: preflightHeaders(req.rawHeaders, routePreflight(req)) };
    const routed = route(req, options.profile ?? DEFAULT_PROFILE);
    // A batch itself is not faulted: each request inside it is, as Graph throttles each (decisions 0215, 0436).
    if (routed.target.kind === 'batch') return answerBatch(req, seen, routed, ids);
    const { method, target } = routed;
    const fault = injector?.nextFault(target.kind === 'collection' && method === 'POST');
    // A failure after the create waits until the vppToken is stored; a create refused for its own mistakes keeps its answer.
    const afterCreate = fault && isAfterCreateFault(fault.failure) ? fault : undefined;
    if (fault && !afterCreate) {
      seen.fault = fault;
      throw new HttpError(fault.status!, fault.code, fault.message, {
        headers: fault.headers,
        note: faultNote(fault),
      });
    }
    return dispatch(req, seen, routed, afterCreate);
  }

  /** A routed request answered: a read of one vppToken, the count, the list, or a create. */
  function dispatch(req: ProviderRequest, seen: Seen, { method, version, profile, target, query }: Route, afterCreate?: InjectedFault, own = baseAsked(req, base)): Answer {
    const links = { base: own, version, context: `${own}${version}/$metadata#deviceAppManagement/vppTokens` };
    if (target.kind === 'entity') return readVppToken(vppTokens, target.id, query, { ...links, profile });
    if (target.kind === 'count') return countVppTokens(vppTokens, query, profile);
    if (target.kind === 'batch') throw new HttpError(400, 'BadRequest', 'A JSON batch cannot hold another batch.');
    if (method === 'GET' || method === 'HEAD') return listVppTokens(vppTokens, query, { ...links, profile });
    return createVppToken(req, seen, { ...links, vppTokens, profile, afterCreate, rules: { requireSTokens: options.requireSTokens === true } });
  }

  /**
   * A JSON batch answered as Graph answers one (learn.microsoft.com/graph/json-batching; decision 0215): refused as a
   * whole (400) when the one judgement of a batch refuses it (src/judgement/batch.ts), else 200 with one answer per
   * request, listed one place before its request's (answerPlace, decision 0541), each request inside routed and
   * answered as if sent alone under the batch's version (its Host, and its Authorization where the request gives
   * none). What each request was and got is kept for the traffic, so that check-client judges it as a request of its
   * own. Between its requests the server turns to its other connections (setImmediate): a batch of 20 reads of long
   * $filters costs their sum, and held every other request for it (decision 1191).
   */
  async function answerBatch(req: IncomingMessage, seen: Seen, batch: Route, ids: Ids): Promise<Answer> {
    const host = req.rawHeaders.flatMap((name, i) => (i % 2 === 0 && name.toLowerCase() === 'host' ? [name, req.rawHeaders[i + 1]] : []));
    const { problems: refused, members } = checkBatchRequest({ method: 'POST', path: req.url ?? '/', headers: req.headers, rawHeaders: req.rawHeaders, body: seen.body, bytes: seen.bytes });
    if (refused.length > 0) {
      const details = refused.filter((p) => p.part === 'body').map((p) => ({ pointer: p.pointer ?? '', message: p.message, keyword: '' }));
      const status = refusalStatus(refused)!;
      const [first] = refused;
      const error =
        status === 415
          ? new HttpError(415, 'UnsupportedMediaType', `The batch's ${first.where} ${first.message}.`)
          : new HttpError(status, status === 401 ? 'InvalidAuthenticationToken' : 'BadRequest', `The batch request is not valid: ${refused.map(formatRequestProblem).join('; ')}.`, { problems: details });
      // The creates it carried were tried, and refused with it (outside tester R16): kept as creates answered with the
      // batch's refusal, not run, as the proxy reads them (decisions 0201, 0462).
      const tried = batchedCreates({ method: 'POST', path: req.url ?? '/', headers: req.headers, rawHeaders: req.rawHeaders, body: seen.body, bytes: seen.bytes }).creates;
      seen.members = tried.map(({ id, request }) => ({
        batchId: id,
        method: 'POST',
        path: `${batch.version}${request.path}`,
        rawHeaders: [...host, ...(request.rawHeaders as string[])],
        body: request.bytes,
        answer: { status, error: { code: error.code, message: error.message } },
        stored: false,
        refusedWithBatch: true as const,
      }));
      throw error;
    }
    // The links of the requests inside name what the batch asked (its absolute-form target's authority, or its Host).
    const asked = baseAsked(req, base);
    seen.members = [];
    // Each request after those it dependsOn; one whose dependency failed is not run, and fails with 424 (Graph's
    // json-batching: "any request that depends on that request fails with status code 424 (Failed Dependency)").
    const statuses = new Map<string, number>();
    const statusOf = (id: string): number | undefined => statuses.get(batchIdKey(id));
    const answered = new Map<BatchRequestMember, { id: string; status: number; headers: Record<string, string>; body?: unknown }>();
    for (const [place, member] of batchRunOrder(members).entries()) {
      if (place > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const rawHeaders = [...host, ...member.rawHeaders];
      const one: ProviderRequest = { method: member.method, url: `${batch.version}${member.target}`, rawHeaders, headers: headersOf(rawHeaders), httpVersion: req.httpVersion };
      const bytes = Buffer.from(member.bytes);
      const inner: Seen = { bytes, body: readMessage({ headers: rawHeaders, bytes }, { maxDecodedBytes: bodyLimit }).text };
      const failed = failedDependencyIn(member.dependsOn, statusOf);
      let answer: Answer;
      try {
        if (failed !== undefined) throw new HttpError(FAILED_DEPENDENCY, 'FailedDependency', failedDependencyMessage(failed, statusOf(failed)));
        if (member.method === 'OPTIONS') throw new HttpError(400, 'BadRequest', 'A JSON batch holds requests, not a CORS preflight (OPTIONS).');
        const routed = route(one, batch.profile, member.batchAuthorization);
        // Graph evaluates each request in a batch against its throttling limits, answering it 429 with its own
        // Retry-After (throttling.md, "Throttling and batching"): the rate limit counts it and the draw reaches it,
        // as a request sent alone (outside tester Q17, decision 0436).
        const fault = injector?.nextFault(routed.target.kind === 'collection' && routed.method === 'POST', true);
        const afterCreate = fault && isAfterCreateFault(fault.failure) ? fault : undefined;
        if (fault && !afterCreate) {
          inner.fault = fault;
          throw new HttpError(fault.status!, fault.code, fault.message, { headers: fault.headers, note: faultNote(fault) });
        }
        answer = dispatch(one, inner, routed, afterCreate, asked);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        answer = errorAnswer(error, ids);
      }
      statuses.set(batchIdKey(member.id), answer.status);
      const text = answer.body === undefined ? undefined : JSON.stringify(answer.body);
      seen.members!.push({
        batchId: member.id,
        method: member.method,
        path: one.url!,
        rawHeaders,
        body: bytes,
        answer: keptAnswer(answer),
        ...(inner.fault ? { fault: { kind: inner.fault.failure, by: inner.fault.kind } } : {}),
        stored: inner.stored === true,
        ...(inner.createdId ? { createdId: inner.createdId } : {}),
        ...(inner.heldAlready ? { heldAlready: true as const } : {}),
        batchPlace: { request: member.index, answer: answerPlace(member.index, members.length) },
      });
      const headers: Record<string, string> = { ...(text === undefined ? {} : { 'Content-Type': GRAPH_JSON }), ...answer.headers };
      // A body that is not JSON (the count's text/plain) goes as its bytes in base64, as Graph sends it (outside tester N20).
      answered.set(member, { id: member.id, status: answer.status, headers, ...(text === undefined ? {} : { body: batchedBody(text, headers['Content-Type']) }) });
    }
    // Graph lists them in any order, the ids telling which is which: never in the batch's, so that a client that reads
    // them by place fails here as it would against Graph (decision 0541).
    const responses: unknown[] = [];
    for (const member of members) responses[answerPlace(member.index, members.length)] = answered.get(member)!;
    return { status: 200, body: { responses } };
  }

  /** An error as the answer Graph gives it: its status, its headers, Graph's error body with the request's ids. */
  function errorAnswer(error: HttpError, { requestId, clientRequestId }: Ids): Answer {
    return { status: error.status, headers: error.extra.headers, note: error.extra.note, body: graphError(error.code, error.message, { requestId, clientRequestId, problems: error.extra.problems }) };
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const startedAt = clock.now();
    const sequence = ++arrivals;
    const requestId = randomUUID();
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const path = (req.url ?? '/').split('?')[0];
    const seen: Seen = {};
    // A client that goes away before its answer is noted at the first sign of it (its connection's end of input, an
    // error), as that is read: the connection's close is handled a loop phase later, after requests read in the same
    // phase on other connections, which would then look sent while this one was in flight (a read-back sent once the
    // client gave up on its create, judged unable to show it; seen under load).
    let gone: { endedAt: number; arrivedByEnd: number } | undefined;
    const noteGone = () => {
      gone ??= { endedAt: clock.now(), arrivedByEnd: arrivals };
    };
    req.socket.once('end', noteGone).once('error', noteGone).once('close', noteGone);
    res.once('close', () => req.socket.off('end', noteGone).off('error', noteGone).off('close', noteGone));
    /** The request as its log line's credentials are read from (its bearer, its query's, its body's VPP tokens). */
    const asSent = () => ({ method: req.method ?? '', path: req.url ?? '/', rawHeaders: req.rawHeaders, body: seen.bytes });
    /** Keeps the request in the traffic, once it has ended: answered, reset, or given up by the client. */
    const keep = (answer: TrafficEntry['answer'], { endedAt, arrivedByEnd = arrivals, ...extra }: { clientClosed?: boolean; receivedBytes?: number; endedAt?: number; arrivedByEnd?: number } = {}): void => {
      if (!traffic) return;
      const { fault } = seen;
      traffic[sequence - 1] = {
        sequence,
        method: req.method ?? '',
        path: req.url ?? '/',
        rawHeaders: [...req.rawHeaders],
        body: seen.bytes,
        // Kept to be judged (check-client): the answer was made from the header section alone (decision 0224).
        ...(req.rawTrailers.length > 0 ? { rawTrailers: [...req.rawTrailers] } : {}),
        startedAt,
        endedAt: endedAt ?? clock.now(),
        arrivedByEnd,
        answer,
        ...(fault ? { fault: { kind: fault.failure, by: fault.kind } } : {}),
        stored: seen.stored === true,
        ...(seen.createdId ? { createdId: seen.createdId } : {}),
        ...(seen.heldAlready ? { heldAlready: true as const } : {}),
        ...(seen.refusedHead ? { refusedHead: seen.refusedHead } : {}),
        // The requests inside a JSON batch, each as a request of its own, sent and answered when the batch was.
        ...(seen.members ? { members: seen.members.map((m) => ({ ...m, sequence, startedAt, endedAt: endedAt ?? clock.now(), arrivedByEnd })) } : {}),
        ...extra,
      };
    };
    // Its body refused by the parser and answered 400 (clientError): kept as that answer when it is written, so the
    // client reading it finds it kept; the connection's end that follows is not the client going away.
    let refusedBody = false;
    refusedBodies.set(req, (refused) => {
      refusedBody = true;
      seen.refusedHead = refused.problem;
      log(`${req.method} ${path} ${refused.status}: ${refused.message}`, asSent());
      keep({ status: refused.status, error: { code: refused.code, message: refused.message } });
    });
    const clientClosed = (receivedBytes?: number) => {
      if (refusedBody) return;
      log(`${req.method} ${path}: client closed the request`, asSent());
      keep(null, { clientClosed: true, ...gone, ...(receivedBytes === undefined ? {} : { receivedBytes }) });
    };
    let answer: Answer;
    try {
      answer = await handle(req, seen, { requestId, clientRequestId });
    } catch (error) {
      if (error instanceof ClientClosed) {
        clientClosed(error.received);
        return;
      }
      if (error instanceof ResetAfterCreate) {
        const delay = injector?.nextLatency() ?? 0;
        if (delay > 0) await waitOut(delay, res);
        // No answer at all: the connection is reset (RST) as a gateway's would be.
        const socket = req.socket;
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log(`${req.method} ${path} reset ${ms.toFixed(1)}ms ${faultNote(seen.fault!)}`, asSent());
        keep(null);
        return;
      }
      if (error instanceof HttpError) {
        answer = errorAnswer(error, { requestId, clientRequestId });
      } else {
        log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        answer = { status: 500, body: graphError('InternalServerError', 'The reference provider failed to answer.', { requestId, clientRequestId }) };
      }
      if (error instanceof TooLarge) {
        const text = JSON.stringify(answer.body);
        // Kept as it is written, as any answer is: the client can read it and exit before the drain ends (CI, Node 24).
        keepAnswer(answer, clock.now());
        whenEnded(answer);
        answerTooLarge(req, res, text, headersFor(text, answer.headers));
        finished(answer);
        return;
      }
    }
    const delay = injector?.nextLatency() ?? 0;
    if (delay > 0) await waitOut(delay, res);
    if (res.destroyed || req.socket.destroyed) {
      clientClosed();
      return;
    }
    // No body (a preflight's 204): no Content-Type, and no Content-Length (RFC 9110 §8.6).
    const text = answer.body === undefined ? undefined : JSON.stringify(answer.body);
    // The answer ends as it is handed to the socket. The clock is read first: the client can have the answer, and start
    // its Retry-After wait, before this process runs again, so a reading taken after the write can come late and make a
    // correct client's re-send look early.
    const answeredAt = clock.now();
    res.writeHead(answer.status, headersFor(text, answer.headers));
    res.end(text);
    // Kept now, not on 'finish': a client may read the answer and exit before that event is handled here.
    keepAnswer(answer, answeredAt);
    finished(answer);

    function keepAnswer(answer: Answer, endedAt?: number): void {
      keep(keptAnswer(answer), { endedAt });
    }
    /** A 413 ends when the rest of the body has been drained ('finish'), or when the connection closes first: its end is then kept again. */
    function whenEnded(answer: Answer): void {
      if (!traffic) return;
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        keepAnswer(answer);
      };
      res.once('finish', end);
      res.once('close', end);
    }

    function headersFor(text: string | undefined, extra: Record<string, string> | undefined): Record<string, string | number> {
      const content: Record<string, string | number> = text === undefined ? {} : { 'Content-Type': GRAPH_JSON, 'Content-Length': Buffer.byteLength(text) };
      // A browser's request (with Origin) may read the answer and Graph's headers (src/judgement/preflight.ts).
      return { ...content, 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId, ...corsHeaders(req.rawHeaders), ...extra };
    }
    function finished({ status, note }: Answer): void {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${path} ${status} ${ms.toFixed(1)}ms${note ? ` ${note}` : ''}`, asSent());
      recorded({ method: req.method ?? '', path, headers: req.headers, rawHeaders: req.rawHeaders, body: seen.body, bytes: seen.bytes }, status);
    }
  }

  // Each connection's request being read: its end before that request is complete is the client going away in its
  // middle (a body cut off after its 413), not a new request head.
  const reading = new WeakMap<Socket, IncomingMessage>();
  // A request taken whose body Node's parser then refused, with the 400 written for it (decision 0613).
  const refusedBodies = new WeakMap<IncomingMessage, (refused: NonNullable<ReturnType<typeof refusedBodyAnswer>>) => void>();
  // Each connection's answers not yet written whole, in the order of their requests (answerInOrder, decision 0814).
  const unanswered = new WeakMap<Socket, ServerResponse[]>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    reading.set(req.socket, req);
    noteUnanswered(unanswered, req.socket, res);
    respond(req, res).catch((error: unknown) => {
      // Only a bug of ours gets here (the answer could not be written); the connection is dropped, the server lives.
      log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      res.destroy();
    });
  };
  // A request without Host reaches the routing, which refuses it with Graph's 400 saying so (Node's own is bare).
  const server = createServer({ requireHostHeader: false }, onRequest);
  // Expect: 100-continue is answered only for a body that may be accepted; an oversized one gets its 413 first.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!declaredTooLarge(req, bodyLimit)) res.writeContinue();
    onRequest(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // A head Node's parser refused (a folded line, two Content-Length lines) is answered with Graph's 400 naming
  // the header and the rule, and recorded like any request: check-client then says what was wrong with the bytes.
  server.on('clientError', (error: ParseError, socket: Socket) => {
    // The connection ended in the middle of a request already taken: that request is recorded with
    // what became of it, and nothing new arrived. A parse error in its body is still answered below.
    const taken = reading.get(socket);
    if (taken?.complete === false && error.code === 'HPE_INVALID_EOF_STATE') return socket.destroy();
    // A parse error in the chunked body of a request already taken (whitespace before a chunk extension) is that
    // request's: answered 400 naming the chunk line and kept as it, never as a new request made of its body's bytes,
    // nor as the client closing (outside tester R46, decision 0613). Any other is read from its head, as below.
    // So is a refusal of its head that the parser gives once it took the request (`Transfer-Encoding: chunked<TAB>` or
    // `chunked<TAB>,`, checked after the head's last line): one request, kept once as refused, never a second request
    // beside it that the client "closed" (decision 0901).
    const body = taken?.complete === false ? (refusedBodyAnswer(error) ?? refusedHeadAnswer(error)) : undefined;
    if (taken && body) {
      if (!socket.writable) return socket.destroy();
      refusedBodies.get(taken)?.(body);
      // After the answers of the requests before it on the connection (pipelined in one packet): RFC 9112 §9.3.2.
      answerInOrder(unanswered, socket, body.bytes, taken);
      return;
    }
    const refused = refusedHeadAnswer(error);
    if (!refused || !socket.writable) return socket.destroy();
    const { status, message } = refused;
    // A head refused outright made no request: every answer on the connection is earlier (decision 0814).
    answerInOrder(unanswered, socket, refused.bytes);
    const { head } = refused;
    log(`${head.method} ${head.target.split('?')[0]} ${status}: ${message}`, { method: head.method, path: head.target, rawHeaders: head.rawHeaders, body: head.body });
    const sequence = ++arrivals;
    if (traffic) {
      const now = clock.now();
      traffic[sequence - 1] = { sequence, method: head.method, path: head.target, rawHeaders: head.rawHeaders, body: head.body, startedAt: now, endedAt: now, arrivedByEnd: sequence, answer: { status, error: { code: refused.code, message } }, stored: false, refusedHead: refused.problem };
    }
  });

  const listening = await listen(server, { host: options.host, port: options.port });
  base = listening.url;
  const provider: ReferenceProvider = {
    url: base,
    host: listening.host,
    port: listening.port,
    server,
    vppTokens,
    ...(injector ? { faults: { seed: injector.seed, description: injector.describe() } } : {}),
    close: () => {
      // Those waiting out a latency end now (their client gone or cut by this close), each kept as the client closing it.
      closing = true;
      for (const wake of [...sleeping]) wake();
      return listening.close();
    },
  };
  // A getter, so that each read sees the requests that have ended by then.
  if (traffic) Object.defineProperty(provider, 'traffic', { enumerable: true, get: () => traffic.filter((entry): entry is TrafficEntry => entry !== undefined) });
  return provider;
}

/**
 * Where the mock lists the answer of a batch's request `index` (from 0) among its `count` answers: one place before
 * its request's, the first request's last. Graph lists a batch's answers in any order ("Responses to the batched
 * requests might appear in a different order. The id property can be used to correlate individual requests and
 * responses", learn.microsoft.com/graph/json-batching; OData JSON Format 4.01 §19.2): an order that is never the
 * requests' (for two or more), the same for every run, so a client that reads answers by place takes every answer
 * for another request's and check-client fails it for that (decision 0541).
 */
const answerPlace = (index: number, count: number): number => (index + count - 1) % count;
