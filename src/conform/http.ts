import { readAnswer, type ObservedAnswer } from '../judgement';
import { createHttpClient, tooLargeAnswer, type HttpClient, type HttpFailureKind, type HttpOutcome, type TlsTrust } from '../net';
import type { WireProblem } from '../wire';

/** An answer as this client received it: its headers a record (Node's), which the run reads by name. */
export type ReceivedAnswer = ObservedAnswer & { headers: Record<string, string | string[] | number | undefined>; json?: { value: unknown } };

/**
 * What came back: an answer (its bytes, and as text and JSON when the one reader reads them: codings undone,
 * strict UTF-8 and JSON), or why none did (no answer in time, the connection dropped, no trust, no server).
 */
export type Outcome =
  | { answer: ReceivedAnswer; fault?: undefined }
  | { answer?: undefined; fault: { kind: Exclude<HttpFailureKind, 'abandoned'> | 'too large'; message: string; problem?: WireProblem } };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** The request target as a link wrote it, instead of the URL's serialisation. */
  target?: string;
  /** A value per name; an array sends one line per value. */
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** Bytes the reader could not take as text, as a report shows them: UTF-8 text as it is, other bytes (gzip) by their size. */
function shownBytes(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `<${bytes.length} bytes, not UTF-8 text>`;
  }
}

/** conform's requests over the kit's one HTTP client (src/net): keep-alive connections to one provider. */
export class Client {
  private readonly http: HttpClient;

  constructor(options: { timeoutMs: number; sockets: number; trust?: TlsTrust; maxBodyBytes?: number }) {
    this.http = createHttpClient({ timeoutMs: options.timeoutMs, sockets: options.sockets, trust: options.trust, maxBodyBytes: options.maxBodyBytes });
  }

  async send(req: HttpRequest): Promise<Outcome> {
    return this.outcomeOf(await this.http.send(this.asSent(req)));
  }

  /** The request sent to prove the provider keeps connections (HttpClient.proveKeptConnections); undefined when none was sent. */
  async proveKeptConnections(req: HttpRequest): Promise<Outcome | undefined> {
    const outcome = await this.http.proveKeptConnections(this.asSent(req));
    return outcome && this.outcomeOf(outcome);
  }

  // Graph compresses when asked, as real clients do ask: a compressed answer must be read as well as a plain one.
  private asSent(req: HttpRequest): HttpRequest {
    return { ...req, headers: { 'Accept-Encoding': 'gzip, deflate, br', ...req.headers } };
  }

  private outcomeOf(outcome: HttpOutcome): Outcome {
    if (outcome.kind === 'failure') return { fault: { kind: outcome.failure === 'abandoned' ? 'dropped' : outcome.failure, message: outcome.message, ...(outcome.problem ? { problem: outcome.problem } : {}) } };
    if (outcome.truncated) return { fault: { kind: 'too large', message: tooLargeAnswer(outcome.body.length) } };
    // The bytes and header lines as they came: the judgement reads them strictly (src/wire), codings undone.
    const { status, headers, rawHeaders, body: bytes, extraBytes, cut, rawTrailers, statusText, httpVersion, interim } = outcome;
    // The answer the judgement is given is the one read here: it reads it again for nothing (readAnswer, decision 0306).
    const answer: ReceivedAnswer = { status, headers, rawHeaders, bytes, body: undefined, ...(extraBytes ? { extraBytes } : {}), ...(cut ? { cut } : {}), ...(rawTrailers ? { rawTrailers } : {}), ...(statusText ? { statusText } : {}), httpVersion, ...(interim ? { interim } : {}) };
    const read = readAnswer(answer);
    answer.body = read.text ?? shownBytes(bytes);
    answer.json = read.json;
    return { answer };
  }

  /** Drops every request in flight, and any later one (the run's signal aborted). */
  abandon(): void {
    this.http.abandon();
  }

  close(): void {
    this.http.close();
  }
}
