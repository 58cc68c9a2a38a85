import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { aWholeTurn } from './clock';
import { tlsOptions, tlsProblem, type TlsTrust } from './tls';
import type { Socket } from 'node:net';
import { answerChunkProblem, answerEnd, chunkedTrailers, headFailure, headProblem, isParseError, mayMisreadChunked, misreadChunkedProblem, misreadChunkedValue, type ParseError, type WireProblem } from '../wire';

/**
 * The kit's one HTTP client (seed, conform, the contract's sender and verify's forwarder). Every wait is bounded
 * (a per-request timeout and an optional total one), every answer body is bounded, https follows one trust
 * policy (src/net/tls.ts), and a failure says what kind it is, so each caller words it once.
 */
export interface HttpClientOptions {
  /** How to trust an https server (a CA to add, or none checked). */
  trust?: TlsTrust;
  /** Connections kept open at once (default 8). */
  sockets?: number;
  /** Reuse connections (default true). False opens a fresh one per request (a server that comes and goes on recycled ports). */
  keepAlive?: boolean;
  /** The longest a request may take, from sending to the last byte of its answer (default 15,000 ms). */
  timeoutMs?: number;
  /** The longest all requests together may take, from the client's creation; unbounded when absent. */
  totalTimeoutMs?: number;
  /** The largest answer body read (default 8 MiB); the rest is dropped and the answer marked `truncated`. */
  maxBodyBytes?: number;
}

export interface HttpRequest {
  method: string;
  url: URL | string;
  /** The request target to send instead of the URL's serialisation (a link followed as written: targetAsWritten). */
  target?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** This request's own timeout, instead of the client's. */
  timeoutMs?: number;
}

/** An answer as it came: the status, Node's header object, the raw header lines (name, value, ...) and the body bytes. */
export interface HttpAnswer {
  kind: 'answer';
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  /** The status line's reason phrase (Node's `statusMessage`): text of the answer, judged for echoed credentials. */
  statusText?: string;
  /** The status line's HTTP version as Node reads it (`1.1`, `1.0`): an HTTP/1.0 answer carries no Transfer-Encoding (decision 0492). */
  httpVersion: string;
  body: Buffer;
  /** The body was longer than maxBodyBytes: `body` holds its start and the connection was closed. */
  truncated?: true;
  /** The server ended the connection before the body's end: `body` holds what came. */
  cut?: true;
  /** The trailer fields after a chunked body (Node's `rawTrailers`: name, value, ...), when there were any. */
  rawTrailers?: string[];
  /**
   * The interim 1xx answers the server sent before this one (RFC 9110 §15.2: `102 Processing`, `103 Early Hints`), in
   * the order they came, each once however often it came, at most MAX_INTERIM_ANSWERS different ones: part of the
   * answer, judged with it (decision 0521). Absent when none came.
   */
  interim?: InterimAnswer[];
  /**
   * Bytes the server sent after this answer's end on the same connection, before any other request (RFC 9112
   * §9.3: one answer per request): an answer to no request, which a client reading on takes as its next
   * request's. The connection is closed, so no later request reads them.
   */
  extraBytes?: number;
}

/** An interim 1xx answer as it came: its status, reason phrase and raw header lines (name, value, ...). */
export interface InterimAnswer {
  status: number;
  statusText: string;
  rawHeaders: string[];
}

/**
 * The most different interim answers kept of one answer: a server may send 1xx until the timeout (a 102 every few
 * seconds is one head again and again, kept once), so what is kept is bounded; a server sending more different ones
 * than this is judged by the first.
 */
export const MAX_INTERIM_ANSWERS = 64;

/** The interim answers of one answer as kept (HttpAnswer.interim): each once however often it came, at most MAX_INTERIM_ANSWERS different ones. */
export function interimAnswers(): { list: InterimAnswer[]; add(head: { status: number; statusText?: string; rawHeaders: readonly string[] }): void } {
  const list: InterimAnswer[] = [];
  const seen = new Set<string>();
  return {
    list,
    add({ status, statusText, rawHeaders }) {
      const head = { status, statusText: statusText ?? '', rawHeaders: [...rawHeaders] };
      const key = JSON.stringify(head);
      if (list.length >= MAX_INTERIM_ANSWERS || seen.has(key)) return;
      seen.add(key);
      list.push(head);
    },
  };
}

/** Why no answer came. `malformed`: bytes came, but not an HTTP/1.1 message head (the server's fault). */
export type HttpFailureKind = 'timeout' | 'unreachable' | 'tls' | 'dropped' | 'malformed' | 'abandoned';

export interface HttpFailure {
  kind: 'failure';
  failure: HttpFailureKind;
  /** Node's error code (ECONNREFUSED, ETIMEDOUT, DEPTH_ZERO_SELF_SIGNED_CERT, EABANDONED, ...). */
  code: string;
  /** One line, without credentials. */
  message: string;
  /** The whole request had been handed to the network: the server may have acted on it. */
  sent: boolean;
  /** `malformed`: which header line broke which rule, read from the bytes Node's parser refused. */
  problem?: WireProblem;
}

export type HttpOutcome = HttpAnswer | HttpFailure;

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpOutcome>;
  /**
   * Sends an idempotent request (a GET) onto the connection its server's last answer left open, to prove the server
   * keeps connections (decision 1200): once it is answered there, creates reuse connections too (mayReuseConnection).
   * Sends nothing, and resolves undefined, when that needs no proof or cannot get one: the server answered on a
   * reused connection already, the client keeps no connection, the server closes after its answers, or its last
   * answer left no connection open (`Connection: close`, HTTP/1.0, a body cut or too large), or a proof was sent to it
   * already (one at most). A server whose close comes as this request does never answers it there: it goes again on a
   * new connection (0127), and proves nothing.
   */
  proveKeptConnections(request: HttpRequest): Promise<HttpOutcome | undefined>;
  /** Drops every request in flight where it stands, and any later one (failure `abandoned`). */
  abandon(): void;
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * An answer whose body was longer than the client reads (`truncated`), in the words every command says it: a wrong
 * answer to that request (no vppToken needs megabytes), never the end of the run (outside tester N12).
 */
export const tooLargeAnswer = (maxBodyBytes: number): string => `the answer's body is over ${maxBodyBytes} bytes, more than any answer needs (the kit reads at most ${maxBodyBytes} bytes of one)`;

/** Methods a request of which may be sent again after a dropped connection (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Whether a request may be written on a pooled connection that already carried an answer (decision 0494; both sides
 * of the one client: `send` and the proxy's streamer). A request the client never sends twice (a POST, a PATCH) goes
 * on one only once the server has kept a connection: an answer came to a request written on a reused one. Before
 * that, a server that closes each connection after its answer without saying so (RFC 9112 §9.6) may have its close on
 * the way when the request is written, and one that half-closes reads the request and acts on it, its answer never
 * written: a create `unknown`, which no client can settle (0127). Such a request goes on a new connection instead;
 * an idempotent one may go on a reused connection at any time (it is sent again when the connection drops).
 */
export const mayReuseConnection = (method: string, serverKeepsConnections: boolean): boolean => serverKeepsConnections || IDEMPOTENT.has(method.toUpperCase());

/**
 * The agents of the connections a request has to itself (`Connection: close`, closed after its answer): a request
 * sent again on a new connection, each request to a server that closes after each answer, a create before the server
 * kept a connection (0494), every request of a client that keeps none. Node's agent that keeps no connection sends
 * what `agent: false` sends, but its https agent keeps the TLS sessions of its connections, so a new connection to the
 * same server resumes one (an abbreviated handshake) where `agent: false` made a new agent, and a full handshake, for
 * each (decision 0494 has the figures). Nothing to close: it keeps no idle connection, one in flight ends with its
 * answer.
 */
export function oneShotAgents(trust: TlsTrust | undefined): { agentFor(https: boolean): HttpAgent } {
  let http: HttpAgent | undefined;
  let https: HttpsAgent | undefined;
  return { agentFor: (tls) => (tls ? (https ??= new HttpsAgent({ keepAlive: false, ...tlsOptions(trust) })) : (http ??= new HttpAgent({ keepAlive: false }))) };
}

/**
 * What a kept-alive connection carried since its request was written (read before Node's parser reads it),
 * so that bytes after the answer's end are seen; `idle` once the answer is complete and the connection is
 * back in the pool, when any byte is one no request asked for.
 */
interface Tap {
  chunks: Buffer[];
  length: number;
  idle: boolean;
  /** When its last answer was complete (Date.now()). */
  idleSince: number;
  /** Its last answer left it to be used again: a pooled connection, and neither side said `Connection: close`. */
  kept: boolean;
  /** How long after its last answer it may carry another request: the server's `Keep-Alive: timeout=N` less 1 s. */
  reuseWithinMs?: number;
}
const taps = new WeakMap<Socket, Tap>();
/**
 * A server that closed an idle kept-alive connection this soon after its answer closes after its answers: it does not
 * keep connections (a keep-alive timeout is seconds: Node 5, Apache 5, nginx 75), though it did not say so with
 * `Connection: close` (RFC 9112 §9.6). The client then opens a new connection per request, so that no request is
 * written onto a connection whose close is still on its way (outside tester N10).
 */
export const CLOSES_AFTER_ANSWER_MS = 1000;
/**
 * How long after an answer its connection may carry another request, from the answer's `Keep-Alive: timeout=N` (the
 * seconds the server keeps an idle connection: RFC 2068 §19.7.1.1; Node's server, Apache and others send it): N less
 * 1 s, the margin Node's agent keeps, so a request is not written as the server's idle timer closes the connection
 * (RFC 9112 §9.5: that race no client can win, and a POST lost in it is one that may have been created). Node's agent
 * applies the hint only when it has a timeout of its own, which the kit's has not. The smallest `timeout` when there
 * are several; undefined when there is none.
 */
export function keepAliveReuseMs(value: string | string[] | undefined): number | undefined {
  let least: number | undefined;
  for (const parameter of [value ?? []].flat().join(',').split(',')) {
    const match = /^\s*timeout\s*=\s*"?(\d{1,9})"?\s*$/i.exec(parameter);
    if (match) least = Math.min(least ?? Infinity, Math.max(0, Number(match[1]) * 1000 - KEEP_ALIVE_MARGIN_MS));
  }
  return least;
}
const KEEP_ALIVE_MARGIN_MS = 1000;
/** The most bytes of a connection kept to find its answer's end: an answer body is bounded by maxBodyBytes anyway. */
const TAP_SLACK = 1024 * 1024;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Ms as the kit says them: `15 s`, `0.5 s`. */
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/** What kind of failure an error of a request is, and its one-line message. */
export function describeFailure(error: NodeJS.ErrnoException, url: URL): Pick<HttpFailure, 'failure' | 'code' | 'message' | 'problem'> {
  const code = error.code ?? 'EREQUEST';
  const problem = headProblem(error as ParseError);
  if (problem) return { failure: 'malformed', code, message: headFailure('the answer', problem), problem };
  if (code === 'EABANDONED') return { failure: 'abandoned', code, message: error.message };
  if (code === 'ETIMEDOUT') return { failure: 'timeout', code, message: error.message };
  const tls = tlsProblem(error, url);
  if (tls) return { failure: 'tls', code, message: tls };
  if (UNREACHABLE.has(code)) {
    const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `cannot resolve the host ${url.hostname}` : `cannot connect to ${url.host}`;
    return { failure: 'unreachable', code, message: `${what} (${code})` };
  }
  return { failure: 'dropped', code, message: `the connection was dropped without an answer (${code})` };
}

/**
 * A pooled connection no request is written onto (decisions 0127, 0441): the server's close already read, or the
 * server's Keep-Alive timeout (less 1 s) reached since its last answer (`idle`). The rule of both sides of the one
 * client: `send`, and the proxy's streamer (src/net/stream.ts; decision 0452).
 */
export function unfitForReuse(socket: Socket, idle: { idleSince: number; reuseWithinMs?: number } | undefined, now = Date.now()): boolean {
  const expired = idle?.reuseWithinMs !== undefined && now - idle.idleSince >= idle.reuseWithinMs;
  return socket.destroyed || socket.readableEnded || !socket.writable || expired;
}

/** An answer after which its connection may carry another request (RFC 9112 §9.3): HTTP/1.1 without `Connection: close`. */
export const keptAlive = (res: IncomingMessage): boolean => res.httpVersion === '1.1' && ![res.headers.connection ?? []].flat().some((value) => value.split(',').some((option) => option.trim().toLowerCase() === 'close'));

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const keepAlive = options.keepAlive ?? true;
  const sockets = options.sockets ?? 8;
  const agents: { http?: HttpAgent; https?: HttpsAgent } = {};
  const agentFor = (https: boolean): HttpAgent => {
    if (https) return (agents.https ??= new HttpsAgent({ keepAlive: true, maxSockets: sockets, ...tlsOptions(options.trust) }));
    return (agents.http ??= new HttpAgent({ keepAlive: true, maxSockets: sockets }));
  };
  const oneShots = oneShotAgents(options.trust);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deadline = options.totalTimeoutMs === undefined ? undefined : Date.now() + options.totalTimeoutMs;
  // A Set rather than an abort listener per request: EventTarget listeners cost more than a request's own work.
  const inFlight = new Set<ClientRequest>();
  let abandoned = false;
  // The server closed a kept-alive connection right after an answer: from then on, a new connection per request.
  let closesAfterAnswer = false;
  // The origins that answered a request written on a reused connection: they keep connections (mayReuseConnection).
  const keepsConnections = new Set<string>();
  // Whether each origin's last answer on a pooled connection left it open for another request (proveKeptConnections).
  const leftOpen = new Map<string, boolean>();
  // The origins a proof was sent to: at most one a client, answered on the reused connection or not.
  const proofSent = new Set<string>();
  // close() closes the connections kept: no close of the server's.
  let closed = false;
  const abandonError = () => Object.assign(new Error('abandoned while in flight'), { code: 'EABANDONED' });

  async function send(request: HttpRequest): Promise<HttpOutcome> {
    // A poll of the connections first: a close a server already sent on an idle kept-alive connection is read, and
    // that connection not handed to this request (a busy caller would otherwise write onto it; outside tester N10).
    // A whole turn: called while the event loop handles an answer (its poll phase), one setImmediate would run before
    // the loop reads the sockets again.
    if (keepAlive) await aWholeTurn();
    return attempt(request, false);
  }

  /** The tap on a connection, put on it once: it reads each chunk before Node's parser does. */
  function tapOf(socket: Socket): Tap {
    let tap = taps.get(socket);
    if (tap) return tap;
    const t: Tap = { chunks: [], length: 0, idle: false, idleSince: Date.now(), kept: false };
    taps.set(socket, t);
    // 'close', not 'end': Node 24 closes a pooled connection on the server's FIN without emitting 'end'. The client's
    // own closes (bytes after an answer, the client's close()) are not the server's.
    socket.once('close', () => {
      if (!closed && t.idle && t.kept && Date.now() - t.idleSince <= CLOSES_AFTER_ANSWER_MS) closesAfterAnswer = true;
    });
    socket.prependListener('data', (chunk: Buffer) => {
      if (t.idle) {
        // A byte on a connection whose answer is complete and no request is waiting: an answer to no request.
        // Node drops it; the connection is not used again.
        t.kept = false;
        socket.destroy();
        return;
      }
      if (t.length > maxBodyBytes + TAP_SLACK) return;
      t.chunks.push(chunk);
      t.length += chunk.length;
    });
    return t;
  }

  function attempt(request: HttpRequest, fresh: boolean): Promise<HttpOutcome> {
    const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
    const https = url.protocol === 'https:';
    const own = request.timeoutMs ?? timeoutMs;
    const left = deadline === undefined ? Infinity : deadline - Date.now();
    const wait = Math.max(0, Math.min(own, left));
    const byDeadline = left < own;
    return new Promise((resolve) => {
      let settled = false;
      let sent = false;
      let response: IncomingMessage | undefined;
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      const interim = interimAnswers();
      const settle = (outcome: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        inFlight.delete(req);
        resolve(outcome);
      };
      // The trailer lines of an answer Node's parser refused in its trailer section, its body whole (decision 0490).
      let refusedTrailers: string[] | undefined;
      const answered = (cut = false) => {
        const res = response!;
        if (refusedTrailers) cut = false;
        const extra = cut || truncated || settled || refusedTrailers ? 0 : extraAfter();
        if (!settled && pooled) leftOpen.set(url.origin, !cut && !truncated && !refusedTrailers && tap?.tap.kept === true);
        const marks = { ...(truncated ? { truncated: true as const } : {}), ...(cut && !truncated ? { cut: true as const } : {}), ...(extra > 0 ? { extraBytes: extra } : {}) };
        const read = refusedTrailers ?? res.rawTrailers;
        const trailers = read.length > 0 ? { rawTrailers: read } : {};
        settle({ kind: 'answer', status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, ...(res.statusMessage ? { statusText: res.statusMessage } : {}), httpVersion: res.httpVersion, body: Buffer.concat(chunks, bytes), ...marks, ...trailers, ...(interim.list.length > 0 ? { interim: interim.list } : {}) });
      };
      let stale = false;
      let idleMs = 0;
      let tap: { tap: Tap; socket: Socket } | undefined;
      // The bytes that came after the answer's end; the connection is closed when there are any.
      const extraAfter = (): number => {
        if (!tap) return 0;
        const { tap: t, socket } = tap;
        const end = answerEnd(Buffer.concat(t.chunks, t.length), request.method);
        const extra = end === undefined ? 0 : t.length - end;
        t.chunks = [];
        t.length = 0;
        t.idle = true;
        t.kept = extra === 0 && pooled && response !== undefined && keptAlive(response);
        t.reuseWithinMs = response === undefined ? undefined : keepAliveReuseMs(response.headers['keep-alive']);
        t.idleSince = Date.now();
        if (extra > 0) socket.destroy();
        return extra;
      };
      const failed = (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server had closed (RFC 9112 §9.5: it may, at any time) got no byte of an
        // answer: sent again, once, on a new connection, when it certainly was not read (the close was seen before
        // the request was written), or when the method is idempotent (RFC 9112 §9.3.1).
        const described = describeFailure(error, url);
        const retry = !fresh && !settled && response === undefined && req.reusedSocket && (stale || (IDEMPOTENT.has(request.method.toUpperCase()) && described.failure === 'dropped'));
        if (retry && !abandoned) {
          settled = true;
          clearTimeout(timer);
          inFlight.delete(req);
          resolve(attempt(request, true));
          return;
        }
        if (described.failure === 'dropped' && sent && req.reusedSocket && response === undefined) {
          // Certainly not read, or read and failed: no client can tell (a server that half-closes idle connections
          // still reads, and acts on, what comes after its close). So it is said as what it is, and not resent.
          // The answer before on this connection did not say Connection: close, or it would not have been reused.
          const message = `the server closed the kept-alive connection (idle ${idleMs} ms before this request) after the request was written, without a byte of answer (${described.code}): it may have acted on it; its answer before on this connection did not say Connection: close, which a server that closes a connection after an answer must send (RFC 9112 §9.6)`;
          settle({ kind: 'failure', sent, ...described, message });
          return;
        }
        settle({ kind: 'failure', sent, ...described });
      };
      const headers: Record<string, string | string[]> = { ...request.headers };
      // A caller's own framing (a Content-Length, or a Transfer-Encoding conform sends as a fault) is kept as given.
      if (request.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length' || k.toLowerCase() === 'transfer-encoding')) headers['Content-Length'] = String(Buffer.byteLength(request.body));
      const make = https ? httpsRequest : httpRequest;
      const pooled = keepAlive && !fresh && !closesAfterAnswer && mayReuseConnection(request.method, keepsConnections.has(url.origin));
      const agent = pooled ? agentFor(https) : oneShots.agentFor(https);
      // An answer chunked by the RFC whose Transfer-Encoding Node read as another coding (a tab after `chunked`): the
      // body Node hands over is the chunk lines, to the connection's close. It cannot be read, said at that field as
      // soon as the chunked body has ended, never judged as the body (decision 0692).
      const misread = (ended: boolean): boolean => {
        const value = tap && misreadChunkedValue(Buffer.concat(tap.tap.chunks, tap.tap.length), request.method, Buffer.concat(chunks, bytes), ended);
        if (value === undefined || !tap) return false;
        const problem = misreadChunkedProblem(value);
        tap.socket.destroy();
        settle({ kind: 'failure', sent, failure: 'malformed', code: 'HPE_UNFRAMED_CHUNKED', message: headFailure('the answer', problem), problem });
        return true;
      };
      const req = make(url, { method: request.method, headers, agent, ...(request.target ? { path: request.target } : {}) }, (res) => {
        response = res;
        if (req.reusedSocket) keepsConnections.add(url.origin);
        // Node's headers name a Transfer-Encoding and a tab came with the head, or it ends in an empty list element:
        // only then may Node have read it as another coding than the RFC does (a cheap look, once; misreadChunkedValue
        // reads the head itself).
        const watch = tap !== undefined && mayMisreadChunked(res.headers['transfer-encoding'], tap.tap.chunks);
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxBodyBytes - bytes;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            bytes += Math.max(0, room);
            truncated = true;
            // The rest is not read: the connection goes, and with it whatever the server still sends.
            answered();
            req.destroy();
            return;
          }
          chunks.push(chunk);
          bytes += chunk.length;
          if (watch) misread(false);
        });
        res.on('end', () => {
          if (!(watch && misread(true))) answered();
        });
        // A body cut short by the server is still the answer it gave; what came is judged.
        res.on('error', () => answered(true));
        res.on('aborted', () => answered(true));
      });
      const timer = setTimeout(() => {
        const message = byDeadline ? `the total time of ${seconds(options.totalTimeoutMs!)} ran out` : `no answer within ${seconds(own)}`;
        req.destroy(Object.assign(new Error(message), { code: 'ETIMEDOUT' }));
      }, wait);
      req.on('finish', () => (sent = true));
      req.on('information', (info: { statusCode: number; statusMessage: string; rawHeaders: string[] }) => interim.add({ status: info.statusCode, statusText: info.statusMessage, rawHeaders: info.rawHeaders }));
      req.on('socket', (socket) => {
        // The server's close already read on a reused connection, or its Keep-Alive timeout about to close it: the
        // request is not written to it.
        if (req.reusedSocket && unfitForReuse(socket, taps.get(socket))) {
          stale = true;
          req.destroy(Object.assign(new Error('the server had closed the kept-alive connection'), { code: 'ECONNRESET' }));
          return;
        }
        const t = tapOf(socket);
        if (req.reusedSocket) idleMs = Date.now() - t.idleSince;
        t.chunks = [];
        t.length = 0;
        t.idle = false;
        tap = { tap: t, socket };
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A server may answer (413) and close before the whole body is written: the answer counts.
        if (response && error.code !== 'ETIMEDOUT' && error.code !== 'EABANDONED') {
          if (isParseError(error) && tap && !response.complete) {
            const read = Buffer.concat(tap.tap.chunks, tap.tap.length);
            // A chunk line Node's parser refused (whitespace before a chunk extension): the answer could not be read,
            // said at that line, never a body cut short or empty (outside tester R46, decision 0613). Otherwise a parse
            // error after the chunked body's last chunk is its trailer section's (a Content-Length there, which Node
            // refuses): the body came whole, and the trailer lines are judged, not a cut body (outside tester R35).
            const chunk = answerChunkProblem(read, request.method);
            if (!chunk) refusedTrailers = chunkedTrailers(read, request.method);
            else {
              tap.socket.destroy();
              settle({ kind: 'failure', sent, failure: 'malformed', code: error.code ?? 'HPE_INVALID_CHUNK_SIZE', message: headFailure('the answer', chunk), problem: chunk });
              return;
            }
          }
          if (response.complete) answered();
          else response.once('end', () => answered()).once('close', () => answered(!response!.complete));
          return;
        }
        failed(error);
      });
      inFlight.add(req);
      if (abandoned) req.destroy(abandonError());
      else req.end(request.body);
    });
  }

  return {
    send,
    proveKeptConnections: async (request) => {
      if (!IDEMPOTENT.has(request.method.toUpperCase())) throw new TypeError(`proveKeptConnections sends an idempotent request, such as GET (got ${request.method})`);
      const origin = (typeof request.url === 'string' ? new URL(request.url) : request.url).origin;
      if (!keepAlive || closesAfterAnswer || keepsConnections.has(origin) || leftOpen.get(origin) !== true || proofSent.has(origin)) return undefined;
      proofSent.add(origin);
      return send(request);
    },
    abandon: () => {
      abandoned = true;
      for (const req of inFlight) req.destroy(abandonError());
    },
    close: () => {
      closed = true;
      agents.http?.destroy();
      agents.https?.destroy();
    },
  };
}

/** The value of a header of an answer, lists joined as Node joins them; undefined when absent. */
export function headerOf(answer: Pick<HttpAnswer, 'headers'>, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
