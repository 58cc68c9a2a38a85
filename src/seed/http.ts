import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { tlsOptions, type TlsTrust } from '../net';

export type PostOutcome =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: string }
  /** `sent`: the whole request had been handed to the network when the connection failed. */
  | { kind: 'error'; sent: boolean; code: string; message: string };

export interface Poster {
  post(body: string, headers: Record<string, string>): Promise<PostOutcome>;
  /** Drops every request in flight where it stands, and any later one, with code EABANDONED. */
  abandon(): void;
  close(): void;
}

/** A keep-alive POST client for one URL, with at most `sockets` connections and a per-request timeout. */
export function createPoster(url: URL, sockets: number, timeoutMs: number, trust?: TlsTrust): Poster {
  const https = url.protocol === 'https:';
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: sockets, ...tlsOptions(trust) }) : new HttpAgent({ keepAlive: true, maxSockets: sockets });
  const send = https ? httpsRequest : httpRequest;
  // A Set rather than an abort listener per request: EventTarget listeners cost more than the request's own work.
  const inFlight = new Set<ClientRequest>();
  let abandoned = false;
  const abandonError = () => Object.assign(new Error('abandoned while in flight'), { code: 'EABANDONED' });
  return {
    post: (body, headers) =>
      new Promise((resolve) => {
        let sent = false;
        let settled = false;
        const settle = (outcome: PostOutcome) => {
          if (!settled) {
            settled = true;
            inFlight.delete(req);
            resolve(outcome);
          }
        };
        const req = send(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => settle({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', sent: true, code: error.code ?? 'ERESPONSE', message: error.message }));
        });
        req.on('finish', () => (sent = true));
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
        req.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', sent, code: error.code ?? 'EREQUEST', message: error.message }));
        inFlight.add(req);
        if (abandoned) req.destroy(abandonError());
        else req.end(body);
      }),
    abandon: () => {
      abandoned = true;
      for (const req of inFlight) req.destroy(abandonError());
    },
    close: () => agent.destroy(),
  };
}

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
