// Outside tester K30: a client that sends its VPP token as its bearer. The client is refused for it (the request's
// judgement, and the mock answers 401 as Graph does); a provider that still creates the vppToken is not blamed for
// the token coming back as the vppToken's own `token`, and is blamed for it anywhere else.
import { credentialEchoProblems } from '../../src/judgement';
import { checkCreateRequest, createRequestFactory, formatRequestProblem } from 'vpptokens-contract-kit';
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

// Decision 0330: an sToken with bytes after its padding is no sToken for Intune's token rule, but as a bearer it is
// still the VPP credential where the access token goes (`==` after its own padding is a b64token, RFC 6750 §2.1).
it('calls a bearer that holds the VPP token a VPP token, with bytes after its padding or a character added too', () => {
  const padded = sent.token.endsWith('=') ? sent.token : createRequestFactory.withSeed(30).buildList(8).map((r) => r.token).find((t) => t.endsWith('='))!;
  const whole = createRequestFactory.withSeed(30).buildList(8).map((r) => r.token).find((t) => !t.endsWith('='))!;
  const judged = (bearer: string) =>
    checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ token: sent.token }) }).map(formatRequestProblem);
  const vppToken = 'header Authorization: holds a VPP token (an Apple sToken), not an access token: Graph answers 401 (RFC 6750 §3.1, invalid_token); the VPP token goes in the create\'s body only (the value is not shown)';
  expect([padded, `${padded}==`, `${whole}A`, whole.slice(0, 60)].map(judged)).toEqual(Array(4).fill([vppToken]));
  expect(judged('an-ordinary-access-token-0123456789')).toEqual([]);
});

// Outside tester P9: a bearer that is a language's word for no value (`Bearer ${token}` with the token unset) is no
// access token: Graph answers 401. Other short test tokens stay bearers, whatever they spell.
it("calls a bearer that is a language's word for no value what it is, and takes every other test token", () => {
  const judged = (bearer: string) =>
    checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ token: sent.token }) }).map(formatRequestProblem);
  for (const word of ['undefined', 'null', 'NaN', 'None']) {
    expect(judged(word)).toEqual([`header Authorization: holds "${word}", a programming language's word for no value, not an access token: the client sent none (a variable left unset?); Graph answers 401 (RFC 6750 §3.1, invalid_token)`]);
  }
  for (const token of ['x', 'test', 'fake-token', 'nullable', 'Undefined0', 'none-of-these']) expect(judged(token)).toEqual([]);
  // Nor is it a credential to look for elsewhere: another unset variable in a header or the path is no leak of it.
  const elsewhere = checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens?x=undefined', headers: { 'content-type': 'application/json', authorization: 'Bearer undefined', 'x-trace': 'undefined' }, body: JSON.stringify({ token: sent.token }) }, 'beta', { headerCredentials: true }).map(formatRequestProblem);
  expect(elsewhere).toEqual([expect.stringMatching(/^header Authorization: holds "undefined"/)]);
});
