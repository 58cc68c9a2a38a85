import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { tlsOptions, type TlsTrust } from './tls';
import type { Socket } from 'node:net';
import { mayMisreadChunked, misreadChunkedValue } from '../wire';
import { CLOSES_AFTER_ANSWER_MS, DEFAULT_TIMEOUT_MS, describeFailure, keepAliveReuseMs, keptAlive, mayReuseConnection, oneShotAgents, unfitForReuse, type HttpFailure } from './http';

/**
 * The one HTTP client's streaming side (src/net/http.ts sends a request whole and reads its answer whole): for a
 * proxy, a request body that is still arriving goes out as it comes, and the answer is handed over at its head,
 * its body a stream the caller passes on. Same trust, failure kinds and words as the client's.
 */
export interface HttpStreamOptions {
  trust?: TlsTrust;
  /** Reuse connections (default true). */
  keepAlive?: boolean;
  /**
   * The longest the server may stay silent on one exchange, nothing sent or received, and the longest it may take
   * from the request's last byte to its final answer's head: interim 1xx answers (102 Processing sent forever)
   * are no answer (RFC 9110 §15.2) and do not hold it off (default 15,000 ms).
   */
  timeoutMs?: number;
}

export interface HttpStreamRequest {
  method: string;
  url: URL;
  /**
   * The request-target to send, as written (origin-form: path and query), when it must reach the server byte for byte;
   * default the URL's path and query, which the URL parser has normalised (`'` in a query becomes `%27`).
   */
  requestTarget?: string;
  /** Told of each interim 1xx answer (RFC 9110 §15.2) before the final one: a proxy forwards them. */
  onInformation?: (interim: { status: number; statusText: string; rawHeaders: readonly string[] }) => void;
  /** Raw header lines (name, value, ...), in their order and spelling, or a record. */
  headers?: readonly string[] | Record<string, string>;
  /** The body: whole, or a stream read as it comes (its error ends the request). */
  body?: Buffer | Readable;
  /**
   * Trailer fields to send after the body (raw lines: name, value, ...), read once the body has ended: a proxy
   * forwards a chunked request's trailer section (RFC 9110 §6.5) as it came. None: the request ends as before.
   */
  trailers?: () => readonly string[];
}

/** An answer at its head: the body is the caller's to read (neither kept nor bounded here). */
export interface HttpStreamedAnswer {
  kind: 'answer';
  status: number;
  statusText: string;
  /** The status line's HTTP version as Node reads it (`1.1`, `1.0`). */
  httpVersion: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  /** Emits 'aborted' or 'error' when the server cuts it short. */
  body: IncomingMessage;
  /**
   * Given when the answer's head carried a tab and a Transfer-Encoding (decision 0812): told the body's first bytes as
   * Node handed them over, it gives the Transfer-Encoding value this Node read as another coding than chunked (a tab
   * after `chunked`: the body would be the chunk lines, decision 0692), undefined when Node read the body as chunked.
   * The caller holds the answer back until it has asked.
   */
  misreadChunked?: (delivered: Buffer) => string | undefined;
}

export interface HttpStream {
  /** The answer's head, or why none came (a silence past the timeout is `timeout`). */
  answer: Promise<HttpStreamedAnswer | HttpFailure>;
  /** Ends the exchange where it stands: the connection goes. */
  abort(): void;
  /** The exchange was ended by the timeout (a silence, or no answer's head in time), its answer's body perhaps begun. */
  readonly timedOut: boolean;
}

export interface HttpStreamer {
  open(request: HttpStreamRequest): HttpStream;
  close(): void;
}

/** What the streamer knows of a pooled connection since its last answer ended (decisions 0127, 0441). */
interface Idle {
  idleSince: number;
  reuseWithinMs?: number;
  /** Its last answer left it to be used again: a pooled connection (not one of its own), HTTP/1.1 without `Connection: close`. */
  kept: boolean;
}

/** The most bytes of an answer's start kept to tell how Node read its framing (a head is 16 KiB at most in Node's parser). */
const HEARD_LIMIT = 256 * 1024;

export function createHttpStreamer(options: HttpStreamOptions = {}): HttpStreamer {
  const keepAlive = options.keepAlive ?? true;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agents: { http?: HttpAgent; https?: HttpsAgent } = {};
  const agentFor = (https: boolean): HttpAgent => {
    if (https) return (agents.https ??= new HttpsAgent({ keepAlive: true, ...tlsOptions(options.trust) }));
    return (agents.http ??= new HttpAgent({ keepAlive: true }));
  };
  const oneShots = oneShotAgents(options.trust);
  const idle = new WeakMap<Socket, Idle>();
  const watched = new WeakSet<Socket>();
  // The target closed a kept-alive connection right after an answer: from then on, a new connection per request (0127).
  let closesAfterAnswer = false;
  // The origins that answered a request written on a reused connection: they keep connections (0494).
  const keepsConnections = new Set<string>();
  let closed = false;

  function open(request: HttpStreamRequest): HttpStream {
    const { url } = request;
    const https = url.protocol === 'https:';
    let req: ClientRequest | undefined;
    let timedOut = false;
    let aborted = false;
    const answer = new Promise<HttpStreamedAnswer | HttpFailure>((resolve) => {
      let sent = false;
      let answered = false;
      const make = https ? httpsRequest : httpRequest;
      const timeout = () => {
        timedOut = true;
        return Object.assign(new Error(`no answer within ${Number((timeoutMs / 1000).toFixed(3))} s`), { code: 'ETIMEDOUT' });
      };
      /**
       * One try: a pooled connection the target already closed, or past its Keep-Alive timeout, is not written onto
       * (0127, 0441; decision 0452): nothing of the request has gone, so it goes on a new connection (`fresh`), body
       * whole. The body is handed to the request only once its connection passed that check.
       */
      const start = (fresh: boolean): void => {
        if (aborted) return void resolve({ kind: 'failure', sent: false, ...describeFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), url) });
        const pooled = keepAlive && !fresh && !closesAfterAnswer && mayReuseConnection(request.method, keepsConnections.has(url.origin));
        const agent = pooled ? agentFor(https) : oneShots.agentFor(https);
        const current = make(
          {
            protocol: url.protocol,
            hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port || undefined,
            method: request.method,
            path: request.requestTarget ?? `${url.pathname}${url.search}`,
            headers: request.headers as Record<string, string>,
            agent,
            ...(https ? tlsOptions(options.trust) : {}),
          },
          (res) => {
            answered = true;
            if (current.reusedSocket) keepsConnections.add(url.origin);
            // Its answer read to the end: the connection is idle from then, for as long as the target said.
            const socket = res.socket;
            res.once('end', () => {
              if (socket) idle.set(socket, { idleSince: Date.now(), reuseWithinMs: keepAliveReuseMs(res.headers['keep-alive']), kept: pooled && keptAlive(res) });
            });
            // The connection's bytes as they came, kept only while a tab in the head, or an empty list element ending
            // its Transfer-Encoding, may mean Node misread its framing.
            const suspect = mayMisreadChunked(res.headers['transfer-encoding'], heard);
            const misreadChunked = suspect
              ? (delivered: Buffer) => {
                  const bytes = Buffer.concat(heard);
                  stopHearing();
                  return misreadChunkedValue(bytes, request.method, delivered, true);
                }
              : undefined;
            if (!suspect) stopHearing();
            resolve({ kind: 'answer', status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', httpVersion: res.httpVersion, headers: res.headers, rawHeaders: res.rawHeaders, body: res, ...(misreadChunked ? { misreadChunked } : {}) });
          },
        );
        req = current;
        let handed = false;
        // What the connection carries from this request on, read before Node's parser (the client's tap, src/net/http.ts):
        // Node's reading of the head trims a tab after Transfer-Encoding's value (decision 0812). Bounded; dropped at
        // the answer's head unless the head had a tab and a Transfer-Encoding.
        const heard: Buffer[] = [];
        let heardBytes = 0;
        let hearing: { socket: Socket; listener: (chunk: Buffer) => void } | undefined;
        const stopHearing = () => {
          hearing?.socket.off('data', hearing.listener);
          hearing = undefined;
          heard.length = 0;
        };
        current.once('close', stopHearing);
        current.on('socket', (socket: Socket) => {
          if (current.reusedSocket && unfitForReuse(socket, idle.get(socket))) {
            current.on('error', () => undefined);
            current.destroy();
            return start(true);
          }
          if (!watched.has(socket)) {
            watched.add(socket);
            // 'close', not 'end' (Node 24 closes a pooled connection on the server's FIN without 'end'), as the client's tap.
            socket.once('close', () => {
              const was = idle.get(socket);
              if (!closed && was?.kept && Date.now() - was.idleSince <= CLOSES_AFTER_ANSWER_MS) closesAfterAnswer = true;
            });
          }
          idle.delete(socket);
          if (handed) return;
          handed = true;
          const listener = (chunk: Buffer) => {
            if (heardBytes > HEARD_LIMIT) return;
            heard.push(chunk);
            heardBytes += chunk.length;
          };
          socket.prependListener('data', listener);
          hearing = { socket, listener };
          writeBody(current);
        });
        // After the head, the body's own stream sees the end ('aborted').
        current.setTimeout(timeoutMs, () => current.destroy(timeout()));
        // From the request's last byte, the final answer's head must come within timeoutMs, whatever 1xx come first.
        let headTimer: NodeJS.Timeout | undefined;
        current.on('finish', () => {
          sent = true;
          if (!answered) headTimer = setTimeout(() => answered || current.destroy(timeout()), timeoutMs);
        });
        current.on('response', () => clearTimeout(headTimer));
        if (request.onInformation) current.on('information', (interim) => request.onInformation?.({ status: interim.statusCode, statusText: interim.statusMessage, rawHeaders: interim.rawHeaders }));
        current.on('close', () => clearTimeout(headTimer));
        current.on('error', (error: NodeJS.ErrnoException) => {
          if (req === current && !answered) resolve({ kind: 'failure', sent, ...describeFailure(error, url) });
        });
      };
      const { body, trailers } = request;
      /** Writes the body and ends the request, its trailer fields after the body when there are any (only a chunked body carries them). */
      const writeBody = (to: ClientRequest): void => {
        const end = (rest?: Buffer): void => {
          const lines = trailers?.() ?? [];
          if (lines.length === 0) return void to.end(rest);
          // Written before the end, so the body goes chunked (RFC 9112 §7.1.2), with no Content-Length of its own.
          if (rest !== undefined && rest.length > 0) to.write(rest);
          const fields: [string, string][] = [];
          for (let i = 0; i + 1 < lines.length; i += 2) fields.push([lines[i], lines[i + 1]]);
          to.addTrailers(fields);
          to.end();
        };
        if (body === undefined || Buffer.isBuffer(body)) end(body);
        else {
          body.once('error', (error) => to.destroy(error));
          body.once('end', () => end());
          body.pipe(to, { end: false });
        }
      };
      // A poll of the connections first, as the client's send: a close the target already sent on an idle connection
      // is read, and that connection not handed out (0127: two turns, so that one poll phase comes between).
      if (keepAlive) setImmediate(() => setImmediate(() => start(false)));
      else start(false);
    });
    return {
      answer,
      abort: () => {
        aborted = true;
        req?.destroy();
      },
      get timedOut() {
        return timedOut;
      },
    };
  }

  return {
    open,
    close: () => {
      closed = true;
      agents.http?.destroy();
      agents.https?.destroy();
    },
  };
}
