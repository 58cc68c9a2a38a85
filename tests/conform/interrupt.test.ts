// conform stops when its signal aborts (decision 0357): a run that goes on after its caller is gone (a test that
// timed out, a program that gave up) kept sending to a provider that kept answering, into the next test file.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conform, ConformSetupError } from 'vpptokens-contract-kit/conform';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';

it('sends no request once its signal aborts, and says what it judged before', async () => {
  const stop = new AbortController();
  let arrived = 0;
  let afterAbort = 0;
  const provider = await startReferenceProvider({
    bodyLimit: 64 * 1024,
    onRequest: () => {
      arrived++;
      if (stop.signal.aborted) afterAbort++;
      else if (arrived === 40) stop.abort();
    },
  });
  try {
    const result = await conform({ providerBaseUrl: provider.url, seed: 357, runs: 30, concurrency: 4, bodyLimit: 64 * 1024, signal: stop.signal });
    expect(result.stopped).toMatch(/^interrupted: \d+ of \d+ requests judged$/);
    expect(result.summary).toContain('(stopped: interrupted: ');
    // Those in flight when it aborted may still arrive (one of each worker, and a create's read-back); nothing else.
    expect(afterAbort).toBeLessThanOrEqual(4);
    expect(result.cases).toBeLessThan(40);
    expect(result.notes).toContain('the collection was not read: interrupted');
  } finally {
    await provider.close();
  }
});

it('ends a throttling wait when its signal aborts', async () => {
  const stop = new AbortController();
  // Every create is throttled for an hour; the collection answers, so the run gets to its creates.
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
      return;
    }
    res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' }).end('{"error":{"code":"TooManyRequests","message":"later"}}');
    stop.abort();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const run = conform({ providerBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/beta`, seed: 357, runs: 1, concurrency: 1, maxThrottleWaitMs: 7_200_000, signal: stop.signal });
    await expect(run).rejects.toThrow(new ConformSetupError('conform judged no request: interrupted before the first one could be sent and judged'));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

it('sends nothing when its signal was aborted before it started', async () => {
  let arrived = 0;
  const provider = await startReferenceProvider({ onRequest: () => arrived++ });
  try {
    await expect(conform({ providerBaseUrl: provider.url, runs: 1, signal: AbortSignal.abort() })).rejects.toThrow(new ConformSetupError('conform was interrupted before it judged a request'));
    expect(arrived).toBe(0);
  } finally {
    await provider.close();
  }
});
