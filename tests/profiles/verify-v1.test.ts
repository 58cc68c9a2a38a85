// `verify --profile v1.0` as a library call: the v1.0 canonical contract passes the reference provider's
// /v1.0 and a correct v1.0-only provider, which the beta contract rightly fails.
import { startReferenceProvider } from '../../src/provider';
import { PassThrough } from 'node:stream';
import { VerificationSetupError, canonicalPact, verifyInWorker, verifyProvider } from '../../src/verification';
import { frontOf } from '../support/front';
import { startV1OnlyProvider } from '../support/v1-only-provider';
import { movingClock } from '../conform/providers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, createdVppToken } from '../../src';
import { judgeRecordedAnswers } from '../../src/verification/answers';

it('the v1.0 contract passes the reference provider under /v1.0, and the embedded one', async () => {
  const provider = await startReferenceProvider();
  try {
    const result = await verifyProvider({ profile: 'v1.0', providerBaseUrl: `${provider.url}/v1.0` });
    expect(result.summary).toBe(`18 interactions verified against ${provider.url}/v1.0: 18 passed, 0 failed`);
    expect(result.passed).toBe(true);
  } finally {
    await provider.close();
  }
  const embedded = await verifyProvider({ profile: 'v1.0' });
  expect(embedded.passed).toBe(true);
  expect(embedded.providerBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
});

describe('a correct v1.0-only provider', () => {
  let provider: Awaited<ReturnType<typeof startV1OnlyProvider>>;
  beforeAll(async () => {
    provider = await startV1OnlyProvider();
  });
  afterAll(() => provider.close());

  it('passes the v1.0 contract', async () => {
    const result = await verifyProvider({ profile: 'v1.0', providerBaseUrl: provider.url });
    expect(result.interactions.flatMap((i) => i.mismatches)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.interactions).toHaveLength(18);
  });

  it('fails the beta contract: it refuses beta-only properties and answers none', async () => {
    const result = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [canonicalPact('beta')] });
    expect(result.passed).toBe(false);
    const failed = Object.fromEntries(result.interactions.filter((i) => !i.passed).map((i) => [i.description, i.mismatches.join('\n')]));
    // The creates fail (beta-only properties refused, or missing from the answer); the refusals pass.
    expect(Object.keys(failed).sort()).toEqual([
      'a request to create a vppToken with Graph\'s "never" dates',
      'a request to create a vppToken with every property',
      'a request to create a vppToken with its nullable properties set to null',
      'a request to create a vppToken with only its token',
      'a request to create a vppToken with seven-digit dates and offsets other than Z',
    ]);
    expect(failed['a request to create a vppToken with every property']).toMatch(/expected 201 but was 400/i);
    expect(failed['a request to create a vppToken with only its token']).toMatch(/claimTokenManagementFromExternalMdm/);
  });
});

it("fails a v1.0 provider that accepts beta's duplicateLocationId, naming it (issue 14)", async () => {
  const broken = await startV1OnlyProvider({ acceptsBetaStates: true });
  try {
    const result = await verifyProvider({ profile: 'v1.0', providerBaseUrl: broken.url });
    expect(result.passed).toBe(false);
    expect(result.interactions.filter((i) => !i.passed).map((i) => i.description)).toEqual(['a request to create a vppToken with a state only Graph beta has (duplicateLocationId)']);
  } finally {
    await broken.close();
  }
});

// Outside tester J31: `verify pacts/` (the beta and the v1.0 contract side by side) failed against the kit's own
// provider under either --profile: each pact was judged by --profile. Now each is judged by the profile it records.
describe('a folder holding the beta and the v1.0 contract', () => {
  const folder = require('node:path').join(__dirname, '..', '..', 'pacts');

  // With --profile v1.0 the beta pact, which recorded no profile, was judged by v1.0 (10 failed): every pact the kit
  // writes records its profile now, beta too (decision 0231), so --profile is for pacts that record none.
  it.each([[undefined], ['v1.0']] as const)('passes the embedded provider: each pact judged by its own profile, against its own prefix (--profile %s)', async (profile) => {
    const result = await verifyProvider({ pactFiles: [folder], ...(profile ? { profile } : {}) });
    expect(result.interactions.filter((i) => !i.passed).map((i) => i.mismatches)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.summary).toMatch(
      /^36 interactions verified, each pact by the Graph version it records: 36 passed, 0 failed \(Graph beta: 18 interactions verified against http:\/\/127\.0\.0\.1:\d+: 18 passed, 0 failed; Graph v1\.0: 18 interactions verified against http:\/\/127\.0\.0\.1:\d+\/v1\.0: 18 passed, 0 failed\)$/,
    );
  });

  it('fails a provider that answers beta at every path for the v1.0 pact alone', async () => {
    const provider = await startReferenceProvider();
    try {
      // The reference provider's root answers as Graph beta: the beta pact passes there, the v1.0 one must not.
      const result = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [folder] });
      expect(result.passed).toBe(false);
      expect(result.interactions).toHaveLength(36);
      const [beta, v1] = [result.interactions.slice(0, 18), result.interactions.slice(18)];
      expect(beta.filter((i) => !i.passed)).toEqual([]);
      const failed = v1.filter((i) => !i.passed).map((i) => i.mismatches.join('\n'));
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.join('\n')).toMatch(/is a Graph beta property, not one of v1\.0's/);
      expect(result.summary).toMatch(/: 18 passed, 0 failed; Graph v1\.0: 18 interactions verified against http:\/\/127\.0\.0\.1:\d+: \d+ passed, [1-9]\d* failed\)$/);
    } finally {
      await provider.close();
    }
  });
});

// Pacts of two profiles are one run (issue 15): the provider is probed once, and --max-throttle-wait and
// --total-timeout bound the whole run, not each profile's part of it (it was each part: the budget spent twice).
describe('pacts of two profiles are one run: one probe, one budget', () => {
  const folder = require('node:path').join(__dirname, '..', '..', 'pacts');

  /**
   * A front before the reference provider that answers 429 without Retry-After (a 250 ms backoff, decision 0232),
   * or with `retryAfter`, to the first request of each profile's part, and counts the connections that carried no
   * byte: verify's probes.
   */
  async function throttlingOncePerPart(retryAfter?: string) {
    const target = await startReferenceProvider();
    let n = 0;
    const front = await frontOf(target, (_req, res) => {
      // One interaction per profile (--interaction), each sent twice: requests 1 and 3 are each part's first.
      if (++n % 2 === 0) return false;
      res.writeHead(429, { 'Content-Type': 'application/json', ...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }) });
      res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Throttled.', innerError: {} } }));
      return true;
    });
    return {
      url: front.url,
      probes: () => front.silentConnections(),
      close: async () => {
        await front.close();
        await target.close();
      },
    };
  }

  it('a budget both parts fit in together: passes the throttling, one probe, the time waited summed', async () => {
    const provider = await throttlingOncePerPart();
    // The waits on a clock that moves when waited on (decision 0316): no real second passes.
    const clock = movingClock();
    try {
      const result = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [folder], interaction: 'only its token', maxThrottleWaitMs: 600, clock });
      expect(result.interactions).toHaveLength(2);
      expect(result.throttling).toEqual({ answers: 2, waitedMs: 500, maxWaitMs: 600 });
      expect(clock.advancedMs).toBe(500);
      // Each part's line says its own throttling.
      expect(result.summary).toMatch(/\(Graph beta: [^;]*; throttled: 1 answer [^;]*; 0\.3 s spent waiting \(at most 0\.6 s\); Graph v1\.0: [^;]*; throttled: 1 answer [^;]*; 0\.3 s spent waiting \(at most 0\.6 s\)\)$/);
      expect(provider.probes()).toBe(1);
    } finally {
      await provider.close();
    }
  });

  it('a budget each part fits in alone but not both: the run stops past it, exit 2, saying so', async () => {
    const provider = await throttlingOncePerPart();
    try {
      await expect(verifyProvider({ providerBaseUrl: provider.url, pactFiles: [folder], interaction: 'only its token', maxThrottleWaitMs: 400, clock: movingClock() })).rejects.toThrow(
        new VerificationSetupError('the provider throttled for longer than verify waits: a 429 without Retry-After, backing off 0.3 s after 0.3 s spent waiting, more than the 0.4 s allowed (--max-throttle-wait); rerun later or allow more'),
      );
      expect(provider.probes()).toBe(1);
    } finally {
      await provider.close();
    }
  });

  it('--total-timeout is the whole run\'s: two parts each waiting 1 s (Retry-After) do not fit in 1.8 s together', async () => {
    const provider = await throttlingOncePerPart('1');
    try {
      // In the worker, as the CLI runs it: Pact's native verifier stops with the process when the run is over time.
      const run = verifyInWorker({ providerBaseUrl: provider.url, pactFiles: [folder], interaction: 'only its token', totalTimeoutMs: 1800 }, { report: new PassThrough().resume(), warnings: new PassThrough().resume(), graceMs: 60_000 });
      await expect(run).rejects.toThrow(new VerificationSetupError('the verification did not finish within 1.8 s (--total-timeout)'));
    } finally {
      await provider.close();
    }
  });
});

// Outside finding R81: a pact recording no profile whose create path keeps its /beta (a client with /beta in its base
// URL records it so), verified with --profile v1.0: Pact sends it to /beta (the path keeps its version, 0258), the
// provider answers as beta, and verify judged that answer as v1.0, failing a correct provider (decision 0723).
describe('a create whose pact path names its Graph version', () => {
  const sent = createRequestFactory.withSeed(3).withTraits('minimal').buildAt(0);
  const ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
  /** A create recorded as the forwarder records it, answered with Graph beta's vppToken (beta-only properties in it). */
  const recorded = (path: string) => {
    const url = `http://127.0.0.1:9${path.startsWith('/beta') || path.startsWith('/v1.0') ? '' : '/v1.0'}${path}`;
    const body = JSON.stringify(createdVppToken(sent, { id: ID, now: new Date(), profile: 'beta' }));
    return {
      method: 'POST', path, url, requestRawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer eyJhbGciOiJub25lIn0.e30.'], requestBytes: Buffer.from(JSON.stringify(sent)),
      status: 201, rawHeaders: ['Content-Type', 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', 'Location', `${url}('${ID}')`], bytes: Buffer.from(body), receivedAt: new Date(),
    };
  };
  const beta = /is a Graph beta property, not one of v1\.0's/;
  const judged = (path: string, profile: 'beta' | 'v1.0') => judgeRecordedAnswers([recorded(path)], profile).flatMap((a) => a.problems.map((p) => `${p.where} ${p.message}`));

  it('is judged by that version, as the proxy judges a create, else by the run\'s profile', () => {
    expect(judged('/beta/deviceAppManagement/vppTokens', 'v1.0')).toEqual([]);
    expect(judged('/BETA/deviceAppManagement/vppTokens', 'v1.0')).toEqual([]);
    // No version in the path: the run's profile, v1.0, whose answer must not carry beta's properties.
    expect(judged('/deviceAppManagement/vppTokens', 'v1.0').join('\n')).toMatch(beta);
    // A v1.0 path under the beta profile: judged as v1.0, the beta answer failed.
    expect(judged('/v1.0/deviceAppManagement/vppTokens', 'beta').join('\n')).toMatch(beta);
    expect(judged('/deviceAppManagement/vppTokens', 'beta')).toEqual([]);
  });

  it('passes the embedded provider under --profile v1.0, which answers the /beta path as beta', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vppkit-r81-'));
    try {
      const file = join(dir, 'betapath.json');
      writeFileSync(file, JSON.stringify({
        consumer: { name: 'hand-app' }, provider: { name: 'microsoft-graph-vpptokens' },
        interactions: [{ description: 'create under /beta', providerStates: [{ name: 'a tenant that can add VPP tokens' }],
          request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { Authorization: 'Bearer placeholder.abc', 'Content-Type': 'application/json' }, body: { token: sent.token } },
          response: { status: 201, headers: { 'Content-Type': 'application/json' }, body: { token: sent.token }, matchingRules: { body: { '$.token': { matchers: [{ match: 'type' }] } } } } }],
        metadata: { pactSpecification: { version: '3.0.0' } },
      }));
      const result = await verifyProvider({ profile: 'v1.0', pactFiles: [file] });
      expect(result.interactions.flatMap((i) => i.mismatches)).toEqual([]);
      expect(result.passed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
