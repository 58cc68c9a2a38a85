// The classic Graph client's retry middleware against a provider that throttles and fails: every vppToken is
// created, none twice. Set up over http as tests/real-clients/clients/classic-client.cjs explains.
import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../../src/provider';

class BearerMiddleware implements Middleware {
  private next!: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const headers = ((context.options ??= {}).headers ??= {}) as Record<string, string>;
    headers.Authorization = 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.';
    return this.next.execute(context);
  }
}

it('gets every vppToken created exactly once through 429, 503 and 504 answers and a rate limit', async () => {
  const statuses: number[] = [];
  // retryAfter 0 keeps the drawn failures quick; the rate limit's Retry-After is the rest of its 1 s window. Seed 12
  // draws a 429, a 503 and two 504s among the first creates by itself: whether the rate limit also fires depends on how
  // fast the machine is (seed 2024 drew no 429, so a slow run saw none and failed).
  const provider = await startReferenceProvider({
    faults: { failRate: 0.3, failWith: [429, 503, 504], rateLimit: { requests: 6, seconds: 1 }, seed: 12, retryAfter: 0 },
    onRequest: (_request, status) => statuses.push(status),
  });
  try {
    const bearer = new BearerMiddleware();
    // delay 0: the client's own backoff for a 504 (no Retry-After) is then at most a second or so.
    const retry = new RetryHandler(new RetryHandlerOptions(0, 10));
    bearer.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: provider.url, defaultVersion: 'beta' });

    const sent = createRequestFactory.withSeed(4242).buildList(12);
    const created: { id: string; token: string; '@odata.type': string }[] = [];
    for (const body of sent) created.push(await client.api('/deviceAppManagement/vppTokens').post(body));

    expect(created.map((c) => c.token)).toEqual(sent.map((s) => s.token));
    expect(created.every((c) => c['@odata.type'] === '#microsoft.graph.vppToken')).toBe(true);
    const stored = [...provider.vppTokens.values()];
    expect(stored.map((t) => t.token)).toEqual(sent.map((s) => s.token));
    expect(new Set(stored.map((t) => t.token)).size).toBe(sent.length);
    // The client really was throttled and failed on the way.
    expect(statuses.filter((s) => s === 201)).toHaveLength(sent.length);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503 || s === 504).length).toBeGreaterThan(0);
  } finally {
    await provider.close();
  }
}, 60_000);
