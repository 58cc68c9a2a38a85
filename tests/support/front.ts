import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { verifyProvider, type VerifyOptions } from 'vpptokens-contract-kit/provider';
import { forwardedHeaders } from '../../src/proxy/capture';
import { listenOnLoopback } from './listen';

/**
 * A front before `target` (a provider at a URL): each request is read whole, then `intercept` may answer it
 * itself (returning true); any other is passed on as it came, its header lines as the kit's proxy forwards them (in
 * their order and spelling, a field given twice twice, Host included, without the connection's own), and its answer
 * passed back as it came.
 * `silentConnections()` counts the connections that sent no byte: reachability probes (src/net/reach.ts).
 */
export async function frontOf(target: { url: string }, intercept: (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (intercept(req, res, body)) return;
      const out = request(`${target.url}${req.url}`, { method: req.method, headers: forwardedHeaders(req.rawHeaders) }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      });
      out.end(body);
    });
  });
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  return { ...(await listenOnLoopback(server)), silentConnections: () => sockets.filter((socket) => socket.bytesRead === 0).length };
}

/**
 * A front that relays each request to `target` and its answer back, its head without the connection's own fields,
 * after `beforeAnswer` has written what it will on the connection first (an interim 1xx answer, say).
 */
export function relayFront(target: { url: string }, beforeAnswer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  return frontOf(target, (req, res, body) => {
    const out = request(`${target.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      beforeAnswer(req, res, body);
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders.filter((_, i, lines) => !/^(transfer-encoding|connection|keep-alive)$/i.test(lines[i - (i % 2)])));
      answer.pipe(res);
    });
    out.end(body);
    return true;
  });
}

/** verifyProvider through `front` at its /beta, `front` closed after, whatever the verification did. */
export async function verifiedThrough(front: { url: string; close: () => Promise<void> }, options: Omit<VerifyOptions, 'providerBaseUrl'>) {
  try {
    return await verifyProvider({ providerBaseUrl: `${front.url}/beta`, ...options });
  } finally {
    await front.close();
  }
}
