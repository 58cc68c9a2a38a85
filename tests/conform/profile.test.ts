// conform --profile v1.0: requests from the v1.0 request schema, answers judged by v1.0, beta-only properties refused.
import { schemaFor } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../../src/provider';
import { conform, conformJson, conformJUnit, formatConformResult, type ConformResult, type Finding } from 'vpptokens-contract-kit/conform';
import { startV1OnlyProvider } from '../support/v1-only-provider';
import { testEnd } from '../support/test-end';

// What beta's create request has and v1.0's lacks, read from the schemas as a user can.
const betaOnly = Object.keys(schemaFor('request', 'beta').properties as object).filter((name) => !(name in (schemaFor('request', 'v1.0').properties as object)));
/**
 * The body limit of the runs whose subject is the profile, not the body's size, given to conform and the provider
 * alike: the valid creates at the limit are 64 KiB, not 4 MB (decision 0225). The embedded run at /v1.0 too (decision
 * 0830): the reference provider's limit is one for every profile (it reads the body before the route), taken at 4 MB
 * by tests/conform/cli.test.ts's embedded run, and v1.0's creates at the default limit are valid v1.0 creates by
 * tests/conform/requests.test.ts.
 */
const SMALL = { bodyLimit: 64 * 1024 };
const sentBody = (finding: Finding): Record<string, unknown> => JSON.parse(finding.request.body!) as Record<string, unknown>;

async function againstV1Only(options: Parameters<typeof conform>[0]): Promise<ConformResult> {
  const provider = await startV1OnlyProvider(SMALL);
  try {
    return await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 3, runs: 20, ...SMALL, ...options });
  } finally {
    await provider.close();
  }
}

describe('conform --profile v1.0', () => {
  it('passes the embedded reference provider at /v1.0 with a fixed seed, and says the profile in every report', async () => {
    const result = await conform({ signal: testEnd(), profile: 'v1.0', seed: 1, runs: 20, ...SMALL });
    expect(result.findings).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.profile).toBe('v1.0');
    expect(result.providerBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    expect(result.checks.every((c) => c.judged > 0)).toBe(true);
    expect(result.rerun).toBe('vppkit conform --profile v1.0 --seed 1 --runs 20 --body-limit 65536');
    expect(formatConformResult(result)).toMatch(/^vppkit conform: \d+ requests judged by Graph v1\.0 against http:\/\/127\.0\.0\.1:\d+\/v1\.0 \(embedded reference provider\), seed 1: every check passed/);
    expect(JSON.parse(conformJson(result))).toEqual(expect.objectContaining({ profile: 'v1.0', passed: true }));
    expect(conformJUnit(result)).toContain('<property name="profile" value="v1.0"/>');
  });

  it('passes a correct v1.0-only provider (read-back skipped: it has no GET), which plain beta conform fails for its 400s', async () => {
    const v1 = await againstV1Only({ profile: 'v1.0' });
    expect(v1.findings).toEqual([]);
    expect(v1.passed).toBe(true);
    expect(v1.checks.find((c) => c.check === 'read-back')!.skipped).toMatch(/does not answer GET/);

    // status alone: the test asserts that check's finding, and the other checks' findings were shrunk for nothing (decision 0820).
    const beta = await againstV1Only({ checks: ['status'] });
    expect(beta.passed).toBe(false);
    expect(beta.profile).toBe('beta');
    const refused = beta.findings.find((f) => f.check === 'status')!;
    expect(refused.message).toBe('must be 201 Created for a valid request (got 400)');
    expect(refused.answer.status).toBe(400);
    // Shrunk to the token and one beta-only property: the reason it was refused.
    const sent = Object.keys(sentBody(refused)).filter((name) => name !== 'token');
    expect(sent).toHaveLength(1);
    expect(betaOnly).toContain(sent[0]);
  });

  it('fails a provider that accepts beta-only properties on v1.0: negative data rejected, naming the property', async () => {
    expect(betaOnly.length).toBeGreaterThan(0);
    const provider = await startReferenceProvider(SMALL);
    let result: ConformResult;
    try {
      // negative data rejected alone: the test asserts that check's finding; the beta provider's 201s, which fail the
      // v1.0 response schema, were each a finding shrunk for nothing, and no valid create is sent (decisions 0700, 0820).
      result = await conform({ signal: testEnd(), profile: 'v1.0', providerBaseUrl: `${provider.url}/beta`, seed: 5, runs: 20, checks: ['negative data rejected'], ...SMALL });
    } finally {
      await provider.close();
    }
    expect(result.passed).toBe(false);
    const finding = result.findings.find((f) => f.check === 'negative data rejected')!;
    const name = /^beta-only property \/(.+)$/.exec(finding.family)?.[1];
    expect(betaOnly).toContain(name);
    expect(finding.message).toBe(`must be refused with 400 (${name} is not a property in Graph v1.0), not accepted (got 201)`);
    expect(Object.keys(sentBody(finding)).sort()).toEqual([name, 'token'].sort());
    expect(result.rerun).toContain('--profile v1.0');
  });

  it('refuses an unknown profile with one clear error', async () => {
    await expect(conform({ signal: testEnd(), profile: 'v2' as never, runs: 1 })).rejects.toThrow('profile must be one of beta, v1.0 (got "v2")');
    // A string that may be a credential (arguments swapped) by its length alone, by the one word rule (decision 0871).
    await expect(conform({ signal: testEnd(), profile: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ' as never, runs: 1 })).rejects.toThrow('profile must be one of beta, v1.0 (got a string of 46 characters, not shown: it may hold a credential)');
  });
});

it("conform --profile v1.0 fails a v1.0 provider that accepts beta's duplicateLocationId, for that member (issue 14)", async () => {
  const provider = await startV1OnlyProvider({ acceptsBetaStates: true, ...SMALL });
  try {
    const result = await conform({ signal: testEnd(), providerBaseUrl: provider.url, profile: 'v1.0', seed: 3, runs: 20, ...SMALL });
    expect(result.passed).toBe(false);
    expect(result.findings.map((f) => [f.check, f.family])).toEqual([['negative data rejected', 'beta-only enum member /state=duplicateLocationId']]);
    expect(sentBody(result.findings[0]).state).toBe('duplicateLocationId');
  } finally {
    await provider.close();
  }
});
