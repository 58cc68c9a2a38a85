// compare: any consumer pact, judged statically against the contract. The kit's own pacts, the pacts check-client
// writes and hand-written pacts of other Pact implementations pass; pacts with each kind of wrong expectation
// fail, each for its own reason, at the interaction, side and JSON pointer of the mistake.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { PactFileError, comparePacts, formatCompareResult, type CompareFinding } from 'vpptokens-contract-kit/compare';
import { canonicalPact, checkClient } from 'vpptokens-contract-kit/provider';
import { checkPactFiles, VerificationSetupError } from '../../src/verification/setup';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const canonical = (): Json => JSON.parse(readFileSync(canonicalPact('beta'), 'utf8'));
const write = (pact: unknown, name = `${Math.random().toString(36).slice(2)}.json`) => {
  const file = join(dir, name);
  writeFileSync(file, typeof pact === 'string' ? pact : JSON.stringify(pact, null, 2));
  return file;
};
const brief = (f: CompareFinding) => `${f.source === 'vppkit' ? '' : `[${f.code}] `}${f.side} ${f.pointer}: ${f.check}`;

// Outside finding M17 (decision 0341): a create that sets the read-only id or lastModifiedDateTime. A correct provider
// may ignore it (201) or refuse it (400): a pact that expects either holds the other correct provider wrong.
describe('a pact whose create sets a read-only property', () => {
  const withCreate = (status: number, extra: Json) => {
    const token = createRequestFactory.withSeed(9).withTraits('minimal').buildAt(0).token;
    const body = status === 201 ? { id: '0f8fad5b-d9cb-469f-a165-70867728950e', state: 'valid' } : { error: { code: 'BadRequest', message: "The property 'id' is read-only and cannot be set." } };
    return write({
      consumer: { name: 'sets-read-only' },
      provider: { name: 'microsoft-graph-vpptokens' },
      interactions: [
        {
          description: `create a token, ${status}`,
          request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z' }, body: { token, ...extra } },
          response: { status, headers: { 'Content-Type': 'application/json' }, body, matchingRules: { '$.body.id': { match: 'regex', regex: '^[0-9a-f-]{36}$' }, '$.body.state': { match: 'type' }, '$.body.error.message': { match: 'type' } } },
        },
      ],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
  };
  const said = (pointer: string, status: number) => `is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out: a correct provider may ignore it (201) or refuse the create (400), and the pact expects ${status}`;

  it.each([201, 400])('fails it expecting %s, at its pointer, and nothing else of the status', async (status) => {
    const result = await comparePacts([withCreate(status, { id: 'not-a-guid' })]);
    const findings = result.pacts[0].interactions.flatMap((i) => i.findings);
    expect(findings.map(brief)).toEqual(['request /id: request Graph accepts']);
    expect(findings[0].message).toBe(said('/id', status));
    expect(result.passed).toBe(false);
    const both = await comparePacts([withCreate(status, { id: 'x', lastModifiedDateTime: '2001-01-01T00:00:00Z' })]);
    expect(both.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual(['request /id: request Graph accepts', 'request /lastModifiedDateTime: request Graph accepts']);
  });

  it('passes the same create without it, expecting 201; expecting 400 is still no answer Graph gives', async () => {
    expect((await comparePacts([withCreate(201, {})])).pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect((await comparePacts([withCreate(400, {})])).pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual(['response status: status Graph gives']);
  });
});

describe('pacts that keep the contract pass', () => {
  it.each([['beta'], ['v1.0']] as const)('the kit\'s canonical %s pact, PactFlow\'s comparator finding nothing either', async (profile) => {
    const result = await comparePacts([canonicalPact(profile)], { profile });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.pacts[0].warnings).toEqual([]);
    expect(result.passed).toBe(true);
    const n = JSON.parse(readFileSync(canonicalPact(profile), 'utf8')).interactions.length;
    expect(result.summary).toBe(`vppkit compare: 1 pact, ${n} interactions against Graph ${profile}: ${n} passed, 0 failed`);
  });

  it('the pact check-client writes from a real client\'s requests', async () => {
    const client = join(__dirname, '..', 'client-check', 'clients', 'raw-client.js');
    const requests = createRequestFactory.withSeed(5);
    const sent = [
      { body: requests.withTraits('full').buildAt(0) },
      { body: requests.withTraits('minimal').buildAt(1) },
      { headers: { 'Content-Type': 'Application/JSON; Charset=UTF-8', Authorization: 'bearer a-token' }, body: requests.buildAt(2) },
    ];
    const checked = await checkClient({ command: process.execPath, args: [client, JSON.stringify(sent)], consumer: 'compare-client', pactDir: dir, stdio: 'pipe' });
    expect(checked.passed).toBe(true);
    // It records the profile it was written for, beta as v1.0 (decision 0231): verify and compare judge it by it.
    expect(JSON.parse(readFileSync(checked.pactFile!, 'utf8')).metadata.vppkit).toEqual({ profile: 'beta' });
    const result = await comparePacts([checked.pactFile!]);
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.pacts[0].interactions.filter((i) => i.judged)).toHaveLength(3);
    expect(result.passed).toBe(true);
  });

  it('a Pact V2 file as pact-jvm writes it and a V3 file as PactNet writes it, paths with /beta, a read-back', async () => {
    const token = createRequestFactory.withSeed(9).withTraits('minimal').buildAt(0).token;
    const v2 = {
      consumer: { name: 'jvm-app' },
      provider: { name: 'microsoft-graph-vpptokens' },
      interactions: [
        {
          description: 'create a token',
          providerState: 'a tenant that can add VPP tokens',
          request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z' }, body: { token, displayName: 'Fleet A' } },
          response: {
            status: 201,
            headers: { 'Content-Type': 'application/json; charset=utf-8' },
            body: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', displayName: 'Fleet A', state: 'valid' },
            matchingRules: { '$.body.id': { match: 'regex', regex: '^[0-9a-f-]{36}$' }, '$.body.state': { match: 'type' }, '$.headers.Content-Type': { match: 'regex', regex: 'application/json.*' } },
          },
        },
      ],
      metadata: { pactSpecification: { version: '2.0.0' } },
    };
    const v3 = {
      consumer: { name: 'dotnet-app' },
      provider: { name: 'microsoft-graph-vpptokens' },
      interactions: [
        {
          description: 'create a token without Authorization',
          providerStates: [{ name: 'a tenant that can add VPP tokens' }],
          request: { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body: { token } },
          response: { status: 401, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'InvalidAuthenticationToken' } }, matchingRules: { body: { '$.error.code': { combine: 'AND', matchers: [{ match: 'type' }] } } } },
        },
        {
          description: 'read it back',
          request: { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/0f8fad5b-d9cb-469f-a165-70867728950e', headers: { Authorization: 'Bearer x.y.z' } },
          response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', vppTokenAccountType: 'business' }, matchingRules: { body: { '$.vppTokenAccountType': { combine: 'AND', matchers: [{ match: 'regex', regex: '^(business|education)$' }] } } } },
        },
        { description: 'list them', request: { method: 'GET', path: '/beta/deviceAppManagement/vppTokens' }, response: { status: 200 } },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    };
    const result = await comparePacts([write(v2), write(v3)]);
    expect(result.pacts.flatMap((p) => p.interactions.flatMap((i) => i.findings)).map(brief)).toEqual([]);
    expect(result.pacts[1].warnings).toEqual(['list them: not the create nor a read of a vppToken, left alone']);
    expect(result.pacts.map((p) => p.specification)).toEqual(['2.0.0', '3.0.0']);
    expect(result.passed).toBe(true);
  });
});

// Outside tester H26: a pact holding only a list read was "0 interactions: 0 passed, 0 failed", exit 0 (decision 0191).
// Outside tester M9: a V4 status rule (`statusCode`: a class such as success, or a list) admits more than the
// example's status, as Pact reads it; compare held the example (200) to Graph's 201, while Pact and verify passed it.
describe('a V4 status rule is read as Pact reads it', () => {
  const interaction = (pact: Json, end: string) => pact.interactions.find((i: Json) => i.description.endsWith(end));
  it.each([
    ['success (any 2xx) for a create', 'with only its token', 200, { match: 'statusCode', status: 'success' }, 201],
    ['nonError for a create', 'with only its token', 200, { match: 'statusCode', status: 'nonError' }, 201],
    ['a list holding 201 for a create', 'with only its token', 200, { match: 'statusCode', status: [200, 201] }, 201],
    ['clientError for a request Graph refuses with 400', 'an account type that is not a member of the enum', 422, { match: 'statusCode', status: 'clientError' }, 400],
  ])('passes %s, judged by the status Graph gives', async (_what, end, status, matcher, judged) => {
    const pact = canonical();
    const i = interaction(pact, end);
    i.response.status = status;
    i.response.matchingRules = { ...i.response.matchingRules, status: { combine: 'AND', matchers: [matcher] } };
    const result = await comparePacts([write(pact)]);
    const one = result.pacts[0].interactions.find((x) => x.description === i.description)!;
    expect(one.findings.map(brief)).toEqual([]);
    expect(one.status).toBe(judged);
    expect(result.passed).toBe(true);
  });

  it('names the rule when it admits no status Graph gives', async () => {
    const pact = canonical();
    const i = interaction(pact, 'with only its token');
    i.response.status = 302;
    i.response.matchingRules.status = { combine: 'AND', matchers: [{ match: 'statusCode', status: 'redirect' }] };
    const result = await comparePacts([write(pact)]);
    const one = result.pacts[0].interactions.find((x) => x.description === i.description)!;
    expect(one.findings.find((f) => f.check === 'status Graph gives')?.message).toBe('must be one of 201, 400, 401, 403, 413, 415, 429, 503, 504: Graph never answers a create with 302, its status rule admitting redirect (300-399)');
  });
});

// Outside testers M10, M11: headers expected without a matcher, which Pact compares as written: a Content-Type Graph's
// own never matches, and request-id or Date, which the service writes anew in every answer.
describe('response headers expected without a matcher, as Pact compares them', () => {
  const ONLY = 'a request to create a vppToken with only its token';
  const expecting = (name: string, value: string, rule?: Json, bodyContentType?: string | null) => {
    const pact = canonical();
    const i = pact.interactions.find((x: Json) => x.description === ONLY);
    delete i.response.matchingRules.header['Content-Type'];
    // A V4 body names its own content type, which Pact takes before the header's: null leaves it out.
    if (bodyContentType === null) delete i.response.body.contentType;
    else if (bodyContentType !== undefined) i.response.body.contentType = bodyContentType;
    if (name === 'Content-Type') i.response.headers['Content-Type'] = [value];
    else i.response.headers[name] = [value];
    if (rule) i.response.matchingRules.header[name] = rule;
    return pact;
  };
  const findingsOf = async (pact: Json) => (await comparePacts([write(pact)])).pacts[0].interactions.find((x) => x.description === ONLY)!.findings;

  it.each([['Application/JSON'], ['application/json;charset=utf-16'], ['application/json;odata.metadata=full'], ['application/json; IEEE754Compatible=true']])('fails a Content-Type of %j, which Graph never sends', async (value) => {
    const findings = await findingsOf(expecting('Content-Type', value));
    expect(findings.map(brief)).toEqual(['response header Content-Type: matcher satisfiable']);
    expect(findings[0].message).toBe(`is expected to be ${JSON.stringify(value)} without a matcher (Pact then compares the media type as written and each parameter it names), but Graph sends application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8: write application/json, with any of those parameters, or match it by a regex`);
  });

  // Pact also takes the body's content type from it and compares that whole (outside attacker R116, decision 1000).
  it.each([
    ['application/json'],
    ['application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'],
    ['application/json; charset=UTF-8 ;odata.metadata=minimal;IEEE754Compatible=false; odata.streaming=true'],
  ])('passes a Content-Type of %j, which Graph\'s answer matches, its body\'s content type too', async (value) => {
    expect((await findingsOf(expecting('Content-Type', value, undefined, null))).map(brief)).toEqual([]);
  });

  it.each([
    ['application/json; charset=utf-8', 'application/json;charset=utf-8'],
    ['application/json; charset=UTF-8', 'application/json;charset=utf-8'],
    ['application/json;odata.metadata=minimal', 'application/json;odata.metadata=minimal'],
    ['application/json;odata.streaming=true;charset=utf-8', 'application/json;odata.streaming=true;charset=utf-8'],
    ['application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=False;charset=utf-8', 'the same, IEEE754Compatible=False'],
  ])('fails a Content-Type of %j, whose header Pact takes but whose body\'s content type it compares whole (%s)', async (value) => {
    const findings = await findingsOf(expecting('Content-Type', value, undefined, null));
    expect(findings.map(brief)).toEqual(['response header Content-Type: matcher satisfiable']);
    expect(findings[0].message).toBe(
      `is expected to be ${JSON.stringify(value)}, from which Pact takes the body's content type and compares it whole with the answer's (every parameter, by name, each value as written), but Graph's is application/json;charset=utf-8;ieee754compatible=false;odata.metadata=minimal;odata.streaming=true as Pact writes it, and no matcher takes it: Pact fails every correct provider with "Expected a body of ..."; write application/json with no parameter, Graph's whole Content-Type, or a regex that takes application/json;charset=utf-8;ieee754compatible=false;odata.metadata=minimal;odata.streaming=true`,
    );
  });

  // Under a matcher, Pact's body comparison asks the matcher of Graph's content type as Pact writes it (parameters
  // sorted, names lowercased), unless the example is plain application/json or Graph's own.
  it.each([
    ['application/json;odata.metadata=minimal', '^application/json.*$', true],
    ['application/json', '^application/json;odata\\.metadata=minimal.*$', true],
    ['application/json;charset=utf-8', '^application/json.*charset=utf-8.*$', true],
    ['application/json;odata.metadata=minimal', '^application/json;odata\\.metadata=minimal.*$', false],
    ['application/json;odata.metadata=minimal', '^application/json;odata\\.metadata=minimal;odata\\.streaming=true;IEEE754Compatible=false;charset=utf-8$', false],
  ])('an example %j under the regex %j passes: %s', async (value, regex, passes) => {
    const findings = await findingsOf(expecting('Content-Type', value, { combine: 'AND', matchers: [{ match: 'regex', regex }] }, null));
    expect(findings.map(brief)).toEqual(passes ? [] : ['response header Content-Type: matcher satisfiable']);
    if (!passes) expect(findings[0].message).toMatch(/^is expected to be ".*", from which Pact takes the body's content type .* as Pact writes it, and the regex ".*" matcher refuses it as Pact writes it: /);
  });

  it('takes a V4 body\'s own contentType before the header\'s, as Pact does', async () => {
    expect((await findingsOf(expecting('Content-Type', 'application/json; charset=utf-8', undefined, 'application/json'))).map(brief)).toEqual([]);
    const GRAPH = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    expect((await findingsOf(expecting('Content-Type', GRAPH, undefined, GRAPH))).map(brief)).toEqual([]);
    const findings = await findingsOf(expecting('Content-Type', GRAPH, undefined, 'application/json;charset=utf-8'));
    expect(findings.map(brief)).toEqual(['response body: matcher satisfiable']);
    expect(findings[0].message).toMatch(/^the body's contentType is "application\/json;charset=utf-8", which Pact takes for the body's content type before the header's and compares it whole .* and no matcher takes it: /);
  });

  it.each([
    ['request-id', '3f1c2a44-0b6e-4c52-9d3b-2a7a1c0e9f11', 'Graph writes a new request-id, a GUID, in every answer'],
    ['Date', 'Thu, 03 Dec 2026 12:00:00 GMT', "Date is the answer's own time (RFC 9110 §6.6.1)"],
  ])('fails %s pinned to one value, which the service writes anew in every answer', async (name, value, why) => {
    const findings = await findingsOf(expecting(name, value));
    expect(findings.map(brief)).toEqual([`response header ${name}: matcher satisfiable`]);
    expect(findings[0].message).toMatch(new RegExp(`^is expected to be "${value}" exactly \\(no matcher: Pact compares it as it is\\), but ${why.replace(/[()]/g, '\\$&')}: match it by a regex`));
  });

  it('passes request-id and Date under matchers that take what Graph writes, and fails one that does not', async () => {
    const guid = { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9a-f-]{36}$' }] };
    expect((await findingsOf(expecting('request-id', '3f1c2a44-0b6e-4c52-9d3b-2a7a1c0e9f11', guid))).map(brief)).toEqual([]);
    expect((await findingsOf(expecting('Date', 'Thu, 03 Dec 2026 12:00:00 GMT', { combine: 'AND', matchers: [{ match: 'type' }] }))).map(brief)).toEqual([]);
    const pinned = { combine: 'AND', matchers: [{ match: 'regex', regex: '^3f1c2a44-.*$' }] };
    expect((await findingsOf(expecting('request-id', '3f1c2a44-0b6e-4c52-9d3b-2a7a1c0e9f11', pinned))).map(brief)).toEqual(['response header request-id: matcher satisfiable']);
  });
});

describe('pacts of which nothing is judged', () => {
  const listOnly = { consumer: { name: 'list-app' }, provider: { name: 'microsoft-graph-vpptokens' }, interactions: [{ description: 'list them', request: { method: 'GET', path: '/beta/deviceAppManagement/vppTokens' }, response: { status: 200 } }], metadata: { pactSpecification: { version: '3.0.0' } } };

  it('are no verdict: the run does not pass, and says it judged nothing', async () => {
    const result = await comparePacts([write(listOnly)]);
    expect(result.passed).toBe(false);
    expect(result.summary).toBe('vppkit compare: 1 pact, 0 interactions against Graph beta: nothing judged, no verdict: no interaction creates or reads a vppToken (POST .../deviceAppManagement/vppTokens, GET of one by id), see the notes');
    expect(formatCompareResult(result).split('\n')[0]).toMatch(/\(list-app -> microsoft-graph-vpptokens, Pact 3\.0\.0\): nothing judged$/);
  });

  it('beside a pact that is judged, are said to be so and do not fail the run', async () => {
    const result = await comparePacts([canonicalPact('beta'), write(listOnly)]);
    expect(result.passed).toBe(true);
    expect(formatCompareResult(result)).toMatch(/: passed\n[^]*\(list-app -> microsoft-graph-vpptokens, Pact 3\.0\.0\): nothing judged\n/);
  });
});

describe('a regex matcher is read as Pact reads it (outside tester H23)', () => {
  const FULL = 'a request to create a vppToken with every property';
  const withRegex = (regex: string) => {
    const pact = canonical();
    pact.interactions.find((i: Json) => i.description === FULL).response.matchingRules.body['$.displayName'] = { combine: 'AND', matchers: [{ match: 'regex', regex }] };
    return write(pact);
  };

  // Pact's core reads a regex with Oniguruma and matches the whole value (decision 0501): `(?i)^adams college`, which
  // leaves the rest of the name out, fails Pact's verifier, and compare's check (below, and tests/compare/regex-dialect).
  it.each([['^\\p{L}[\\p{L}\\p{N} ]*$'], ['(?i)^adams college.*'], ['^(?<first>\\p{Lu}\\p{Ll}+) .*']])('passes %s, which its example "Adams College ASM token" satisfies as Pact reads it', async (regex) => {
    const result = await comparePacts([withRegex(regex)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.pacts[0].warnings).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it.each([['^\\pL[\\pL\\pN ]*$'], ['^(?P<first>\\p{Lu}\\p{Ll}+) .*']])('notes %s (Rust\'s spellings, which Oniguruma does not read) as not judged, not failed', async (regex) => {
    const result = await comparePacts([withRegex(regex)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings)).toEqual([]);
    expect(result.pacts[0].warnings).toEqual([expect.stringMatching(/could not be read as Pact reads it \(.*\): not judged$/)]);
  });

  it('fails (?i)^adams college, which matches only the start of its example: Pact matches the whole value', async () => {
    const result = await comparePacts([withRegex('(?i)^adams college')], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map((f) => f.message)).toEqual([expect.stringContaining('its own example "Adams College ASM token" does not match "(?i)^adams college" (Pact matches the whole value)')]);
    expect(result.passed).toBe(false);
  });

  it('says it could not read a pattern of another dialect (Java\'s possessive ++), not that it can never be satisfied', async () => {
    const result = await comparePacts([withRegex('^[A-Za-z ]++$')], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.pacts[0].warnings).toEqual([expect.stringMatching(/^a request to create a vppToken with every property: response \$\.displayName: the regex "\^\[A-Za-z \]\+\+\$" could not be read as Pact reads it \(.*\): not judged$/)]);
    expect(formatCompareResult(result)).toContain('  note: a request to create a vppToken with every property: response $.displayName: the regex');
  });
});

describe('pacts with a wrong expectation fail, each for its own reason', () => {
  const interaction = (pact: Json, description: string) => pact.interactions.find((i: Json) => i.description === description);
  const FULL = 'a request to create a vppToken with every property';
  const MINIMAL = 'a request to create a vppToken with only its token';
  const ENUM = 'a request to create a vppToken with an account type that is not a member of the enum';
  const cases: [string, (pact: Json) => string, string[]][] = [
    ['a request Graph refuses, expected to be created', (p) => ((interaction(p, MINIMAL).request.body.content.vppTokenAccountType = 'String'), MINIMAL), ['request /vppTokenAccountType: request Graph accepts']],
    ['a request without Authorization, expected to be created', (p) => (delete interaction(p, MINIMAL).request.headers.Authorization, MINIMAL), ['request header Authorization: request Graph accepts']],
    ['a valid request, expected to be refused', (p) => ((interaction(p, ENUM).request.body.content.vppTokenAccountType = 'education'), ENUM), ['response status: status Graph gives']],
    ['an invalid body, expected to be refused with 401', (p) => ((interaction(p, ENUM).response.status = 401), ENUM), ['response status: status Graph gives']],
    ['a create expected to answer 200', (p) => ((interaction(p, MINIMAL).response.status = 200), MINIMAL), ['response status: status Graph gives']],
    ['a value Graph never gives', (p) => ((interaction(p, FULL).response.body.content.state = 'String'), FULL), ['response /state: answer Graph could give']],
    ['a property Graph never answers', (p) => ((interaction(p, FULL).response.body.content.lastAppCount = 3), FULL), ['response /lastAppCount: answer Graph could give']],
    ['a value the client set, expected back changed', (p) => ((interaction(p, FULL).response.body.content.displayName = 'Renamed'), FULL), ['response /displayName: values back']],
    [
      'a regex matcher no value of the enum satisfies',
      (p) => ((interaction(p, FULL).response.matchingRules.body['$.lastSyncStatus'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^(none|synced)$' }] }), FULL),
      ['response /lastSyncStatus: matcher satisfiable'],
    ],
    [
      "a regex matcher on a derived action result's property that no member satisfies",
      (p) => ((interaction(p, FULL).response.matchingRules.body['$.tokenActionResults[*].actionFailureReason'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^(ok|failed)$' }] }), FULL),
      ['response /tokenActionResults/*/actionFailureReason: matcher satisfiable'],
    ],
    [
      'a Unicode-class regex matcher (read as Pact reads it) its own example does not satisfy',
      (p) => ((interaction(p, FULL).response.matchingRules.body['$.displayName'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^\\p{Lu}+$' }] }), FULL),
      ['response /displayName: matcher satisfiable'],
    ],
    ['a regex matcher that reads in no dialect', (p) => ((interaction(p, FULL).response.matchingRules.body['$.displayName'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^[a-' }] }), FULL), ['response /displayName: matcher satisfiable']],
    ['a null matcher on a property Graph never leaves null', (p) => ((interaction(p, FULL).response.matchingRules.body['$.automaticallyUpdateApps'] = { combine: 'AND', matchers: [{ match: 'null' }] }), FULL), ['response /automaticallyUpdateApps: matcher satisfiable']],
    [
      'a Content-Type matcher that refuses what Graph sends',
      (p) => ((interaction(p, FULL).response.matchingRules.header = { 'Content-Type': { combine: 'AND', matchers: [{ match: 'regex', regex: '^application/json$' }] } }), FULL),
      ['response header Content-Type: matcher satisfiable'],
    ],
    [
      'a read-back without a bearer token, expected to succeed',
      (p) => {
        const i = interaction(p, MINIMAL);
        i.request = { method: 'GET', path: '/deviceAppManagement/vppTokens/7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', headers: {} };
        i.response.status = 200;
        return MINIMAL;
      },
      ['request header Authorization: request Graph accepts'],
    ],
    // Judged as the version its path names, as verify judges it (decision 0781): beta's properties are none of v1.0's.
    [
      'a v1.0 path in a beta comparison',
      (p) => ((interaction(p, MINIMAL).request.path = '/v1.0/deviceAppManagement/vppTokens'), MINIMAL),
      ['claimTokenManagementFromExternalMdm', 'dataSharingConsentGranted', 'displayName', 'locationName', 'roleScopeTagIds', 'tokenActionResults'].map((name) => `response /${name}: answer Graph could give`),
    ],
    [
      'a create with a V4 status rule that admits no status Graph gives for it (a list of 200 and 202)',
      (p) => {
        const i = interaction(p, MINIMAL);
        i.response.status = 200;
        i.response.matchingRules.status = { combine: 'AND', matchers: [{ match: 'statusCode', status: [200, 202] }] };
        return MINIMAL;
      },
      ['response status: status Graph gives'],
    ],
    [
      'a request Graph refuses, expected to succeed by a V4 status rule (success)',
      (p) => {
        const i = interaction(p, MINIMAL);
        i.request.body.content.vppTokenAccountType = 'String';
        i.response.status = 200;
        i.response.matchingRules.status = { combine: 'AND', matchers: [{ match: 'statusCode', status: 'success' }] };
        return MINIMAL;
      },
      ['request /vppTokenAccountType: request Graph accepts'],
    ],
    [
      'a Retry-After Graph would never send (found by PactFlow\'s comparator)',
      (p) => {
        const i = interaction(p, MINIMAL);
        i.response.status = 429;
        i.response.headers['Retry-After'] = ['soon'];
        i.response.body.content = { error: { code: 'TooManyRequests', message: 'Too many requests.' } };
        i.response.matchingRules = { body: { '$.error.message': { combine: 'AND', matchers: [{ match: 'type' }] } } };
        return MINIMAL;
      },
      ['[response.header.incompatible] response header Retry-After: answer Graph could give'],
    ],
  ];

  it.each(cases)('%s', async (_what, mutate, expected) => {
    const pact = canonical();
    const description = mutate(pact);
    const result = await comparePacts([write(pact)]);
    const failed = result.pacts[0].interactions.filter((i) => !i.passed);
    expect(failed.map((i) => i.description)).toEqual([description]);
    expect(failed[0].findings.map(brief)).toEqual(expected);
    expect(result.passed).toBe(false);
    expect(formatCompareResult(result)).toMatch(new RegExp(`: ${pact.interactions.length - 1} passed, 1 failed$`));
  });

  // PactFlow's comparator is made once per profile and keeps what it compiled for the next pact (decision 0350): a
  // pact's findings must not depend on the pacts compared before it, in one run or an earlier one.
  it("judges each pact alone with PactFlow's comparator, which is made once per profile: the same findings before and after other pacts", async () => {
    const [, mutate, expected] = cases.find(([what]) => what.startsWith('a Retry-After'))!;
    const broken = canonical();
    const description = mutate(broken);
    const files = [write(broken), canonicalPact('beta'), canonicalPact('v1.0'), write(broken)];
    const fromComparator = (result: { pacts: { interactions: { findings: CompareFinding[] }[] }[] }, n: number) =>
      result.pacts[n].interactions.flatMap((i) => i.findings).filter((f) => f.source === 'openapi-pact-comparator').map(brief);
    const together = await comparePacts(files);
    expect([0, 1, 2, 3].map((n) => fromComparator(together, n))).toEqual([expected, [], [], expected]);
    expect(together.pacts.map((p) => p.interactions.filter((i) => !i.passed).map((i) => i.description))).toEqual([[description], [], [], [description]]);
    // Alone, after the run above, each is judged as it was in it.
    for (const [n, file] of files.entries()) expect(fromComparator(await comparePacts([file]), 0)).toEqual(fromComparator(together, n));
  });

  // Outside tester I11: matchers that refuse what the service itself sets passed compare, and verify failed them.
  it('fails a matcher, or an example without one, that refuses a value the service sets (id, lastModifiedDateTime, state): each as verify would', async () => {
    const rule = (regex: string) => ({ combine: 'AND', matchers: [{ match: 'regex', regex }] });
    const cases: [string, (body: Json, rules: Json) => void, RegExp][] = [
      ['upper-case GUIDs only', (b, r) => ((r['$.id'] = rule('^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$')), (b.id = '7B4F0B8E-2C1D-4F5A-9E3B-6A8D1C2E4F60')), /^the regex ".*" matcher on \$\.id refuses "7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60", a value Graph gives: the service sets id \(a new GUID for each vppToken, lowercase as Graph writes it\)$/],
      ['a time without fraction digits', (b, r) => ((r['$.lastModifiedDateTime'] = rule('^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$')), (b.lastModifiedDateTime = '2026-01-01T00:00:00Z')), /matcher on \$\.lastModifiedDateTime refuses "2026-12-02T20:24:51\.7343210Z", a value Graph gives/],
      ['state pinned to valid', (b, r) => ((r['$.state'] = rule('^valid$')), (b.state = 'valid')), /matcher on \$\.state refuses "unknown", a value Graph gives: the service sets state \(what it reads from Apple and the token, any of unknown, valid, expired/],
      ['an id without a matcher', (_b, r) => delete r['$.id'], /^is expected to be ".*" exactly \(no matcher: Pact compares it as it is\), but the service sets id and gives ".*" too/],
    ];
    for (const [what, mutate, message] of cases) {
      const pact = canonical();
      const created = interaction(pact, MINIMAL);
      mutate(created.response.body.content, created.response.matchingRules.body);
      const result = await comparePacts([write(pact)], { comparator: false });
      const findings = result.pacts[0].interactions.flatMap((i) => i.findings);
      expect([what, findings.map(brief)]).toEqual([what, [expect.stringMatching(/^response \/(id|lastModifiedDateTime|state): matcher satisfiable$/)]]);
      expect(findings[0].message).toMatch(message);
    }
    // Matchers that take every value the service gives pass: either case of GUID, 0 to 7 fraction digits, any member.
    const pact = canonical();
    const created = interaction(pact, MINIMAL);
    Object.assign(created.response.matchingRules.body, {
      '$.id': rule('^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$'),
      '$.lastModifiedDateTime': rule('^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,7})?Z$'),
      '$.state': { combine: 'AND', matchers: [{ match: 'type' }] },
    });
    expect((await comparePacts([write(pact)], { comparator: false })).passed).toBe(true);
  });

  // Issue 15 item 7: the list said once is read from the finding's `allowed` field, never searched for in its text.
  it('says a list of the names allowed once, read from the finding\'s field; a value that reads like one is shown as expected', async () => {
    const pact = canonical();
    interaction(pact, FULL).response.body.content.lastAppCount = 3;
    interaction(pact, MINIMAL).response.body.content.lastAppCount = 4;
    const result = await comparePacts([write(pact)]);
    const unknown = result.pacts[0].interactions.flatMap((i) => i.findings).filter((f) => f.pointer === '/lastAppCount');
    expect(unknown).toHaveLength(2);
    expect(unknown[0].allowed).toEqual(expect.arrayContaining(['id', 'token', 'vppTokenAccountType']));
    const lines = formatCompareResult(result).split('\n').filter((l) => l.includes('/lastAppCount'));
    expect(lines[0]).toMatch(/Graph never answers it \(allowed: @odata\.context, @odata\.type, id, .*\)$/);
    expect(lines[1]).toMatch(/Graph never answers it \(allowed: as above\)$/);
    // A request value that holds "(allowed: ...)" is the pact's value, quoted as it is in every finding that shows it.
    const odd = canonical();
    for (const description of [FULL, MINIMAL]) interaction(odd, description).request.body.content.vppTokenAccountType = '(allowed: x)';
    const text = formatCompareResult(await comparePacts([write(odd)]));
    expect(text.split('\n').filter((l) => l.includes('/vppTokenAccountType: must be one of business, education (got "(allowed: x)")'))).toHaveLength(2);
  });
});

describe('files that are not pacts', () => {
  it.each([
    ['not JSON', '{"interactions": [', /is not JSON/],
    ['JSON without interactions', '{"consumer": {"name": "x"}}', /is not a pact: it has no "interactions" list/],
  ])('%s: PactFileError', async (_what, text, message) => {
    const error = await comparePacts([write(text)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PactFileError);
    expect((error as Error).message).toMatch(message);
  });

  // Review of decision 0632 (decision 0691): compare read pact files with JSON.parse, so a `1e400` in one was judged
  // as Infinity, in the library's words ("JSON.stringify would send null"), bytes that are not UTF-8 became U+FFFD,
  // and a name given twice lost its first value without a word. Pact's parser (serde_json) refuses the first two. The
  // file is read by the one reader of every JSON input, in compare and verify alike, at the value's JSON pointer.
  describe('read by the one reader, as verify reads them', () => {
    const one = (): Json => ({ ...canonical(), interactions: canonical().interactions.slice(0, 1) });
    const refusals = async (text: string | Buffer) => {
      const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, text);
      const compared = await comparePacts([file], { comparator: false }).then(() => 'read', (e: Error) => `${e instanceof PactFileError}: ${e.message.replace(file, 'FILE')}`);
      let verified = 'read';
      try {
        checkPactFiles([file]);
      } catch (e) {
        verified = `${e instanceof VerificationSetupError}: ${(e as Error).message.replace(file, 'FILE')}`;
      }
      return [compared, verified];
    };
    const at = '/interactions/0/response/body/content/automaticallyUpdateApps';

    it('refuses a number no double holds, an unpaired surrogate, a name given twice and bytes that are not UTF-8, where each is', async () => {
      const text = JSON.stringify(one(), null, 2);
      const huge = text.replace('"automaticallyUpdateApps": false', '"automaticallyUpdateApps": 1e400');
      const rule = ': is a number no double can hold (it would be read as Infinity): I-JSON refuses it (RFC 7493 §2.2, RFC 8259 §6); Pact\'s parser (serde_json) refuses it too, "number out of range"';
      expect(await refusals(huge)).toEqual([`true: FILE is not a pact Pact can read: ${at}${rule}`, `true: pact file FILE is not a Pact file Pact can read: ${at}${rule}`]);
      const lone = await refusals(text.replace('"description": "', '"description": "\\ud800'));
      expect(lone).toEqual([expect.stringMatching(/^true: FILE is not a pact Pact can read: \/interactions\/0\/description: .*surrogate.*; Pact's parser \(serde_json\) refuses it too$/), expect.stringMatching(/^true: pact file FILE is not a Pact file Pact can read: \/interactions\/0\/description: /)]);
      const twice = await refusals(text.replace('"automaticallyUpdateApps": false', '"automaticallyUpdateApps": true, "automaticallyUpdateApps": false'));
      const said = ": is given twice: a name takes one value in a JSON object (RFC 8259 §4); Pact's parser keeps the last without a word, so which one the pact means is not said";
      expect(twice).toEqual([`true: FILE is not a pact the kit takes: ${at}${said}`, `true: pact file FILE is not a Pact file the kit takes: ${at}${said}`]);
      const latin1 = Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xe9]), Buffer.from(text.slice(20))]);
      expect(await refusals(latin1)).toEqual(['true: FILE is not UTF-8: byte 20 starts no valid UTF-8 sequence (JSON is UTF-8, RFC 8259 §8.1)', 'true: pact file FILE is not UTF-8: byte 20 starts no valid UTF-8 sequence (JSON is UTF-8, RFC 8259 §8.1)']);
    });

    it('reads what JSON and Pact take: the largest double, an escaped surrogate pair, a name once in each object, a byte-order mark in compare', async () => {
      const text = JSON.stringify(one(), null, 2).replace('"automaticallyUpdateApps": false', '"automaticallyUpdateApps": false, "@Org.Example.n": 1.7976931348623157e308').replace('"description": "', '"description": "\\ud83d\\ude80 ');
      expect(await refusals(text)).toEqual(['read', 'read']);
      expect((await refusals(`\uFEFF${text}`))[0]).toBe('read');
    });
  });
});

// Outside tester J25: V4 bodies written in an encoding (Pact's `"encoded": "json"`, a JSON string; `"base64"`)
// were judged as strings ("must be an object"), or failed PactFlow's comparator, while Pact itself reads them.
describe('V4 bodies written in an encoding are read as Pact reads them', () => {
  const ONLY_TOKEN = 'a request to create a vppToken with only its token';
  const encode = (body: Json, how: 'json' | 'base64'): Json => {
    const text = JSON.stringify(body.content);
    return { ...body, content: how === 'json' ? text : Buffer.from(text).toString('base64'), encoded: how };
  };
  const encodedPact = (how: 'json' | 'base64', change: (request: Json) => Json = (r) => r): string => {
    const pact = canonical();
    const interaction = pact.interactions.find((i: Json) => i.description === ONLY_TOKEN);
    interaction.request.body = encode({ ...interaction.request.body, content: change(interaction.request.body.content) }, how);
    interaction.response.body = encode(interaction.response.body, how);
    return write({ ...pact, interactions: [interaction] });
  };

  it.each([['json'], ['base64']] as const)('a create keeping the contract, encoded %s, passes with the comparator', async (how) => {
    const result = await comparePacts([encodedPact(how)]);
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it.each([['json'], ['base64']] as const)('a create Graph refuses, encoded %s, fails for its value', async (how) => {
    const result = await comparePacts([encodedPact(how, (r) => ({ ...r, vppTokenAccountType: 'String' }))]);
    expect(result.passed).toBe(false);
    const findings = result.pacts[0].interactions.flatMap((i) => i.findings);
    expect(findings.some((f) => f.source === 'vppkit' && f.side === 'request' && f.pointer === '/vppTokenAccountType')).toBe(true);
    expect(findings.map((f) => f.message).join('\n')).not.toMatch(/must be an object/);
  });
});

// Outside tester J9: the service writes @odata.context from the host asked and the version of the request; a pact
// that pins one (a v1.0 context on a beta create) passed compare, and verify failed it against any provider.
describe('@odata.context, which the service sets', () => {
  const withContext = (context: string, rule?: Json): string => {
    const pact = canonical();
    const interaction = pact.interactions.find((i: Json) => i.description === 'a request to create a vppToken with only its token');
    interaction.response.body.content['@odata.context'] = context;
    const rules = { ...interaction.response.matchingRules.body };
    delete rules["$['@odata.context']"];
    if (rule) rules["$['@odata.context']"] = rule;
    interaction.response.matchingRules = { ...interaction.response.matchingRules, body: rules };
    return write({ ...pact, interactions: [interaction] });
  };
  const V1 = 'https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/vppTokens/$entity';

  it.each([
    ['a v1.0 context pinned on a beta create', V1, undefined],
    ['Graph\'s own beta context pinned (another host gives another)', 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity', undefined],
  ])('fails %s, at its pointer', async (_name, context, rule) => {
    const result = await comparePacts([withContext(context, rule)], { comparator: false });
    expect(result.passed).toBe(false);
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual(['response /@odata.context: matcher satisfiable']);
  });

  it.each([
    ['matched by type', { combine: 'AND', matchers: [{ match: 'type' }] }],
    ['matched by a pattern of the version', { combine: 'AND', matchers: [{ match: 'regex', regex: '^https?://[^/]+/beta/\\$metadata#deviceAppManagement/vppTokens(/\\$entity)?$' }] }],
  ])('passes it %s', async (_name, rule) => {
    const result = await comparePacts([withContext(V1.replace('v1.0', 'beta'), rule)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});

// Outside tester J9, its second half: the service writes Location and OData-EntityId from the host asked and the id it
// gives the new vppToken; a pact that pins one (another host, an id that is no GUID) passed compare, and verify
// failed it against any provider. They are judged as the body's service values are: a pinned one fails; a matcher
// passes when it takes what Graph gives, and its example (what the consumer's own test was answered) names this
// vppToken by the resource-identity rule.
describe('Location and OData-EntityId, which the service sets', () => {
  const ID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  const withHeader = (name: string, value: string, rule?: Json): string => {
    const pact = canonical();
    const interaction = pact.interactions.find((i: Json) => i.description === 'a request to create a vppToken with only its token');
    interaction.response.headers = { ...interaction.response.headers, [name]: value };
    if (rule) interaction.response.matchingRules = { ...interaction.response.matchingRules, header: { ...interaction.response.matchingRules.header, [name]: rule } };
    return write({ ...pact, interactions: [interaction] });
  };
  const idOf = (): string => canonical().interactions.find((i: Json) => i.description === 'a request to create a vppToken with only its token').response.body.content.id;
  const regex = (source: string) => ({ combine: 'AND', matchers: [{ match: 'regex', regex: source }] });

  it.each([
    ['a Location on another host, with an id that is no GUID (J9)', 'Location', "https://evil.example/beta/deviceAppManagement/vppTokens('x')", undefined],
    ['Graph\'s own Location for this example\'s id, pinned (the next vppToken has another id)', 'Location', 'GRAPH', undefined],
    ['an OData-EntityId pinned', 'OData-EntityId', 'GRAPH', undefined],
    ['a Location matched by a regex that names one id', 'Location', 'GRAPH', 'ONE-ID'],
    ['a Location matched by a regex of Graph\'s form whose example names another vppToken', 'Location', "https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('c93f2a51-0e6d-4b7a-8f21-3d5e9a0b7c14')", 'GUID'],
    ['a Location matched by a regex whose example is another version\'s', 'Location', 'V1', 'ANY-VERSION'],
  ])('fails %s, at the header', async (_name, header, value, rule) => {
    const graph = `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('${idOf()}')`;
    const example = value === 'GRAPH' ? graph : value === 'V1' ? graph.replace('/beta/', '/v1.0/') : value;
    const rules: Record<string, Json> = {
      'ONE-ID': regex(`^https://graph\\.microsoft\\.com/beta/deviceAppManagement/vppTokens\\('${idOf()}'\\)$`),
      GUID: regex(`^https://[^/]+/beta/deviceAppManagement/vppTokens\\('${ID_PATTERN}'\\)$`),
      'ANY-VERSION': regex(`^https://[^/]+/(beta|v1\\.0)/deviceAppManagement/vppTokens\\('${ID_PATTERN}'\\)$`),
    };
    const result = await comparePacts([withHeader(header, example, rule ? rules[rule] : undefined)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([`response header ${header}: matcher satisfiable`]);
    expect(result.passed).toBe(false);
  });

  it('says why a pinned Location fails and how to match it', async () => {
    const result = await comparePacts([withHeader('Location', "https://evil.example/beta/deviceAppManagement/vppTokens('x')")], { comparator: false });
    const [finding] = result.pacts[0].interactions.flatMap((i) => i.findings);
    expect(finding.message).toMatch(/^is expected to be "https:\/\/evil\.example\/beta\/deviceAppManagement\/vppTokens\('x'\)" exactly \(no matcher: Pact compares it as it is\), but the service sets Location from the host asked and the id it gives the new vppToken, and gives "https:\/\/graph\.microsoft\.com\/beta\/deviceAppManagement\/vppTokens\('[0-9a-f-]{36}'\)" too: match it by a regex/);
  });

  it.each([
    ['Location', 'GRAPH'],
    ['OData-EntityId', 'GRAPH'],
    ['Location', 'LOCAL'],
    ['Location', 'RELATIVE'],
  ])('passes %s matched by a regex of its form, its example this vppToken\'s (%s)', async (header, form) => {
    const examples: Record<string, string> = {
      GRAPH: `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('${idOf()}')`,
      LOCAL: `http://127.0.0.1:8080/beta/deviceAppManagement/vppTokens('${idOf()}')`,
      RELATIVE: `/beta/deviceAppManagement/vppTokens('${idOf()}')`,
    };
    const rule = regex(`^(https?://[^/]+)?/beta/deviceAppManagement/vppTokens\\('${ID_PATTERN}'\\)$`);
    const result = await comparePacts([withHeader(header, examples[form], rule)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});

// Each pact is judged by the Graph profile it records, as verify judges it (decision 0231, pactsByProfile): compare
// judged every file by --profile, so the kit's own folder of both contracts failed under either. A pact that records
// none (hand-written, another tool's) is judged by --profile.
describe('each pact by the profile it records', () => {
  const both = [canonicalPact('beta'), canonicalPact('v1.0')];
  const n = canonical().interactions.length;

  it.each([[undefined], ['beta'], ['v1.0']] as const)('passes the kit\'s beta and v1.0 contracts together, whatever --profile (%s)', async (profile) => {
    const result = await comparePacts(both, { comparator: false, ...(profile ? { profile } : {}) });
    expect(result.pacts.map((p) => [p.profile, p.recordedProfile, p.passed])).toEqual([
      ['beta', 'beta', true],
      ['v1.0', 'v1.0', true],
    ]);
    expect(result.passed).toBe(true);
    expect(result.summary).toBe(`vppkit compare: 2 pacts, ${2 * n} interactions against each pact's recorded Graph version (beta: 1 pact, ${n} interactions; v1.0: 1 pact, ${n} interactions): ${2 * n} passed, 0 failed`);
  });

  it('records the profile in both canonical contracts', () => {
    for (const profile of ['beta', 'v1.0'] as const) expect(JSON.parse(readFileSync(canonicalPact(profile), 'utf8')).metadata.vppkit).toEqual({ profile });
  });

  it('judges a pact that records none by --profile: the v1.0 contract without its record fails as beta, passes as v1.0', async () => {
    const v1 = JSON.parse(readFileSync(canonicalPact('v1.0'), 'utf8'));
    delete v1.metadata.vppkit;
    const file = write(v1);
    const asBeta = await comparePacts([file], { comparator: false });
    expect([asBeta.pacts[0].profile, asBeta.pacts[0].recordedProfile, asBeta.passed]).toEqual(['beta', undefined, false]);
    // Beta takes the state v1.0 refuses, and a v1.0 201 (its context's version) is not one beta gives.
    expect(asBeta.pacts[0].interactions.filter((i) => !i.passed).map((i) => i.description)).toEqual(expect.arrayContaining(['a request to create a vppToken with a state only Graph beta has (duplicateLocationId)', 'a request to create a vppToken with only its token']));
    const asV1 = await comparePacts([file], { comparator: false, profile: 'v1.0' });
    expect([asV1.pacts[0].profile, asV1.passed]).toEqual(['v1.0', true]);
    expect(asV1.summary).toBe(`vppkit compare: 1 pact, ${n} interactions against Graph v1.0: ${n} passed, 0 failed`);
  });
});

// Outside attacker K4, K16: compare routed by its own regexes, so a create at `.../vppTokens/` or `.../vppToken%73`,
// and a read at `.../vppTokens('ID')` (OData's key form, the form of a Location), were "left alone" and a pact that
// expected nonsense there passed. It reads the path as Graph routes it, by the one reading of a request target.
describe('the create and a read wherever Graph routes them', () => {
  const only = (): Json => canonical().interactions.find((i: Json) => i.description === 'a request to create a vppToken with only its token');
  const ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
  const created = (path: string, broken: boolean): string => {
    const interaction = only();
    interaction.request.path = path;
    if (broken) {
      interaction.response.status = 200;
      Object.assign(interaction.response.body.content, { vppTokenAccountType: 'String', state: 'bogus' });
    }
    return write({ ...canonical(), interactions: [interaction] });
  };
  const read = (path: string, broken: boolean): string => {
    const every = canonical().interactions.find((i: Json) => i.description === 'a request to create a vppToken with every property');
    const rules = { ...every.response.matchingRules.body };
    delete rules['$.id'];
    const body = { ...every.response.body.content, id: ID };
    if (broken) {
      Object.assign(body, { state: 'bogus', vppTokenAccountType: 'String' });
      delete rules['$.state'];
      delete rules['$.vppTokenAccountType'];
    }
    const interaction = {
      ...every,
      description: 'read a vppToken back',
      request: { method: 'GET', path, headers: { Authorization: every.request.headers.Authorization } },
      response: { ...every.response, status: 200, body: { ...every.response.body, content: body }, matchingRules: { ...every.response.matchingRules, body: rules } },
    };
    return write({ ...canonical(), interactions: [interaction] });
  };

  it.each(['/deviceAppManagement/vppTokens/', '/deviceAppManagement/vppToken%73', '/beta/DEVICEAPPMANAGEMENT/vppTokens/', '/%62eta/deviceAppManagement/vppTokens'])('judges a create at %s: a broken one fails, a right one passes', async (path) => {
    const broken = await comparePacts([created(path, true)]);
    expect(broken.pacts[0].interactions.map((i) => i.judged)).toEqual([true]);
    expect(broken.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual(expect.arrayContaining(['response status: status Graph gives', 'response /state: answer Graph could give', 'response /vppTokenAccountType: answer Graph could give']));
    expect(broken.passed).toBe(false);
    const right = await comparePacts([created(path, false)]);
    expect(right.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(right.passed).toBe(true);
  });

  it.each([`/deviceAppManagement/vppTokens('${ID}')`, `/deviceAppManagement/vppTokens/${ID}`, `/beta/deviceAppManagement/vppTokens(%27${ID}%27)`, `/BET%41/deviceAppManagement/vppTokens/${ID}`])('judges a read at %s: a broken one fails, a right one passes', async (path) => {
    const broken = await comparePacts([read(path, true)], { comparator: false });
    expect(broken.pacts[0].interactions.map((i) => i.judged)).toEqual([true]);
    expect(broken.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual(expect.arrayContaining(['response /state: answer Graph could give', 'response /vppTokenAccountType: answer Graph could give']));
    const right = await comparePacts([read(path, false)], { comparator: false });
    expect(right.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(right.passed).toBe(true);
  });
});

// Outside attacker K6: a 201 expecting the request's bearer in `client-request-id`, or its VPP token in `request-id`,
// passed compare (the comparator passed those names; an unknown one it failed only as "not in the spec"), and verify
// failed every correct provider on it. No answer carries a credential of its request: the one judgement says so.
describe('an expected answer that carries a credential of its request', () => {
  const withHeaders = (headers: (request: Json) => Record<string, string>): string => {
    const interaction = canonical().interactions.find((i: Json) => i.description === 'a request to create a vppToken with only its token');
    interaction.response.headers = { ...interaction.response.headers, ...headers(interaction.request) };
    return write({ ...canonical(), interactions: [interaction] });
  };

  it.each([
    ['the bearer in client-request-id', 'client-request-id', (r: Json) => r.headers.Authorization],
    ['the VPP token in request-id', 'request-id', (r: Json) => r.body.content.token],
    ['the bearer in a header of its own', 'X-Debug-Auth', (r: Json) => `seen ${String(r.headers.Authorization).replace(/^Bearer /, '')}`],
  ])('fails %s, at that header, without showing it', async (_name, header, value) => {
    const file = withHeaders((r) => ({ [header]: value(r) }));
    const result = await comparePacts([file], { comparator: false });
    const findings = result.pacts[0].interactions.flatMap((i) => i.findings);
    expect(findings.map(brief)).toEqual([`response header ${header}: answer Graph could give`]);
    expect(findings[0].message).toMatch(/^must not contain the request's (bearer|VPP) token \(not shown\): an answer never carries a credential of its request$/);
    expect(result.passed).toBe(false);
  });

  it('passes Graph\'s own ids there', async () => {
    // request-id under a matcher: Graph writes a new one in every answer, so a pinned one fails (outside tester M11).
    const file = withHeaders(() => ({ 'client-request-id': 'f467c8a2-5d31-4c0e-9a7b-2e6f1d8c4b90', 'request-id': '0b8e7b4f-2c1d-4f5a-9e3b-6a8d1c2e4f60' }));
    const pact = JSON.parse(readFileSync(file, 'utf8'));
    pact.interactions[0].response.matchingRules.header['request-id'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^[0-9a-f-]{36}$' }] };
    const result = await comparePacts([write(pact)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});

// Outside attacker K19: a nullable property the create does not set (locationName, displayName) matched by type alone
// with a string example (pact-js `like("Sugar Land Campus")`), and tokenActionResults with `min: 1` (`eachLike`),
// passed compare; Graph answers null and [] there, and verify failed the kit's own reference provider.
describe('what Graph gives for what the create does not set', () => {
  const changed = (name: string, rule: Json | undefined, example?: unknown): string => {
    const interaction = canonical().interactions.find((i: Json) => i.description === 'a request to create a vppToken with only its token');
    if (rule) interaction.response.matchingRules.body[`$.${name}`] = rule;
    else delete interaction.response.matchingRules.body[`$.${name}`];
    if (example !== undefined) interaction.response.body.content[name] = example;
    return write({ ...canonical(), interactions: [interaction] });
  };
  const actionResult = { '@odata.type': '#microsoft.graph.vppTokenActionResult', actionName: 'sync', actionState: 'done', startDateTime: '2026-01-01T00:00:00Z', lastUpdatedDateTime: '2026-01-01T00:00:00Z' };

  it.each([
    ['locationName matched by type alone, a string its example', 'locationName', { combine: 'AND', matchers: [{ match: 'type' }] }, 'Sugar Land Campus', /^the type matcher on \$\.locationName refuses null, which Graph gives: the create does not set locationName/],
    ['displayName matched by type alone', 'displayName', { combine: 'AND', matchers: [{ match: 'type' }] }, 'Fleet A', /refuses null, which Graph gives: the create does not set displayName/],
    ['appleId pinned without a matcher', 'appleId', undefined, 'abm@example.com', /^is expected to be "abm@example\.com" exactly \(no matcher: Pact compares it as it is\), but the create does not set appleId, and Graph answers null/],
    ['tokenActionResults with min 1', 'tokenActionResults', { combine: 'AND', matchers: [{ match: 'type', min: 1 }] }, [actionResult], /asks for at least 1 item, but the create does not set tokenActionResults, and Graph gives a new vppToken \[\]$/],
  ])('fails %s', async (_name, name, rule, example, why) => {
    const result = await comparePacts([changed(name, rule, example)], { comparator: false });
    const findings = result.pacts[0].interactions.flatMap((i) => i.findings);
    expect(findings.map(brief)).toEqual([`response /${name}: matcher satisfiable`]);
    expect(findings[0].message).toMatch(why);
  });

  it.each([
    ['matched by type or null', { combine: 'OR', matchers: [{ match: 'type' }, { match: 'null' }] }, 'Sugar Land Campus'],
    ['matched by type, its example null', { combine: 'AND', matchers: [{ match: 'type' }] }, null],
  ])('passes locationName %s', async (_name, rule, example) => {
    const result = await comparePacts([changed('locationName', rule, example)], { comparator: false });
    expect(result.pacts[0].interactions.flatMap((i) => i.findings).map(brief)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});

// Outside tester K5: compare said "Graph accepts this request" of a create whose token is no Apple sToken, or an
// sToken that had expired, and failed a pact expecting Intune's 400 for either; a pact expecting 201 for a token that
// is no sToken passed, while check-client's mock refuses that very create. compare holds a create's token to
// Intune's rule as check-client does (--schema-tokens takes any), and takes Graph's 400 for a token Intune refuses.
describe("a create's token, held to Intune's sToken rule", () => {
  const ONLY_TOKEN = 'a request to create a vppToken with only its token';
  const EMPTY_TOKEN = 'a request to create a vppToken with an empty token';
  const NOW = new Date('2026-12-03T12:00:00Z');
  const sToken = (expDate: string) => Buffer.from(JSON.stringify({ token: 'ab'.repeat(40), expDate, orgName: 'Fleet Ltd' })).toString('base64');
  const EXPIRED = sToken('2025-01-27T10:04:33-0700');
  const CURRENT = sToken('2041-03-14T08:10:04-0700');
  /** The expiry a 201 gives for each sToken: the instant its expDate names (decision 0396). */
  const EXPIRES = new Map([
    [EXPIRED, '2025-01-27T17:04:33Z'],
    [CURRENT, '2041-03-14T15:10:04Z'],
  ]);
  const NO_STOKEN = 'not-an-apple-stoken-just-text';
  /** The canonical create (201) or refusal (400, Graph's error body) with `token` in its request (and its 201). */
  const pactWith = (token: string, status: 201 | 400): string => {
    const pact = canonical();
    const interaction = pact.interactions.find((i: Json) => i.description === (status === 201 ? ONLY_TOKEN : EMPTY_TOKEN));
    interaction.request.body.content = { token };
    // The organisation a 201 names is the sToken's (decision 0217): left out, as a pact may leave it.
    if (status === 201) {
      interaction.response.body.content.token = token;
      delete interaction.response.body.content.organizationName;
      if (EXPIRES.has(token)) interaction.response.body.content.expirationDateTime = EXPIRES.get(token);
    }
    return write({ ...pact, interactions: [interaction] });
  };
  const findings = async (file: string, options: { schemaTokens?: boolean } = {}) => {
    const result = await comparePacts([file], { comparator: false, now: NOW, ...options });
    return { passed: result.passed, findings: result.pacts[0].interactions.flatMap((i) => i.findings), text: formatCompareResult(result) };
  };

  it.each([
    ['a token that is no sToken, expected to be refused with 400', NO_STOKEN, 400, {}],
    ['a token that is no sToken, expected to be refused with 400, under --schema-tokens too', NO_STOKEN, 400, { schemaTokens: true }],
    ['an sToken that had expired, expected to be refused with 400', EXPIRED, 400, {}],
    ['an sToken that had expired, expected to be created (a service that keeps it as expired)', EXPIRED, 201, {}],
    ['a token that is no sToken, expected to be created, under --schema-tokens', NO_STOKEN, 201, { schemaTokens: true }],
    ['a current sToken, expected to be created', CURRENT, 201, {}],
  ] as const)('passes %s', async (_what, token, status, options) => {
    const judged = await findings(pactWith(token, status), options);
    expect(judged.findings.map(brief)).toEqual([]);
    expect(judged.passed).toBe(true);
  });

  it('fails a token that is no sToken, expected to be created: Intune refuses it, and says --schema-tokens', async () => {
    const judged = await findings(pactWith(NO_STOKEN, 201));
    expect(judged.findings.map(brief)).toEqual(['request /token: request Graph accepts']);
    expect(judged.findings[0].message).toMatch(/is not an Apple VPP token .*which Intune requires \(Graph answers 400, not 201\).*--schema-tokens/);
    expect(judged.text).not.toContain(NO_STOKEN);
    expect(judged.passed).toBe(false);
  });

  it('fails a current sToken expected to be refused with 400: Graph creates it', async () => {
    const judged = await findings(pactWith(CURRENT, 400));
    expect(judged.findings.map(brief)).toEqual(['response status: status Graph gives']);
    expect(judged.findings[0].message).toMatch(/^must be 201: Graph accepts this request/);
  });
});

// Outside tester K14: a read with $select expecting every property back passed compare; Graph answers only the
// properties selected (OData 4.01 Part 2 §5.1.3), as the kit's reference provider does, so verify of it fails any
// provider that honours $select.
describe('a read with query options', () => {
  const ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
  const FULL = 'a request to create a vppToken with every property';
  const readPact = (query: string, keep?: string[]): string => {
    const pact = canonical();
    const interaction = pact.interactions.find((i: Json) => i.description === FULL);
    interaction.description = 'read one vppToken back';
    interaction.request = { method: 'GET', path: `/deviceAppManagement/vppTokens/${ID}`, query, headers: { Authorization: ['Bearer x.y.z'] } };
    interaction.response.status = 200;
    const body = interaction.response.body.content;
    body.id = ID;
    if (keep) for (const name of Object.keys(body)) if (!keep.includes(name)) delete body[name];
    return write({ ...pact, interactions: [interaction] });
  };
  const judge = async (file: string) => {
    const result = await comparePacts([file], { comparator: false });
    return { passed: result.passed, findings: result.pacts[0].interactions.flatMap((i) => i.findings) };
  };

  it('fails $select=displayName expecting every property back, at each property not selected', async () => {
    const judged = await judge(readPact('$select=displayName'));
    expect(judged.passed).toBe(false);
    expect(judged.findings.every((f) => f.check === 'answer Graph could give')).toBe(true);
    expect(judged.findings.map((f) => f.pointer)).toContain('/appleId');
    expect(judged.findings.map((f) => f.pointer)).not.toContain('/displayName');
    expect(judged.findings.find((f) => f.pointer === '/appleId')!.message).toMatch(/\$select=displayName/);
  });

  it.each([
    ['$select=displayName expecting displayName alone', '$select=displayName', ['displayName']],
    ['$select=id,displayName (any case) expecting both', '$SELECT=ID,displayname', ['id', 'displayName']],
    ['$select=* expecting every property', '$select=*', undefined],
    ['no query expecting every property', '', undefined],
  ])('passes %s', async (_what, query, keep) => {
    const judged = await judge(readPact(query, keep));
    expect(judged.findings.map(brief)).toEqual([]);
    expect(judged.passed).toBe(true);
  });

  it('fails a query option Graph refuses on a read, expecting 200', async () => {
    const judged = await judge(readPact('$top=1'));
    expect(judged.findings.map(brief)).toEqual(['request query: request Graph accepts']);
  });

  // Decision 0327: the request's own access token, without its scheme, in its query or path (as the mock refuses it).
  it("fails a read whose query or path holds the interaction's own bearer, expecting 200; the same query under another bearer passes", async () => {
    const bearer = 'Zq9xLmP4vT7wRb2kYc8nHs5dJf3gA6eU';
    const withBearer = (file: string, authorization: string, path?: string) => {
      const pact = JSON.parse(readFileSync(file, 'utf8'));
      pact.interactions[0].request.headers = { Authorization: [authorization] };
      if (path) pact.interactions[0].request.path = path;
      return write(pact);
    };
    const query = `$select=*&note=${encodeURIComponent(bearer)}`;
    const own = await judge(withBearer(readPact(query), `Bearer ${bearer}`));
    expect(own.findings.map(brief)).toEqual(['request query: request Graph accepts']);
    expect(own.findings[0].message).toBe("The query carries the request's own access token in 'note': send it only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown. (Graph answers 400, not 200)");
    expect((await judge(withBearer(readPact(query), 'Bearer someone-elses-token-1234'))).findings.map(brief)).toEqual([]);
    const inPath = await judge(withBearer(readPact(''), `Bearer ${bearer}`, `/deviceAppManagement/vppTokens('${bearer}')`));
    expect(inPath.findings.map(brief)).toContain('request path: request Graph accepts');
    expect(JSON.stringify(inPath.findings)).not.toContain(bearer.slice(0, 24));
  });

  // Decision 0340 (outside finding M20): an sToken in a read's path, by its mark, as the mock refuses it.
  it('fails a read whose path holds an sToken, expecting 200; a GUID there passes', async () => {
    const { token } = createRequestFactory.withSeed(1357).buildAt(0);
    const withPath = (path: string) => {
      const pact = JSON.parse(readFileSync(readPact(''), 'utf8'));
      pact.interactions[0].request.path = path;
      return write(pact);
    };
    const inPath = await judge(withPath(`/deviceAppManagement/vppTokens/${encodeURIComponent(token)}`));
    expect(inPath.findings.find((f) => f.pointer === 'path')?.message).toBe('The path carries a VPP token: send it only in the body (a URL ends up in logs). The value is not shown. (Graph answers 400, not 200)');
    expect(JSON.stringify(inPath.findings)).not.toContain(token.slice(0, 24));
    const guid = await judge(withPath("/deviceAppManagement/vppTokens('7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60')"));
    expect(guid.findings.filter((f) => f.pointer === 'path')).toEqual([]);
  });
});

// Outside tester N14: a pact whose consumer put its access token in the request's body (an enum property, a
// displayName) got it back whole in the finding's `got`, while the same value in the expected answer was hidden.
it("hides an interaction's own bearer wherever its findings would quote it, by the kit or by PactFlow's comparator", async () => {
  const pact = canonical();
  const bearer = 'Zq7xK2mV9pL4wR8tY3nJ6hC1abXYZ';
  const only = pact.interactions.find((i: Json) => /only its token/.test(i.description));
  only.request.headers.Authorization = [`Bearer ${bearer}`];
  Object.assign(only.request.body.content, { vppTokenAccountType: bearer, displayName: `Bearer ${bearer}` });
  pact.interactions = [only];
  const result = await comparePacts([write(pact)]);
  const findings = result.pacts[0].interactions[0].findings;
  expect(findings.map(brief)).toContain('request /vppTokenAccountType: request Graph accepts');
  expect(JSON.stringify(result) + formatCompareResult(result)).not.toContain(bearer.slice(0, 12));
  expect(findings.find((f) => f.pointer === '/vppTokenAccountType' && f.source === 'vppkit')?.got).toBe('"[bearer]"');
});
