// A create conform sends again, to shrink a finding or to replay a report, is a create of its own (outside tester
// K17): a provider that takes each VPP token once, as Intune does, refused the same token again, so the finding was
// "passed when sent again", never shrunk, and a replay judged the 409 instead of the bug.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conform, conformJson, readConformReport, type ConformResult } from 'vpptokens-contract-kit/conform';
import { readAppleSToken } from 'vpptokens-contract-kit';
import { startGraphStyleProvider, type TestProvider } from './providers';
import { testEnd } from '../support/test-end';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-conform-resend-'));
/** The body limit of runs not about the body's size (decision 0225). */
const SMALL = { bodyLimit: 64 * 1024 };
const CHECKS = { checks: ['values back' as const, 'status' as const] };
const sent = (body: string | undefined) => JSON.parse(body!) as { displayName?: string; token: string };

describe('against a provider that takes each token once', () => {
  let provider: TestProvider;
  let found: ConformResult;
  beforeAll(async () => {
    provider = await startGraphStyleProvider('a name cut at 64 characters', ['takes each token once'], SMALL);
    found = await conform({ signal: testEnd(), providerBaseUrl: provider.url, seed: 7, runs: 30, ...CHECKS, ...SMALL });
  });
  afterAll(() => provider.close());

  it('shrinks a finding with a new sToken per try: the shortest name that fails, no 409 judged', () => {
    expect(found.findings.map((f) => [f.check, f.where])).toEqual([['values back', 'body /displayName']]);
    const [finding] = found.findings;
    expect([finding.reproduced, finding.notShrunk, finding.shrinks > 0]).toEqual([true, undefined, true]);
    expect(sent(finding.request.body).displayName).toHaveLength(65);
    // Still an sToken with an expiry and an organisation name, so Intune's reading of it holds.
    expect(readAppleSToken(sent(finding.request.body).token)).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9+/]{96}$/), expDate: expect.stringMatching(/^2041-/), orgName: expect.any(String) });
    expect(found.checks.find((c) => c.check === 'status')).toEqual(expect.objectContaining({ failed: 0 }));
  });

  it('--replay against the same provider judges the bug again, each replay with tokens of its own', async () => {
    writeFileSync(join(dir, 'found.json'), conformJson(found));
    const report = readConformReport(join(dir, 'found.json'));
    for (const replay of [1, 2]) {
      const again = await conform({ signal: testEnd(), providerBaseUrl: provider.url, replay: report, ...CHECKS });
      expect([replay, again.passed, again.findings.map((f) => [f.check, f.where])]).toEqual([replay, false, [['values back', 'body /displayName']]]);
      expect(again.findings[0].request.body).not.toBe(found.findings[0].request.body);
      expect({ ...sent(again.findings[0].request.body), token: 'T' }).toEqual({ ...sent(found.findings[0].request.body), token: 'T' });
    }
  });
});
