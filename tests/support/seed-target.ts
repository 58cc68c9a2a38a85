// A server for seed tests: answers each request as `decide` says, and remembers what it created.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Decision =
  /** `location`: the Location header the 201 carries, made from the created vppToken's id; none without it. */
  | { kind: 'create'; delayMs?: number; location?: (id: string) => string }
  /** `padding`: that many characters before the echoed credentials in the error message; `stored`: create it first (a gateway's late answer). */
  | { kind: 'status'; status: number; retryAfter?: string; padding?: number; stored?: boolean; date?: string }
  /** Read the request, then drop the connection without creating anything. */
  | { kind: 'read-then-cut' }
  | { kind: 'create-then-cut' }
  /** Create it, and never answer. */
  | { kind: 'create-and-hold' }
  /** Read the request, create nothing, never answer. */
  | { kind: 'hang' }
  /** These bytes as the answer, whatever was sent (nothing is created). */
  | { kind: 'answer'; status: number; contentType?: string; body: string | Buffer; headers?: Record<string, string> };

export interface SeedTarget {
  url: string;
  /** Tokens of the vppTokens created, in order; a duplicate means a record was created twice. */
  created: string[];
  ids: Set<string>;
  /** Time of every request that reached the handler, per token. */
  attempts: Map<string, number[]>;
  close(): Promise<void>;
}

/**
 * `cutConnections`: that many new connections are dropped as they arrive, before any request is read.
 * `tls`: serve https with this key and certificate (PEM).
 */
export async function startSeedTarget(decide: (n: number, token: string) => Decision, port = 0, cutConnections = 0, tls?: { key: string; cert: string }): Promise<SeedTarget> {
  const created: string[] = [];
  const ids = new Set<string>();
  const attempts = new Map<string, number[]>();
  let n = 0;
  const sockets = new Set<Socket>();
  let cutNext = cutConnections;
  // Each vppToken created, as the list answers it (seed's --retry-unknown reads it back first).
  const listed: { id: string; token: string }[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ value: listed }));
        return;
      }
      const token = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string }).token;
      attempts.set(token, [...(attempts.get(token) ?? []), Date.now()]);
      const decision = decide(n++, token);
      const create = () => {
        const id = randomUUID();
        created.push(token);
        ids.add(id);
        listed.push({ id, token });
        return id;
      };
      if (decision.kind === 'create-then-cut') {
        create();
        req.socket.destroy();
      } else if (decision.kind === 'status') {
        if (decision.stored) create();
        res.writeHead(decision.status, { 'Content-Type': 'application/json', ...(decision.retryAfter === undefined ? {} : { 'Retry-After': decision.retryAfter }), ...(decision.date === undefined ? {} : { Date: decision.date }) });
        // Echoes the credentials it got, as a careless server might: vppkit must not pass them on.
        res.end(JSON.stringify({ error: { code: decision.status === 429 ? 'TooManyRequests' : `Status${decision.status}`, message: `${'.'.repeat(decision.padding ?? 0)}answered ${decision.status} for ${token} (${req.headers.authorization ?? 'no Authorization'})` } }));
      } else if (decision.kind === 'read-then-cut') {
        req.socket.destroy();
      } else if (decision.kind === 'create-and-hold') {
        create();
      } else if (decision.kind === 'answer') {
        res.writeHead(decision.status, { ...(decision.contentType === undefined ? {} : { 'Content-Type': decision.contentType }), ...decision.headers }).end(decision.body);
      } else if (decision.kind === 'hang') {
        // never answers
      } else {
        setTimeout(() => {
          const id = create();
          res.writeHead(201, { 'Content-Type': 'application/json', ...(decision.location ? { Location: decision.location(id) } : {}) }).end(JSON.stringify({ id, token }));
        }, decision.delayMs ?? 0);
      }
    });
  };
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (cutNext > 0) {
      cutNext--;
      socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    created,
    ids,
    attempts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
