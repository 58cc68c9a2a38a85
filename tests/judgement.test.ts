import { judgeCreatedAnswer, judgeRejectedAnswer, judgeReadBack, resourceIdentityProblems, SERVICE_OWNED_PROPERTIES, valuesThatComeBack, createRequestFactory, createdVppToken } from 'vpptokens-contract-kit';
import { atBody, type Placed } from '../src/wire';
import { bearerProblem, createdIdOf, valuesBackProblems, judgeCreateExchange, readAnswer, readContextProblems, type ObservedAnswer } from '../src/judgement';
import { isBearerCredentials } from '../src/wire/headers';
import { sTokenOf } from './support/stoken';

const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const sent = createRequestFactory.withSeed(3).withTraits('full').buildAt(0);
const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date('2026-01-01T00:00:00Z') });
const answer = (status: number, body: unknown, contentType = json) => ({ status, headers: { 'Content-Type': contentType }, body: JSON.stringify(body) });

describe('readAnswer', () => {
  // conform's client reads each answer, then the judgement reads the same one (decision 0306).
  it('reads an answer once, and again when what it is read from changed: its bytes, its header lines, its text', () => {
    const one: ObservedAnswer = { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: undefined, bytes: Buffer.from('{"a":1}') };
    const first = readAnswer(one);
    expect(first.json).toEqual({ value: { a: 1 } });
    expect(readAnswer(one)).toBe(first);
    one.bytes = Buffer.from('{"a":2}');
    expect(readAnswer(one).json).toEqual({ value: { a: 2 } });
    one.rawHeaders = ['Content-Type', json, 'Content-Encoding', 'gzip'];
    expect(readAnswer(one).problems).toEqual([expect.objectContaining({ where: 'body', message: expect.stringMatching(/^is not gzip data/) })]);
    const text: ObservedAnswer = { status: 200, headers: { 'Content-Type': json }, body: '{"b":1}' };
    expect(readAnswer(text).json).toEqual({ value: { b: 1 } });
    text.body = '{"b":1,"b":2}';
    expect(readAnswer(text).problems).toEqual([expect.objectContaining({ rule: 'duplicate name' })]);
    // Another object with the same parts is read on its own.
    expect(readAnswer({ ...text })).not.toBe(readAnswer(text));
  });
});

describe('judgeCreatedAnswer', () => {
  it('passes a 201 with a valid body and the values the client set', () => {
    expect(judgeCreatedAnswer(sent, answer(201, created))).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, created, 'application/json; Charset=UTF-8; odata.metadata=minimal'))).toEqual([]);
  });

  // Outside tester P19's other side: a fetch() Response's headers are a Headers, read as the record of the same lines.
  it('reads a Fetch API Headers (a fetch() Response\'s) as the record of the same lines', () => {
    expect(judgeCreatedAnswer(sent, { ...answer(201, created), headers: new Headers({ 'Content-Type': json }) })).toEqual([]);
    expect(judgeCreatedAnswer(sent, { ...answer(201, created), headers: new Headers({ 'Content-Type': 'text/plain' }) }).map((p) => p.check)).toEqual(['content type']);
  });

  it("holds an answer's media type to Graph's lowercase (decision 0130; outside tester F25), in a 201 and an error", () => {
    const upper = { check: 'content type', part: 'header', header: 'Content-Type', where: 'header Content-Type', message: expect.stringMatching(/^must be application\/json in lowercase, as Graph answers: .* \(got "Application\/JSON; charset=UTF-8"\)$/) };
    expect(judgeCreatedAnswer(sent, answer(201, created, 'Application/JSON; charset=UTF-8'))).toEqual([upper]);
    expect(judgeRejectedAnswer([400], answer(400, { error: { code: 'BadRequest', message: 'no' } }, 'Application/JSON; charset=UTF-8'))).toEqual([upper]);
    expect(judgeCreatedAnswer(sent, answer(201, created, 'application/JSONx'))).toEqual([expect.objectContaining({ rule: 'media type' })]);
  });

  // Outside tester G7: the same client reads the text before ";" as it is, so a space or tab there breaks it too.
  it('holds an answer to no whitespace before ";", and takes it after', () => {
    for (const spaced of ['application/json ;charset=utf-8', 'application/json\t; charset=utf-8']) {
      const problem = { check: 'content type', part: 'header', header: 'Content-Type', where: 'header Content-Type', message: `must be application/json with nothing between it and ";", as Graph answers: Microsoft's Graph JavaScript client 3.x reads JSON only then, though RFC 9110 §5.6.6 allows whitespace there (got ${JSON.stringify(spaced)})` };
      expect(judgeCreatedAnswer(sent, answer(201, created, spaced))).toEqual([problem]);
      expect(judgeRejectedAnswer([400], answer(400, { error: { code: 'BadRequest', message: 'no' } }, spaced))).toEqual([problem]);
    }
    expect(judgeCreatedAnswer(sent, answer(201, created, 'application/json; charset=utf-8'))).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, created, 'application/json;charset=utf-8'))).toEqual([]);
  });

  it.each([
    ['not a server error', answer(500, { error: { code: 'x', message: 'y' } })],
    ['status', answer(200, created)],
    ['content type', answer(201, created, 'text/plain')],
    ['response schema', answer(201, { ...created, roleScopeTagIds: 'a' })],
    ['values back', answer(201, { ...created, displayName: 'another name' })],
  ])('fails for its own reason: %s', (check, bad) => {
    const problems = judgeCreatedAnswer(sent, bad);
    expect(problems.map((p) => p.check)).toContain(check);
  });

  it('names the property whose value did not come back', () => {
    const problems = judgeCreatedAnswer(sent, answer(201, { ...created, automaticallyUpdateApps: !sent.automaticallyUpdateApps }));
    expect(problems).toEqual([expect.objectContaining({ check: 'values back', where: 'body /automaticallyUpdateApps' })]);
  });
});

// Outside tester H24: Intune refuses an sToken Apple reports expired; a provider that does is fair (decision 0195).
describe('a create whose sToken had expired when the answer came', () => {
  const expired = createRequestFactory.withSeed(3).withTraits('minimal', 'expired').buildAt(0);
  const valid = createRequestFactory.withSeed(3).withTraits('minimal').buildAt(0);
  const refusal = answer(400, { error: { code: 'BadRequest', message: 'The VPP token has expired.' } });
  const receivedAt = new Date('2026-12-02T10:00:00Z');
  it('may be refused with 400 and Graph\'s error body, or created (201, kept as expired)', () => {
    expect(judgeCreatedAnswer(expired, refusal, undefined, { receivedAt })).toEqual([]);
    const kept = createdVppToken(expired, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: receivedAt });
    expect(kept.state).toBe('expired');
    expect(judgeCreatedAnswer(expired, answer(201, kept), undefined, { receivedAt })).toEqual([]);
  });
  it("still fails a refusal without Graph's error body, another status, and a 400 to an sToken that has not expired", () => {
    expect(judgeCreatedAnswer(expired, answer(400, { message: 'expired' }), undefined, { receivedAt }).map((p) => p.check)).toEqual(['response schema']);
    expect(judgeCreatedAnswer(expired, answer(422, { error: { code: 'BadRequest', message: 'x' } }), undefined, { receivedAt })).toEqual([expect.objectContaining({ check: 'status', message: 'must be 201 Created for a valid request (got 422)' })]);
    expect(judgeCreatedAnswer(valid, refusal, undefined, { receivedAt })).toEqual([expect.objectContaining({ check: 'status', message: 'must be 201 Created for a valid request (got 400)' })]);
  });
  it('is judged by when the answer came: before the sToken expired, or when unknown, a 400 fails', () => {
    expect(judgeCreatedAnswer(expired, refusal, undefined, { receivedAt: new Date('2020-01-01T00:00:00Z') })).toEqual([expect.objectContaining({ check: 'status' })]);
    expect(judgeCreatedAnswer(expired, refusal)).toEqual([expect.objectContaining({ check: 'status' })]);
  });
});

// Outside tester I8 (decision 0209): Intune refuses a token that is no Apple sToken; the client sent it.
describe('a create whose token is no Apple sToken', () => {
  const notAnSToken = { token: 'not-an-apple-token', displayName: 'x' };
  const refusal = answer(400, { error: { code: 'BadRequest', message: 'The VPP token is not valid.' } });
  const exchange = (body: unknown, status: number, answerBody: unknown) =>
    judgeCreateExchange(
      { method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer i8-bearer'], body: undefined, bytes: Buffer.from(JSON.stringify(body)) },
      { status, headers: { 'Content-Type': json }, body: JSON.stringify(answerBody) },
    );
  it("may be refused with 400 and Graph's error body, and the refusal is put on the client's side", () => {
    expect(judgeCreatedAnswer(notAnSToken, refusal)).toEqual([]);
    expect(exchange(notAnSToken, 400, { error: { code: 'BadRequest', message: 'The VPP token is not valid.' } })).toEqual([
      expect.objectContaining({ side: 'client', check: 'request schema', pointer: '/token', message: expect.stringMatching(/^is not an Apple VPP token \(an sToken: base64 of \{"token","expDate","orgName"\}\), which Intune requires: the provider refused it with 400$/) }),
    ]);
  });
  // Outside tester R57 (decision 0568): an sToken with its file's line break after it is said to be one, refused for the line break.
  it('says an sToken with a line break after it is one, refused for the line break, in verify\'s judgement as in validate', () => {
    expect(exchange({ ...sent, token: `${sent.token}\n` }, 400, { error: { code: 'BadRequest', message: 'x' } })).toEqual([
      expect.objectContaining({ side: 'client', pointer: '/token', message: 'is an Apple VPP token with a line break after it (read from a file? trim it): an sToken is base64 with no whitespace (RFC 4648 §3.3), which Intune requires: the provider refused it with 400' }),
    ]);
  });
  it('is the provider\'s fault when refused without Graph\'s error body, when the token is an sToken, or when the provider is said to take any token', () => {
    expect(judgeCreatedAnswer(notAnSToken, answer(400, { message: 'no' })).map((p) => p.check)).toEqual(['response schema']);
    expect(judgeCreatedAnswer(sent, refusal)).toEqual([expect.objectContaining({ check: 'status', message: 'must be 201 Created for a valid request (got 400)' })]);
    expect(exchange(sent, 400, { error: { code: 'BadRequest', message: 'x' } })).toEqual([expect.objectContaining({ side: 'provider', check: 'status' })]);
    expect(judgeCreatedAnswer(notAnSToken, refusal, undefined, { takesAnyToken: true })).toEqual([expect.objectContaining({ check: 'status' })]);
  });
});

// Found by an outside tester (F12): a 201 carrying the token of another create (another caller's sToken) passed.
describe('the token of a 201', () => {
  const other = createRequestFactory.withSeed(4).buildAt(0).token;
  it('passes as the request sent it, or withheld as null', () => {
    expect(judgeCreatedAnswer(sent, answer(201, created))).toEqual([]);
    expect(judgeCreatedAnswer(sent, answer(201, { ...created, token: null }))).toEqual([]);
  });
  it('fails as another request\'s token, showing neither', () => {
    expect(other).not.toBe(sent.token);
    const problems = judgeCreatedAnswer(sent, answer(201, { ...created, token: other }));
    expect(problems).toEqual([expect.objectContaining({ check: 'values back', where: 'body /token' })]);
    expect(problems[0].message).not.toContain(other.slice(0, 24));
    expect(problems[0].message).not.toContain(sent.token.slice(0, 24));
  });

  // Outside tester L14 (decision 0325): the request's own sToken in another base64 spelling was failed as "another
  // value ... an answer carries only its own request's credential", as if another caller's token had leaked.
  describe("this request's own sToken written differently", () => {
    const token = Buffer.from(JSON.stringify({ token: '??>>~~', expDate: '2041-04-24T03:33:16-0700', orgName: 'Marks Ltd' })).toString('base64');
    const own = { ...sent, token };
    const ownCreated = { ...createdVppToken(own, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date('2026-01-01T00:00:00Z') }) } as Record<string, unknown>;
    const unpadded = token.replace(/=+$/, '');
    const url = token.replace(/\+/g, '-').replace(/\//g, '_');
    // And its JSON re-encoded, members in another order (decision 1260).
    const reordered = Buffer.from(JSON.stringify({ orgName: 'Marks Ltd', token: '??>>~~', expDate: '2041-04-24T03:33:16-0700' })).toString('base64');
    const spellings = [unpadded, url, url.replace(/=+$/, ''), reordered];
    it('fails values back as that spelling, naming neither value, and still fails another token as another', () => {
      expect(token).toMatch(/\+.*\/.*=$|\/.*\+.*=$/);
      for (const spelled of spellings) {
        const problems = judgeCreatedAnswer(own, answer(201, { ...ownCreated, token: spelled }));
        expect(problems).toEqual([{ check: 'values back', ...atBody('/token'), message: "must be the token this request sent, exactly as sent, or null (withheld): it is this request's own sToken written differently (other base64 padding or alphabet, RFC 4648 §5, or its JSON re-encoded, RFC 8259 §1-2; neither shown), and a token comes back as it was sent" }]);
        expect(problems[0].message).not.toContain(token.slice(0, 24));
      }
      expect(judgeCreatedAnswer(own, answer(201, ownCreated))).toEqual([]);
      const other = createRequestFactory.withSeed(4).buildAt(0).token;
      expect(judgeCreatedAnswer(own, answer(201, { ...ownCreated, token: other }))[0].message).toMatch(/it is another value \(neither shown\), and an answer carries only its own request's credential$/);
    });
    it('is this create\'s vppToken: its id is the one created (seed records it created, read-back reads it)', () => {
      for (const spelled of spellings) expect(createdIdOf(answer(201, { ...ownCreated, token: spelled }), own)).toEqual({ id: ownCreated.id, state: ownCreated.state });
      expect(createdIdOf(answer(201, { ...ownCreated, token: createRequestFactory.withSeed(4).buildAt(0).token }), own)).toEqual({ missing: 'another vppToken: its token is not the one this request sent (not shown)' });
    });
    it('read back in another spelling than the 201 gave fails read-back as that spelling, never shown', () => {
      for (const spelled of spellings) {
        const problems = judgeReadBack(own, ownCreated, { ...ownCreated, token: spelled });
        expect(problems).toEqual([{ pointer: '/token', where: '/token', message: "must be the token of the 201 when both carry it, exactly as the 201 gave it: it is the same sToken written differently (other base64 padding or alphabet, RFC 4648 §5, or its JSON re-encoded, RFC 8259 §1-2; the value is not shown)" }]);
      }
      expect(judgeReadBack(own, { ...ownCreated, token: unpadded }, { ...ownCreated, token: unpadded })).toEqual([]);
    });
  });
});

// Found by an outside tester (F4): Location was judged by its tail, so another entity set, dot segments and
// another host passed, while a correct relative reference failed. Resolved first (RFC 3986 §5.2), then whole.
describe('a 201\'s Location, resolved against the request\'s target', () => {
  const target = 'http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens';
  const id = created.id as string;
  const withLocation = (location: string) => ({ status: 201, headers: { 'Content-Type': json, Location: location }, body: JSON.stringify(created) });
  const judged = (location: string) => judgeCreatedAnswer(sent, withLocation(location), undefined, { target });

  // Outside tester K32 (decision 0265): Graph's own documented 201 to this create carries no Location, no
  // OData-EntityId and no @odata.context, under plain application/json; each is judged when present, and its absence
  // fails nothing. The same answer naming another vppToken fails, as the cases below show for each form.
  it("passes Graph's documented 201: no Location, no OData-EntityId, no @odata.context", () => {
    const { '@odata.context': _context, ...documented } = created as unknown as Record<string, unknown>;
    const plain = { status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(documented) };
    expect(JSON.parse(plain.body)['@odata.context']).toBeUndefined();
    expect(judgeCreatedAnswer(sent, plain, undefined, { target })).toEqual([]);
    const elsewhere = { ...plain, headers: { ...plain.headers, Location: `/beta/deviceAppManagement/vppTokens('c93f2a51-0e6d-4b7a-8f21-3d5e9a0b7c14')` } };
    expect(judgeCreatedAnswer(sent, elsewhere, undefined, { target }).map((p) => p.check)).toEqual(['resource identity']);
  });

  it.each([
    ['absolute', `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens('${id}')`],
    ['absolute path', `/beta/deviceAppManagement/vppTokens/${id}`],
    ['relative to the collection', `vppTokens('${id}')`],
    ['with a dot segment that lands on it', `../deviceAppManagement/vppTokens/${id}`],
    ['percent-encoded', `/beta/deviceAppManagement/vppTokens('${id.replace(/-/g, '%2D')}')`],
    ['in other letter case', `/beta/DeviceAppManagement/VppTokens('${id.toUpperCase()}')`],
    ['in another letter case of the host', `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens('${id}')`.replace('http:', 'HTTP:')],
    // OData 4.01 URL Conventions §4.3.1: the key by name, as the reference provider routes it (outside attacker K29).
    ['the key by name', `/beta/deviceAppManagement/vppTokens(id='${id}')`],
  ])('passes one that is %s', (_name, location) => {
    expect(judged(location)).toEqual([]);
  });

  // The key `id` is an Edm.String, whose literal is quoted; unquoted it is a Guid literal, which names no vppToken: the
  // reference provider answers 404 to it (outside attacker K28). Judged by the same pattern the provider routes by.
  it('fails one whose key is unquoted, in the header and in a body link', () => {
    expect(judged(`/beta/deviceAppManagement/vppTokens(${id})`)).toEqual([expect.objectContaining({ check: 'resource identity', where: 'header Location', message: expect.stringMatching(/must be \/beta\/deviceAppManagement\/vppTokens\('.*'\) \(it resolves to the path \/beta\/deviceAppManagement\/vppTokens\(/) })]);
    const body = { ...created, '@odata.id': `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens(${id})`, '@odata.editLink': `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens(id='${id}')` };
    expect(judgeCreatedAnswer(sent, { status: 201, headers: { 'Content-Type': json }, body: JSON.stringify(body) }, undefined, { target }).map((p) => p.where)).toEqual(['body /@odata.id']);
  });

  // Decisions 0126 and 0190: a Location and an @odata.context name the host asked (or another name of its loopback
  // socket), Graph's own (the global service or a national cloud's) or a public host the user gave; the answer
  // cannot vouch for a host by naming it in both (outside tester H25). The context's version is the request's (H8).
  const named = (root: string) => ({ ...created, '@odata.context': `${root}/$metadata#deviceAppManagement/vppTokens/$entity` });
  const answerNaming = (root: string | undefined, headers: Record<string, string>) => ({ status: 201, headers: { 'Content-Type': json, ...headers }, body: JSON.stringify(root === undefined ? created : named(root)) });
  const judgedNamed = (root: string | undefined, location: string, more: { target?: string; publicHosts?: string[] } = {}) =>
    judgeCreatedAnswer(sent, answerNaming(root, { Location: location }), undefined, { target, ...more });
  const entity = `/deviceAppManagement/vppTokens('${id}')`;

  it.each([
    ["Graph's own host, as a facade in front of Graph answers", 'https://graph.microsoft.com/beta', `https://graph.microsoft.com/beta${entity}`, {}],
    ["a national cloud's Graph host, without naming it in @odata.context", undefined, `https://microsoftgraph.chinacloudapi.cn/beta${entity}`, {}],
    ["a national cloud's Graph host in both", 'https://dod-graph.microsoft.us/beta', `https://dod-graph.microsoft.us/beta${entity}`, {}],
    ['a public host given, with the root @odata.context names', 'https://gw.example/api/beta', `https://gw.example/api/beta${entity}`, { publicHosts: ['gw.example'] }],
    ['a public host given, without @odata.context: the path after the version', undefined, `https://gw.example:8443/api/beta${entity}`, { publicHosts: ['gw.example:8443'] }],
    ['the host asked, whatever Graph host @odata.context names', 'https://graph.microsoft.com/beta', `/beta${entity}`, {}],
    ['another name of the loopback socket asked (the reference provider asked as localhost)', 'http://127.0.0.1:4010/beta', `http://127.0.0.1:4010/beta${entity}`, { target: 'http://localhost:4010/beta/deviceAppManagement/vppTokens' }],
  ])('passes one on %s', (_name, root, location, more) => {
    expect(judgedNamed(root, location, more)).toEqual([]);
  });

  const hostsAllowed = "the host asked, 127\\.0\\.0\\.1:4010, Graph's own \\(graph\\.microsoft\\.com or a national cloud's\\) or a host given with --public-host";
  it.each([
    ['a network-path reference to another host', undefined, `//evil.example/beta${entity}`, {}, new RegExp(`^must point at this vppToken: must be on ${hostsAllowed}: it names the host evil\\.example, where this vppToken is not \\(a client following it would send its bearer there\\)`)],
    ["another host, though a public host was given", undefined, `https://evil.example/beta${entity}`, { publicHosts: ['gw.example'] }, /must be on the host asked, 127\.0\.0\.1:4010, Graph's own \(graph\.microsoft\.com or a national cloud's\) or a --public-host \(gw\.example\): it names the host evil\.example/],
    ['another port of the loopback asked', undefined, `http://127.0.0.1:9/beta${entity}`, {}, /it names the host 127\.0\.0\.1:9, where this vppToken is not/],
    ["Graph's host under a gateway's path", undefined, `https://graph.microsoft.com/gw/beta${entity}`, {}, /must be \/beta\/deviceAppManagement\/vppTokens\('.*'\) \(it resolves to the path \/gw\/beta\//],
    ['a public host, under another version', undefined, `https://gw.example/api/v1.0${entity}`, { publicHosts: ['gw.example'] }, /must be \.\.\.\/beta\/deviceAppManagement\/vppTokens\('.*'\) \(it resolves to the path \/api\/v1\.0\//],
    ['the public host @odata.context names with another service root', 'https://gw.example/beta', `https://gw.example/v1.0${entity}`, { publicHosts: ['gw.example'] }, /must be \/beta\/deviceAppManagement\/vppTokens\('.*'\) \(it resolves to the path \/v1\.0\//],
  ])('fails one that names %s', (_name, root, location, more, why) => {
    expect(judgedNamed(root, location, more)).toEqual([expect.objectContaining({ check: 'resource identity', where: 'header Location', message: expect.stringMatching(why) })]);
  });

  it('fails an answer that names another host in Location, OData-EntityId and @odata.context alike: it cannot vouch for itself (H25)', () => {
    for (const host of ['https://evil.example', 'http://127.0.0.2:9', 'https://graph.contoso.example']) {
      const answer = answerNaming(`${host}/beta`, { Location: `${host}/beta${entity}`, 'OData-EntityId': `${host}/beta${entity}` });
      const shown = new URL(host).host.replace(/\./g, '\\.');
      expect(judgeCreatedAnswer(sent, answer, undefined, { target })).toEqual([
        expect.objectContaining({ check: 'resource identity', where: 'body /@odata.context', message: expect.stringMatching(new RegExp(`^must name the service's own root, on ${hostsAllowed}: it names the host ${shown}, which is not the service's`)) }),
        expect.objectContaining({ check: 'resource identity', where: 'header Location', message: expect.stringMatching(new RegExp(`must be on ${hostsAllowed}: it names the host ${shown}, where`)) }),
        expect.objectContaining({ check: 'resource identity', where: 'header OData-EntityId', message: expect.stringMatching(new RegExp(`must be on ${hostsAllowed}: it names the host ${shown}, where`)) }),
      ]);
      // The same answer passes once its host is the one given as the provider's public host.
      expect(judgeCreatedAnswer(sent, answer, undefined, { target, publicHosts: [new URL(host).host] })).toEqual([]);
    }
  });

  // Outside tester I19: @odata.id and @odata.editLink on another host passed, and so did every link on Graph's host over http.
  it("holds @odata.id, @odata.editLink and @odata.readLink to the same hosts, and Graph's host to https", () => {
    const body = (links: Record<string, string>, root = 'https://graph.microsoft.com/beta') => ({ ...named(root), ...links });
    const judgedBody = (links: Record<string, string>, root?: string, headers: Record<string, string> = {}) =>
      judgeCreatedAnswer(sent, { status: 201, headers: { 'Content-Type': json, ...headers }, body: JSON.stringify(body(links, root)) }, undefined, { target });
    // Right: relative to the context URL (OData JSON 4.01 §4.6), or absolute on Graph's host over https.
    expect(judgedBody({ '@odata.editLink': `deviceAppManagement/vppTokens/${id}`, '@odata.id': `https://graph.microsoft.com/beta${entity}`, '@odata.readLink': `deviceAppManagement/vppTokens('${id}')` })).toEqual([]);
    // A relative `vppTokens('ID')` resolves against the context URL to /beta/vppTokens('ID'), where no vppToken is
    // (outside attacker J1; decision 0190 rewritten): it passed here before.
    expect(judgedBody({ '@odata.readLink': `vppTokens('${id}')` }).map((p) => p.where)).toEqual(['body /@odata.readLink']);
    const elsewhere = judgedBody({ '@odata.id': `https://evil.example/beta${entity}`, '@odata.editLink': `//evil.example/beta${entity}` });
    expect(elsewhere.map((p) => [p.where, p.message.replace(/ \(got .*$/, '')])).toEqual([
      ['body /@odata.id', `must point at this vppToken: must be on ${hostsAllowed.replace(/\\/g, '')}: it names the host evil.example, where this vppToken is not (a client following it would send its bearer there)`],
      ['body /@odata.editLink', `must point at this vppToken: must be on ${hostsAllowed.replace(/\\/g, '')}: it names the host evil.example, where this vppToken is not (a client following it would send its bearer there)`],
    ]);
    const plain = judgedBody({ '@odata.id': `http://graph.microsoft.com/beta${entity}` }, 'http://graph.microsoft.com/beta', { Location: `http://graph.microsoft.com/beta${entity}`, 'OData-EntityId': `http://graph.microsoft.com/beta${entity}` });
    expect(plain.map((p) => p.where)).toEqual(['body /@odata.context', 'body /@odata.id', 'header Location', 'header OData-EntityId']);
    for (const p of plain) expect(p.message).toMatch(/must be https on Graph's own host graph\.microsoft\.com, as Graph answers: a client following it would send its bearer in clear text \(RFC 6750 §5\.3\)/);
  });

  // Outside tester J17: an https provider whose Location (same host and port) went to plain http passed. An origin is
  // scheme, host and port (RFC 6454 §4): asked over https, every link keeps https (RFC 6750 §5.3); asked over http,
  // an https link is an upgrade and passes (decision 0190 rewritten).
  it('holds every link of a create asked over https to https, on the host asked and a public host alike; an upgrade passes', () => {
    const secure = 'https://127.0.0.1:4010/beta/deviceAppManagement/vppTokens';
    const links = (scheme: string, host = '127.0.0.1:4010') => ({ root: `${scheme}://${host}/beta`, link: `${scheme}://${host}/beta${entity}` });
    const judgedAll = (scheme: string, asked: string, host?: string, more: { publicHosts?: string[] } = {}) => {
      const { root, link } = links(scheme, host);
      const body = { ...named(root), '@odata.id': link, '@odata.editLink': link };
      return judgeCreatedAnswer(sent, { status: 201, headers: { 'Content-Type': json, Location: link, 'OData-EntityId': link }, body: JSON.stringify(body) }, undefined, { target: asked, ...more });
    };
    const downgraded = judgedAll('http', secure);
    expect(downgraded.map((p) => p.where)).toEqual(['body /@odata.context', 'body /@odata.id', 'body /@odata.editLink', 'header Location', 'header OData-EntityId']);
    for (const p of downgraded) {
      expect(p.check).toBe('resource identity');
      expect(p.message).toMatch(/must be https, as the create was asked \(https:\/\/127\.0\.0\.1:4010\): an http link downgrades it, and a client following it would send its bearer in clear text \(RFC 6750 §5\.3; an origin is scheme, host and port, RFC 6454 §4\)/);
    }
    // A relative Location keeps the scheme asked: it passes.
    expect(judgeCreatedAnswer(sent, withLocation(`/beta${entity}`), undefined, { target: secure })).toEqual([]);
    expect(judgedAll('https', secure)).toEqual([]);
    // A public host over http, asked over https: a downgrade too; over https it passes.
    expect(judgedAll('http', secure, 'gw.example', { publicHosts: ['gw.example'] }).map((p) => p.where)).toEqual(['body /@odata.context', 'body /@odata.id', 'body /@odata.editLink', 'header Location', 'header OData-EntityId']);
    expect(judgedAll('https', secure, 'gw.example', { publicHosts: ['gw.example'] })).toEqual([]);
    // Asked over http: https on the same host (a gateway that ends TLS for its clients) is an upgrade, and passes.
    expect(judgedAll('https', target)).toEqual([]);
    expect(judgedAll('http', target)).toEqual([]);
    // Another host stays a host problem, whatever its scheme.
    expect(judgedAll('http', secure, 'evil.example').find((p) => p.where === 'header Location')?.message).toMatch(/it names the host evil\.example, where this vppToken is not/);
    // Without a target, the root @odata.context names stands for the one asked: a downgrade from it fails.
    const { link } = links('http');
    expect(resourceIdentityProblems(named('https://127.0.0.1:4010/beta'), [{ name: 'Location', value: link }]).map((p) => p.where)).toEqual(['header Location']);
  });

  // Outside attacker R108 (decision 0970): the context of one vppToken is its containment path and `/$entity`
  // (OData JSON 4.01 §10), a select list or a type cast allowed; vppTokens is no entity set of Graph's (it is
  // contained in the deviceAppManagement singleton), and a key is no part of a context URL.
  const root = 'http://127.0.0.1:4010/beta/$metadata#';
  const contextNamed = (fragment: string) => resourceIdentityProblems({ ...created, '@odata.context': `${root}${fragment}` }, [], target);
  it.each([
    'deviceAppManagement/vppTokens/$entity',
    'deviceAppManagement/vppTokens(id,displayName)/$entity',
    'deviceAppManagement/vppTokens(*)/$entity',
    'deviceAppManagement/vppTokens/microsoft.graph.vppToken/$entity',
    'deviceAppManagement/vppTokens/microsoft.graph.vppToken(id,appleId)/$entity',
    'deviceAppManagement/vppTokens(id)/microsoft.graph.vppToken/$entity',
    'DeviceAppManagement/VppTokens/$entity',
  ])('passes the context %s', (fragment) => {
    expect(contextNamed(fragment)).toEqual([]);
  });
  it.each([
    ['vppTokens/$entity', /vppTokens is no entity set of Graph's/],
    ['vppTokens(id,displayName)/$entity', /vppTokens is no entity set of Graph's/],
    [`deviceAppManagement/vppTokens('00000000-0000-0000-0000-000000000000')/$entity`, /a key is no part of a context URL/],
    [`deviceAppManagement/vppTokens('${id}')/$entity`, /a key is no part of a context URL/],
    [`deviceAppManagement/vppTokens(id='${id}')/$entity`, /a key is no part of a context URL/],
    [`deviceAppManagement/vppTokens(${id})/$entity`, /a key is no part of a context URL/],
    ['deviceAppManagement/vppTokens(00000000-0000-0000-0000-000000000000)/$entity', /a key is no part of a context URL/],
    ['deviceAppManagement/vppTokens', /the context of the collection, not of one vppToken/],
    ['deviceManagement/vppTokens/$entity', /^must be the context of one vppToken, <service root>\/\$metadata#deviceAppManagement\/vppTokens\/\$entity \(got/],
  ])('fails the context %s (R108)', (fragment, why) => {
    expect(contextNamed(fragment)).toEqual([expect.objectContaining({ check: 'resource identity', where: 'body /@odata.context', message: expect.stringMatching(why) })]);
  });

  // Outside attacker R128 (decision 1112): the context is <service root>/$metadata, resolved against the request's URL
  // (RFC 3986 §5.2): the root the create was sent to on the host asked, /<version> on Graph's, the version's at a public host's end.
  const rooted = (context: string, more: { target?: string; publicHosts?: string[] } = {}) =>
    resourceIdentityProblems({ ...created, '@odata.context': `${context}#deviceAppManagement/vppTokens/$entity` }, [], { target, ...more }).map((p) => `${p.where} ${p.message}`);
  it.each([
    'http://127.0.0.1:4010/beta/$metadata',
    'http://127.0.0.1:4010/Beta/$metadata',
    '/beta/$metadata',
    '../$metadata',
    '../../beta/./$metadata',
    'https://graph.microsoft.com/beta/$metadata',
  ])('passes the service root %s', (context) => {
    expect(rooted(context)).toEqual([]);
  });
  it('passes a public host whose root ends in the version, and a provider asked at a root naming no version', () => {
    expect(rooted('https://gw.example/api/beta/$metadata', { publicHosts: ['gw.example'] })).toEqual([]);
    expect(rooted('http://127.0.0.1:4010/$metadata', { target: 'http://127.0.0.1:4010/deviceAppManagement/vppTokens' })).toEqual([]);
    expect(rooted('http://127.0.0.1:4010/beta/$metadata', { target: 'http://127.0.0.1:4010/deviceAppManagement/vppTokens' })).toEqual([]);
  });
  it.each([
    ['$metadata', 'http://127.0.0.1:4010/beta/deviceAppManagement/$metadata'],
    ['./$metadata', 'http://127.0.0.1:4010/beta/deviceAppManagement/$metadata'],
    ['/$metadata', 'http://127.0.0.1:4010/$metadata'],
    ['http://127.0.0.1:4010/beta/deviceManagement/x/$metadata', 'http://127.0.0.1:4010/beta/deviceManagement/x/$metadata'],
    ['https://graph.microsoft.com/$metadata', 'https://graph.microsoft.com/$metadata'],
    ['https://graph.microsoft.com/gw/beta/$metadata', 'https://graph.microsoft.com/gw/beta/$metadata'],
    ['https://graph.microsoft.com/beta/deviceAppManagement/$metadata', 'https://graph.microsoft.com/beta/deviceAppManagement/$metadata'],
  ])('fails the context %s: no <service root>/$metadata of the create (R128)', (context, resolved) => {
    expect(rooted(context)).toEqual([expect.stringMatching(new RegExp(`^body /@odata\\.context must be <service root>/\\$metadata#deviceAppManagement/vppTokens/\\$entity, the root the create was sent to \\(.*\\) followed by /\\$metadata \\(OData 4\\.01 Part 1 §10\\): resolved against the request's URL \\(RFC 3986 §5\\.2\\), it names "${resolved.replace(/[.$]/g, '\\$&')}"`))]);
  });
  it('fails a public host whose root does not end in the version, and holds a read to the same root', () => {
    expect(rooted('https://gw.example/api/x/$metadata', { publicHosts: ['gw.example'] })).toEqual([expect.stringMatching(/the root the create was sent to \(\.\.\.\/beta\)/)]);
    const read = (context: string) => readContextProblems({ '@odata.context': `${context}#deviceAppManagement/vppTokens`, value: [] }, 'collection', { target }).map((p) => p.message);
    expect(read('https://graph.microsoft.com/beta/x/y/$metadata')).toEqual([expect.stringMatching(/^must be <service root>\/\$metadata#deviceAppManagement\/vppTokens, the root the read was sent to \(https:\/\/graph\.microsoft\.com\/beta\)/)]);
    expect(read('https://graph.microsoft.com/beta/$metadata')).toEqual([]);
  });

  // Outside attacker R109 (decision 0971): a read's context by the same rule, one vppToken's or the collection's.
  it("holds a read's @odata.context to the 201's rule: one vppToken's by id, the collection's for a page", () => {
    const read = (kind: 'entity' | 'collection', context: string) => readContextProblems({ '@odata.context': context, value: [] }, kind, { target }).map((p) => `${p.check} ${p.where} ${p.message}`);
    expect(read('collection', `${root}deviceAppManagement/vppTokens`)).toEqual([]);
    expect(read('collection', `${root}deviceAppManagement/vppTokens(id,displayName)`)).toEqual([]);
    expect(read('entity', `${root}deviceAppManagement/vppTokens/$entity`)).toEqual([]);
    expect(read('collection', `https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens`)).toEqual([]);
    expect(read('collection', `${root}deviceAppManagement/vppTokens/$entity`)).toEqual([expect.stringMatching(/^resource identity body \/@odata\.context must be the context of the vppTokens collection, <service root>\/\$metadata#deviceAppManagement\/vppTokens: it is the context of one vppToken, not of the collection/)]);
    expect(read('collection', `${root}deviceManagement/vppTokens`)).toEqual([expect.stringMatching(/must be the context of the vppTokens collection/)]);
    expect(read('entity', `${root}deviceAppManagement/vppTokens('${id}')/$entity`)).toEqual([expect.stringMatching(/a key is no part of a context URL/)]);
    expect(read('collection', 'http://127.0.0.1:4010/v1.0/$metadata#deviceAppManagement/vppTokens')).toEqual([expect.stringMatching(/of the version the read was sent to, \.\.\.\/beta\/\$metadata#deviceAppManagement\/vppTokens: it names v1\.0/)]);
    // One vppToken read by id is a read too, not the create its 201 answered (decision 1050).
    expect(read('entity', 'http://127.0.0.1:4010/v1.0/$metadata#deviceAppManagement/vppTokens/$entity')).toEqual([expect.stringMatching(/of one vppToken of the version the read was sent to, \.\.\.\/beta\/\$metadata#deviceAppManagement\/vppTokens\/\$entity: it names v1\.0/)]);
    expect(read('collection', 'https://evil.example/beta/$metadata#deviceAppManagement/vppTokens')).toEqual([expect.stringMatching(/must name the service's own root/)]);
    // No context, or a body that is not an object: nothing to judge here (the read's other rules say what is wrong).
    expect(readContextProblems({ value: [] }, 'collection', { target })).toEqual([]);
    expect(readContextProblems([], 'entity', { target })).toEqual([]);
  });

  // Decision 1181: a relative context is resolved against the URL the answer came from (RFC 3986 §5.1.3), a read by
  // id's own, not the collection's the reads are judged with (1112 left it).
  it("resolves a read's relative @odata.context against the URL read: a read by id's own, a page's", () => {
    const byId = `${target}/${id}`;
    const read = (context: string, url: string, kind: 'entity' | 'collection' = 'entity') => readContextProblems({ '@odata.context': `${context}#deviceAppManagement/vppTokens${kind === 'entity' ? '/$entity' : ''}` }, kind, { target }, url).map((p) => p.message);
    // From .../beta/deviceAppManagement/vppTokens/<id>, ../../$metadata is .../beta/$metadata: the service root.
    expect(read('../../$metadata', byId)).toEqual([]);
    expect(read('../$metadata', `${target}('${id}')`)).toEqual([]);
    // ../$metadata from the read by id is .../beta/deviceAppManagement/$metadata, no root (it passed against the collection).
    expect(read('../$metadata', byId)).toEqual([expect.stringMatching(/the root the read was sent to \(http:\/\/127\.0\.0\.1:4010\/beta\) followed by \/\$metadata .*it names "http:\/\/127\.0\.0\.1:4010\/beta\/deviceAppManagement\/\$metadata"/)]);
    expect(read('../$metadata', target, 'collection')).toEqual([]);
    expect(read('../../$metadata', target, 'collection')).toEqual([expect.stringMatching(/it names "http:\/\/127\.0\.0\.1:4010\/\$metadata"/)]);
    // Without the URL read, the collection's stands for it, as before.
    expect(readContextProblems({ '@odata.context': '../$metadata#deviceAppManagement/vppTokens/$entity' }, 'entity', { target })).toEqual([]);
  });

  it('blames an @odata.context of another version than the create was sent to, not the Location that is right (H8)', () => {
    const v10 = 'http://127.0.0.1:4010/v1.0';
    const why = /^must be the context of one vppToken of the version the create was sent to, \.\.\.\/beta\/\$metadata#deviceAppManagement\/vppTokens\/\$entity: it names v1\.0 \(got ".*\/v1\.0\/\$metadata#/;
    expect(judgedNamed(v10, `http://127.0.0.1:4010/beta${entity}`)).toEqual([expect.objectContaining({ check: 'resource identity', where: 'body /@odata.context', message: expect.stringMatching(why) })]);
    // Without a Location, the context alone is judged (it passed before).
    expect(judgeCreatedAnswer(sent, answerNaming(v10, {}), undefined, { target })).toEqual([expect.objectContaining({ where: 'body /@odata.context', message: expect.stringMatching(why) })]);
    // Graph's own host says the same, and a Location that follows the wrong context is wrong too.
    expect(judgedNamed('https://graph.microsoft.com/v1.0', `https://graph.microsoft.com/v1.0/deviceAppManagement/vppTokens(${id})`).map((p) => p.where)).toEqual(['body /@odata.context', 'header Location']);
    // The version is the target's, else the profile's: a v1.0 create is answered with a v1.0 context, a provider
    // asked at its root (no version in the path) by the profile judged.
    const v10Sent = { status: 201, headers: { 'Content-Type': json, Location: `/v1.0${entity}` }, body: JSON.stringify(named(v10)) };
    expect(resourceIdentityProblems(JSON.parse(v10Sent.body), [{ name: 'Location', value: `/v1.0${entity}` }], { target: `${v10}/deviceAppManagement/vppTokens` })).toEqual([]);
    expect(resourceIdentityProblems(named(v10), [], { target: 'http://127.0.0.1:4010/deviceAppManagement/vppTokens', profile: 'v1.0' })).toEqual([]);
    expect(resourceIdentityProblems(named(v10), [], { target: 'http://127.0.0.1:4010/deviceAppManagement/vppTokens' }).map((p) => p.where)).toEqual(['body /@odata.context']);
    // A root that names no version is not another version, but on the host asked it is not the root the create was
    // sent to either: a client fetching its $metadata gets another document (decision 1112, outside attacker R128).
    expect(resourceIdentityProblems(named('http://127.0.0.1:4010'), [], { target }).map((p) => p.message)).toEqual([expect.stringMatching(/^must be <service root>\/\$metadata#.*the root the create was sent to \(http:\/\/127\.0\.0\.1:4010\/beta\)/)]);
    // A facade asked at its root (no version in the target) names its root: the profile's version is not asked of it.
    expect(resourceIdentityProblems(named('http://127.0.0.1:4010'), [], { target: 'http://127.0.0.1:4010/deviceAppManagement/vppTokens' })).toEqual([]);
  });

  it.each([
    ['another entity set', `http://127.0.0.1:4010/beta/deviceManagement/vppTokens('${id}')`, /resolves to the path \/beta\/deviceManagement/],
    ['dot segments out of the collection', `http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens/x/../../../other/vppTokens('${id}')`, /resolves to the path \/beta\/other\/vppTokens/],
    ['another host behind a userinfo', `http://127.0.0.1:4010@evil.example/beta/deviceAppManagement/vppTokens('${id}')`, /user or password .* evil\.example/],
    ['another service root', `/v1.0/deviceAppManagement/vppTokens('${id}')`, /must be \/beta\/deviceAppManagement/],
    ['another id', `/beta/deviceAppManagement/vppTokens('00000000-0000-0000-0000-000000000000')`, /must name this vppToken's id/],
  ])('fails one that names %s, saying which part', (_name, location, why) => {
    expect(judged(location)).toEqual([expect.objectContaining({ check: 'resource identity', where: 'header Location', message: expect.stringMatching(why) })]);
  });

  it('without a target, resolves against the collection and holds the path\'s end; the host only against the one @odata.context names', () => {
    const alone = (location: string) => judgeCreatedAnswer(sent, withLocation(location));
    expect(alone(`vppTokens('${id}')`)).toEqual([]);
    expect(alone(`https://graph.microsoft.com/beta/deviceAppManagement/vppTokens('${id}')`)).toEqual([]);
    expect(alone(`https://graph.microsoft.com/beta/deviceManagement/vppTokens('${id}')`).map((p) => p.check)).toEqual(['resource identity']);
    const aloneNamed = (location: string) => judgeCreatedAnswer(sent, answerNaming('https://graph.contoso.example/beta', { Location: location }));
    expect(aloneNamed(`https://graph.contoso.example/beta/deviceAppManagement/vppTokens('${id}')`)).toEqual([]);
    expect(aloneNamed(`https://evil.example/beta/deviceAppManagement/vppTokens('${id}')`)).toEqual([expect.objectContaining({ message: expect.stringMatching(/must be on the one its @odata\.context names, graph\.contoso\.example, Graph's own \(graph\.microsoft\.com or a national cloud's\) or a host given with --public-host: it names the host evil\.example/) })]);
  });
});

// Found by an outside tester (G9): a 201 carrying another caller's sToken anywhere but /token passed, and the few
// catches blamed "the request's VPP token" by the part every sToken shares. docs/decisions/0151.
describe('an sToken the request did not send, anywhere in an answer', () => {
  const sToken = (token: string, orgName: string) => Buffer.from(JSON.stringify({ token, expDate: '2027-05-05T00:00:00+0000', orgName })).toString('base64');
  const mine = sToken('MyOwnSecretTokenValue1234567890ABCD', 'Contoso');
  const theirs = sToken('AnotherCustomersSecretTokenValue77', 'Fabrikam Schools');
  const request = { ...sent, token: mine };
  const withToken = (extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
    judgeCreatedAnswer(request, { status: 201, headers: { 'Content-Type': json, ...headers }, body: JSON.stringify({ ...created, token: mine, ...extra }) });
  const foreign = (place: Placed) => ({ check: 'credentials not echoed', ...place, message: "must not carry a VPP token this request did not send (an Apple sToken, not shown): an answer never carries another caller's credential" });

  it.each([
    ['a service-owned property', { locationName: theirs }, {}, atBody('/locationName')],
    ['a longer string, after a prefix', { organizationName: `last=${theirs}\n` }, {}, atBody('/organizationName')],
    ['an action result', { tokenActionResults: [{ actionName: theirs, actionState: 'done' }] }, {}, atBody('/tokenActionResults/0/actionName')],
    ['a header', {}, { 'X-Debug-Last-Token': theirs }, { part: 'header', header: 'X-Debug-Last-Token', where: 'header X-Debug-Last-Token' } as Placed],
    // Its base64url form is a valid field name: the place is the line, never the name (noticed after K1).
    ['a header\'s name', {}, { [`x-last-${theirs.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`]: '1' }, { part: 'header', headerLine: 2, where: 'header line 2' } as Placed],
  ])('fails one in %s, saying it is not this request\'s', (_name, extra, headers, where) => {
    expect(withToken(extra, headers)).toEqual([foreign(where)]);
  });

  it("passes the request's own token at /token, and an sToken the client itself sent in another property", () => {
    expect(withToken({})).toEqual([]);
    const own = { ...request, displayName: theirs };
    expect(judgeCreatedAnswer(own, { status: 201, headers: { 'Content-Type': json }, body: JSON.stringify({ ...created, token: mine, displayName: theirs }) })).toEqual([]);
  });

  it('fails one in an error answer too', () => {
    const refused = judgeRejectedAnswer([400], { status: 400, headers: { 'Content-Type': json }, body: JSON.stringify({ error: { code: 'BadRequest', message: `token ${theirs} is in use` } }) }, { sent: request });
    expect(refused).toEqual([foreign(atBody('/error/message'))]);
  });
});

describe('valuesThatComeBack', () => {
  it('holds the admin-set properties the client sent, and nothing the service owns', () => {
    expect(Object.keys(valuesThatComeBack(sent)).sort()).toEqual(
      ['appleDeviceAppDeliveryProtocolType', 'appleId', 'automaticallyUpdateApps', 'claimTokenManagementFromExternalMdm', 'countryOrRegion', 'dataSharingConsentGranted', 'displayName', 'roleScopeTagIds', 'vppTokenAccountType'],
    );
    expect(valuesThatComeBack({ token: 'x' })).toEqual({});
    expect(valuesThatComeBack({ token: 'x', displayName: null, roleScopeTagIds: [] })).toEqual({ displayName: null });
  });
});

// Outside tester R44 (decision 0600): roleScopeTagIds is Collection(Edm.String) with no Core.Ordered annotation in
// Graph's metadata, so its members in another order are the same value; a service that keeps tag ids as a set may
// give a member sent twice once. values back and read-back hold one rule.
describe('roleScopeTagIds come back as an unordered collection (values back and read-back, one rule)', () => {
  const tagged = { ...sent, roleScopeTagIds: ['0', '7', '12'] };
  const made = createdVppToken(tagged, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date('2026-01-01T00:00:00Z') }) as unknown as Record<string, unknown>;
  const backWith = (ids: unknown, request: typeof tagged = tagged) => judgeCreatedAnswer(request, answer(201, { ...made, roleScopeTagIds: ids }));
  const readWith = (ids: unknown, request: typeof tagged = tagged) => judgeReadBack(request, made, { ...made, roleScopeTagIds: ids });

  it('passes the members sent in any order, in a 201 and read back', () => {
    for (const ids of [['0', '7', '12'], ['12', '0', '7'], ['7', '12', '0']]) {
      expect(backWith(ids)).toEqual([]);
      expect(readWith(ids)).toEqual([]);
    }
    // Nullable members (the CSDL's items are nullable) and empty strings are members like any other.
    const odd = { ...tagged, roleScopeTagIds: ['', null] as unknown as string[] };
    expect(backWith([null, ''], odd)).toEqual([]);
    expect(readWith([null, ''], odd)).toEqual([]);
  });

  it('passes a member sent twice given back twice or once (a set), in any order', () => {
    const twice = { ...tagged, roleScopeTagIds: ['0', '7', '0'] };
    for (const ids of [['0', '0', '7'], ['7', '0', '0'], ['0', '7'], ['7', '0']]) {
      expect(backWith(ids, twice)).toEqual([]);
      expect(readWith(ids, twice)).toEqual([]);
    }
  });

  it('fails a member missing, added or repeated, with the reason the order is free', () => {
    const message = (got: unknown) => `must be ["0","7","12"] in any order (roleScopeTagIds is an unordered collection: Collection(Edm.String) without Core.Ordered in Graph's metadata), as the client set it (got ${JSON.stringify(got)})`;
    for (const ids of [['0', '7'], ['0', '7', '12', '3'], ['0', '7', '12', '12'], ['0', '7', '7'], [], '0,7,12']) {
      expect(backWith(ids)).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'values back', where: 'body /roleScopeTagIds', message: message(ids) })]));
      expect(readWith(ids)).toEqual([{ pointer: '/roleScopeTagIds', where: '/roleScopeTagIds', message: message(ids) }]);
    }
    const twice = { ...tagged, roleScopeTagIds: ['0', '7', '0'] };
    const partly = `must be ["0","7","0"] in any order, or its members each once (["0","7"]) (roleScopeTagIds is an unordered collection: Collection(Edm.String) without Core.Ordered in Graph's metadata), as the client set it (got ["0","7","7"])`;
    expect(backWith(['0', '7', '7'], twice)).toEqual([expect.objectContaining({ message: partly })]);
    expect(readWith(['0', '7', '7'], twice)).toEqual([{ pointer: '/roleScopeTagIds', where: '/roleScopeTagIds', message: partly }]);
  });

  it("holds a list the client did not set to the 201's members, in any order, when read back", () => {
    const { roleScopeTagIds: _unset, ...request } = tagged;
    const given = createdVppToken(request, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date('2026-01-01T00:00:00Z') }) as unknown as Record<string, unknown>;
    const own = { ...given, roleScopeTagIds: ['0', '5'] };
    expect(judgeReadBack(request, own, { ...own, roleScopeTagIds: ['5', '0'] })).toEqual([]);
    expect(judgeReadBack(request, own, { ...own, roleScopeTagIds: ['5'] })).toEqual([{ pointer: '/roleScopeTagIds', where: '/roleScopeTagIds', message: 'was ["0","5"] in the 201, is ["5"] when read back' }]);
  });
});

describe('judgeRejectedAnswer', () => {
  const error = { error: { code: 'BadRequest', message: 'no' } };
  it('passes the expected status with Graph\'s error body', () => {
    expect(judgeRejectedAnswer([400], answer(400, error))).toEqual([]);
  });
  it.each([
    ['not a server error', answer(500, error)],
    ['status', answer(201, created)],
    ['response schema', answer(400, { message: 'Bad Request' })],
    ['content type', answer(400, error, 'text/html')],
  ])('fails for its own reason: %s', (check, bad) => {
    expect(judgeRejectedAnswer([400], bad).map((p) => p.check)).toContain(check);
  });
});

describe('a 401 carries a Bearer challenge (RFC 9110 §11.6.1, RFC 6750 §3)', () => {
  const unauthorized = { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } };
  const with401 = (challenge?: string | string[]) => ({ status: 401, headers: { 'Content-Type': json, ...(challenge === undefined ? {} : { 'WWW-Authenticate': challenge }) }, body: JSON.stringify(unauthorized) });
  it.each([
    ['Bearer'],
    ['bearer'],
    ['Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'],
    ['Basic realm="a, Bearer b", Bearer error="invalid_token"'],
    [['Basic realm="x"', 'Bearer']],
  ])('passes %j', (challenge) => {
    expect(judgeRejectedAnswer([401], with401(challenge))).toEqual([]);
  });
  it.each([
    [undefined, 'none'],
    ['Basic realm="graph"', 'only "basic"'],
    ['Basic realm="Bearer, x"', 'only "basic"'],
    ['Negotiate, Basic dXNlcjpw==', 'only "negotiate", "basic"'],
  ])('fails %j: response headers, got %s', (challenge, got) => {
    expect(judgeRejectedAnswer([401], with401(challenge))).toEqual([
      { check: 'response headers', part: 'header', header: 'WWW-Authenticate', where: 'header WWW-Authenticate', message: `must carry a Bearer challenge on a 401 (RFC 9110 §11.6.1, RFC 6750 §3; got ${got})` },
    ]);
  });
  it('is asked of a 401 only', () => {
    expect(judgeRejectedAnswer([403], { ...with401(), status: 403 })).toEqual([]);
  });
});

describe('judgeReadBack: what was set and what cannot change come back; the service owns its sync properties', () => {
  const sent = { token: 'an-stoken', displayName: 'Contoso', countryOrRegion: 'GB' };
  const created = { ...createdVppToken(sent, { id: '30656643-00e4-4e6f-bb05-ca0f54f9f1f0', now: new Date('2026-05-01T00:00:00Z') }), '@odata.etag': 'W/"1"' } as Record<string, unknown>;

  it('passes a read-back whose sync properties, etag and context changed, and one that withholds the token', () => {
    const synced = { ...created, '@odata.etag': 'W/"2"', '@odata.context': 'x', lastSyncDateTime: '2026-05-01T00:05:00Z', lastSyncStatus: 'completed', state: 'valid', lastModifiedDateTime: '2026-05-01T00:05:00Z', tokenActionResults: [{ actionName: 'sync', actionState: 'done' }], locationName: 'HQ', token: null };
    expect(judgeReadBack(sent, created, synced)).toEqual([]);
  });

  it('fails a value the client set, a property that cannot change, a property dropped, and a body that is not an object', () => {
    expect(judgeReadBack(sent, created, { ...created, displayName: 'contoso' })).toEqual([{ pointer: '/displayName', where: '/displayName', message: 'must be "Contoso", as the client set it (got "contoso")' }]);
    expect(judgeReadBack(sent, created, { ...created, organizationName: 'Other' })).toEqual([{ pointer: '/organizationName', where: '/organizationName', message: `was ${JSON.stringify(created.organizationName)} in the 201, is "Other" when read back` }]);
    const { appleId: _dropped, ...withoutAppleId } = created;
    expect(judgeReadBack(sent, created, withoutAppleId)).toEqual([{ pointer: '/appleId', where: '/appleId', message: 'was null in the 201, is nothing when read back' }]);
    expect(judgeReadBack(sent, created, [created])[0]).toEqual(expect.objectContaining({ pointer: '', where: '(root)' }));
  });

  it('a different token is a problem, and is never shown', () => {
    const problems = judgeReadBack(sent, created, { ...created, token: 'another-token' });
    expect(problems).toEqual([{ pointer: '/token', where: '/token', message: 'must be the token of the 201 when both carry it (the value is not shown)' }]);
    expect(JSON.stringify(problems)).not.toContain('an-stoken');
  });

  // Found by an outside tester (F13): the same instant written at another offset was "changed".
  it('compares a DateTimeOffset as the instant it names: another offset or more digits passes, another instant fails', () => {
    const at = { ...created, expirationDateTime: '2029-01-24T16:05:43Z' };
    for (const same of ['2029-01-24T04:05:43.0000000-12:00', '2029-01-25T06:05:43+14:00', '2029-01-24t16:05:43.000z']) {
      expect(judgeReadBack(sent, at, { ...at, expirationDateTime: same })).toEqual([]);
      expect(judgeReadBack(sent, { ...at, expirationDateTime: same }, at)).toEqual([]);
    }
    for (const other of ['2029-01-24T04:05:43-11:00', '2029-01-24T16:05:43.0000001Z', '2029-01-24T16:05:43']) {
      expect(judgeReadBack(sent, at, { ...at, expirationDateTime: other })).toEqual([{ pointer: '/expirationDateTime', where: '/expirationDateTime', message: `was "2029-01-24T16:05:43Z" in the 201, is ${JSON.stringify(other)} when read back` }]);
    }
  });

  // Found by an outside tester (R48): values back takes a 201 that has not read the sToken yet (organizationName null,
  // expirationDateTime Graph's "never"), and read-back then failed the same vppToken once the service had read it.
  describe("what the service reads from the sToken: not read yet in the 201, the sToken's own when read back (one rule with values back)", () => {
    const sToken = Buffer.from(JSON.stringify({ token: 'Rcjw0gFIcME6fZICii60rpTjw1bEBkFS8R9hMYr2', expDate: '2041-04-24T03:33:16-0700', orgName: 'Marks Ltd' })).toString('base64');
    const own = { token: sToken, displayName: 'Contoso' };
    const pending = { ...createdVppToken(own, { id: '30656643-00e4-4e6f-bb05-ca0f54f9f1f0', now: new Date('2026-05-01T00:00:00Z') }), organizationName: null, expirationDateTime: '0001-01-01T00:00:00Z' } as Record<string, unknown>;
    const read = { ...pending, organizationName: 'Marks Ltd', expirationDateTime: '2041-04-24T10:33:16Z' };

    it('passes the move from null to the orgName and from "never" to the expDate, each alone or both', () => {
      expect(judgeCreatedAnswer(own, answer(201, pending)).filter((p) => p.check === 'values back')).toEqual([]);
      expect(judgeReadBack(own, pending, read)).toEqual([]);
      expect(judgeReadBack(own, pending, { ...pending, organizationName: 'Marks Ltd' })).toEqual([]);
      expect(judgeReadBack(own, pending, { ...pending, expirationDateTime: '2041-04-24T03:33:16.0000000-07:00' })).toEqual([]);
      expect(judgeReadBack(own, read, read)).toEqual([]);
    });

    it('fails a move to another value, a move back to "not read yet", and the move for a client that set its own', () => {
      expect(judgeReadBack(own, pending, { ...pending, organizationName: 'Other' })).toEqual([{ pointer: '/organizationName', where: '/organizationName', message: 'was null in the 201, is "Other" when read back (it may become only "Marks Ltd", the orgName of the request\'s sToken)' }]);
      expect(judgeReadBack(own, pending, { ...pending, expirationDateTime: '2041-04-24T10:33:17Z' })).toEqual([{ pointer: '/expirationDateTime', where: '/expirationDateTime', message: 'was "0001-01-01T00:00:00Z" in the 201, is "2041-04-24T10:33:17Z" when read back (it may become only 2041-04-24T10:33:16Z, the expDate of the request\'s sToken)' }]);
      expect(judgeReadBack(own, read, pending).map((p) => p.pointer)).toEqual(['/organizationName', '/expirationDateTime']);
      const mine = { ...own, organizationName: 'Mine' };
      expect(judgeReadBack(mine, { ...pending, organizationName: 'Mine' }, { ...pending, organizationName: 'Marks Ltd' }).map((p) => p.pointer)).toEqual(['/organizationName']);
      const noSToken = { token: 'an-stoken' };
      expect(judgeReadBack(noSToken, pending, { ...pending, organizationName: 'Marks Ltd', expirationDateTime: '2041-04-24T10:33:16Z' }).map((p) => p.pointer)).toEqual(['/organizationName', '/expirationDateTime']);
    });
  });

  // Found by an outside tester (R49): Graph's DateTimeOffset holds 100 ns ticks (7 fraction digits), so a date sent with
  // up to 12 (the request schema's, Microsoft's OpenAPI's) comes back rounded or cut to 7, and values back failed it.
  describe("a date with more fraction digits than Graph holds comes back at Graph's 100 ns, rounded or cut", () => {
    const sToken = Buffer.from(JSON.stringify({ token: 'Rcjw0gFIcME6fZICii60rpTjw1bEBkFS8R9hMYr2', expDate: '2041-04-24T03:33:16-0700', orgName: 'Marks Ltd' })).toString('base64');
    const own = { token: sToken, expirationDateTime: '2041-01-01T00:00:00.123456789012Z' };
    const created = { ...createdVppToken(own, { id: '30656643-00e4-4e6f-bb05-ca0f54f9f1f0', now: new Date('2026-05-01T00:00:00Z') }) } as Record<string, unknown>;
    const valuesBack = (expirationDateTime: string) => judgeCreatedAnswer(own, answer(201, { ...created, expirationDateTime })).filter((p) => p.check === 'values back').map((p) => p.pointer);
    const rounded = ['2041-01-01T00:00:00.1234568Z', '2041-01-01T00:00:00.1234567Z', '2041-01-01T01:00:00.1234568+01:00', '2041-01-01T00:00:00.123456789012Z'];

    it('passes the instant sent at 7 digits (rounded or cut) in the 201 and when read back', () => {
      for (const back of rounded) {
        expect(valuesBack(back)).toEqual([]);
        expect(judgeReadBack(own, { ...created, expirationDateTime: own.expirationDateTime }, { ...created, expirationDateTime: back })).toEqual([]);
        expect(judgeReadBack(own, { ...created, expirationDateTime: back }, { ...created, expirationDateTime: own.expirationDateTime })).toEqual([]);
      }
      // Half a tick is rounded either way (.NET rounds half away from zero; banker's rounding to even).
      expect(judgeReadBack(own, { ...created, expirationDateTime: '2041-01-01T00:00:00.12345675Z' }, { ...created, expirationDateTime: '2041-01-01T00:00:00.1234567Z' })).toEqual([]);
      expect(judgeReadBack(own, { ...created, expirationDateTime: '2041-01-01T00:00:00.12345675Z' }, { ...created, expirationDateTime: '2041-01-01T00:00:00.1234568Z' })).toEqual([]);
    });

    it('fails another tick, and digits Graph holds that differ', () => {
      for (const other of ['2041-01-01T00:00:00.1234569Z', '2041-01-01T00:00:00.1234566Z', '2041-01-01T00:00:00.12345Z', '2041-01-01T00:00:00.123456889012Z']) {
        expect(valuesBack(other)).toEqual(['/expirationDateTime']);
        expect(judgeReadBack(own, { ...created, expirationDateTime: own.expirationDateTime }, { ...created, expirationDateTime: other }).map((p) => p.pointer)).toEqual(['/expirationDateTime']);
      }
      // Two values of 7 digits or fewer are Graph's own: the same tick or not.
      expect(judgeReadBack(own, { ...created, expirationDateTime: '2041-01-01T00:00:00.1234567Z' }, { ...created, expirationDateTime: '2041-01-01T00:00:00.1234568Z' }).map((p) => p.pointer)).toEqual(['/expirationDateTime']);
    });
  });

  it('names the properties the service owns', () => {
    expect([...SERVICE_OWNED_PROPERTIES].sort()).toEqual(['lastModifiedDateTime', 'lastSyncDateTime', 'lastSyncStatus', 'locationName', 'state', 'tokenActionResults']);
  });
});


// Found by an outside tester: a credential quoted by a message, or echoed percent-encoded into a URL.
describe('the request\'s credentials in an answer', () => {
  const bearer = 'eyJhbGciOi.SECRETBEARER1234567890abc';
  const token = 'eyJ0b2tlbiI6ImFiYyJ9+/x==';
  const withToken = { ...sent, token };
  const context = { authorization: `Bearer ${bearer}` };

  it('are never quoted by a problem\'s message, in the Content-Type of a 201 or of an error', () => {
    const created201 = { status: 201, headers: { 'Content-Type': `text/plain; Bearer ${bearer}; ${token}` }, body: JSON.stringify(createdVppToken(withToken, { id: created.id, now: new Date() })) };
    const createdProblems = judgeCreatedAnswer(withToken, created201, undefined, context);
    expect(createdProblems.map((p) => p.check)).toEqual(expect.arrayContaining(['content type', 'credentials not echoed']));
    const refused = { status: 400, headers: { 'Content-Type': `text/plain; ${bearer}` }, body: '{"error":{"code":"BadRequest","message":"no"}}' };
    const refusedProblems = judgeRejectedAnswer([400], refused, context);
    expect(refusedProblems.map((p) => p.check)).toContain('content type');
    for (const p of [...createdProblems, ...refusedProblems]) {
      expect(p.message).not.toContain(bearer);
      expect(p.message).not.toContain(token);
    }
  });

  it('are found percent-encoded in a header such as Location, and a 201 without them passes', () => {
    const body = JSON.stringify(createdVppToken(withToken, { id: created.id, now: new Date() }));
    const location = `https://graph.microsoft.com/beta/deviceAppManagement/vppTokens/${created.id}`;
    const clean = { status: 201, headers: { 'Content-Type': json, Location: location }, body };
    expect(judgeCreatedAnswer(withToken, clean, undefined, context)).toEqual([]);
    const leaky = { status: 201, headers: { 'Content-Type': json, Location: `${location}?t=${encodeURIComponent(token)}` }, body };
    // A query in a Location is no part of the vppToken's URL, either (outside attacker K13): resource identity says so too.
    expect(judgeCreatedAnswer(withToken, leaky, undefined, context)).toEqual([
      expect.objectContaining({ check: 'resource identity', where: 'header Location', message: expect.stringMatching(/must carry no query.*\(got ".*\?t=\[redacted\]"\)$/) }),
      expect.objectContaining({ check: 'credentials not echoed', where: 'header Location' }),
    ]);
  });
});

// Outside attacker K1: a bearer in the status line's reason phrase (`201 Created for Bearer ...`) or in a header's
// name (`x-echo-<token>: 1`) passed "credentials not echoed"; the place is said without the name that holds it.
describe('the request\'s credentials in the status line or a header\'s name (K1)', () => {
  const bearer = 'Zq8xV3mK9pL2wR7tY4nH6jF1cD5sA0eG';
  const sentRequest = createRequestFactory.buildAt(3);
  const context = { authorization: `Bearer ${bearer}`, target: 'http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens' };
  const body = JSON.stringify(createdVppToken(sentRequest, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }));
  const answer = (extra: { statusText?: string; rawHeaders?: string[] } = {}) => ({ status: 201, headers: {}, rawHeaders: ['Content-Type', json, ...(extra.rawHeaders ?? [])], body, ...(extra.statusText ? { statusText: extra.statusText } : {}) });

  it('fails the bearer or the VPP token in the reason phrase, at the status, and passes a plain one', () => {
    expect(judgeCreatedAnswer(sentRequest, answer({ statusText: 'Created' }), undefined, context)).toEqual([]);
    const found = judgeCreatedAnswer(sentRequest, answer({ statusText: `Created for Bearer ${bearer}` }), undefined, context);
    expect(found).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'status', message: expect.stringMatching(/bearer token \(not shown\).*reason phrase holds it$/) })]);
    const refused = judgeRejectedAnswer([400], { status: 400, headers: {}, rawHeaders: ['Content-Type', json], body: '{"error":{"code":"BadRequest","message":"no"}}', statusText: `Bad Request ${sentRequest.token.slice(0, 40)}` }, { ...context, sent: sentRequest });
    expect(refused).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'status' })]);
    expect(JSON.stringify([found, refused])).not.toContain(bearer.slice(0, 16));
  });

  it("fails the bearer in a header's name, at its line, never naming it; the same name without it passes", () => {
    expect(judgeCreatedAnswer(sentRequest, answer({ rawHeaders: ['x-echo-plain', '1'] }), undefined, context)).toEqual([]);
    const found = judgeCreatedAnswer(sentRequest, answer({ rawHeaders: [`x-echo-${bearer}`, '1'] }), undefined, context);
    expect(found).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'header line 2', message: expect.stringMatching(/header's name holds it$/) })]);
    expect(JSON.stringify(found)).not.toContain(bearer.slice(0, 16));
  });

  // Noticed after K1 (decision 0261 left it): a name that holds the credential must not be shown as the place of a
  // value that holds it too, and a trailer field's name is the answer's text as a header's is (RFC 9110 §6.5).
  it('never names a field whose name holds the bearer, when its value holds it too', () => {
    const found = judgeCreatedAnswer(sentRequest, answer({ rawHeaders: [`x-echo-${bearer}`, `Bearer ${bearer}`] }), undefined, context);
    expect(found.map((p) => p.where)).toEqual(['header line 2', 'header line 2']);
    expect(JSON.stringify(found)).not.toContain(bearer.slice(0, 16));
  });

  it("fails the bearer in a trailer field's name or value, at the trailer's line, never naming it; a plain trailer passes", () => {
    const trailed = (rawTrailers: string[]) => ({ ...answer(), rawTrailers });
    expect(judgeCreatedAnswer(sentRequest, trailed(['x-checksum', 'abc']), undefined, context)).toEqual([]);
    const named = judgeCreatedAnswer(sentRequest, trailed(['x-checksum', 'abc', `x-echo-${bearer}`, '1']), undefined, context);
    expect(named).toEqual([expect.objectContaining({ check: 'credentials not echoed', part: 'trailer', where: 'trailer line 2', message: expect.stringMatching(/trailer field's name holds it$/) })]);
    const both = judgeCreatedAnswer(sentRequest, trailed([`x-echo-${bearer}`, bearer]), undefined, context);
    expect(both.map((p) => p.where)).toEqual(['trailer line 1', 'trailer line 1']);
    expect(JSON.stringify([named, both])).not.toContain(bearer.slice(0, 16));
    // A value alone is still named by its field, as before.
    expect(judgeCreatedAnswer(sentRequest, trailed(['x-debug', bearer]), undefined, context)).toEqual([expect.objectContaining({ where: 'trailer x-debug' })]);
  });
});

// Outside tester R36: a 103 Early Hints carrying `X-Debug-Auth: Bearer <bearer>`, or a 100 Continue carrying the VPP
// token, passed "credentials not echoed": an interim answer is part of the answer (RFC 9110 §15.2), forwarded by
// intermediaries and logged as the final one is (decision 0521).
describe("the request's credentials in an interim 1xx answer (R36)", () => {
  const bearer = 'Zq9Xw2Lk7Rt4Vb8Nm3Hs6Jd1Fg5Cp0Y';
  const sentRequest = createRequestFactory.buildAt(5);
  const context = { authorization: `Bearer ${bearer}`, target: 'http://127.0.0.1:4010/beta/deviceAppManagement/vppTokens' };
  const body = JSON.stringify(createdVppToken(sentRequest, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }));
  const answer = (interim: ObservedAnswer['interim']): ObservedAnswer => ({ status: 201, headers: {}, rawHeaders: ['Content-Type', json], body, ...(interim ? { interim } : {}) });
  const hints = ['Link', '</app.css>; rel=preload; as=style'];

  it('passes plain interim answers: a 100 Continue, a 102, a 103 with its Link hints', () => {
    const plain = [{ status: 100, statusText: 'Continue', rawHeaders: [] }, { status: 102, statusText: 'Processing', rawHeaders: [] }, { status: 103, statusText: 'Early Hints', rawHeaders: hints }];
    expect(judgeCreatedAnswer(sentRequest, answer(plain), undefined, context)).toEqual([]);
  });

  it("fails the bearer in a 103's field, at that interim answer's field, never showing it", () => {
    const found = judgeCreatedAnswer(sentRequest, answer([{ status: 103, statusText: 'Early Hints', rawHeaders: [...hints, 'X-Debug-Auth', `Bearer ${bearer}`] }]), undefined, context);
    expect(found).toEqual([expect.objectContaining({ check: 'credentials not echoed', part: 'header', interim: 103, header: 'X-Debug-Auth', where: 'interim 103 header X-Debug-Auth', message: expect.stringMatching(/bearer token \(not shown\)/) })]);
    expect(JSON.stringify(found)).not.toContain(bearer.slice(0, 16));
  });

  it("fails the VPP token in a 100 Continue's field, in a refused create's answer too", () => {
    const interim = [{ status: 100, statusText: 'Continue', rawHeaders: ['X-Debug-Token', sentRequest.token] }];
    expect(judgeCreatedAnswer(sentRequest, answer(interim), undefined, context)).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'interim 100 header X-Debug-Token', message: expect.stringMatching(/VPP token \(not shown\)/) })]);
    const refused = { status: 400, headers: {}, rawHeaders: ['Content-Type', json], body: '{"error":{"code":"BadRequest","message":"no"}}', interim };
    expect(judgeRejectedAnswer([400], refused, { ...context, sent: sentRequest })).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'interim 100 header X-Debug-Token' })]);
  });

  it("fails the bearer in an interim answer's reason phrase or a field's name, at its status line or its line, never naming it", () => {
    const reason = judgeCreatedAnswer(sentRequest, answer([{ status: 103, statusText: `Early Hints for Bearer ${bearer}`, rawHeaders: hints }]), undefined, context);
    expect(reason).toEqual([expect.objectContaining({ check: 'credentials not echoed', part: 'status', interim: 103, where: 'interim 103 status', message: expect.stringMatching(/reason phrase holds it$/) })]);
    const named = judgeCreatedAnswer(sentRequest, answer([{ status: 103, statusText: 'Early Hints', rawHeaders: [...hints, `x-echo-${bearer}`, '1'] }]), undefined, context);
    expect(named).toEqual([expect.objectContaining({ where: 'interim 103 header line 2', message: expect.stringMatching(/header's name holds it$/) })]);
    expect(JSON.stringify([reason, named])).not.toContain(bearer.slice(0, 16));
  });

  it("fails another caller's sToken in an interim answer, as in the final one's fields", () => {
    const other = createRequestFactory.buildAt(6).token;
    expect(judgeCreatedAnswer(sentRequest, answer([{ status: 103, statusText: 'Early Hints', rawHeaders: ['X-Cached-Token', other] }]), undefined, context)).toEqual([
      expect.objectContaining({ check: 'credentials not echoed', where: 'interim 103 header X-Cached-Token', message: expect.stringMatching(/VPP token this request did not send/) }),
    ]);
  });
});

// Found by an outside tester (G23): `conform --bearer business` blamed the reference provider for "echoing" the
// enum member every 201 carries. A credential that is a word of the contract cannot be looked for.
describe('a credential that is a word of the contract', () => {
  const refused = (message: string) => answer(400, { error: { code: 'BadRequest', message } });

  it('is not looked for in an answer, which carries the contract\'s words anyway; a real one still is', () => {
    for (const word of ['business', 'BUSINESS', 'application', 'microsoft.graph', 'vppTokenAccountType', 'deviceAppManagement']) {
      expect(judgeRejectedAnswer([400], refused(`vppTokenAccountType business: application/json for #microsoft.graph.vppToken at deviceAppManagement`), { authorization: `Bearer ${word}` })).toEqual([]);
    }
    expect(judgeRejectedAnswer([400], refused('your token business-account-7731 was refused'), { authorization: 'Bearer business-account-7731' })).toEqual([
      expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/message' }),
    ]);
  });

  it('is refused as --bearer, saying what it is and what to give, without showing it', () => {
    expect(bearerProblem('business')).toBe(
      'the bearer is, or is part of, an enum member of the contract, which a correct answer carries anyway: an echo of it could not be told from the contract, so credentials not echoed would blame the provider for it; give a real access token, or any random string of 16 or more characters for a test server; its value is not shown',
    );
    expect(bearerProblem('application')).toMatch(/^the bearer is, or is part of, the media type Graph answers with, /);
    expect(bearerProblem('lastModifiedDateTime')).toMatch(/^the bearer is, or is part of, a property name of the contract, /);
    for (const fit of [undefined, 'conform-access-token', 'business-account-7731', 'eyJhbGciOiJub25lIn0.Y2xpLWJlYXJlcg.', 'short']) expect(bearerProblem(fit)).toBeUndefined();
  });

  // Found by an outside tester (H18): the header value pasted whole sent "Bearer Bearer ...", and the 401 was blamed
  // on the provider (verify exit 1 against the kit's own reference provider); seed called the space uncarriable.
  it('one rule for --bearer in every command: the scheme pasted with the token, a character no header carries', () => {
    for (const pasted of ['Bearer abcdefghijklmnop', 'bearer abcdefghijklmnop', ' BEARER\tabcdefghijklmnop', 'Bearer']) {
      expect(bearerProblem(pasted)).toBe('the bearer starts with the scheme "Bearer": give the access token alone (the kit writes "Authorization: Bearer <token>" itself); its value is not shown');
    }
    expect(bearerProblem('abc def-0123456789')).toMatch(/^the bearer holds a character an HTTP header cannot carry/);
    expect(bearerProblem('Bearerless-token-0123456789')).toBeUndefined();
  });

  // Outside tester R32: a bearer no RFC 6750 b64token ('=' inside, '"', ',', ';', ':', '@', a leading '=') was sent on
  // every request; the kit's own provider refused it as malformed and the run blamed expiry, tenant or permissions.
  it('refuses a bearer that is no RFC 6750 b64token before anything is sent, with the rule Authorization is judged by', () => {
    const notToken = 'the bearer is not a token as RFC 6750 §2.1 writes one (letters, digits and -._~+/, then only "=" at its end): Graph and the kit refuse "Authorization: Bearer" with it as malformed, whatever the token\'s validity; its value is not shown';
    for (const malformed of ['abcdefgh=ijklmnop-qrstuvwx', 'abcdefgh"ijklmnop', 'abcd,efghijklmnop', 'abcd;efghijklmnop', 'user:secret-0123456789', 'me@contoso-0123456789', '=abcdefghijklmnop', 'abc(def)ghijklmnop']) {
      const said = bearerProblem(malformed)!;
      const [rule, tail] = notToken.split(': Graph and');
      expect([malformed, said.startsWith(`${rule}: `), said.endsWith(`: Graph and${tail}`), said.slice(rule.length, -tail.length)]).toEqual([malformed, true, true, expect.stringMatching(/^: (its first character|its last character|character \d+) is .+: Graph and$/)]);
    }
    // Each b64token form passes, and is exactly what the judgement takes in Authorization.
    for (const fit of ['abcdefghijklmnop==', 'a-b.c_d~e+f/g0123456789', 'eyJhbGciOiJub25lIn0.Y2xpLWJlYXJlcg.', 'Zm9vYmFyYmF6cXV4=']) {
      expect([fit, bearerProblem(fit), isBearerCredentials(`Bearer ${fit}`)]).toEqual([fit, undefined, true]);
    }
  });

  // Outside tester R55 (decision 0569): the refusal did not say which character, and a user looking at a plain JWT
  // could not see the quotes docker --env-file kept around it. Now the character and where, never the bearer.
  it('says which character of a refused bearer is wrong and where, never the bearer', () => {
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.abcdefghijklmnop';
    const rule = 'the bearer is not a token as RFC 6750 §2.1 writes one (letters, digits and -._~+/, then only "=" at its end)';
    const tail = ': Graph and the kit refuse "Authorization: Bearer" with it as malformed, whatever the token\'s validity; its value is not shown';
    const cases: [string, string][] = [
      [`"${jwt}"`, `${rule}: its first and last characters are '"' (quotes kept around the value? docker --env-file and some CI secret stores keep them: remove them)${tail}`],
      [`'${jwt}'`, `${rule}: its first and last characters are "'" (quotes kept around the value? docker --env-file and some CI secret stores keep them: remove them)${tail}`],
      [`${jwt.slice(0, 10)},${jwt.slice(10)}`, `${rule}: character 11 is ','${tail}`],
      [`"${jwt}`, `${rule}: its first character is '"'${tail}`],
      [`${jwt}"`, `${rule}: its last character is '"'${tail}`],
      [`${jwt.slice(0, 5)}=${jwt.slice(5)}`, `${rule}: character 6 is '=', which only ends a token${tail}`],
      ['=abcdefghijklmnop', `${rule}: its first character is '=', which only ends a token${tail}`],
    ];
    for (const [bearer, said] of cases) expect([bearer, bearerProblem(bearer)]).toEqual([bearer, said]);
    const carry = 'the bearer holds a character an HTTP header cannot carry (a space, a line break or a non-ASCII character)';
    expect(bearerProblem(`${jwt}\n`)).toBe(`${carry}: its last character is a line break (read from a file? trim it); its value is not shown`);
    expect(bearerProblem(`${jwt.slice(0, 36)} ${jwt.slice(36)}`)).toBe(`${carry}: character 37 is a space; its value is not shown`);
    expect(bearerProblem(`\u00a0${jwt}`)).toBe(`${carry}: its first character is U+00A0 (not ASCII); its value is not shown`);
    for (const bearer of cases.map(([b]) => b)) expect(bearerProblem(bearer)).not.toContain(jwt.slice(0, 12));
    expect(bearerProblem(jwt)).toBeUndefined();
  });

  // Outside attacker R117 (decision 0992): an empty bearer (`--bearer "$TOKEN"` with TOKEN unset) was "a character an
  // HTTP header cannot carry", which it holds none of; `--bearer undefined` was sent, though check-client fails a
  // client for `Bearer undefined` (0381). Both are no access token given.
  it('says an empty bearer, or a word for no value, is no access token given', () => {
    expect(bearerProblem('')).toBe('the bearer is empty: no access token was given (an unset variable?)');
    for (const word of ['undefined', 'null', 'NaN', 'None']) {
      expect(bearerProblem(word)).toBe(`the bearer is "${word}", a programming language's word for no value: no access token was given (an unset variable?)`);
    }
    // Neighbours: a space alone holds a character no header carries; a word for no value inside a token is a token.
    expect(bearerProblem(' ')).toBe('the bearer holds a character an HTTP header cannot carry (a space, a line break or a non-ASCII character): its first character is a space; its value is not shown');
    for (const fit of ['undefined-0123456789abcdef', 'nullable-0123456789abcdef', 'Undefined0123456789abcdef']) expect(bearerProblem(fit)).toBeUndefined();
  });

  // Outside tester P16: a VPP token given as --bearer (the two credentials mixed up, VPPKIT_BEARER filled from the
  // wrong secret) was sent in every request's Authorization, and the 401s answered with a hint about access tokens.
  it('refuses a VPP token as --bearer, cut or whole, before any request', () => {
    const sToken = createRequestFactory.withSeed(16).buildAt(0).token;
    for (const given of [sToken, sToken.replace(/=+$/, ''), sToken.slice(0, 80)]) {
      expect(bearerProblem(given)).toBe("the bearer holds a VPP token (an Apple sToken), not an access token: Graph answers 401 (RFC 6750 §3.1); a VPP token goes in a create's body (seed's records), never in Authorization; its value is not shown");
    }
    expect(bearerProblem('eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2ln')).toBeUndefined();
  });
});

// Found by an outside tester (F2): a bearer echoed base64-encoded (as a Basic credential is written) passed.
describe('the request\'s credentials echoed encoded in an error', () => {
  const bearer = 'SEKRETBEARER123';
  const token = Buffer.from('{"token":"iXpT+cYRBqROqhhRf0123456789?>?>~~","expDate":"2027-01-01T00:00:00+0000","orgName":"Contoso?"}').toString('base64');
  const context = { authorization: `Bearer ${bearer}`, sent: { token } };
  const refused = (message: string) => answer(400, { error: { code: 'BadRequest', message } });

  it('passes an error that does not repeat them', () => {
    expect(judgeRejectedAnswer([400], refused('The token was refused for this caller'), context)).toEqual([]);
  });

  // Found by an outside tester (G8): hex passed the echo check (and seed then wrote both whole into its report).
  it('fails an error that repeats them in hex or with every byte percent-encoded', () => {
    const hex = (text: string) => Buffer.from(text).toString('hex');
    const pct = (text: string) => Array.from(Buffer.from(text), (b) => `%${b.toString(16).toUpperCase()}`).join('');
    expect(judgeRejectedAnswer([400], refused(`auth=${hex(`Bearer ${bearer}`)}`), context)).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/message' })]);
    expect(judgeRejectedAnswer([400], refused(`token=${hex(token).toUpperCase()}`), context)).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/message' })]);
    expect(judgeRejectedAnswer([400], refused(`key ${pct(bearer)}`), context)).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/message' })]);
    expect(judgeRejectedAnswer([400], refused(`request ${hex('another value of the same length')}`), context)).toEqual([]);
  });

  it('passes a 201 echoing another value the client sent that holds a part of its token (the client\'s own value)', () => {
    const own = { ...sent, token, displayName: `copy of ${token.slice(10, 40)}` };
    const echoed = createdVppToken(own, { id: created.id as string, now: new Date() });
    const bearerOnly = { authorization: context.authorization };
    expect(judgeCreatedAnswer(own, answer(201, echoed), undefined, bearerOnly)).toEqual([]);
    const leaky = { ...echoed, locationName: `Refused: ${Buffer.from(`Bearer ${bearer}`).toString('base64')}` };
    expect(judgeCreatedAnswer(own, answer(201, leaky), undefined, bearerOnly).map((p) => p.where)).toEqual(['body /locationName']);
  });

  it.each([
    ['base64 of the Authorization value', `auth=${Buffer.from(`Bearer ${bearer}`).toString('base64')}`],
    ['base64 of the bearer', `bearer=${Buffer.from(bearer).toString('base64')}`],
    ['the sToken in base64url', `token=${Buffer.from(token, 'base64').toString('base64url')}`],
    ['90 % of the sToken', `token starts ${token.slice(0, Math.ceil(token.length * 0.9))}`],
  ])('fails one that repeats %s, and never shows it', (_name, message) => {
    const problems = judgeRejectedAnswer([400], refused(message), context);
    expect(problems).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/message' })]);
  });
});

// Found by an outside tester: an sToken's inner token (the credential proper), echoed decoded.
describe("an sToken's inner token in an answer", () => {
  const inner = 'Rcjw0gFIcME6fZICii60rpTjw1bEBkFS8R9hMYr29yBpmwICUmaly98HTHLcJbI5Abf7YtCTBGK5qCVD4qNF5HOZeKsB';
  const sToken = Buffer.from(JSON.stringify({ token: inner, expDate: '2027-03-14T08:10:04-0700', orgName: 'Adams College' })).toString('base64');
  const withSToken = { ...sent, token: sToken };
  const created201 = (extra: Record<string, unknown>) => ({ status: 201, headers: { 'Content-Type': json }, body: JSON.stringify({ ...createdVppToken(withSToken, { id: created.id, now: new Date() }), ...extra }) });

  it('is found, decoded, in a 201 or an error, and never shown', () => {
    const echoed = judgeCreatedAnswer(withSToken, created201({ locationName: `imported ${inner}` }));
    expect(echoed).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'body /locationName' })]);
    const refused = judgeRejectedAnswer([400], { status: 400, headers: { 'Content-Type': json }, body: JSON.stringify({ error: { code: 'BadRequest', message: `Apple refused ${inner}` } }) }, { sent: withSToken });
    expect(refused).toEqual([expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/message' })]);
    for (const p of [...echoed, ...refused]) expect(p.message).not.toContain(inner);
  });

  it('passes a 201 that carries the sToken itself at /token, and what the sToken says openly (its organisation)', () => {
    expect(judgeCreatedAnswer(withSToken, created201({ organizationName: 'Adams College' }))).toEqual([]);
  });
});

// Found by an outside tester: a 201 that names `id` twice is not JSON the judgement can read, and the echo check
// then found the request's VPP token in the body's text at /token, where a created vppToken may carry it.
describe('a 201 the judgement cannot read as JSON (a name given twice)', () => {
  const sToken = Buffer.from(JSON.stringify({ token: 'Rcjw0gFIcME6fZICii60rpTjw1bEBkFS8R9hMYr2', expDate: '2027-03-14T08:10:04-0700', orgName: 'Adams College' })).toString('base64');
  const withSToken = { ...sent, token: sToken };
  const twice = (extra: Record<string, unknown> = {}) => {
    const body = JSON.stringify({ ...createdVppToken(withSToken, { id: created.id, now: new Date() }), ...extra });
    return { status: 201, headers: { 'Content-Type': json }, body: `{"id":"0f8fad5b-d9cb-469f-a165-70867728950e",${body.slice(1)}` };
  };

  it('is failed for the name given twice only, not for its own token at /token', () => {
    const problems = judgeCreatedAnswer(withSToken, twice());
    expect(problems.map((p) => p.check)).not.toContain('credentials not echoed');
    expect(problems.map((p) => p.message).join('\n')).toMatch(/is given twice/);
  });

  it('is still failed when it echoes the token anywhere else, named by its place', () => {
    const problems = judgeCreatedAnswer(withSToken, twice({ locationName: `imported ${sToken}` }));
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'credentials not echoed', where: 'body /locationName' })]));
  });

  // The body is read as a JSON reader sees it, not searched as text: a writer that escapes '/' as '\/' (JSON allows
  // it) wrote the token at /token in another spelling of the same string, and the text search found it there.
  it("is not failed for its own token at /token written with escapes ('\\/'), and is for one elsewhere", () => {
    const slashed = Buffer.from(JSON.stringify({ token: '??>>??>>Rcjw0gFIcME6fZICii60rpTjw1bEBkFS8R9hMYr2??>>??>>', expDate: '2027-03-14T08:10:04-0700', orgName: 'Adams College???' })).toString('base64');
    expect(slashed).toContain('/');
    const withSlashed = { ...sent, token: slashed };
    const escaped = (extra: Record<string, unknown> = {}) => {
      const body = JSON.stringify({ ...createdVppToken(withSlashed, { id: created.id, now: new Date() }), ...extra }).replace(/\//g, '\\/');
      return { status: 201, headers: { 'Content-Type': json }, body: `{"id":"0f8fad5b-d9cb-469f-a165-70867728950e",${body.slice(1)}` };
    };
    expect(escaped().body).toContain('\\/');
    expect(judgeCreatedAnswer(withSlashed, escaped()).map((p) => p.check)).not.toContain('credentials not echoed');
    expect(judgeCreatedAnswer(withSlashed, escaped({ locationName: slashed }))).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'credentials not echoed', where: 'body /locationName' })]));
  });

  it('is failed for the token after its JSON value, or as a bare word in it', () => {
    const after = { ...twice(), body: `${twice().body} ${sToken}` };
    expect(judgeCreatedAnswer(withSToken, after)).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'credentials not echoed', where: 'body' })]));
    const bare = { ...twice(), body: twice().body.replace('"displayName":', `"displayName":${sToken},"x":`) };
    expect(judgeCreatedAnswer(withSToken, bare)).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'credentials not echoed', where: 'body' })]));
  });
});

// An answer that names a property after the request's token holds the token as surely as one that has it as a value.
describe('a token echoed as a property name', () => {
  it('fails a 201 and an error, named by the object that holds the name', () => {
    const sToken = Buffer.from(JSON.stringify({ token: 'Rcjw0gFIcME6fZICii60rpTjw1bEBkFS8R9hMYr2', expDate: '2027-03-14T08:10:04-0700', orgName: 'Adams College' })).toString('base64');
    const withSToken = { ...sent, token: sToken };
    const own = createdVppToken(withSToken, { id: created.id as string, now: new Date() });
    expect(judgeCreatedAnswer(withSToken, answer(201, own))).toEqual([]);
    const named = judgeCreatedAnswer(withSToken, answer(201, { ...own, [sToken]: true }));
    expect(named).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'credentials not echoed', where: 'body (root)' })]));
    const error = judgeRejectedAnswer([400], answer(400, { error: { code: 'BadRequest', message: 'no', innerError: { [sToken]: 'unknown' } } }), { sent: withSToken });
    expect(error).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'credentials not echoed', where: 'body /error/innerError' })]));
    for (const p of [...named, ...error]) expect(JSON.stringify(p)).not.toContain(sToken.slice(0, 24));
  });
});

describe('an answer nested thousands deep', () => {
  it('is judged, not a crash: refused past 64 levels (decision 0385), and the echo check still reads it', () => {
    // Written as text: JSON.stringify itself cannot nest this deep.
    const deep = (inner: unknown) => `${'['.repeat(5000)}${JSON.stringify(inner)}${']'.repeat(5000)}`;
    const withDeep = (body: object, inner: unknown) => `${JSON.stringify(body).slice(0, -1)},"deep":${deep(inner)}}`;
    const ok = { status: 201, headers: { 'Content-Type': json }, body: withDeep(created, 1) };
    expect(judgeCreatedAnswer(sent, ok)).toEqual([expect.objectContaining({ check: 'response schema', rule: 'nesting depth', pointer: `/deep${'/0'.repeat(63)}` })]);
    const token = 'a-vpp-token-that-leaks';
    const leak = { status: 201, headers: { 'Content-Type': json }, body: withDeep({ ...created, token }, token) };
    expect(judgeCreatedAnswer({ ...sent, token }, leak).map((p) => p.check)).toContain('credentials not echoed');
  });
});

// Outside finding R63: two values that differ but print alike (U+00A0 and a space; e + U+0301 and é; a compatibility
// ideograph and its canonical one) were shown raw: `must be "Fleet A", as the client set it (got "Fleet A")`. Where
// they would print alike, both are written with every character past printable ASCII as its \u escape.
describe('values back between two values that print alike', () => {
  const answered = (sent: Record<string, unknown>, body: Record<string, unknown>) =>
    valuesBackProblems(sent as never, body).map((p) => p.message);

  it.each([
    ['a no-break space and a space', 'Fleet\u00a0A', 'Fleet A', '"Fleet\\u00a0A"', '"Fleet A"'],
    ['an em space and a space', 'Fleet\u2003A', 'Fleet A', '"Fleet\\u2003A"', '"Fleet A"'],
    ['e and a combining acute, and é', 'Cafe\u0301 fleet', 'Caf\u00e9 fleet', '"Cafe\\u0301 fleet"', '"Caf\\u00e9 fleet"'],
    ['a compatibility ideograph and its canonical one', '\ufa10', '\ufa10'.normalize('NFC'), '"\\ufa10"', `"\\u${'\ufa10'.normalize('NFC').charCodeAt(0).toString(16).padStart(4, '0')}"`],
    ['a zero-width space left out', 'Fleet\u200bA', 'FleetA', '"Fleet\\u200bA"', '"FleetA"'],
  ])('says how they differ: %s', (_, set, got, shownSet, shownGot) => {
    expect(answered({ token: 't', displayName: set }, { displayName: got })).toEqual([`must be ${shownSet}, as the client set it (got ${shownGot})`]);
    const created = { ...createdVppToken({ token: 't', displayName: set }, { id: '30656643-00e4-4e6f-bb05-ca0f54f9f1f0', now: new Date('2026-05-01T00:00:00Z') }) } as Record<string, unknown>;
    expect(judgeReadBack({ token: 't', displayName: set }, created, { ...created, displayName: got })).toEqual([expect.objectContaining({ message: `must be ${shownSet}, as the client set it (got ${shownGot})` })]);
  });

  it('says how an organisation differs from the one the sToken names', () => {
    const token = sTokenOf('INNERTOKENOFTHEORGANISATIONCASE', 'Contoso\u00a0Ltd');
    expect(answered({ token }, { organizationName: 'Contoso Ltd' })).toEqual([`must be "Contoso\\u00a0Ltd", the organisation the request's sToken names (its orgName), or null (got "Contoso Ltd")`]);
  });

  it('shows values that print apart as they are, non-ASCII kept', () => {
    expect(answered({ token: 't', displayName: 'Café fleet' }, { displayName: 'Cafe fleet' })).toEqual(['must be "Café fleet", as the client set it (got "Cafe fleet")']);
    expect(answered({ token: 't', displayName: 'Fleet\u00a0A' }, { displayName: 'Fleet B' })).toEqual(['must be "Fleet\u00a0A", as the client set it (got "Fleet B")']);
  });
});
