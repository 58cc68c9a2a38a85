// Interim 1xx answers are no answer (RFC 9110 §15.2): a target that sends 102 Processing forever never gave the
// proxy's --timeout a chance to fire, and the run "passed" (outside tester G19). The final head must come within
// the timeout from the request's last byte, whatever 1xx come first; a 1xx followed by its answer still passes.
import { createServer, request, type ServerResponse } from 'node:http';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startJudgingProxy } from 'vpptokens-contract-kit/proxy';
import { listenOnLoopback } from '../support/listen';

const HEADERS = { 'Content-Type': 'application/json', Authorization: 'Bearer eyJhbGciOiJub25lIn0.aW50ZXJpbQ.' };

function send(url: string, method: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: HEADERS, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A target that answers 102 Processing every 20 ms; `finally` ends with a 200 after the first one. */
async function processingTarget(final: boolean) {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res: ServerResponse) => {
    req.resume().on('end', () => {
      res.writeProcessing();
      if (final) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value":[]}');
      const timer = setInterval(() => res.writeProcessing(), 20);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
  });
  const listening = await listenOnLoopback(server);
  return { url: listening.url, close: async () => (timers.forEach(clearInterval), await listening.close()) };
}

it('the proxy answers 504 and blames the provider when a target sends only 102 Processing, past --timeout', async () => {
  const target = await processingTarget(false);
  const proxy = await startJudgingProxy({ target: target.url, timeoutMs: 200 });
  try {
    const answer = await send(`${proxy.url}/beta/deviceAppManagement/vppTokens`, 'POST', JSON.stringify(createRequestFactory.withSeed(5).buildAt(0)));
    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.body).error).toMatchObject({ code: 'GatewayTimeout', message: 'vppkit proxy: the target did not answer within 0.2 s (--timeout)' });
    expect(proxy.violations.map((v) => [v.side, v.check, v.where])).toEqual([['provider', 'not a server error', 'connection']]);
  } finally {
    await proxy.close();
    await target.close();
  }
});

it('the proxy passes on the final answer that follows a 102 Processing', async () => {
  const target = await processingTarget(true);
  const proxy = await startJudgingProxy({ target: target.url, timeoutMs: 200 });
  try {
    expect(await send(`${proxy.url}/beta/deviceAppManagement/vppTokens`, 'GET')).toEqual({ status: 200, body: '{"value":[]}' });
    expect(proxy.violations).toEqual([]);
  } finally {
    await proxy.close();
    await target.close();
  }
});
