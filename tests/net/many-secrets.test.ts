// Outside tester P11: a client creating 600 vppTokens made check-client read each string of its report against each
// token, and past 512 secrets every lookup built the token's matcher again: minutes with nothing printed. Many
// secrets are now read in one pass first; what is hidden must be exactly what hiding each of them finds.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { hideSecrets } from '../../src/net/redact';

const tokens = createRequestFactory.withSeed(11).buildList(600).map((r) => r.token);
const values = [...tokens, 'short-key-0123', undefined];
const one = tokens[437];

it.each([
  ['the token whole', `POST /vppTokens?x=${one}`],
  ['percent-encoded', `path /vppTokens/${encodeURIComponent(one)}`],
  ['in base64url', `got "${one.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}"`],
  ['a run of 30 of its characters', `message: ${one.slice(40, 70)} and more`],
  ['in capitals', `SHOUTED ${one.toUpperCase()}`],
])('hides a token among 600 as it hides it alone: %s', (_name, text) => {
  const alone = hideSecrets(text, { values: [one] });
  expect(alone).not.toBe(text);
  expect(hideSecrets(text, { values })).toBe(alone);
});

it('hides a short secret among many, two tokens in one text, and leaves a text holding none as it is', () => {
  expect(hideSecrets('key short-key-0123 here', { values })).toBe('key [token] here');
  const two = `${tokens[3]} and ${tokens[599]}`;
  expect(hideSecrets(two, { values })).toBe(hideSecrets(two, { values: [tokens[3], tokens[599]] }));
  expect(hideSecrets(two, { values })).not.toContain(tokens[599].slice(30, 60));
  const none = 'POST /beta/deviceAppManagement/vppTokens -> 201 ok; body /displayName: must be a string';
  expect(hideSecrets(none, { values })).toBe(none);
  // A secret found by a run it shares with the others only (each sToken's JSON skeleton) is found among many too.
  const skeleton = one.slice(0, 30);
  expect(hideSecrets(`x ${skeleton} y`, { values })).toBe(hideSecrets(`x ${skeleton} y`, { values: [one] }));
});
