import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tlsOptions, tlsProblem, type TlsTrust } from '../net';

/**
 * A local http forwarder between Pact's verifier and the provider under test (decision 0021). pact-js's own
 * proxy neither verifies certificates nor bounds a request, and a provider that stops answering made a
 * verification take minutes and never exit. Every request here gets `timeoutMs`; the first lasting failure (a
 * timeout, an untrusted certificate, a refused connection) is kept, and every later request is answered at
 * once with 502, so the verification ends quickly and the caller reports that one failure.
 */
/** One request and its answer as they crossed the forwarder: raw header lines and bytes (the one reader's input). */
export interface ForwardedExchange {
  method: string;
  /** The path Pact asked for, without the provider's base path. */
  path: string;
  requestRawHeaders: string[];
  requestBytes: Buffer;
  status: number;
  rawHeaders: string[];
  /** The answer's bytes as the provider sent them (content coding included). */
  bytes: Buffer;
  receivedAt: Date;
}

export interface Forwarder {
  /** The forwarder's own address, for Pact (http, no path). */
  url: string;
  /** The first lasting failure, as one line; undefined while all is well. */
  failure(): string | undefined;
  close(): Promise<void>;
}

/** Hop-by-hop header lines (RFC 9110 §7.6.1): each connection has its own, so they are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export async function startForwarder(
  target: URL,
  options: { timeoutMs: number; tls?: TlsTrust; onExchange?: (exchange: ForwardedExchange) => void },
): Promise<Forwarder> {
  const basePath = target.pathname.replace(/\/+$/, '');
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const tls = target.protocol === 'https:' ? tlsOptions(options.tls) : {};
  let failure: string | undefined;
  const upstream = new Set<ClientRequest>();
  const sockets = new Set<Socket>();

  const refuse = (res: ServerResponse) => {
    if (res.headersSent) res.destroy();
    else res.writeHead(502, { 'content-type': 'text/plain' }).end(`vppkit: ${failure}\n`);
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    if (failure) return refuse(res);
    const path = `${basePath}${req.url ?? '/'}`;
    const headers = { ...req.headers, host: target.host };
    const out = send({ protocol: target.protocol, hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: target.port || undefined, method: req.method, path, headers, ...tls });
    upstream.add(out);
    const fail = (why: string) => {
      failure ??= why;
      out.destroy();
      refuse(res);
    };
    // No answer (or a stalled body) within the bound is a lasting failure: the provider hangs.
    out.setTimeout(options.timeoutMs, () => fail(`the provider at ${target.origin} did not answer ${req.method} ${path} within ${options.timeoutMs / 1000} s (--timeout)`));
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (res.writableEnded) return;
      fail(tlsProblem(error, target) ?? `the provider at ${target.origin} failed on ${req.method} ${path}: ${error.code ?? error.message}`);
    });
    const sent: Buffer[] = [];
    req.on('data', (chunk: Buffer) => sent.push(chunk));
    out.on('response', (answer) => {
      // Every header line as the provider sent it, repeats kept, so that Pact and the judgement see the same.
      const lines: string[] = [];
      for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.has(answer.rawHeaders[i].toLowerCase())) lines.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
      }
      res.writeHead(answer.statusCode ?? 502, lines);
      const received: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => received.push(chunk));
      answer.on('end', () =>
        options.onExchange?.({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          requestRawHeaders: req.rawHeaders,
          requestBytes: Buffer.concat(sent),
          status: answer.statusCode ?? 0,
          rawHeaders: answer.rawHeaders,
          bytes: Buffer.concat(received),
          receivedAt: new Date(),
        }),
      );
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    out.on('close', () => upstream.delete(out));
    req.pipe(out);
  };

  const server = createServer(forward);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failure: () => failure,
    close: async () => {
      for (const out of upstream) out.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
