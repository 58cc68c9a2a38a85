import type { ObservedAnswer } from '../judgement';
import { createHttpClient, type HttpClient, type HttpFailureKind, type TlsTrust } from '../net';

/** What came back: an answer, or why none did (no answer in time, the connection dropped, no trust, no server). */
export type Outcome = { answer: ObservedAnswer; fault?: undefined } | { answer?: undefined; fault: { kind: Exclude<HttpFailureKind, 'abandoned'> | 'too large'; message: string } };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** conform's requests over the kit's one HTTP client (src/net): keep-alive connections to one provider. */
export class Client {
  private readonly http: HttpClient;

  constructor(options: { timeoutMs: number; sockets: number; trust?: TlsTrust; maxBodyBytes?: number }) {
    this.http = createHttpClient({ timeoutMs: options.timeoutMs, sockets: options.sockets, trust: options.trust, maxBodyBytes: options.maxBodyBytes });
  }

  async send(req: HttpRequest): Promise<Outcome> {
    const outcome = await this.http.send(req);
    if (outcome.kind === 'failure') return { fault: { kind: outcome.failure === 'abandoned' ? 'dropped' : outcome.failure, message: outcome.message } };
    if (outcome.truncated) return { fault: { kind: 'too large', message: `the answer's body is over ${outcome.body.length} bytes, more than any answer needs` } };
    return { answer: { status: outcome.status, headers: outcome.headers, body: outcome.body.length ? outcome.body.toString('utf8') : '' } };
  }

  close(): void {
    this.http.close();
  }
}
