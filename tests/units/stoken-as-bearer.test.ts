// Outside tester K30: a client that sends its VPP token as its bearer. The client is refused for it (the request's
// judgement, and the mock answers 401 as Graph does); a provider that still creates the vppToken is not blamed for
// the token coming back as the vppToken's own `token`, and is blamed for it anywhere else.
import { credentialEchoProblems } from '../../src/judgement';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { readMessage } from '../../src/wire';

const sent = createRequestFactory.withSeed(30).buildAt(0);
const answer = (body: unknown) => readMessage({ headers: ['Content-Type', 'application/json'], bytes: Buffer.from(JSON.stringify(body)) });

it('judges a bearer that is the VPP token sent as the VPP token: allowed back at /token only', () => {
  const context = { authorization: `Bearer ${sent.token}`, sent };
  expect(credentialEchoProblems(answer({ id: 'x', token: sent.token }), context, true)).toEqual([]);
  expect(credentialEchoProblems(answer({ id: 'x', token: sent.token, displayName: sent.token }), context, true).map((p) => [p.where, p.message])).toEqual([
    ['body /displayName', "must not contain the request's VPP token (not shown): an answer never carries a credential of its request"],
  ]);
  // Another bearer stays a bearer: never anywhere in the answer.
  const bearer = { authorization: 'Bearer an-ordinary-access-token-0123456789', sent };
  expect(credentialEchoProblems(answer({ id: 'x', token: sent.token, displayName: 'an-ordinary-access-token-0123456789' }), bearer, true).map((p) => p.where)).toEqual(['body /displayName']);
});
