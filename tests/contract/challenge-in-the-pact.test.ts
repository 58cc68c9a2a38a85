// Outside finding N2 (decision 0361): the pacts' 401 interaction held only a Content-Type, so a plain Pact verifier
// passed a 401 without WWW-Authenticate, which verify fails (RFC 9110 §15.5.2: the server "MUST send a
// WWW-Authenticate header field"). The pact now holds a challenge on the header by CHALLENGE_LINE_PATTERN: what the
// judgement's challengeSchemes reads a scheme in, as a regex Pact applies to each line.
import { readFileSync } from 'node:fs';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { CHALLENGE_LINE_PATTERN, judgeRejectedAnswer } from 'vpptokens-contract-kit';
import { pactRegex } from '../../src/compare/matchers';
import { challengeSchemes } from '../../src/wire';

const GRAPH = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
// Lines holding a challenge (RFC 9110 §11.6.1), Bearer or not: the rule of one line.
const CHALLENGES = [
  'Bearer',
  'bearer',
  GRAPH,
  'Bearer error="invalid_token", error_description="The access token expired"',
  'Basic realm="g", Bearer',
  'realm="x", Bearer',
  ', Bearer',
  'Bearer ,',
  'Bearer \tabc==',
  'Basic realm="x, Bearer y"',
  'Negotiate',
  'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
  'AzureApiManagementKey realm="https://gw.example/beta",name="Ocp-Apim-Subscription-Key",type="header"',
];
// Lines holding none: no value, only parameters, a scheme glued to its parameter by a tab or `=`.
const NONE = ['', ' ', ',', 'realm="x"', 'realm="x", error="invalid_token"', '"Bearer"', 'Bearer=x', 'Bearer =x', 'Bearer\tx'];

describe('CHALLENGE_LINE_PATTERN: a WWW-Authenticate line that holds a challenge, as the judgement reads one', () => {
  const asPactReadsIt = pactRegex(CHALLENGE_LINE_PATTERN);
  const asJavaScriptReadsIt = new RegExp(CHALLENGE_LINE_PATTERN);
  const judgementFindsOne = (line: string) => challengeSchemes([{ name: 'WWW-Authenticate', value: line }]).length > 0;

  it.each(CHALLENGES.map((c) => [c]))('takes %j', (line) => {
    expect([judgementFindsOne(line), asPactReadsIt.test(line), asJavaScriptReadsIt.test(line)]).toEqual([true, true, true]);
  });

  it.each(NONE.map((c) => [c]))('refuses %j', (line) => {
    expect([judgementFindsOne(line), asPactReadsIt.test(line), asJavaScriptReadsIt.test(line)]).toEqual([false, false, false]);
  });

  it('a 401 the judgement fails for want of any challenge fails the pattern on every line; one with a Bearer line passes both', () => {
    const judged = (lines: string[]) =>
      judgeRejectedAnswer([401], { status: 401, headers: {}, rawHeaders: ['Content-Type', 'application/json', ...lines.flatMap((l) => ['WWW-Authenticate', l])], body: JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'no' } }) }).filter(
        (p) => p.where === 'header WWW-Authenticate',
      ).length === 0;
    expect([judged([]), judged(['realm="x"'])]).toEqual([false, false]);
    expect(asJavaScriptReadsIt.test('realm="x"')).toBe(false);
    expect([judged([GRAPH]), judged([GRAPH, 'Negotiate'])]).toEqual([true, true]);
    expect([GRAPH, 'Negotiate'].every((l) => asJavaScriptReadsIt.test(l))).toBe(true);
  });
});

describe.each([['beta'], ['v1.0']] as const)('the canonical %s pact', (profile) => {
  const pact = JSON.parse(readFileSync(canonicalPact(profile), 'utf8')) as { interactions: { description: string; response: { status: number; headers?: Record<string, string[]>; matchingRules: { header: Record<string, unknown> } } }[] };

  it('requires a challenge on every 401, Bearer its example, and no WWW-Authenticate on any other answer', () => {
    const unauthorized = pact.interactions.filter((i) => i.response.status === 401);
    expect(unauthorized.map((i) => i.description)).toEqual(['a request to create a vppToken without an Authorization header']);
    for (const interaction of pact.interactions) {
      const rule = interaction.response.matchingRules.header['WWW-Authenticate'];
      if (interaction.response.status === 401) {
        expect(rule).toEqual({ combine: 'AND', matchers: [{ match: 'regex', regex: CHALLENGE_LINE_PATTERN }] });
        expect(interaction.response.headers?.['WWW-Authenticate']).toEqual(['Bearer']);
      } else expect(rule).toBeUndefined();
    }
  });
});
