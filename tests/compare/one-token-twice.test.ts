// Outside attacker R82 (decision 0733): a consumer pact whose two creates send one VPP token (consumer tests sharing
// one token constant) passed compare, and a provider that keeps each token once, which the kit calls correct (0205),
// failed verify on the second. check-client fails a client that creates one token twice, and validate and seed refuse
// a data set holding one token twice: compare holds a pact's creates to the same rule (repeatedTokenChecker).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts } from 'vpptokens-contract-kit/compare';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-one-token-twice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

const [first, second] = [3, 4].map((seed) => createRequestFactory.withSeed(seed).withTraits('minimal').buildAt(0).token);
const create = (description: string, token: string, status = 201) => ({
  description,
  request: { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { Authorization: 'Bearer placeholder.abc', 'Content-Type': 'application/json' }, body: { token, displayName: description } },
  response: status === 201 ? { status, headers: { 'Content-Type': 'application/json' }, body: { token, displayName: description }, matchingRules: { body: { '$.token': { matchers: [{ match: 'type' }] } } } } : { status },
});
async function findings(...interactions: unknown[]) {
  const file = join(dir, `${(written += 1)}.json`);
  writeFileSync(file, JSON.stringify({ consumer: { name: 'hand-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions, metadata: { pactSpecification: { version: '3.0.0' } } }));
  const result = await comparePacts([file], { comparator: false });
  return result.pacts[0].interactions.map((i) => i.findings.map((f) => `${f.side} ${f.pointer}: ${f.check}: ${f.message}`));
}

describe('one token created by two interactions of a pact (R82)', () => {
  it("fails the attacker's pact at the second create's token, naming the first", async () => {
    expect(await findings(create('create Fleet A', first), create('create Fleet B', first))).toEqual([
      [],
      ['request /token: request Graph accepts: is the token of interaction "create Fleet A" again: a second create of one token makes a second vppToken (each token is created once)'],
    ]);
  });

  it('passes creates of two tokens, and a create of one a pact expects refused', async () => {
    expect(await findings(create('create Fleet A', first), create('create Fleet B', second))).toEqual([[], []]);
    expect(await findings(create('create Fleet A', first), create('create Fleet A unauthorised', first, 401))).toEqual([[], []]);
  });

  it('knows one sToken however its base64 is written', async () => {
    const unpadded = first.replace(/=+$/, '');
    expect(unpadded).not.toBe(first);
    expect((await findings(create('create Fleet A', first), create('create Fleet B', unpadded)))[1]).toEqual([expect.stringMatching(/^request \/token: request Graph accepts: is the token of interaction "create Fleet A" again/)]);
  });
});
