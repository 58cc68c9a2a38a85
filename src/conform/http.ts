import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ObservedAnswer } from '../judgement';
import { readMessage } from '../wire';

/** What came back: an answer, or why none did (no answer in time, or the connection was dropped). */
export type Outcome = { answer: ObservedAnswer; fault?: undefined } | { answer?: undefined; fault: { kind: 'timeout' | 'dropped' | 'unreachable'; message: string } };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** A value per name; an array sends one line per value. */
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** The answer as the one reader takes it (raw header lines, bytes), with its body as text for reports. */
function answerOf(response: IncomingMessage, bytes: Buffer): ObservedAnswer {
  const read = readMessage({ headers: response.rawHeaders, bytes });
  return { status: response.statusCode ?? 0, headers: response.headers, rawHeaders: response.rawHeaders, bytes, body: read.text ?? bytes.toString('utf8') };
}

/** Keep-alive connections to one provider, at most `sockets` at once; every request has a timeout. */
export class Client {
  private readonly agent: HttpAgent;

  constructor(
    private readonly timeoutMs: number,
    sockets: number,
    https: boolean,
  ) {
    this.agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: sockets }) : new HttpAgent({ keepAlive: true, maxSockets: sockets });
  }

  send(req: HttpRequest): Promise<Outcome> {
    return new Promise((resolve) => {
      let settled = false;
      let response: IncomingMessage | undefined;
      const chunks: Buffer[] = [];
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const answered = () =>
        finish({ answer: answerOf(response!, Buffer.concat(chunks)) });
      const headers: Record<string, string | string[]> = { ...req.headers };
      if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
      const make = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = make(req.url, { method: req.method, headers, agent: this.agent }, (res) => {
        response = res;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', answered);
        res.on('error', () => answered());
      });
      const timer = setTimeout(() => {
        finish({ fault: { kind: 'timeout', message: `no answer within ${this.timeoutMs / 1000} s` } });
        outgoing.destroy();
      }, this.timeoutMs);
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        // A server may answer (413) and close before the whole body is written: the answer counts.
        if (response) {
          if (response.complete) answered();
          else response.once('end', answered).once('close', answered);
          return;
        }
        const code = error.code ?? error.message;
        const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
        finish({ fault: { kind: unreachable ? 'unreachable' : 'dropped', message: unreachable ? `cannot connect (${code})` : `the connection was dropped without an answer (${code})` } });
      });
      outgoing.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
