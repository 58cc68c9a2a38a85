// The payloads verify --publish sends (decision 0269): Pact's, with the run's verdict of each interaction.
import type { FetchedPact, HeldResults } from '../../src/verification/broker-relay';
import { ownResults } from '../../src/verification/publish';
import type { InteractionResult } from '../../src/verification/types';

const pact: FetchedPact = {
  interactions: [
    { id: 'a1', description: 'create A' },
    { id: 'b2', description: 'create B' },
  ],
  publishPath: '/pacts/x/verification-results',
};
/** Pact's own payload: it passed both. */
const held: HeldResults = { path: pact.publishPath!, pact, body: { success: true, providerApplicationVersion: '1.0.0', testResults: [{ interactionId: 'a1', success: true }, { interactionId: 'b2', success: true }] } };
const verdict = (description: string, passed: boolean): InteractionResult => ({
  description,
  passed,
  mismatches: passed ? [] : ['credentials not echoed: header x-echo: must not carry the bearer'],
  pactMismatches: [],
  answerProblems: passed ? [] : [{ check: 'credentials not echoed', part: 'header', header: 'x-echo', where: 'header x-echo', message: 'must not carry the bearer' }],
});

it('publishes an interaction only the kit failed as failed, with its finding; Pact\'s payload otherwise kept', () => {
  const [published] = ownResults([held], [pact], [verdict('create A', true), verdict('create B', false)], false);
  expect(published.path).toBe('/pacts/x/verification-results');
  expect(published.body).toEqual({
    success: false,
    providerApplicationVersion: '1.0.0',
    testResults: [
      { interactionId: 'a1', interactionDescription: 'create A', success: true },
      { interactionId: 'b2', interactionDescription: 'create B', success: false, mismatches: [{ attribute: 'header', identifier: 'x-echo', description: 'credentials not echoed: header x-echo: must not carry the bearer' }] },
    ],
  });
  expect(ownResults([held], [pact], [verdict('create A', true), verdict('create B', true)], true)[0].body).toMatchObject({ success: true, testResults: [{ success: true }, { success: true }] });
});

it('takes only the interactions --interaction selected, in the pact\'s order', () => {
  const [published] = ownResults([{ ...held, body: { ...held.body, testResults: [{ interactionId: 'b2', success: true }] } }], [pact], [verdict('create B', false)], false, 'B');
  expect(published.body.testResults).toEqual([expect.objectContaining({ interactionId: 'b2', success: false })]);
});

it('never publishes a pass the run does not give when the verdicts do not line up with the pacts', () => {
  // Verdicts of another pact beside this one's: no interaction can be placed with certainty.
  const misaligned = ownResults([held], [pact], [verdict('create A', true), verdict('create C', false)], false);
  expect(misaligned[0].body).toMatchObject({ success: false, testResults: [{ interactionId: 'a1', success: true }, { interactionId: 'b2', success: true }] });
  // ...and when they do not line up but the run passed, Pact's pass stands.
  expect(ownResults([held], [pact], [verdict('create A', true)], true)[0].body.success).toBe(true);
});
