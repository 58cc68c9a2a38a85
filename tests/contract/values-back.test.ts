// What the client set comes back (docs/decisions/0012): one rule, VALUES_THAT_COME_BACK, held by the contract's
// 201 expectations, the reference provider and verify's judgement alike.
import { createRequestFactory, judgeCreatedAnswer, readAppleSToken, vppTokenTraits, type VppTokenTrait } from 'vpptokens-contract-kit';
import { createdExpectation } from 'vpptokens-contract-kit/pact';
import { startReferenceProvider } from '../../src/provider';

const traits = Object.keys(vppTokenTraits) as VppTokenTrait[];
const requests = traits.flatMap((trait) => [0, 1, 2].map((i) => createRequestFactory.withSeed(77).withTraits(trait).buildAt(i)));

it('the reference provider answers every fixture request with the values it set, by the same judgement verify uses', async () => {
  const provider = await startReferenceProvider();
  try {
    for (const sent of requests) {
      const response = await fetch(`${provider.url}/deviceAppManagement/vppTokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
        body: JSON.stringify(sent),
      });
      const answer = { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
      expect(judgeCreatedAnswer(sent, answer)).toEqual([]);
    }
  } finally {
    await provider.close();
  }
});

it('the 201 expectation holds exactly those values by equality, and no other value', () => {
  for (const sent of requests) {
    const { body, rules } = createdExpectation(sent);
    const byValue = Object.entries(rules).filter(([, r]) => r.matchers.some((m) => m.match === 'equality')).map(([path]) => path);
    const expected = ['displayName', 'appleId', 'countryOrRegion', 'vppTokenAccountType', 'automaticallyUpdateApps', 'dataSharingConsentGranted', 'claimTokenManagementFromExternalMdm', 'roleScopeTagIds']
      .filter((k) => k in sent && !(k === 'roleScopeTagIds' && sent.roleScopeTagIds?.length === 0))
      .map((k) => `$.${k}`);
    // The organisation the sToken names, when the client set none (decision 0217): equality, or null.
    const org = sent.organizationName === undefined ? readAppleSToken(sent.token)?.orgName : undefined;
    if (org !== undefined) {
      expected.push('$.organizationName');
      expect([body.organizationName, rules['$.organizationName']]).toEqual([org, { combine: 'OR', matchers: [{ match: 'equality' }, { match: 'null' }] }]);
    }
    // @odata.type is a const: equality too, whatever was sent.
    expect(byValue.filter((p) => p !== "$['@odata.type']").sort()).toEqual(expected.sort());
    for (const path of expected) if (path !== '$.organizationName') expect(body[path.slice(2)]).toEqual(sent[path.slice(2) as keyof typeof sent]);
  }
});
