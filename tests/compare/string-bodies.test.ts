// Outside attacker R76 (decision 0732): a V2/V3 pact may write a JSON body as a string holding its JSON text
// (pact-python users passing json.dumps(body), older writers). Pact's reader (pact_models body_from_json) takes such a
// string under a JSON content type as the body's text when it holds a JSON object or string, and sends and compares
// that JSON; any other string is the body as a JSON string. compare judged every such body as a JSON string ("must be
// an object"), and failed pacts verify passes against the reference provider.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts } from 'vpptokens-contract-kit/compare';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-string-bodies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

const token = createRequestFactory.withSeed(3).withTraits('minimal').buildAt(0).token;
const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const created = { token, displayName: 'Fleet' };

/** A create whose request body and 201 body are written as given (a string of JSON text, or the JSON itself). */
const interaction = (description: string, request: unknown, response: unknown) => ({
  description,
  request: { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { Authorization: 'Bearer placeholder.abc', 'Content-Type': 'application/json' }, body: request },
  response: { status: 201, headers: { 'Content-Type': GRAPH_JSON }, body: response, matchingRules: { body: { '$.token': { matchers: [{ match: 'type' }] } } } },
});
function pactOf(interactions: unknown[], version = '3.0.0'): string {
  const file = join(dir, `${(written += 1)}.json`);
  writeFileSync(file, JSON.stringify({ consumer: { name: 'py-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions, metadata: { pactSpecification: { version } } }));
  return file;
}
const findingsOf = async (file: string, comparator = false) => {
  const result = await comparePacts([file], { comparator });
  return result.pacts[0].interactions.flatMap((i) => i.findings).map((f) => `${f.side} ${f.pointer}: ${f.message}`);
};

describe('a V2/V3 JSON body written as a string of JSON text is read as Pact reads it (R76)', () => {
  it("passes the attacker's two pacts, the request's body and the 201's so written, with the comparator", async () => {
    // Two creates, each with its own token (one token created twice is a finding of its own, decision 0733).
    const other = { token: createRequestFactory.withSeed(4).withTraits('minimal').buildAt(0).token, displayName: 'Fleet' };
    const file = pactOf([interaction('create, request as text', JSON.stringify(created), created), interaction('create, answer as text', other, JSON.stringify(other))]);
    expect(await findingsOf(file, true)).toEqual([]);
  });

  it('judges the object the text holds: a create without its token fails at /token, not as a string', async () => {
    const findings = await findingsOf(pactOf([interaction('create without a token', JSON.stringify({ displayName: 'Fleet' }), created)]));
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^request \/token: /)]));
    expect(findings.join('\n')).not.toMatch(/must be an object/);
  });

  it('reads a string that holds no JSON object as the JSON string Pact sends: still no object', async () => {
    expect(await findingsOf(pactOf([interaction('create as a list', '[1,2]', created)]))).toEqual([expect.stringMatching(/^request : must be an object/)]);
    expect(await findingsOf(pactOf([interaction('create as a word', 'Fleet', created)]))).toEqual([expect.stringMatching(/must be an object/)]);
  });

  // V4 is another reader: a string content not encoded is a JSON string (vppkit verify of such a create against the
  // reference provider is answered 400), and its "json" encoding is the one that holds JSON text (J25).
  it('still reads a V4 body whose content is a string, not encoded, as the JSON string Pact sends', async () => {
    const v4 = (value: unknown) => ({ content: JSON.stringify(value), contentType: 'application/json', encoded: false });
    const file = pactOf([{ ...interaction('create, V4 text', v4(created), created), type: 'Synchronous/HTTP' }], '4.0');
    expect(await findingsOf(file)).toEqual([expect.stringMatching(/^request : must be an object/)]);
  });
});
