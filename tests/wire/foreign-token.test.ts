// A 201 that hands the caller another caller's Apple sToken (outside tester G9; docs/decisions/0151): verify and
// conform fail it on `credentials not echoed` with a true message, wherever it stands (here: a header).
import { verifyProvider } from 'vpptokens-contract-kit/provider';
import { conform } from 'vpptokens-contract-kit/conform';
import { FAULT_IN_EVERY_ANSWER } from '../support/conform-budget';
import { startFramingProvider } from '../support/framing-provider';
import { testEnd } from '../support/test-end';

const theirs = Buffer.from(JSON.stringify({ token: 'AnotherCustomersSecretTokenValue77', expDate: '2027-05-05T00:00:00+0000', orgName: 'Fabrikam Schools' })).toString('base64');
/** conform's body limit here, and the reference provider's behind the front: the subject is a header, not the size (decision 0225). */
const SMALL = { bodyLimit: 64 * 1024 };
const FOREIGN = "must not carry a VPP token this request did not send (an Apple sToken, not shown): an answer never carries another caller's credential";

it.each([
  ['pass', 'a header of its own', ['X-Request-Note', 'created']],
  ['fail', "a header with another caller's sToken", ['X-Debug-Last-Token', theirs]],
] as const)('verify and conform %s a provider whose 201 carries %s', async (verdict, _name, header) => {
  const provider = await startFramingProvider('content-length', { header: [...header], ...SMALL });
  try {
    const verified = await verifyProvider({ providerBaseUrl: `${provider.url}/beta`, interaction: 'every property' });
    // Every 201 carries the header: conform finds it under a budget (decision 0281); the run that must pass is whole.
    const conformed = await conform({ signal: testEnd(), providerBaseUrl: `${provider.url}/beta`, seed: 7, runs: 3, checks: ['credentials not echoed'], ...SMALL, ...(verdict === 'fail' ? FAULT_IN_EVERY_ANSWER : {}) });
    if (verdict === 'pass') {
      expect(verified.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems])).toEqual([]);
      expect(conformed.findings).toEqual([]);
      return;
    }
    const problem = { check: 'credentials not echoed', part: 'header', header: 'X-Debug-Last-Token', where: 'header X-Debug-Last-Token', message: FOREIGN };
    expect(verified.interactions[0].answerProblems).toEqual([problem]);
    expect(conformed.findings).toEqual([expect.objectContaining(problem)]);
    // Never shown: not in the findings, the answer shown, or the reproduction.
    expect(JSON.stringify([verified, conformed])).not.toContain(theirs.slice(0, 24));
  } finally {
    await provider.close();
  }
});
