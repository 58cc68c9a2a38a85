// Outside finding M8 (decision 0332): a client that put its VPP token in `client-request-id` passed check-client, and
// the proxy blamed the provider (the kit's own reference provider) for answering that header back, as Graph does.
// The credential in a header Graph logs is the client's leak; Graph's echo of what the client sent is no fault.
import { createRequestFactory, createdVppToken, formatRequestProblem } from 'vpptokens-contract-kit';
import { batchedCreates, checkBatchRequest, checkClientRequest, headerSecretValues, judgeCreateExchange } from '../../src/judgement';
import { headerLines } from '../../src/wire';

const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const sent = createRequestFactory.withSeed(32).buildAt(0);
const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
const bearer = 'Bearer m8-access-token-0123456789';
const inner = Buffer.from(sent.token, 'base64').toString('utf8').match(/"token":"([^"]+)"/)![1];
const VPP = "holds a VPP token (not shown): it goes in the create's body only; Graph and the proxies on its way log a request's other header fields, and Graph answers client-request-id back as sent (RFC 6750 §5.3)";
const BEARER = "holds the request's bearer token (not shown): it goes in the Authorization header only; Graph and the proxies on its way log a request's other header fields, and Graph answers client-request-id back as sent (RFC 6750 §5.3)";

const create = (headers: string[], body: unknown = sent, path = '/beta/deviceAppManagement/vppTokens') => ({ method: 'POST', path, headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer, ...headers], body: undefined, bytes: Buffer.from(JSON.stringify(body)) });
const judged = (request: ReturnType<typeof create>) => checkClientRequest(request, 'beta', { requireSTokens: true }).problems.map(formatRequestProblem);

describe("check-client: a request's credentials in its other header lines", () => {
  it('fails a create whose client-request-id holds its VPP token, 36 characters of its Apple token, any sToken, or its bearer', () => {
    const other = createRequestFactory.withSeed(33).buildAt(0).token;
    expect([sent.token, inner.slice(0, 36), other].map((value) => judged(create(['client-request-id', value])))).toEqual(Array(3).fill([`header client-request-id: ${VPP}`]));
    expect(judged(create(['client-request-id', bearer.slice(7)]))).toEqual([`header client-request-id: ${BEARER}`]);
    // Under a field's name, placed by its line (the name is never shown).
    expect(judged(create([`x-${sent.token.slice(0, 40)}`, '1']))).toEqual([`header line 3: ${VPP}`]);
  });

  it('fails a read too, and passes a request whose other fields carry no credential', () => {
    const read = { method: 'GET', path: '/beta/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Authorization', bearer, 'client-request-id', sent.token], body: undefined };
    expect(checkClientRequest(read, 'beta').problems.map(formatRequestProblem)).toEqual([`header client-request-id: ${VPP}`]);
    expect(judged(create(['client-request-id', '5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60', 'SdkVersion', 'graph-js/3.0.7']))).toEqual([]);
    // A short bearer is not looked for: its echo could not be told from chance.
    expect(checkClientRequest({ ...read, rawHeaders: ['Authorization', 'Bearer t', 'client-request-id', 't-1'] }, 'beta').problems).toEqual([]);
  });
});

// Round 9's leftover (decision 0346): a JSON batch's own header lines were judged for any sToken and its bearer, not
// for the VPP tokens of the creates inside it: 36 characters of a member's Apple token passed there.
describe("check-client: a JSON batch's own header lines", () => {
  const batch = (headers: string[]) => ({ method: 'POST', path: '/beta/$batch', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer, ...headers], body: undefined, bytes: Buffer.from(JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body: sent }] })) });
  it('fail the client when they hold a VPP token of a request inside the batch, in any spelling, or its bearer', () => {
    for (const value of [sent.token, inner.slice(0, 36)]) expect(judged(batch(['client-request-id', value]))).toEqual([`header client-request-id: ${VPP}`]);
    expect(judged(batch(['client-request-id', bearer.slice(7)]))).toEqual([`header client-request-id: ${BEARER}`]);
  });
  it('pass when they carry none', () => {
    expect(judged(batch(['client-request-id', '5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60']))).toEqual([]);
  });
});

describe("the proxy: Graph's echo of client-request-id", () => {
  const answer = (clientRequestId: string) => ({ status: 201, headers: {}, rawHeaders: ['Content-Type', json, 'client-request-id', clientRequestId], body: JSON.stringify(created) });
  it('blames the client for the VPP token it put there, not the provider that answered the header back', () => {
    const problems = judgeCreateExchange(create(['client-request-id', sent.token], sent, '/deviceAppManagement/vppTokens'), answer(sent.token), 'beta');
    expect(problems.map((p) => [p.side, p.check, `${p.where}: ${p.message}`])).toEqual([['client', 'request headers', `header client-request-id: ${VPP}`]]);
  });
  it('still blames a provider that puts the VPP token in a header the client did not send it in', () => {
    const problems = judgeCreateExchange(create(['client-request-id', '5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60'], sent, '/deviceAppManagement/vppTokens'), { ...answer('5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60'), rawHeaders: ['Content-Type', json, 'x-debug', sent.token] }, 'beta');
    expect(problems.map((p) => [p.side, p.where, p.message.split(' (')[0]])).toEqual([['provider', 'header x-debug', "must not contain the request's VPP token"]]);
  });
});

// Round 9's leftover (decision 0345): check-client and the proxy hid every value a batch member's header lines could
// hold, but only the bearer of a request's own. One rule now for both, bounded as the judgement bounds a credential.
describe('the values of header lines a writer hides (headerSecretValues)', () => {
  const lines = (...raw: string[]) => headerLines(raw);
  it("hides an Authorization's token and any field not known to carry none, each when it could be a credential", () => {
    expect(headerSecretValues(lines('Authorization', 'Bearer abcd0123', 'X-Functions-Key', 'SEKRET-functions-key-0123', 'Cookie', 'session=0123456789abcdef'))).toEqual(['abcd0123', 'SEKRET-functions-key-0123', 'session=0123456789abcdef']);
    // Decision 0740 (outside attacker R78): a bearer too short to tell from chance, or a word of the contract, is
    // no more looked for than a field's value is: hiding `token` renamed the pact's provider and every vppToken key.
    for (const bearer of ['Bearer abcd', 'Bearer token', 'Bearer valid', 'Bearer vppTokenAccountType', 'Bearer None']) expect(headerSecretValues(lines('Authorization', bearer))).toEqual([]);
    expect(headerSecretValues(lines('Proxy-Authorization', 'Basic dXNlcjpwYXNzd29yZA=='))).toEqual(['Basic dXNlcjpwYXNzd29yZA==']);
  });
  it("keeps a plain field's value, and a value too short or a word of the contract (hiding it would hide it in every message)", () => {
    expect(headerSecretValues(lines('client-request-id', '5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60', 'SdkVersion', 'graph-js/3.0.7', 'sec-fetch-mode', 'cors', 'X-Debug', 'true', 'X-Account', 'business'))).toEqual([]);
  });
});

// Outside tester P4: a client that wrote its own access token into the vppToken it created (`displayName: "Bearer
// <its bearer>"`) passed check-client and the proxy; the kit hid it in the pact and said nothing. Graph stores a
// vppToken's properties and answers them to every reader of the collection.
describe("check-client and the proxy: the request's own access token in the vppToken it creates", () => {
  const IN_BODY = "holds the request's own access token: Graph stores the vppToken's properties and answers them to every reader of deviceAppManagement/vppTokens; send the token only in the Authorization header (RFC 6750 §5.3). The value is not shown.";
  const token = bearer.slice(7);
  it('fails the client wherever a string of the body holds it, in any spelling, a member name too', () => {
    expect(judged(create([], { ...sent, displayName: bearer }))).toEqual([`body /displayName: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, locationName: token }))).toEqual([`body /locationName: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, displayName: `debug ${Buffer.from(token).toString('base64')}` }))).toEqual([`body /displayName: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, roleScopeTagIds: ['0', token] }))).toEqual([`body /roleScopeTagIds/1: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, [token]: 1 })).filter((line) => line.includes('access token'))).toEqual([`body (root): has a member name that holds ${IN_BODY.slice('holds '.length)}`]);
  });
  it('blames the client in the proxy, where the reference provider creates it as Graph does', () => {
    const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify({ ...created, displayName: bearer }) };
    const problems = judgeCreateExchange(create([], { ...sent, displayName: bearer }, '/deviceAppManagement/vppTokens'), answer, 'beta');
    expect(problems.map((p) => [p.side, `${p.where}: ${p.message}`])).toEqual([['client', `body /displayName: ${IN_BODY}`]]);
  });
  it('passes a body without it, and a short bearer that a body holds by chance', () => {
    expect(judged(create([], { ...sent, displayName: 'Bearer of the Contoso token', locationName: 'm8-access' }))).toEqual([]);
    const short = { ...create([], { ...sent, displayName: 'fleet t' }), rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer t'] };
    expect(judged(short)).toEqual([]);
  });
});

// Outside attacker R71 (decision 0651): a client that wrote its own Apple token into displayName (a label built from
// the wrong variable) passed check-client and the proxy, its pact showing "ABM [token]". Graph stores the vppToken's
// properties, answers them to every reader and shows its name in the Intune portal: the client's leak, as 0439's bearer.
describe('check-client and the proxy: a VPP token in the vppToken it creates, outside token', () => {
  const IN_BODY = "holds a VPP token: Graph stores the vppToken's properties, answers them to every reader of deviceAppManagement/vppTokens and shows its name in the Intune portal; send the token only in token. The value is not shown.";
  const other = createRequestFactory.withSeed(34).buildAt(0).token;
  it('fails the client for its Apple token in displayName, its sToken or any sToken in another string, in any spelling, a member name too', () => {
    expect(judged(create([], { ...sent, displayName: `ABM ${inner}` }))).toEqual([`body /displayName: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, locationName: encodeURIComponent(inner) }))).toEqual([`body /locationName: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, displayName: sent.token }))).toEqual([`body /displayName: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, roleScopeTagIds: ['0', other] }))).toEqual([`body /roleScopeTagIds/1: ${IN_BODY}`]);
    expect(judged(create([], { ...sent, [inner]: 1 })).filter((line) => line.includes('a VPP token:'))).toEqual([`body (root): has a member name that holds ${IN_BODY.slice('holds '.length)}`]);
  });
  it('blames the client in the proxy, where the reference provider creates it as Graph does', () => {
    const displayName = `ABM ${inner}`;
    const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify({ ...created, displayName }) };
    const problems = judgeCreateExchange(create([], { ...sent, displayName }, '/deviceAppManagement/vppTokens'), answer, 'beta');
    expect(problems.map((p) => [p.side, `${p.where}: ${p.message}`])).toEqual([['client', `body /displayName: ${IN_BODY}`]]);
  });
  it('passes a body that holds none: a name, a short token that a string holds by chance', () => {
    expect(judged(create([], { ...sent, displayName: 'ABM token of Contoso', locationName: 'm8-access' }))).toEqual([]);
    expect(checkClientRequest(create([], { token: 'abcd', displayName: 'fleet abcd' }), 'beta').problems.map(formatRequestProblem)).toEqual([]);
  });
});

// Decision 0439's leftover: a create inside a JSON batch carries the batch's Authorization, not its own. The batch's
// bearer written into the vppToken created inside it is the same leak as a create's own (RFC 6750 §5.3).
describe("a create inside a JSON batch: the batch's own access token in the vppToken it creates", () => {
  const IN_BODY = "holds the request's own access token: Graph stores the vppToken's properties and answers them to every reader of deviceAppManagement/vppTokens; send the token only in the Authorization header (RFC 6750 §5.3). The value is not shown.";
  const batch = (body: unknown) => ({ method: 'POST', path: '/beta/$batch', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer], body: undefined, bytes: Buffer.from(JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body }] })) });
  const inMock = (request: ReturnType<typeof batch>) => checkBatchRequest(request).members.map((m) => checkClientRequest({ method: m.method, path: `/beta${m.target}`, headers: {}, rawHeaders: m.rawHeaders, body: undefined, bytes: m.bytes, inBatch: true }, 'beta', { requireSTokens: true }).problems.map(formatRequestProblem));
  // The proxy judges each create inside with the answer the batch gave its id: here the reference provider's, the values sent back.
  const inProxy = (request: ReturnType<typeof batch>, displayName = created.displayName) =>
    batchedCreates(request).creates.map(({ request: one }) => judgeCreateExchange(one, { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify({ ...created, displayName }) }, 'beta').map((p) => [p.side, `${p.where}: ${p.message}`]));
  it("fails the client in check-client and the proxy when a create inside holds the batch's bearer", () => {
    const leaked = batch({ ...sent, displayName: bearer });
    expect(inMock(leaked)).toEqual([[`body /displayName: ${IN_BODY}`]]);
    expect(inProxy(leaked, bearer)).toEqual([[['client', `body /displayName: ${IN_BODY}`]]]);
  });
  it('passes a create inside that holds none, and one that holds a short bearer by chance', () => {
    expect(inMock(batch(sent))).toEqual([[]]);
    expect(inProxy(batch(sent))).toEqual([[]]);
    const short = { ...batch({ ...sent, displayName: 'fleet t' }), rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer t'] };
    expect(inMock(short)).toEqual([[]]);
    expect(inProxy(short, 'fleet t')).toEqual([[]]);
  });
});

// Round 13's leftover (decision 0540): a create inside a batch that gives an Authorization of its own was looked at for
// that bearer only. The batch's access token went to Graph with it all the same (in the batch's head): written into
// the vppToken created inside, or into another of the member's header fields, it is the client's leak; an answer
// that carries it back is the provider's echo.
describe("a request inside a JSON batch with an Authorization of its own: the batch's access token is looked for too", () => {
  const own = 'Bearer g1-member-access-token-9876543210';
  const OF_BATCH_BODY = "holds the access token of the JSON batch that carries the request: Graph stores the vppToken's properties and answers them to every reader of deviceAppManagement/vppTokens; send the token only in the Authorization header (RFC 6750 §5.3). The value is not shown.";
  const OF_BATCH_HEADER = "holds the bearer token of the JSON batch that carries the request (not shown): it goes in the batch's Authorization header only; Graph and the proxies on its way log a request's other header fields, and Graph answers client-request-id back as sent (RFC 6750 §5.3)";
  const ECHO = 'must not contain the bearer token of the JSON batch that carries the request (not shown): an answer never carries a credential of its request';
  const member = (body: unknown, headers: Record<string, string> = {}, method = 'POST') => ({ id: '1', method, url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json', Authorization: own, ...headers }, ...(method === 'POST' ? { body } : {}) });
  const batch = (...members: unknown[]) => ({ method: 'POST', path: '/beta/$batch', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer], body: undefined, bytes: Buffer.from(JSON.stringify({ requests: members })) });
  const inMock = (request: ReturnType<typeof batch>) => checkBatchRequest(request).members.map((m) => checkClientRequest({ method: m.method, path: `/beta${m.target}`, headers: {}, rawHeaders: m.rawHeaders, body: undefined, bytes: m.bytes, inBatch: true, batchAuthorization: m.batchAuthorization }, 'beta', { requireSTokens: true }).problems.map(formatRequestProblem));
  const answered = (displayName: unknown, headers: string[] = []) => ({ status: 201, headers: {}, rawHeaders: ['Content-Type', json, ...headers], body: JSON.stringify({ ...created, displayName }) });
  const inProxy = (request: ReturnType<typeof batch>, answer = answered(created.displayName)) => batchedCreates(request).creates.map(({ request: one }) => judgeCreateExchange(one, answer, 'beta').map((p) => [p.side, `${p.where}: ${p.message}`]));

  it("fails the client in check-client and the proxy when the batch's bearer is in the vppToken it creates, or in another of its header fields", () => {
    const leaked = batch(member({ ...sent, displayName: bearer }));
    expect(inMock(leaked)).toEqual([[`body /displayName: ${OF_BATCH_BODY}`]]);
    expect(inProxy(leaked, answered(bearer))).toEqual([[['client', `body /displayName: ${OF_BATCH_BODY}`]]]);
    const inHeader = batch(member(sent, { 'X-Debug': bearer.slice(7) }));
    expect(inMock(inHeader)).toEqual([[`header X-Debug: ${OF_BATCH_HEADER}`]]);
    expect(inProxy(inHeader)).toEqual([[['client', `header X-Debug: ${OF_BATCH_HEADER}`]]]);
    // A read inside the batch too.
    expect(inMock(batch({ ...member(undefined, { 'X-Debug': bearer.slice(7) }, 'GET'), headers: { Authorization: own, 'X-Debug': bearer.slice(7) } }))).toEqual([[`header X-Debug: ${OF_BATCH_HEADER}`]]);
  });

  // Decision 0540's leftover: the batch's access token in a member's url was not looked for (only the member's own).
  it("fails the client in check-client and the proxy when the batch's bearer is in the url of a request inside, its query or its path", () => {
    const OF_BATCH_QUERY = (name: string) => `query: The query carries the access token of the JSON batch that carries the request in '${name}': send it only in the batch's Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.`;
    const OF_BATCH_PATH = "path: The path carries the access token of the JSON batch that carries the request: send it only in the batch's Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.";
    const token = bearer.slice(7);
    const at = (url: string, method = 'POST') => batch({ ...member(method === 'POST' ? sent : undefined, {}, method), url });
    expect(inMock(at(`/deviceAppManagement/vppTokens?x=${token}`))).toEqual([[OF_BATCH_QUERY('x')]]);
    // The proxy fails the client for it (and, as for its own bearer there, a provider that created it anyway: 0327).
    expect(inProxy(at(`/deviceAppManagement/vppTokens?x=${encodeURIComponent(token)}`))[0]).toContainEqual(['client', OF_BATCH_QUERY('x')]);
    expect(inProxy(at('/deviceAppManagement/vppTokens?x=fleet'))).toEqual([[]]);
    expect(inMock(at(`/deviceAppManagement/vppTokens?$filter=displayName eq '${token}'`, 'GET'))).toEqual([[OF_BATCH_QUERY('$filter')]]);
    expect(inMock(at(`/deviceAppManagement/vppTokens/${token}`, 'GET'))).toEqual([[OF_BATCH_PATH]]);
    // By its name, as at the top (the value is never needed): refused whatever it holds.
    expect(inMock(at('/deviceAppManagement/vppTokens?access_token=abc', 'GET'))).toEqual([[expect.stringMatching(/^query: The query carries an access_token: /)]]);
    // The other way: a url that holds neither bearer, or the batch's short bearer by chance, passes.
    expect(inMock(at("/deviceAppManagement/vppTokens?$filter=displayName eq 'fleet'", 'GET'))).toEqual([[]]);
    const short = { ...at("/deviceAppManagement/vppTokens?$filter=displayName eq 't'", 'GET'), rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer t'] };
    expect(inMock(short)).toEqual([[]]);
  });

  it("fails the provider in the proxy when a created vppToken's answer carries the batch's bearer back", () => {
    expect(inProxy(batch(member(sent)), answered(created.displayName, ['X-Trace', bearer.slice(7)]))).toEqual([[['provider', `header X-Trace: ${ECHO}`]]]);
  });

  it("fails the batch whose own head holds the bearer of a request inside that gives its own, not one whose head holds neither", () => {
    const head = (value: string, members = [member(sent)]) => ({ ...batch(...members), rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer, 'client-request-id', value] });
    const OF_A_REQUEST = "holds the bearer token of a request inside the batch (not shown): it goes in that request's own Authorization only; Graph and the proxies on its way log a request's other header fields, and Graph answers client-request-id back as sent (RFC 6750 §5.3)";
    expect(judged(head(own.slice(7)))).toEqual([`header client-request-id: ${OF_A_REQUEST}`]);
    expect(judged(head('5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60'))).toEqual([]);
    // A short bearer inside is not looked for: a field could hold it by chance.
    expect(judged(head('t-1', [member(sent, { Authorization: 'Bearer t' })]))).toEqual([]);
  });

  it("passes a request inside that holds neither bearer, its own bearer where the batch's goes, or the batch's short bearer by chance", () => {
    expect(inMock(batch(member(sent)))).toEqual([[]]);
    expect(inProxy(batch(member(sent)))).toEqual([[]]);
    // The member's own bearer in its own Authorization, the batch's in the batch's: each where it belongs.
    const short = { ...batch(member({ ...sent, displayName: 'fleet t' }, { 'X-Debug': 't' })), rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer t'] };
    expect(inMock(short)).toEqual([[]]);
    expect(inProxy(short, answered('fleet t'))).toEqual([[]]);
  });
});
