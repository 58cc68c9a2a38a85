import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tlsOptions, tlsProblem, type TlsTrust } from '../net';

/**
 * Pact's provider-state protocol, relayed (decision 0075): Pact's verifier POSTs `{ state, params, action }` to
 * the relay before each interaction (action `setup`) and after it (`teardown`); the relay POSTs the same body to
 * the user's set-up URL with a bound on time and the kit's certificate trust, and answers Pact with what came
 * back. A set-up that does not answer 2xx is kept with why, so verify reports it as set-up, not as a contract
 * failure. A set-up URL that does not answer at all (a timeout, a refused connection) is a lasting failure:
 * every later call fails at once and verify ends with that one line.
 */
export interface StateChangeRelay {
  /** The relay's own address, for Pact's providerStatesSetupUrl. */
  url: string;
  /** Why the last `action` (setup, teardown) of `state` failed; else the last of that action (several states at once). */
  failureOf(action: string, state: string): string | undefined;
  /** The first lasting failure, as one line; undefined while all is well. */
  lasting(): string | undefined;
  close(): Promise<void>;
}

interface StateChange {
  state?: unknown;
  action?: unknown;
}

const MAX_BODY = 1024 * 1024;

export async function startStateChangeRelay(target: URL, options: { timeoutMs: number; tls?: TlsTrust }): Promise<StateChangeRelay> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const tls = target.protocol === 'https:' ? tlsOptions(options.tls) : {};
  const failures = new Map<string, string>();
  const lastOf = new Map<string, string>();
  let lasting: string | undefined;
  const sockets = new Set<Socket>();
  const shown = `${target.origin}${target.pathname}`;

  const relay = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let change: StateChange = {};
      try {
        change = JSON.parse(body.toString('utf8')) as StateChange;
      } catch {
        // Pact always sends JSON; anything else is relayed as it came.
      }
      const action = typeof change.action === 'string' ? change.action : 'setup';
      const state = typeof change.state === 'string' ? change.state : '';
      const failed = (why: string, isLasting = false) => {
        if (isLasting) lasting ??= why;
        failures.set(`${action} ${state}`, why);
        lastOf.set(action, why);
        // 424, not 5xx: Pact's core retries a state change that answered 5xx (pact-js 17: 8 times with a growing
        // back-off, about two minutes), and the kit has already given the set-up URL its one chance.
        if (!res.headersSent) res.writeHead(424, { 'content-type': 'text/plain' }).end(`vppkit: ${why}\n`);
      };
      if (lasting) return failed(lasting);
      const what = `POST ${shown} (${action} of ${JSON.stringify(state)})`;
      const out = send({
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port || undefined,
        method: 'POST',
        path: `${target.pathname}${target.search}`,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': String(body.length) },
        ...tls,
      });
      out.setTimeout(options.timeoutMs, () => {
        out.destroy();
        failed(`the provider-states set-up URL did not answer ${what} within ${options.timeoutMs / 1000} s (--timeout)`, true);
      });
      out.on('error', (error: NodeJS.ErrnoException) => failed(tlsProblem(error, target) ?? `the provider-states set-up URL failed on ${what}: ${error.code ?? error.message}`, true));
      out.on('response', (answer) => {
        const back: Buffer[] = [];
        let backSize = 0;
        answer.on('data', (chunk: Buffer) => {
          backSize += chunk.length;
          if (backSize <= MAX_BODY) back.push(chunk);
        });
        answer.on('error', () => failed(`the provider-states set-up URL dropped its answer to ${what}`));
        answer.on('end', () => {
          const status = answer.statusCode ?? 0;
          const text = Buffer.concat(back);
          if (status >= 200 && status < 300) {
            // The answer may carry values for the interaction (Pact's provider-state-injected values): passed on.
            const type = answer.headers['content-type'];
            res.writeHead(200, type ? { 'content-type': type } : {}).end(text);
            return;
          }
          const excerpt = text.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
          failed(`${what} answered ${status}${excerpt ? `: ${excerpt}` : ''}`);
        });
      });
      out.end(body);
    });
  };

  const server = createServer(relay);
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
    url: `http://127.0.0.1:${port}/`,
    failureOf: (action, state) => failures.get(`${action} ${state}`) ?? lastOf.get(action),
    lasting: () => lasting,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
