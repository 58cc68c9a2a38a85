// Outside tester I6: the pacts the kit writes took any letter case and a space before ";" in an answer's
// Content-Type, which the kit's own judgement refuses (decision 0130), so Pact's own verifier passed a provider
// that `vppkit verify` failed 18/18. The pact's response rule is now the judgement's rule for answers.
import { readFileSync } from 'node:fs';
import { JSON_ANSWER_MEDIA_TYPE_PATTERN, JSON_MEDIA_TYPE_PATTERN, JSON_REQUEST_MEDIA_TYPE_PATTERN, checkCreateRequest, judgeRejectedAnswer } from 'vpptokens-contract-kit';
import { canonicalPact } from 'vpptokens-contract-kit/provider';
import { pactRegex } from '../../src/compare/matchers';

const TAKEN = [
  'application/json',
  'application/json;',
  'application/json;charset=utf-8',
  'application/json; charset=utf-8',
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
  'application/json; odata.metadata=minimal ;charset="utf-8"',
];
// A charset, if any, is UTF-8 (decision 0148), in the pact too since decision 0363: any case, `utf8`, quoted.
const TAKEN_CHARSETS = ['application/json;charset=UTF8', 'application/json;Charset="utf-8"', 'application/json;charsets=utf-16', 'application/json;xcharset=latin1;charset=utf-8', 'application/json;chars=1'];
const REFUSED = ['Application/JSON; charset=utf-8', 'APPLICATION/JSON', 'application/json ;charset=utf-8', 'application/json\t; charset=utf-8', 'application/jsonx', 'text/plain', 'application/json;charset'];
const REFUSED_CHARSETS = ['application/json;charset=utf-16', 'application/json; charset=iso-8859-1', 'application/json;odata.metadata=minimal;CHARSET="UTF-16"', 'application/json;charset=utf-8;charset=utf-16', 'application/json;charset=utf-80'];

/** Whether the judgement takes `contentType` on an answer (a 400 with Graph's error body): its media type and charset rules. */
const judgementTakes = (contentType: string): boolean =>
  judgeRejectedAnswer([400], { status: 400, headers: { 'Content-Type': contentType }, body: JSON.stringify({ error: { code: 'BadRequest', message: 'no' } }) }).filter((p) => p.check === 'content type').length === 0;

// Outside finding N1's survey (decision 0363): a charset other than UTF-8 was the judgement's alone, so a plain Pact
// verifier passed `application/json; charset=iso-8859-1`, which verify fails; the pattern now says it without a lookahead.
describe("an answer's Content-Type in the pacts the kit writes is the judgement's rule for answers", () => {
  const asPactReadsIt = pactRegex(JSON_ANSWER_MEDIA_TYPE_PATTERN);
  const asJavaScriptReadsIt = new RegExp(JSON_ANSWER_MEDIA_TYPE_PATTERN);

  it.each([...TAKEN, ...TAKEN_CHARSETS].map((t) => [t]))('takes %j, as the judgement does', (contentType) => {
    expect(judgementTakes(contentType)).toBe(true);
    expect(asPactReadsIt.test(contentType)).toBe(true);
    expect(asJavaScriptReadsIt.test(contentType)).toBe(true);
  });

  it.each([...REFUSED, ...REFUSED_CHARSETS].map((t) => [t]))('refuses %j, as the judgement does', (contentType) => {
    expect(judgementTakes(contentType)).toBe(false);
    expect(asPactReadsIt.test(contentType)).toBe(false);
    expect(asJavaScriptReadsIt.test(contentType)).toBe(false);
  });

  it.each([['beta'], ['v1.0']] as const)('every answer of the canonical %s pact holds it; every request keeps taking any case', (profile) => {
    const pact = JSON.parse(readFileSync(canonicalPact(profile), 'utf8'));
    for (const interaction of pact.interactions) {
      expect(interaction.response.matchingRules.header['Content-Type'].matchers).toEqual([{ match: 'regex', regex: JSON_ANSWER_MEDIA_TYPE_PATTERN }]);
      expect(interaction.request.matchingRules.header['Content-Type'].matchers).toEqual([{ match: 'regex', regex: JSON_REQUEST_MEDIA_TYPE_PATTERN }]);
    }
    expect(new RegExp(JSON_REQUEST_MEDIA_TYPE_PATTERN).test('Application/JSON; charset=utf-8')).toBe(true);
  });
});

// Round ten's leftover: a request's Content-Type in the pacts took any charset, so Pact's mock in a consumer test
// passed `charset=utf-16`, which check-client refuses (decision 0148: Graph decodes the body by it). The pact's request
// rule is now the judgement's rule for requests: any case, whitespace around `;`, a charset, if any, UTF-8.
describe("a request's Content-Type in the pacts the kit writes is the judgement's rule for requests", () => {
  const asPactReadsIt = pactRegex(JSON_REQUEST_MEDIA_TYPE_PATTERN);
  const asJavaScriptReadsIt = new RegExp(JSON_REQUEST_MEDIA_TYPE_PATTERN);
  const judgementTakes = (contentType: string): boolean =>
    checkCreateRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': contentType, Authorization: 'Bearer t' }, body: '{"token":"a"}' }).length === 0;
  const taken = [...TAKEN, ...TAKEN_CHARSETS, 'Application/JSON; Charset=UTF-8', 'APPLICATION/JSON', 'application/json ;charset=utf-8', 'application/json\t; charset="utf8"'];
  const refused = [...REFUSED_CHARSETS, 'Application/JSON; Charset=UTF-16', 'application/json ; charset=latin1', 'application/jsonx', 'text/plain', 'application/json;charset'];

  it.each(taken.map((t) => [t]))('takes %j, as the judgement does', (contentType) => {
    expect(judgementTakes(contentType)).toBe(true);
    expect(asPactReadsIt.test(contentType)).toBe(true);
    expect(asJavaScriptReadsIt.test(contentType)).toBe(true);
  });

  it.each(refused.map((t) => [t]))('refuses %j, as the judgement does', (contentType) => {
    expect(judgementTakes(contentType)).toBe(false);
    expect(asPactReadsIt.test(contentType)).toBe(false);
    expect(asJavaScriptReadsIt.test(contentType)).toBe(false);
  });
});
