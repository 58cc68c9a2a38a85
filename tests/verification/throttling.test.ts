// verify is fair to a provider that throttles like Graph (outside tester I14, decision 0210): a 429 or 503 with
// Retry-After means the request was not processed (RFC 6585 §4; Graph's throttling guidance: wait as Retry-After
// says, then send again). The forwarder waits, bounded, sends the same request again and hands Pact the answer
// after the throttling; a provider that throttles forever or past the bound ends the run (exit 2) saying so.
// The waits are read and waited by a clock that moves when waited on (`clock`, decision 0316): no real second passes,
// and each test asserts the clock moved by the time the run says it waited.
import { PassThrough } from 'node:stream';
import { VerificationSetupError, startReferenceProvider, verifyInWorker, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { movingClock } from '../conform/providers';
import { frontOf } from '../support/front';
import { run as vppkit } from '../support/run-cli';

/** What the front answers to its n-th request (from 1) instead of passing it on; undefined passes it on. */
type Throttling = (n: number) => { status: 429 | 503; retryAfter?: string; date?: string } | undefined;

/** The reference provider behind a front that throttles as `throttling` says. */
async function throttlingFront(target: ReferenceProvider, throttling: Throttling) {
  let n = 0;
  const listening = await frontOf(target, (_req, res) => {
    const throttled = throttling(++n);
    if (!throttled) return false;
    const body = JSON.stringify({ error: { code: throttled.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: 'Throttled.', innerError: {} } });
    res.writeHead(throttled.status, { 'Content-Type': 'application/json', ...(throttled.retryAfter === undefined ? {} : { 'Retry-After': throttled.retryAfter }), ...(throttled.date === undefined ? {} : { Date: throttled.date }) });
    res.end(body);
    return true;
  });
  return { ...listening, requests: () => n };
}

let target: ReferenceProvider;
let creates = 0;
beforeAll(async () => {
  target = await startReferenceProvider({ onRequest: () => void creates++ });
});
afterAll(async () => {
  await target.close();
});

describe('verify waits out throttling as conform does', () => {
  it('passes a provider that answers 429 and 503 with Retry-After (seconds, a date), then 201, and reports the time spent', async () => {
    // A date already past asks for no wait (RFC 9110 §10.2.3); `1` for one second.
    const throttles: Record<number, { status: 429 | 503; retryAfter: string }> = { 1: { status: 429, retryAfter: '1' }, 2: { status: 503, retryAfter: 'Sun, 06 Nov 1994 08:49:37 GMT' }, 5: { status: 429, retryAfter: '0' } };
    const front = await throttlingFront(target, (n) => throttles[n]);
    const before = creates;
    const clock = movingClock();
    try {
      const verified = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, clock });
      expect(verified.interactions.flatMap((i) => i.mismatches)).toEqual([]);
      expect(verified.passed).toBe(true);
      // Every interaction reached the provider once, after its throttling.
      expect(creates - before).toBe(verified.interactions.length);
      expect(front.requests()).toBe(verified.interactions.length + 3);
      expect(verified.throttling).toEqual({ answers: 3, waitedMs: expect.any(Number), maxWaitMs: 120_000 });
      // Retry-After: 1 waited on the run's clock; the date, long past on it, and 0 asked for no wait.
      expect(verified.throttling!.waitedMs).toBe(1000);
      expect(clock.advancedMs).toBe(1000);
      expect(verified.summary).toMatch(/: 18 passed, 0 failed; throttled: 3 answers \(429, or 503 with Retry-After\), each request sent again after waiting; 1\.0 s spent waiting \(at most 120 s\)$/);
    } finally {
      await front.close();
    }
  });

  // Outside tester R17 (decision 0450): the HTTP-date is the provider's clock, an hour ahead of ours; with its Date, it asks for 1 s.
  it("reads an HTTP-date Retry-After against the answer's Date: a provider whose clock is off is waited as it asked", async () => {
    const ahead = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;
    const front = await throttlingFront(target, (n) => (n === 1 ? { status: 429, retryAfter: new Date(ahead + 1000).toUTCString(), date: new Date(ahead).toUTCString() } : undefined));
    const clock = movingClock();
    try {
      const verified = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token', clock });
      expect(verified.passed).toBe(true);
      expect(verified.throttling).toEqual({ answers: 1, waitedMs: 1000, maxWaitMs: 120_000 });
      expect(clock.advancedMs).toBe(1000);
    } finally {
      await front.close();
    }
  });

  it('reports no throttling when there was none', async () => {
    const verified = await verifyProvider({ providerBaseUrl: `${target.url}/beta`, interaction: 'only its token' });
    expect(verified.passed).toBe(true);
    expect(verified.throttling).toEqual({ answers: 0, waitedMs: 0, maxWaitMs: 120_000 });
    expect(verified.summary).not.toMatch(/throttled/);
  });

  it('backs off from a 429 without Retry-After (RFC 6585 §4: it is optional) and sends again: passes (outside tester J5, decision 0232)', async () => {
    const front = await throttlingFront(target, (n) => (n === 1 ? { status: 429 } : undefined));
    const clock = movingClock();
    try {
      const verified = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token', clock });
      expect(verified.passed).toBe(true);
      expect(verified.throttling!.answers).toBe(1);
      expect(verified.throttling!.waitedMs).toBeGreaterThan(0);
      expect(clock.advancedMs).toBe(verified.throttling!.waitedMs);
      expect(front.requests()).toBe(2);
    } finally {
      await front.close();
    }
  });

  it('judges a 503 without Retry-After as it is (not throttling: it may come after the create was processed): the interaction fails on its status', async () => {
    const front = await throttlingFront(target, (n) => (n === 1 ? { status: 503 } : undefined));
    try {
      const verified = await verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token' });
      expect(verified.passed).toBe(false);
      expect(verified.interactions[0].pactMismatches).toContain('status: expected 201 but was 503');
      expect(verified.throttling!.answers).toBe(0);
    } finally {
      await front.close();
    }
  });

  it('ends the run (exit 2) when the backoff from 429s without Retry-After passes --max-throttle-wait, saying so', async () => {
    const front = await throttlingFront(target, () => ({ status: 429 }));
    const clock = movingClock();
    try {
      const run = verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token', maxThrottleWaitMs: 1000, clock });
      await expect(run).rejects.toThrow(
        new VerificationSetupError('the provider throttled for longer than verify waits: a 429 without Retry-After, backing off 1 s after 0.8 s spent waiting, more than the 1 s allowed (--max-throttle-wait); rerun later or allow more'),
      );
      expect(front.requests()).toBe(3);
      expect(clock.advancedMs).toBe(750);
    } finally {
      await front.close();
    }
  });

  it('ends the run (exit 2) when the provider throttles one request forever, saying so', async () => {
    const front = await throttlingFront(target, () => ({ status: 429, retryAfter: '0' }));
    try {
      const run = verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token' });
      await expect(run).rejects.toThrow(VerificationSetupError);
      await expect(run).rejects.toThrow(/the provider throttled POST \/beta\/deviceAppManagement\/vppTokens 25 times in a row \(429 with Retry-After\): verify cannot judge it/);
      expect(front.requests()).toBe(25);
    } finally {
      await front.close();
    }
  });

  it('ends the run without waiting when a Retry-After is past the bound, naming --max-throttle-wait', async () => {
    const front = await throttlingFront(target, (n) => (n === 1 ? { status: 503, retryAfter: '3600' } : undefined));
    try {
      await expect(verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token' })).rejects.toThrow(
        new VerificationSetupError('the provider throttled for longer than verify waits: Retry-After asked for 3600 s after 0 s spent waiting, more than the 120 s allowed (--max-throttle-wait); rerun later or allow more'),
      );
      expect(front.requests()).toBe(1);
    } finally {
      await front.close();
    }
  });

  it('takes its bound as maxThrottleWaitMs, the same name as conform, and refuses one out of range', async () => {
    const front = await throttlingFront(target, (n) => (n === 1 ? { status: 429, retryAfter: '1' } : undefined));
    try {
      await expect(verifyProvider({ providerBaseUrl: `${front.url}/beta`, interaction: 'only its token', maxThrottleWaitMs: 500 })).rejects.toThrow(
        /Retry-After asked for 1 s after 0 s spent waiting, more than the 0.5 s allowed \(--max-throttle-wait\)/,
      );
    } finally {
      await front.close();
    }
    await expect(verifyProvider({ providerBaseUrl: `${target.url}/beta`, maxThrottleWaitMs: -1 })).rejects.toThrow(new VerificationSetupError('the longest throttling wait must be from 0 to 86400 s (got -0.001 s)'));
  });

  it('takes no clock in a worker process, as it takes no other function', async () => {
    const report = new PassThrough();
    await expect(verifyInWorker({ providerBaseUrl: `${target.url}/beta`, clock: movingClock() }, { report })).rejects.toThrow(
      new TypeError('verifyInWorker: stateHandlers, requestFilter and clock are functions, which a worker process cannot take; use verifyProvider'),
    );
    expect(report.read()).toBeNull();
  });

  it('vppkit verify --max-throttle-wait: the throttling in the summary line and --json; past the bound, exit 2 in one line', async () => {
    // The CLI waits by the system's clock: Retry-After: 0 to the first run, 1 (past the bound, not waited) to the second.
    const front = await throttlingFront(target, (n) => (n === 1 ? { status: 429, retryAfter: '0' } : n === 3 ? { status: 429, retryAfter: '1' } : undefined));
    try {
      const waited = await vppkit(['verify', '--provider-base-url', `${front.url}/beta`, '--interaction', 'only its token', '--json']);
      expect(waited.code).toBe(0);
      expect(JSON.parse(waited.stdout)).toMatchObject({ passed: true, throttling: { answers: 1, maxWaitMs: 120_000 }, summary: expect.stringMatching(/; throttled: 1 answer \(429, or 503 with Retry-After\)/) });
      const stopped = await vppkit(['verify', '--provider-base-url', `${front.url}/beta`, '--interaction', 'only its token', '--max-throttle-wait', '0.5']);
      expect(stopped.code).toBe(2);
      expect(stopped.stderr).toContain('vppkit: the provider throttled for longer than verify waits: Retry-After asked for 1 s after 0 s spent waiting, more than the 0.5 s allowed (--max-throttle-wait); rerun later or allow more\n');
    } finally {
      await front.close();
    }
  });
});
