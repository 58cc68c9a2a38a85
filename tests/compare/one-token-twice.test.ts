// Outside attacker R82 (decision 0733) made compare hold a pact's creates to one token each, across its interactions;
// round 16's last outside check (Y2, decision 0782) showed that verify passes a second create of one token in another
// interaction, from its own provider state: Pact's verifier runs the state set-up before every interaction (an empty
// state where it names none), and verifies each in isolation, so two interactions creating one token are two
// scenarios, as two pact files are. The rule holds where creates meet one store: inside one JSON batch
// (tests/compare/batch.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts } from 'vpptokens-contract-kit/compare';
import { verifyProvider } from '../../src/verification';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-one-token-twice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

const [first, second] = [3, 4].map((seed) => createRequestFactory.withSeed(seed).withTraits('minimal').buildAt(0).token);
const create = (description: string, token: string, status = 201, state?: string) => ({
  description,
  ...(state === undefined ? {} : { providerStates: [{ name: state }] }),
  request: { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { Authorization: 'Bearer placeholder.abc', 'Content-Type': 'application/json' }, body: { token, displayName: description } },
  response: status === 201 ? { status, headers: { 'Content-Type': 'application/json' }, body: { token, displayName: description }, matchingRules: { body: { '$.token': { matchers: [{ match: 'type' }] } } } } : { status },
});
function pactOf(...interactions: unknown[]): string {
  const file = join(dir, `${(written += 1)}.json`);
  writeFileSync(file, JSON.stringify({ consumer: { name: 'hand-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions, metadata: { pactSpecification: { version: '3.0.0' } } }));
  return file;
}
async function findings(file: string) {
  const result = await comparePacts([file], { comparator: false });
  return result.pacts[0].interactions.map((i) => i.findings.map((f) => `${f.side} ${f.pointer}: ${f.check}: ${f.message}`));
}

describe('one token created by two interactions of a pact (R82, Y2)', () => {
  it('passes a second create of the token in another interaction, under its own state, the same state or none, as verify passes them', async () => {
    const pacts = [
      pactOf(create('create Fleet A', first, 201, 'a tenant that can add VPP tokens'), create('create Fleet A in an empty tenant', first, 201, 'an empty tenant')),
      pactOf(create('create Fleet A', first, 201, 'a tenant that can add VPP tokens'), create('create Fleet A again', first, 201, 'a tenant that can add VPP tokens')),
      pactOf(create('create Fleet A', first), create('create Fleet A unpadded', first.replace(/=+$/, ''))),
    ];
    const [compared, verified] = await Promise.all([Promise.all(pacts.map(findings)), verifyProvider({ pactFiles: pacts })]);
    expect(compared).toEqual([[[], []], [[], []], [[], []]]);
    expect(verified.interactions.map((i) => [i.description, i.passed])).toEqual([
      ['create Fleet A', true],
      ['create Fleet A in an empty tenant', true],
      ['create Fleet A', true],
      ['create Fleet A again', true],
      ['create Fleet A', true],
      ['create Fleet A unpadded', true],
    ]);
  });

  it('passes creates of two tokens, and a create of one a pact expects refused', async () => {
    expect(await findings(pactOf(create('create Fleet A', first), create('create Fleet B', second)))).toEqual([[], []]);
    expect(await findings(pactOf(create('create Fleet A', first), create('create Fleet A unauthorised', first, 401)))).toEqual([[], []]);
  });
});
