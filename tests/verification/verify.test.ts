import { canonicalInteractions } from 'vpptokens-contract-kit/pact';
import { CANONICAL_PACT, VerificationSetupError, startReferenceProvider, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';

describe('verifyProvider against the reference provider', () => {
  let provider: ReferenceProvider;
  const authorizations: (string | undefined)[] = [];
  beforeAll(async () => {
    provider = await startReferenceProvider({ onRequest: (r) => authorizations.push(r.headers.authorization as string | undefined) });
  });
  afterAll(() => provider.close());

  it('passes every canonical interaction under a base path, with state handlers and a request filter', async () => {
    const states: string[] = [];
    let filtered = 0;
    const result = await verifyProvider({
      providerBaseUrl: `${provider.url}/beta`,
      stateHandlers: { 'a tenant that can add VPP tokens': { setup: async () => void states.push('setup'), teardown: async () => void states.push('teardown') } },
      requestFilter: (_req, _res, next) => {
        filtered++;
        next();
      },
    });
    const n = canonicalInteractions().length;
    expect(result.summary).toBe(`${n} interactions verified against ${provider.url}/beta: ${n} passed, 0 failed`);
    expect(result.passed).toBe(true);
    expect(result.interactions.every((i) => i.passed && i.mismatches.length === 0)).toBe(true);
    expect(states.filter((s) => s === 'setup')).toHaveLength(n);
    expect(filtered).toBeGreaterThanOrEqual(n);
  });

  it('replaces the bearer token of authenticated requests only', async () => {
    authorizations.length = 0;
    const result = await verifyProvider({ providerBaseUrl: provider.url, bearer: 'replaced-token' });
    expect(result.passed).toBe(true);
    expect(authorizations.filter((a) => a === 'Bearer replaced-token')).toHaveLength(canonicalInteractions().length - 1);
    expect(authorizations.filter((a) => a === undefined)).toHaveLength(1);
  });

  it('starts the embedded reference provider without a base URL', async () => {
    const result = await verifyProvider({ pactFiles: [CANONICAL_PACT] });
    expect(result.passed).toBe(true);
    expect(result.providerBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses to start on a missing pact file, a bad URL, or publishing without a version', async () => {
    await expect(verifyProvider({ pactFiles: ['nope.json'], providerBaseUrl: provider.url })).rejects.toThrow(new VerificationSetupError('pact file not found: nope.json'));
    await expect(verifyProvider({ providerBaseUrl: 'localhost:8080' })).rejects.toThrow(/--provider-base-url must be an http or https URL, such as http:\/\/127\.0\.0\.1:8080\/beta \(got "localhost:8080"\)/);
    await expect(verifyProvider({ broker: { url: 'http://127.0.0.1:9', publish: true } })).rejects.toThrow(/needs a provider version/);
  });
});
