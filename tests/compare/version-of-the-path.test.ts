// Round 16's last outside check, Y4 (decision 0781): a v1.0-recorded pact whose create goes to /beta failed compare
// on the path and metadata alone (`request path: is a Graph beta path, in a pact that records Graph v1.0`), while
// verify sends it to /beta and judges its answer as beta (0723) and passed it. compare now judges an interaction by
// the version its path names, as verify does, and says the difference as a note; what Graph beta may answer there is
// still judged, and verify shows it against a provider that gives it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { createRequestFactory, readAppleSToken } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../../src/provider';
import { verifyProvider } from '../../src/verification';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-version-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ONLY_TOKEN = 'a request to create a vppToken with only its token';
let made = 0;
/** A token of its own for each pact (decision 0733), or `token` where a test gives it. */
const tokenOf = () => createRequestFactory.withSeed(7810 + (made += 1)).withTraits('minimal').buildAt(0).token;

/** The `profile` canonical "create with only its token", sent to `path` with `token`, changed by `change`. */
function pactOf(name: string, profile: 'beta' | 'v1.0', path: string, change: (i: Json) => void = () => {}, token = tokenOf()): string {
  const pact = JSON.parse(readFileSync(canonicalPact(profile), 'utf8')) as Json;
  const interaction = structuredClone(pact.interactions.find((i: Json) => i.description === ONLY_TOKEN));
  interaction.request.path = path;
  interaction.request.body.content.token = token;
  Object.assign(interaction.response.body.content, { token, organizationName: readAppleSToken(token)!.orgName });
  change(interaction);
  pact.interactions = [interaction];
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(pact));
  return file;
}
const compared = async (file: string) => {
  const pact = (await comparePacts([file], { comparator: false })).pacts[0];
  return { findings: pact.interactions[0].findings.map((f) => `${f.side} ${f.pointer}: ${f.check}: ${f.message}`), warnings: pact.warnings };
};
/** beta's state regex: every member, duplicateLocationId too. */
const BETA_STATES = { combine: 'AND', matchers: [{ match: 'regex', regex: '^(unknown|valid|expired|invalid|assignedToExternalMDM|duplicateLocationId)$' }] };
const NOTE = `${ONLY_TOKEN}: request path: is a Graph beta path, in a pact that records Graph v1.0 (its metadata vppkit.profile): judged as Graph beta, the version Pact sends it to and verify judges its answer by`;

describe('compare judges a create by the version its path names, as verify does (Y4)', () => {
  it('fails the v1.0 pact sent to /beta only for what Graph beta answers (duplicateLocationId), not for the path; with the state beta gives, passes, and verify passes both', async () => {
    const y4 = pactOf('y4', 'v1.0', '/beta/deviceAppManagement/vppTokens');
    const fixed = pactOf('y4-beta-states', 'v1.0', '/beta/deviceAppManagement/vppTokens', (i) => (i.response.matchingRules.body['$.state'] = BETA_STATES));
    const [a, b, verified] = await Promise.all([compared(y4), compared(fixed), verifyProvider({ pactFiles: [y4, fixed] })]);
    expect(a.findings).toEqual([expect.stringMatching(/^response \/state: matcher satisfiable: the regex "\^\(unknown\|valid\|expired\|invalid\|assignedToExternalMDM\)\$" matcher on \$\.state refuses "duplicateLocationId", a value Graph gives/)]);
    expect(a.warnings).toContain(NOTE);
    expect(b.findings).toEqual([]);
    expect(b.warnings).toContain(NOTE);
    // The embedded provider never held this token: it answers state "valid", which both pacts take.
    expect(verified.interactions.map((i) => i.passed)).toEqual([true, true]);
  });

  it("shows the state finding as Graph beta's answer: a provider that holds the token already answers duplicateLocationId, which the v1.0 regex refuses", async () => {
    const provider = await startReferenceProvider();
    const token = tokenOf();
    try {
      const first = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
      expect(first.status).toBe(201);
      const y4 = pactOf('y4-held', 'v1.0', '/beta/deviceAppManagement/vppTokens', () => {}, token);
      const fixed = pactOf('y4-held-beta-states', 'v1.0', '/beta/deviceAppManagement/vppTokens', (i) => (i.response.matchingRules.body['$.state'] = BETA_STATES), token);
      const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/v1.0`, pactFiles: [y4, fixed] });
      expect(verified.interactions.map((i) => i.passed)).toEqual([false, true]);
      expect(verified.interactions[0].mismatches.join('\n')).toMatch(/\$\.state.*duplicateLocationId/);
    } finally {
      await provider.close();
    }
  });

  it("gives PactFlow's comparator each interaction with the document of its path's version: a beta pact recording none, sent to /BETA and compared --profile v1.0, passes", async () => {
    const file = pactOf('beta-unrecorded', 'beta', '/BETA/deviceAppManagement/vppTokens', () => {});
    const pact = JSON.parse(readFileSync(file, 'utf8'));
    delete pact.metadata.vppkit;
    writeFileSync(file, JSON.stringify(pact));
    const result = await comparePacts([file], { profile: 'v1.0' });
    expect(result.pacts[0].interactions[0].findings.map((f) => `${f.pointer}: ${f.message}`)).toEqual([]);
    expect(result.pacts[0].warnings).toContain(`${ONLY_TOKEN}: request path: is a Graph beta path, compared as v1.0: judged as Graph beta, the version Pact sends it to and verify judges its answer by`);
    // Without its version in the path, the same pact under v1.0 fails for beta's properties.
    pact.interactions[0].request.path = '/deviceAppManagement/vppTokens';
    writeFileSync(file, JSON.stringify(pact));
    const plain = await comparePacts([file], { profile: 'v1.0', comparator: false });
    expect(plain.pacts[0].interactions[0].findings.some((f) => /is a Graph beta property/.test(f.message))).toBe(true);
  });

  it('judges a beta pact sent to /v1.0 as v1.0, as verify does: its beta-only properties fail both', async () => {
    const file = pactOf('beta-to-v1', 'beta', '/v1.0/deviceAppManagement/vppTokens');
    const [{ findings, warnings }, verified] = await Promise.all([compared(file), verifyProvider({ pactFiles: [file] })]);
    expect(verified.interactions.map((i) => i.passed)).toEqual([false]);
    expect(verified.interactions[0].mismatches.join('\n')).toMatch(/displayName/);
    expect(findings).toContain("response /displayName: answer Graph could give: is a Graph beta property, not one of v1.0's: a v1.0 answer must not carry it");
    expect(findings.every((f) => /^response \/\w+: answer Graph could give: is a Graph beta property, not one of v1\.0's/.test(f))).toBe(true);
    expect(findings.some((f) => f.startsWith('request path:'))).toBe(false);
    expect(warnings).toContain(`${ONLY_TOKEN}: request path: is a Graph v1.0 path, in a pact that records Graph beta (its metadata vppkit.profile): judged as Graph v1.0, the version Pact sends it to and verify judges its answer by`);
  });
});

// Outside attacker R106 (decision 0952): the version segment is read as every other segment and as check-client reads
// it, its unreserved escapes decoded (RFC 3986 §6.2.2.2: `%62eta` is `beta`, the same URI); compare read it with a
// regex of its own, failed `/%62eta/...` in check-client's words about "the mock URL", and verify passed the pact.
describe('compare reads a version segment spelt with escapes as the version (R106)', () => {
  it('passes a beta pact sent to /%62eta/ or /BET%41/ as one sent to /beta/', async () => {
    for (const path of ['/%62eta/deviceAppManagement/vppTokens', '/BET%41/deviceAppManagement/%76ppTokens']) {
      expect(await compared(pactOf(`escaped-beta-${made}`, 'beta', path))).toEqual({ findings: [], warnings: [] });
    }
  });

  it('judges a beta pact sent to /%761.0/ or /v1%2E0/ as v1.0, as one sent to /v1.0/', async () => {
    for (const path of ['/%761.0/deviceAppManagement/vppTokens', '/v1%2E0/deviceAppManagement/vppTokens', '/v1%2e0/deviceAppManagement/vppTokens']) {
      const { findings, warnings } = await compared(pactOf(`escaped-v1-${made}`, 'beta', path));
      expect(findings).toContain("response /displayName: answer Graph could give: is a Graph beta property, not one of v1.0's: a v1.0 answer must not carry it");
      expect(findings.every((f) => /^response \/\w+: answer Graph could give: is a Graph beta property, not one of v1\.0's/.test(f))).toBe(true);
      expect(warnings).toContain(`${ONLY_TOKEN}: request path: is a Graph v1.0 path, in a pact that records Graph beta (its metadata vppkit.profile): judged as Graph v1.0, the version Pact sends it to and verify judges its answer by`);
    }
  });

  it('reads an escaped version given twice as twice (Graph has no resource there), and an escape that is no version as no version', async () => {
    const twice = await compared(pactOf('escaped-twice', 'beta', '/%62eta/beta/deviceAppManagement/vppTokens'));
    expect(twice.findings).toEqual([expect.stringMatching(/^request path: request Graph accepts: gives the version twice \(got \/beta\/beta\/deviceAppManagement\/vppTokens\)/)]);
    // `%2F` is no slash (RFC 3986 §2.2): `/beta%2FdeviceAppManagement/vppTokens` names no vppTokens collection, left alone.
    const slash = await comparePacts([pactOf('escaped-slash', 'beta', '/beta%2FdeviceAppManagement/vppTokens')], { comparator: false });
    expect(slash.pacts[0].interactions[0].judged).toBe(false);
  });
});
