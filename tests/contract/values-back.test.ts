// What the client set comes back (docs/decisions/0012): one rule, VALUES_THAT_COME_BACK, held by the contract's
// 201 expectations, the reference provider and verify's judgement alike.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { NEVER, PROFILES, VALUES_THAT_COME_BACK, createRequestFactory, createdVppToken, judgeCreatedAnswer, readAppleSToken, schemaFor, sTokenExpiry, vppTokenFactory, vppTokenTraits, type VppTokenCreateRequest, type VppTokenTrait } from 'vpptokens-contract-kit';
import { VALUES_NOT_HELD_TO } from '../../src/judgement/answer';
import { sTokenExpiryOf } from '../../src/graph/values';
import { sameDateTimeOffset } from '../../src/validation/date-time';
import { createdExpectation, strengthenPact } from 'vpptokens-contract-kit/pact';
import { CANONICAL_PACT, verifyProvider } from 'vpptokens-contract-kit/provider';
import { startReferenceProvider } from '../../src/provider';
import { listenOnLoopback } from '../support/listen';

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

it('the 201 expectation holds exactly those values by equality, the token sent by equality or null, and no other value', () => {
  for (const sent of requests) {
    const { body, rules } = createdExpectation(sent);
    const byValue = Object.entries(rules).filter(([, r]) => r.matchers.some((m) => m.match === 'equality')).map(([path]) => path);
    const expected = ['displayName', 'appleId', 'countryOrRegion', 'vppTokenAccountType', 'automaticallyUpdateApps', 'dataSharingConsentGranted', 'claimTokenManagementFromExternalMdm', 'appleDeviceAppDeliveryProtocolType']
      .filter((k) => k in sent)
      .map((k) => `$.${k}`);
    // roleScopeTagIds, an unordered collection (decision 0600): its members in any order, not by equality.
    if (sent.roleScopeTagIds !== undefined && sent.roleScopeTagIds.length > 0) {
      const distinct = [...new Set(sent.roleScopeTagIds)];
      expect([body.roleScopeTagIds, rules['$.roleScopeTagIds'], rules['$.roleScopeTagIds[*]']]).toEqual([
        sent.roleScopeTagIds,
        { combine: 'AND', matchers: [{ match: 'type', min: distinct.length, max: sent.roleScopeTagIds.length }] },
        { combine: 'AND', matchers: [{ match: 'type' }, { match: 'regex', regex: `^(${distinct.join('|')})$` }] },
      ]);
    }
    // The organisation the sToken names, when the client set none (decision 0217): equality, or null.
    const org = sent.organizationName === undefined ? readAppleSToken(sent.token)?.orgName : undefined;
    if (org !== undefined) {
      expected.push('$.organizationName');
      expect([body.organizationName, rules['$.organizationName']]).toEqual([org, { combine: 'OR', matchers: [{ match: 'equality' }, { match: 'null' }] }]);
    }
    // The token this request sent, or withheld (null), as the judgement holds it (decision 0125): in the file, so that
    // a Pact verifier without the kit fails a provider handing out another caller's token (outside finding M3, 0331).
    expect([body.token, rules['$.token']]).toEqual([sent.token, { combine: 'OR', matchers: [{ match: 'equality' }, { match: 'null' }] }]);
    expected.push('$.token');
    // @odata.type is a const: equality too, whatever was sent.
    expect(byValue.filter((p) => p !== "$['@odata.type']").sort()).toEqual(expected.sort());
    for (const path of expected) if (path !== '$.organizationName') expect(body[path.slice(2)]).toEqual(sent[path.slice(2) as keyof typeof sent]);
  }
});

// Decision 0012 sorts every property of the vppToken into two lists; one in neither fell through unjudged (outside
// tester N27: appleDeviceAppDeliveryProtocolType). The next property added to the schema fails here until it is sorted.
it('every property of the vppToken, in every profile, is in exactly one list of decision 0012, and each listed name is one', () => {
  const back = new Set<string>(VALUES_THAT_COME_BACK);
  const notHeld = new Set(Object.keys(VALUES_NOT_HELD_TO));
  const all = new Set<string>();
  for (const profile of PROFILES) {
    for (const name of Object.keys(schemaFor('response', profile).properties as object).filter((n) => !n.startsWith('@'))) {
      all.add(name);
      expect([name, back.has(name) && notHeld.has(name) ? 'both' : back.has(name) || notHeld.has(name) ? 'one' : 'neither']).toEqual([name, 'one']);
    }
  }
  expect([...back, ...notHeld].filter((name) => !all.has(name))).toEqual([]);
  for (const why of Object.values(VALUES_NOT_HELD_TO)) expect(why).toMatch(/\w+ \w+/);
});

describe('appleDeviceAppDeliveryProtocolType comes back as sent (decision 0404)', () => {
  const sent = { ...createRequestFactory.withSeed(5).withTraits('minimal').buildAt(0), appleDeviceAppDeliveryProtocolType: 'declarativeDeviceManagement' as const };
  const answerWith = (value: unknown) => {
    const body = { ...createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date(Date.UTC(2026, 11, 2)) }), appleDeviceAppDeliveryProtocolType: value };
    return { status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  };

  it('another member than the one set fails the answer, where it is', () => {
    expect(judgeCreatedAnswer(sent, answerWith('default')).map((p) => `${p.pointer}: ${p.message}`)).toEqual([expect.stringMatching(/^\/appleDeviceAppDeliveryProtocolType: .*declarativeDeviceManagement/)]);
  });

  it('the member set passes; any member passes when the create did not set it', () => {
    expect(judgeCreatedAnswer(sent, answerWith('declarativeDeviceManagement'))).toEqual([]);
    const { appleDeviceAppDeliveryProtocolType: _left, ...unset } = sent;
    const body = { ...createdVppToken(unset, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date(Date.UTC(2026, 11, 2)) }), appleDeviceAppDeliveryProtocolType: 'default' };
    expect(judgeCreatedAnswer(unset, { status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).toEqual([]);
  });

  it('the 201 expectation holds it by equality when the create sets it', () => {
    const { body, rules } = createdExpectation(sent);
    expect([body.appleDeviceAppDeliveryProtocolType, rules['$.appleDeviceAppDeliveryProtocolType']]).toEqual(['declarativeDeviceManagement', { combine: 'AND', matchers: [{ match: 'equality' }] }]);
  });
});

/** The reference provider behind a front that sets each 201's `token` to `token(sent)`: Content-Length made anew, the rest as it came. */
async function tokenFront(token: (sent: string) => unknown) {
  return createdFront((created, sent) => ({ ...created, token: token((sent as { token: string }).token) }));
}

/** The reference provider behind a front that answers each 201 body as `edit` makes it of the body and the request's: Content-Length made anew, the rest as it came. */
async function createdFront(edit: (created: Record<string, unknown>, sent: Record<string, unknown>) => Record<string, unknown>) {
  const upstream = await startReferenceProvider();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const body = Buffer.concat(chunks);
      const out = request(`${upstream.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c)).on('end', () => {
          let text = Buffer.concat(parts);
          if (answer.statusCode === 201) {
            const created = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
            text = Buffer.from(JSON.stringify(edit(created, JSON.parse(body.toString('utf8')) as Record<string, unknown>)));
          }
          const headers = { ...answer.headers, 'content-length': String(text.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers).end(text);
        });
      });
      out.end(body);
    });
  });
  const front = await listenOnLoopback(server);
  return { url: front.url, close: async () => (await front.close(), await upstream.close()) };
}

/** A plain pact-js Verifier on a pact file alone (the canonical one unless given; no vppkit in between): the paths of Pact's mismatches, none when it passed. */
async function plainPactMismatches(providerBaseUrl: string, pact = CANONICAL_PACT): Promise<string[]> {
  try {
    await new Verifier({ providerBaseUrl, pactUrls: [pact], logLevel: 'error' }).verifyProvider();
    return [];
  } catch (error) {
    // Pact's report of failed interactions; a verifier that could not run throws on.
    const report = JSON.parse((error as Error).message) as { errors: { mismatch: { mismatches: { path?: string; type: string }[] } }[] };
    return report.errors.flatMap((e) => e.mismatch.mismatches.map((m) => m.path ?? m.type));
  }
}

// Outside finding M3 (decision 0331): the pact held a 201's token to its type alone, so a plain Pact verifier (a broker
// job, pact_verifier_cli, Pact JVM) passed a provider that hands every caller another caller's VPP token, which verify
// fails. The file now says what verify says: the token sent, or null.
describe("a 201's token in the pact file, for a verifier without the kit", () => {
  const another = createRequestFactory.withSeed(99).buildAt(0).token;
  // verify's own line of Pact's mismatch tells the two tokens apart without showing either (decision 0347): both were
  // `[token]`, so a user could not see that the provider's was another.
  const SENT = '[the VPP token this request sent]';
  it.concurrent.each([
    ['echoes the token sent', (sent: string) => sent, true, []],
    ['withholds it (null)', () => null, true, []],
    ["hands out another caller's sToken", () => another, false, [`body $.token: Expected '[another VPP token]' (String) to be equal to '${SENT}' (String)`, "body $.token: Expected '[another VPP token]' (String) to be a null value"]],
    ['masks it', () => '***', false, [`body $.token: Expected '***' (String) to be equal to '${SENT}' (String)`, "body $.token: Expected '***' (String) to be a null value"]],
  ])('a provider that %s: plain Pact and verify agree', async (_, token, passes, lines) => {
    const provider = await tokenFront(token);
    try {
      const [plain, verified] = await Promise.all([plainPactMismatches(provider.url), verifyProvider({ providerBaseUrl: provider.url })]);
      // Five creates answered 201 in the canonical pact, each failed at its token and nowhere else.
      expect(plain).toEqual(passes ? [] : Array(10).fill('$.token'));
      expect(verified.passed).toBe(passes);
      if (!passes) expect(verified.interactions.filter((i) => !i.passed).map((i) => i.answerProblems.map((p) => p.message.split(':')[0]))).toEqual(Array(5).fill(['must be the token this request sent, or null (withheld)']));
      expect(verified.interactions.filter((i) => !i.passed).map((i) => i.pactMismatches)).toEqual(passes ? [] : Array(5).fill(lines));
    } finally {
      await provider.close();
    }
  });
});

// Outside tester R44 (decision 0600): roleScopeTagIds is Collection(Edm.String) without Core.Ordered, so a service
// may give its members in another order, and one that keeps tag ids as a set a member sent twice once. The pact's
// rule was equality, which failed both; it now holds the count and the members, and verify the judgement's rule.
describe("a 201's roleScopeTagIds in the pact file: the members sent, in any order", () => {
  let dir: string;
  let pact: string;
  const tags = ['12', '0', '7', '0'];
  beforeAll(() => {
    // The canonical pact's create of every property, its tag ids written as a client's own list (no matcher copies).
    dir = mkdtempSync(join(tmpdir(), 'vppkit-r44-'));
    pact = join(dir, 'r44.json');
    const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { interactions: { description: string; request: { body: { content: Record<string, unknown> }; matchingRules: { body: Record<string, unknown> } } }[] };
    const interaction = canonical.interactions.find((i) => i.description.endsWith('with every property'))!;
    interaction.request.body.content.roleScopeTagIds = tags;
    for (const path of Object.keys(interaction.request.matchingRules.body)) if (path.startsWith('$.roleScopeTagIds')) delete interaction.request.matchingRules.body[path];
    writeFileSync(pact, JSON.stringify({ ...canonical, interactions: [interaction] }));
    expect(strengthenPact(pact)).toBe(1);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rests on Graph's metadata: roleScopeTagIds is a collection without Core.Ordered", () => {
    const csdl = readFileSync(join(__dirname, '..', 'drift', 'metadata', 'beta-vppToken.csdl.xml'), 'utf8');
    const property = /<Property Name="roleScopeTagIds" Type="Collection\(Edm\.String\)">([\s\S]*?)<\/Property>/.exec(csdl);
    expect(property?.[1]).toMatch(/Core\.V1\.Description/);
    expect(property?.[1]).not.toMatch(/Ordered/);
  });

  it('the rule of a list with a null member, and of a list of one member sent twice, in the file', () => {
    const request = createRequestFactory.withSeed(5).withTraits('minimal').buildAt(0);
    expect(createdExpectation({ ...request, roleScopeTagIds: ['0', null, '0'] as unknown as string[] }).rules).toMatchObject({
      '$.roleScopeTagIds': { combine: 'AND', matchers: [{ match: 'type', min: 2, max: 3 }] },
      '$.roleScopeTagIds[*]': { combine: 'OR', matchers: [{ match: 'regex', regex: '^(0)$' }, { match: 'null' }] },
    });
    expect(createdExpectation({ ...request, roleScopeTagIds: ['0', '0'] }).rules).toMatchObject({
      '$.roleScopeTagIds': { combine: 'AND', matchers: [{ match: 'type', min: 1, max: 2 }] },
      '$.roleScopeTagIds[*]': { combine: 'AND', matchers: [{ match: 'type' }, { match: 'regex', regex: '^(0)$' }] },
    });
  });

  // One at a time: each runs Pact's native verifier twice, which the token cases above already run four at once.
  it.each([
    ['gives them in another order', ['0', '7', '0', '12'], 'passes', 'passes'],
    ['gives each once (a set), sorted', ['0', '12', '7'], 'passes', 'passes'],
    ['drops one', ['12', '0'], 'fails', 'fails'],
    ['adds one', ['12', '0', '7', '0', '5'], 'fails', 'fails'],
    ['empties it', [], 'fails', 'fails'],
    // What Pact's matchers cannot say (the count of each member) the kit's judgement says.
    ['gives one sent once twice and drops one', ['12', '0', '7', '7'], 'passes', 'fails'],
  ])('a provider that %s (%j): plain Pact %s, verify %s', async (_, ids, plainSays, verifySays) => {
    const provider = await createdFront((created) => ({ ...created, roleScopeTagIds: ids }));
    try {
      const plain = await plainPactMismatches(provider.url, pact);
      const verified = await verifyProvider({ providerBaseUrl: provider.url, pactFiles: [pact] });
      expect([plain.length > 0, plain.every((path) => path.startsWith('$.roleScopeTagIds'))]).toEqual([plainSays === 'fails', true]);
      expect(verified.passed).toBe(verifySays === 'passes');
      expect(verified.interactions.flatMap((i) => i.answerProblems.map((p) => `${p.where}: ${p.message.split(' (')[0]}`))).toEqual(verifySays === 'passes' ? [] : ['body /roleScopeTagIds: must be ["12","0","7","0"] in any order, or its members each once']);
    } finally {
      await provider.close();
    }
  });
});

// Outside tester N15: a provider answering every vppToken with expirationDateTime 2030-01-01 passed verify and
// conform, though each sToken it was sent expires in 2041 (its expDate). Intune reads the expiry from the sToken as it
// reads the organisation (decision 0396, as 0217): the instant it names, compared as an instant, or Graph's "never".
describe("a 201's expirationDateTime is the expiry its sToken names (decision 0396)", () => {
  const sent = createRequestFactory.withSeed(77).withTraits('minimal').buildAt(0);
  const expiry = sTokenExpiry(readAppleSToken(sent.token)!.expDate)!;
  const judged = (expirationDateTime: string, request: VppTokenCreateRequest = sent) => {
    const body = { ...createdVppToken(request, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }), expirationDateTime };
    return judgeCreatedAnswer(request, { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).filter((p) => p.where === 'body /expirationDateTime');
  };
  const inUtc = expiry.toISOString().replace(/\.000Z$/, 'Z');
  const atMinusSeven = new Date(expiry.getTime() - 7 * 3600_000).toISOString().replace(/\.000Z$/, '-07:00');

  it.each([
    ['in UTC', inUtc],
    ["with Graph's seven fraction digits", inUtc.replace(/Z$/, '.0000000Z')],
    ['at another offset', atMinusSeven],
    ['as Graph\'s "never" (not read yet)', NEVER],
  ])('passes the expiry %s', (_how, value) => {
    expect(judged(value)).toEqual([]);
  });

  it('fails another instant, saying the one the sToken names', () => {
    expect(expiry.getUTCFullYear()).toBe(2041);
    expect(judged('2030-01-01T00:00:00Z').map((p) => [p.check, p.message])).toEqual([
      ['values back', `must be ${inUtc}, the expiry the request's sToken names (its expDate), or ${NEVER} (Graph's "never": not read yet), compared as instants at Graph's 100 ns (got "2030-01-01T00:00:00Z")`],
    ]);
    expect(judged(new Date(expiry.getTime() + 1000).toISOString())).toHaveLength(1);
  });

  it('takes the value the client set, as a service may keep it, besides the sToken\'s', () => {
    const own = { ...sent, expirationDateTime: '2027-03-14T15:10:04.3355154+05:30' };
    expect(judged('2027-03-14T15:10:04.3355154+05:30', own)).toEqual([]);
    expect(judged(inUtc, own)).toEqual([]);
    expect(judged('2030-01-01T00:00:00Z', own).map((p) => p.message)).toEqual([expect.stringContaining(', or 2027-03-14T15:10:04.3355154+05:30 as the client set it, compared as instants')]);
  });

  it('holds nothing for a token that is no sToken', () => {
    expect(judged('2030-01-01T00:00:00Z', { ...sent, token: 'not-an-stoken' })).toEqual([]);
  });

  // Outside tester R3: an sToken naming its expiry to seven fraction digits (Graph's 100 ns ticks) was cut to
  // milliseconds: the exact instant failed ("must be ...04.123Z") and the reference provider answered another one.
  const withExpDate = (expDate: string): VppTokenCreateRequest => ({ ...sent, token: Buffer.from(JSON.stringify({ token: 'r3-inner-token-0123456789', expDate, orgName: 'Contoso' })).toString('base64') });
  it('reads the expiry to the digit the sToken writes it, and the reference provider answers it so', () => {
    const precise = withExpDate('2041-06-09T08:17:04.1234567-0700');
    expect(createdVppToken(precise, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }).expirationDateTime).toBe('2041-06-09T15:17:04.1234567Z');
    for (const same of ['2041-06-09T15:17:04.1234567Z', '2041-06-09T08:17:04.12345670-07:00']) expect(judged(same, precise)).toEqual([]);
    expect(judged('2041-06-09T15:17:04.123Z', precise).map((p) => p.message)).toEqual([expect.stringMatching(/^must be 2041-06-09T15:17:04\.1234567Z, the expiry /)]);
    expect(judged('2041-06-09T15:17:04.1239999Z', precise)).toHaveLength(1);
  });

  // Outside tester R20: the kit's own created vppTokens (vppTokenFactory, generate --kind response, the committed
  // fixtures) gave their sToken's expiry plus a drawn fraction: another instant, which compare then failed.
  it("the kit's own vppTokens, drawn and committed, name the expiry their sToken names", () => {
    const drawn = traits.flatMap((trait) => [0, 1, 2, 3].map((i) => vppTokenFactory.withSeed(20).withTraits(trait).buildAt(i)));
    const dir = join(__dirname, '..', '..', 'fixtures', 'create-response');
    const committed = readdirSync(dir).filter((f) => f.startsWith('valid-')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
    const records = [...drawn, ...committed].filter((r) => sTokenExpiryOf(r.token) !== undefined);
    expect(records.length).toBeGreaterThan(traits.length * 3);
    expect(records.filter((r) => !sameDateTimeOffset(r.expirationDateTime, sTokenExpiryOf(r.token)!)).map((r) => [r.expirationDateTime, sTokenExpiryOf(r.token)])).toEqual([]);
  });

  // Outside tester R4: an expDate naming no instant Graph holds (February 30th, past 9999 once the offset is applied)
  // made the reference provider answer `+010000-01-01T00:59:59Z` (no DateTimeOffset), and the judgement demand March
  // 2nd of every provider and refuse a 400. Such a token names no expiry: nothing is demanded, NEVER is answered, and
  // a 400 is as fair as for a token that is no sToken.
  it.each([['February 30th', '2041-02-30T08:17:04-0700'], ['a year past 9999 once the offset is applied', '9999-12-31T23:59:59-0100'], ['no offset', '2041-06-09T08:17:04'], ['24:00', '2041-06-09T24:00:00Z']])(
    'demands no expiry of an sToken whose expDate names no instant: %s',
    (_case, expDate) => {
      const odd = withExpDate(expDate);
      expect(createdVppToken(odd, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }).expirationDateTime).toBe(NEVER);
      for (const answered of [NEVER, '2041-02-28T15:17:04Z', '2041-03-02T15:17:04Z']) expect(judged(answered, odd)).toEqual([]);
      const refused = judgeCreatedAnswer(odd, { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'BadRequest', message: 'The token could not be read', innerError: { 'request-id': 'r', date: '2026-01-01T00:00:00' } } }) });
      expect(refused.filter((p) => p.check === 'status')).toEqual([]);
    },
  );
});
