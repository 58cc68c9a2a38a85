// The relay of Pact's provider-state calls (src/verification/states.ts), in-process and without Pact: what it
// passes on, how it words a set-up that failed, and which failures are lasting (decision 0075).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { startStateChangeRelay, type StateChangeRelay } from '../../src/verification/states';
import { listenOnLoopback } from '../support/listen';

/** POSTs a state change to the relay as Pact does, and reads the relay's answer. */
function post(relay: StateChangeRelay, change: object): Promise<{ status: number; type?: string; body: string }> {
  const body = JSON.stringify(change);
  return new Promise((resolve, reject) => {
    const req = request(relay.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function setupUrl(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const seen: { body: string; type?: string }[] = [];
  const server = await listenOnLoopback(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ body, type: req.headers['content-type'] });
        handler(req, body, res);
      });
    }),
  );
  return { ...server, seen };
}

const setup = { state: 'a tenant that can add VPP tokens', params: { n: 1 }, action: 'setup' };

describe('the provider-state relay', () => {
  it('posts the same body to the set-up URL and hands a 2xx answer back to Pact with its type', async () => {
    const target = await setupUrl((_req, _body, res) => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"7"}'));
    const relay = await startStateChangeRelay(new URL(`${target.url}/states?x=1`), { timeoutMs: 5000 });
    try {
      expect(await post(relay, setup)).toEqual({ status: 200, type: 'application/json', body: '{"id":"7"}' });
      expect(target.seen).toEqual([{ body: JSON.stringify(setup), type: 'application/json' }]);
      expect([relay.failureOf('setup', setup.state), relay.lasting()]).toEqual([undefined, undefined]);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  it('keeps a set-up that answered other than 2xx as that state\'s failure, without stopping later calls', async () => {
    let status = 503;
    const target = await setupUrl((_req, _body, res) => res.writeHead(status).end('tenant\n database   is down'));
    const relay = await startStateChangeRelay(new URL(`${target.url}/states`), { timeoutMs: 5000 });
    try {
      const answer = await post(relay, setup);
      const why = `POST ${target.url}/states (setup of "a tenant that can add VPP tokens") answered 503: tenant database is down`;
      expect(answer).toEqual({ status: 424, type: 'text/plain', body: `vppkit: ${why}\n` });
      expect(relay.failureOf('setup', setup.state)).toBe(why);
      expect(relay.failureOf('setup', 'another state')).toBe(why);
      expect(relay.failureOf('teardown', setup.state)).toBeUndefined();
      expect(relay.lasting()).toBeUndefined();
      status = 204;
      expect((await post(relay, { ...setup, action: 'teardown' })).status).toBe(200);
      expect(target.seen).toHaveLength(2);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  // Outside tester G23: a 424 for a teardown made Pact's core throw away the verdict it had already reached.
  it('keeps a teardown that answered other than 2xx, and tells Pact it went well', async () => {
    const target = await setupUrl((_req, _body, res) => res.writeHead(500).end('cleanup failed'));
    const relay = await startStateChangeRelay(new URL(`${target.url}/states`), { timeoutMs: 5000 });
    try {
      expect(await post(relay, { ...setup, action: 'teardown' })).toEqual({ status: 200, type: 'application/json', body: '{}' });
      const why = `POST ${target.url}/states (teardown of "a tenant that can add VPP tokens") answered 500: cleanup failed`;
      expect([relay.teardownFailures(), relay.failureOf('teardown', setup.state), relay.lasting()]).toEqual([[why], why, undefined]);
      expect((await post(relay, setup)).status).toBe(424);
      expect(relay.teardownFailures()).toEqual([why]);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  it('makes a set-up URL that does not answer in time a lasting failure: later calls fail at once', async () => {
    const target = await setupUrl(() => undefined);
    const relay = await startStateChangeRelay(new URL(`${target.url}/states`), { timeoutMs: 100 });
    try {
      const why = `the provider-states set-up URL did not answer POST ${target.url}/states (setup of "a tenant that can add VPP tokens") within 0.1 s (--timeout)`;
      expect(await post(relay, setup)).toEqual({ status: 424, type: 'text/plain', body: `vppkit: ${why}\n` });
      expect(relay.lasting()).toBe(why);
      expect(await post(relay, { ...setup, action: 'teardown' })).toMatchObject({ status: 424, body: `vppkit: ${why}\n` });
      expect(target.seen).toHaveLength(1);
      expect(relay.failureOf('teardown', setup.state)).toBe(why);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  // Found by an outside tester (F15): a set-up URL that trickles its answer, a byte at a time, kept verify waiting
  // for --total-timeout. --timeout bounds the whole exchange, the body included, not the gap between bytes.
  it('makes a set-up URL that trickles its answer past the timeout the same lasting failure', async () => {
    const drips = new Set<NodeJS.Timeout>();
    const target = await setupUrl((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '400' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 20);
      drips.add(drip);
    });
    const relay = await startStateChangeRelay(new URL(`${target.url}/states`), { timeoutMs: 100 });
    try {
      const why = `the provider-states set-up URL did not answer POST ${target.url}/states (setup of "a tenant that can add VPP tokens") within 0.1 s (--timeout)`;
      expect(await post(relay, setup)).toEqual({ status: 424, type: 'text/plain', body: `vppkit: ${why}\n` });
      expect(relay.lasting()).toBe(why);
    } finally {
      for (const drip of drips) clearInterval(drip);
      await relay.close();
      await target.close();
    }
  });

  it('makes a refused connection a lasting failure naming the code', async () => {
    const closed = await listenOnLoopback(createServer());
    await closed.close();
    const relay = await startStateChangeRelay(new URL(`${closed.url}/states`), { timeoutMs: 5000 });
    try {
      const why = `the provider-states set-up URL failed on POST ${closed.url}/states (setup of "a tenant that can add VPP tokens"): ECONNREFUSED`;
      expect((await post(relay, setup)).body).toBe(`vppkit: ${why}\n`);
      expect(relay.lasting()).toBe(why);
    } finally {
      await relay.close();
    }
  });

  it('fails a set-up whose answer was cut short, without making it lasting', async () => {
    const target = await setupUrl((_req, _body, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      setImmediate(() => res.socket?.destroy());
    });
    const relay = await startStateChangeRelay(new URL(`${target.url}/states`), { timeoutMs: 5000 });
    try {
      const why = `the provider-states set-up URL dropped its answer to POST ${target.url}/states (setup of "a tenant that can add VPP tokens")`;
      expect(await post(relay, setup)).toMatchObject({ status: 424, body: `vppkit: ${why}\n` });
      expect([relay.failureOf('setup', setup.state), relay.lasting()]).toEqual([why, undefined]);
    } finally {
      await relay.close();
      await target.close();
    }
  });

  it('closes with a connection from Pact still open', async () => {
    let arrived: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const target = await setupUrl(() => arrived());
    const relay = await startStateChangeRelay(new URL(`${target.url}/states`), { timeoutMs: 60_000 });
    const pending = post(relay, setup).catch((error: Error) => error);
    await reached;
    await relay.close();
    expect(await pending).toHaveProperty('code', 'ECONNRESET');
    await target.close();
  });
});
