import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHttpClient, listen, type TlsTrust } from '../net';

/**
 * Pact's provider-state protocol, relayed (decision 0075): Pact's verifier POSTs `{ state, params, action }` to
 * the relay before each interaction (action `setup`) and after it (`teardown`); the relay POSTs the same body to
 * the user's set-up URL with a bound on time and the kit's certificate trust, and answers Pact with what came
 * back. A set-up that does not answer 2xx is kept with why, so verify reports it as set-up, not as a contract
 * failure. A teardown that does not answer 2xx is kept too, but Pact is answered 200: the interaction was already
 * judged, and Pact's core would throw its verdict away for a failed teardown (decision 0176). A set-up URL that
 * does not answer at all (a timeout, a refused connection) is a lasting failure: every later call fails at once
 * and verify ends with that one line.
 */
export interface StateChangeRelay {
  /** The relay's own address, for Pact's providerStatesSetupUrl. */
  url: string;
  /** Why the last `action` (setup, teardown) of `state` failed; else the last of that action (several states at once). */
  failureOf(action: string, state: string): string | undefined;
  /** The first lasting failure, as one line; undefined while all is well. */
  lasting(): string | undefined;
  /** Why each teardown that failed (without a lasting failure) failed, in the order Pact asked for them. */
  teardownFailures(): string[];
  close(): Promise<void>;
}

interface StateChange {
  state?: unknown;
  action?: unknown;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function startStateChangeRelay(target: URL, options: { timeoutMs: number; tls?: TlsTrust }): Promise<StateChangeRelay> {
  // The kit's one HTTP client (src/net): its trust, its timeout per request, its bound on an answer's body.
  const client = createHttpClient({ trust: options.tls, timeoutMs: options.timeoutMs, maxBodyBytes: MAX_BODY });
  const failures = new Map<string, string>();
  const lastOf = new Map<string, string>();
  let lasting: string | undefined;
  const teardowns: string[] = [];
  const shown = `${target.origin}${target.pathname}`;

  const relay = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
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
      if (action === 'teardown' && !lasting) {
        teardowns.push(why);
        if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      // 424, not 5xx: Pact's core retries a state change that answered 5xx (pact-js 17: 8 times with a growing
      // back-off, about two minutes), and the kit has already given the set-up URL its one chance.
      if (!res.headersSent) res.writeHead(424, { 'content-type': 'text/plain' }).end(`vppkit: ${why}\n`);
    };
    if (lasting) return failed(lasting);
    const what = `POST ${shown} (${action} of ${JSON.stringify(state)})`;
    const outcome = await client.send({ method: 'POST', url: target, headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
    if (outcome.kind === 'failure') {
      if (outcome.failure === 'abandoned') return res.destroy();
      if (outcome.failure === 'timeout') return failed(`the provider-states set-up URL did not answer ${what} within ${options.timeoutMs / 1000} s (--timeout)`, true);
      return failed(outcome.failure === 'tls' ? outcome.message : `the provider-states set-up URL failed on ${what}: ${outcome.code}`, true);
    }
    if (outcome.cut) return failed(`the provider-states set-up URL dropped its answer to ${what}`);
    if (outcome.status >= 200 && outcome.status < 300) {
      // The answer may carry values for the interaction (Pact's provider-state-injected values): passed on.
      const type = outcome.headers['content-type'];
      res.writeHead(200, type ? { 'content-type': type } : {}).end(outcome.body);
      return;
    }
    const excerpt = outcome.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
    failed(`${what} answered ${outcome.status}${excerpt ? `: ${excerpt}` : ''}`);
  };

  const server = await listen(createServer((req, res) => void relay(req, res).catch(() => res.destroy())));
  return {
    url: `${server.url}/`,
    failureOf: (action, state) => failures.get(`${action} ${state}`) ?? lastOf.get(action),
    lasting: () => lasting,
    teardownFailures: () => [...teardowns],
    close: async () => {
      client.abandon();
      client.close();
      await server.close();
    },
  };
}
