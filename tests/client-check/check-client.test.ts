import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import type { Agent } from 'node:http';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, formatRequestProblem, problemsOf, readAppleSToken, SEED_PAGE_EXAMPLE_REQUEST } from 'vpptokens-contract-kit';
import { EXAMPLE_AUTHORIZATION, EXAMPLE_VPP_TOKEN, placeholderTokens } from 'vpptokens-contract-kit/pact';
import { checkClient } from 'vpptokens-contract-kit/provider';
import { readOfCreated } from '../../src/client-check';
import '../support/pact-loaded';
import { checkInProcess } from '../support/in-process-client';
const { sendAll } = require('./clients/raw-client.js') as { sendAll(requests: unknown[], mockUrl: string, options: { agent: Agent }): Promise<void> };

const client = join(__dirname, 'clients', 'raw-client.js');
const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-check-client-'));
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));

const JSON_AUTH = { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token' };
type Sent = { hangUpAfter?: number; method?: string; path?: string; headers?: Record<string, string>; lines?: Record<string, string | string[]>; headLines?: string[]; target?: string; lf?: boolean; bodyAfterAnswer?: boolean; version?: string; chunked?: boolean; bigBody?: number; manyIds?: number; bodyEncoding?: 'latin1'; body?: unknown; rawBody?: string; say?: string };
// The client runs in this process (decision 0710): what check-client says of its requests is the test. The client's
// process is tested where it is the point: a command not found and the client's own output below, process.test.ts.
const run = (requests: Sent[], { exit = 0, consumer = 'test-client', schemaTokens = false, profile = undefined as 'v1.0' | undefined } = {}) =>
  checkInProcess({ consumer, pactDir, schemaTokens, profile }, async (mockUrl, agent) => {
    await sendAll(requests, mockUrl, { agent });
    return exit;
  });

const requests = createRequestFactory.withSeed(31);
const good: [string, Sent[]][] = [
  ['a minimal request', [{ body: requests.withTraits('minimal').buildAt(0) }]],
  ['a partial request', [{ body: requests.buildAt(0) }]],
  ['a full request', [{ body: requests.withTraits('full').buildAt(0) }]],
  ['explicit nulls', [{ body: requests.withTraits('nulls').buildAt(0) }]],
  ['a charset on the content type', [{ headers: { ...JSON_AUTH, 'Content-Type': 'application/json; charset=utf-8' }, body: requests.buildAt(1) }]],
  ['a media type and parameter names in capitals (RFC 9110)', [{ headers: { ...JSON_AUTH, 'Content-Type': 'Application/JSON; Charset=UTF-8' }, body: requests.buildAt(5) }]],
  ['a space before the parameters and a lowercase bearer scheme', [{ headers: { 'Content-Type': 'application/json ; charset=utf-8', Authorization: 'bearer client-secret-token' }, body: requests.buildAt(6) }]],
  ["@odata.type without its leading # (Graph's OData reader takes both)", [{ body: { '@odata.type': 'microsoft.graph.vppToken', ...requests.withTraits('minimal').buildAt(7) } }]],
  ['several requests of different shapes', [{ body: requests.buildAt(2) }, { body: requests.withTraits('minimal').buildAt(3) }, { body: requests.buildAt(4) }]],
  ['the /beta prefix under the beta profile', [{ path: '/beta/deviceAppManagement/vppTokens', body: requests.buildAt(7) }]],
  ['@odata.type without the leading #', [{ body: { '@odata.type': 'microsoft.graph.vppToken', ...requests.buildAt(8) } }]],
  // The action results' union (decision 0105): each type in both spellings, an untyped item as the base type,
  // and a base and a derived item of the same keys (each matched by its own type's rules in the pact).
  ['action results of both types, each type name in both spellings', [{ body: { token: requests.withTraits('minimal').buildAt(9).token, tokenActionResults: [
    { actionName: 'SyncLicenses', actionState: 'done' },
    { '@odata.type': 'microsoft.graph.vppTokenActionResult', actionState: 'pending' },
    { '@odata.type': '#microsoft.graph.vppTokenRevokeLicensesActionResult', actionState: 'pending' },
    { '@odata.type': 'microsoft.graph.vppTokenRevokeLicensesActionResult', actionState: 'failed', actionFailureReason: 'appleFailure', failedLicensesCount: 2, totalLicensesCount: 5 },
  ] } }]],
  ['a head written by hand over a socket', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'], body: requests.buildAt(9) }]],
];

// Outside tester P10: the same creates sent in another order (workers finishing in another order) wrote a pact with
// other bytes, as placeholders were handed out in arrival order: a new contract version for a broker.
it.concurrent('writes the same pact bytes for the same creates sent in another order', async () => {
  const sent: Sent[] = [{ body: { token: requests.buildAt(31).token } }, { body: { token: requests.buildAt(32).token, displayName: 'Fleet' } }, { body: { token: requests.buildAt(33).token, countryOrRegion: 'GB' } }, { body: { token: requests.buildAt(34).token, displayName: 'Other' } }];
  const inOrder = await run(sent, { consumer: 'order-a' });
  const reversed = await run([...sent].reverse(), { consumer: 'order-b' });
  const pactOf = (file: string | undefined) => JSON.parse(readFileSync(file!, 'utf8')) as { consumer: unknown; interactions: unknown[] };
  const [a, b] = [pactOf(inOrder.pactFile), pactOf(reversed.pactFile)];
  expect(a.interactions).toHaveLength(3);
  expect(b.interactions).toEqual(a.interactions);
});

// Each case is its own client process, mock and pact file: they run a few at a time (jest's maxConcurrency), as
// the file's time is mostly each client's start; so do the tests after the table of broken requests.
describe.each(good)('a correct client sending %s', (_name, sent) => {
  it.concurrent('passes and writes a pact of what it sent', async () => {
    const consumer = `good-${_name.replace(/\W+/g, '-')}`;
    const result = await run(sent, { consumer });
    expect(result.requests.flatMap((r) => r.problems.map(formatRequestProblem))).toEqual([]);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    const pact = JSON.parse(readFileSync(result.pactFile!, 'utf8'));
    expect(pact.consumer.name).toBe(consumer);
    expect(pact.provider.name).toBe('microsoft-graph-vpptokens');
    const shapes = new Set(sent.map((s) => Object.keys(s.body as object).join()));
    expect(pact.interactions).toHaveLength(shapes.size);
    expect(pact.interactions[0].request.matchingRules.body).toBeDefined();
    // The full 201 rules of docs/decisions/0005, as in every pact the kit writes.
    // (The sToken's organisation, by equality, when the create set none: decision 0217.)
    for (const i of pact.interactions) expect(i.response.matchingRules.body['$.organizationName']).toEqual({ combine: 'OR', matchers: [{ match: i.request.body.content.organizationName === undefined ? 'equality' : 'type' }, { match: 'null' }] });
    expect(result.requests.every((r) => r.status === 201)).toBe(true);
    // The pact holds a schema-valid placeholder token, never the client's own (a credential).
    const text = readFileSync(result.pactFile!, 'utf8');
    for (const { body } of sent) expect(text).not.toContain((body as { token: string }).token);
    expect(text).not.toContain('client-secret-token');
    for (const i of pact.interactions) expect(i.request.headers.Authorization).toEqual([EXAMPLE_AUTHORIZATION]);
    for (const i of pact.interactions) expect(problemsOf('request', i.request.body.content)).toEqual([]);
  });
});

const UNSET_BEARER = (word: string) =>
  `header Authorization: holds "${word}", a programming language's word for no value, not an access token: the client sent none (a variable left unset?); Graph answers 401 (RFC 6750 §3.1, invalid_token)`;
const bad: [string, Sent[], string[]][] = [
  ['a wrong path', [{ path: '/deviceAppManagement/vppToken', body: requests.buildAt(0) }], ['path: must be /deviceAppManagement/vppTokens (got /deviceAppManagement/vppToken)']],
  ['the v1.0 prefix under the beta profile', [{ path: '/v1.0/deviceAppManagement/vppTokens', body: requests.buildAt(0) }], ['path: has the version prefix /v1.0, but the client is checked as Graph beta: point it at /beta or at no prefix, or check it with --profile v1.0']],
  // The version in the client's base URL and again in its paths (decision 0348): said so, as compare says it, not "the mock URL has no version prefix".
  ['the version twice', [{ path: '/beta/beta/deviceAppManagement/vppTokens', body: requests.buildAt(0) }], ['path: gives the version twice (got /beta/beta/deviceAppManagement/vppTokens): a Graph URL holds one (https://graph.microsoft.com/beta/deviceAppManagement/vppTokens), so Graph has no resource there: the client puts /beta in its base URL and again in its paths; give it once']],
  ['a bearer in the query string as well', [{ path: '/deviceAppManagement/vppTokens?access_token=client-secret-token', body: requests.buildAt(0) }], ['query: The query carries an access_token: send the bearer only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.']],
  ['its bearer in the query under another name', [{ path: '/deviceAppManagement/vppTokens?auth=Bearer%20client-secret-token', body: requests.buildAt(0) }], ["query: The query carries a bearer in 'auth': send it only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown."]],
  // Outside tester K30: the VPP token where the access token goes (the mock answers 401 as Graph does).
  ['its VPP token as its bearer', [{ headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${requests.buildAt(0).token}` }, body: requests.buildAt(0) }], ["header Authorization: holds a VPP token (an Apple sToken), not an access token: Graph answers 401 (RFC 6750 §3.1, invalid_token); the VPP token goes in the create's body only (the value is not shown)"]],
  // Outside tester P9: `Bearer ${token}` with the token unset, in JavaScript or Python: Graph answers 401.
  ['a bearer a variable left unset wrote', [{ headers: { 'Content-Type': 'application/json', Authorization: 'Bearer undefined' }, body: requests.buildAt(0) }], [UNSET_BEARER('undefined')]],
  // Outside tester R40: a JavaScript object or an un-awaited promise written where the token goes, said as such.
  ['an object written as its bearer', [{ headers: { 'Content-Type': 'application/json', Authorization: 'Bearer [object Object]' }, body: requests.buildAt(0) }], [
    'header Authorization: holds "[object Object]", JavaScript\'s text for an object, not its access token (a token result? use its .accessToken): the client wrote a value that is no access token where the token goes; Graph answers 401 (RFC 6750 §2.1, §3.1)',
  ]],
  ['a promise written as its bearer', [{ headers: { 'Content-Type': 'application/json', Authorization: 'Bearer [object Promise]' }, body: requests.buildAt(0) }], [
    'header Authorization: holds "[object Promise]", JavaScript\'s text for a promise of the token, not awaited: the client wrote a value that is no access token where the token goes; Graph answers 401 (RFC 6750 §2.1, §3.1)',
  ]],
  ['a bearer with a comma', [{ headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc,def' }, body: requests.buildAt(0) }], ['header Authorization: must be "Bearer <access token>" as RFC 6750 §2.1 gives it (the value is not shown)']],
  ["Python's None as its bearer", [{ headers: { 'Content-Type': 'application/json', Authorization: 'bearer None' }, body: requests.buildAt(0) }], [UNSET_BEARER('None')]],
  ['its VPP token in the query', [{ path: `/deviceAppManagement/vppTokens?token=${encodeURIComponent(requests.buildAt(0).token)}`, body: requests.buildAt(0) }], ["query: The query carries a VPP token in 'token': send it only in the body (a URL ends up in logs). The value is not shown."]],
  ['an OData query option on the create', [{ path: '/deviceAppManagement/vppTokens?$select=id', body: requests.buildAt(0) }], ["query: The query specified in the URI is not valid. Query option 'Select' is not allowed."]],
  ['a read without a bearer', [{ body: requests.buildAt(0) }, { method: 'GET', path: '/deviceAppManagement/vppTokens/{id}', headers: {} }], ['header Authorization: is required: Bearer <access token>']],
  ['a read of a vppToken it did not create (the mock refused it)', [{ method: 'GET', path: '/deviceAppManagement/vppTokens/8d1f7f3c-0000-4000-8000-000000000000', headers: JSON_AUTH }], [
    "answer: the mock refused it with 404 ResourceNotFound: No vppToken with id '8d1f7f3c-0000-4000-8000-000000000000'.",
  ]],
  ['a wrong method', [{ method: 'PUT', body: requests.buildAt(0) }], ['method: must be POST (got PUT)']],
  ['no Content-Type', [{ headers: { Authorization: 'Bearer x' }, rawBody: JSON.stringify(requests.buildAt(0)) }], ['header Content-Type: must be application/json, parameters allowed (got "text/plain;charset=UTF-8")']],
  ['no Authorization', [{ headers: { 'Content-Type': 'application/json' }, body: requests.buildAt(0) }], ['header Authorization: is required: Bearer <access token>']],
  ['an invalid enum', [{ body: { ...requests.buildAt(0), vppTokenAccountType: 'String' } }], ['body /vppTokenAccountType: must be one of business, education (got "String")']],
  ['no token', [{ body: { displayName: 'x' } }], ['body /token: is required']],
  ['wrong types', [{ body: { token: 'abc', automaticallyUpdateApps: 'true', roleScopeTagIds: 0 } }], ['body /automaticallyUpdateApps: must be a boolean (got "true")', 'body /roleScopeTagIds: must be an array (got 0)']],
  ['a duplicate property name', [{ rawBody: '{"token":"abc","displayName":"a","displayName":"b"}', headers: JSON_AUTH }], ['body /displayName: is given twice: Graph refuses a body with a duplicate property name']],
  ['a duplicate property name in an action result', [{ rawBody: '{"token":"abc","tokenActionResults":[{"actionName":"a","actionName":"a"}]}', headers: JSON_AUTH }], ['body /tokenActionResults/0/actionName: is given twice: Graph refuses a body with a duplicate property name']],
  ['a derived action result relabelled as the base type', [{ body: { token: 'abc', tokenActionResults: [{ '@odata.type': '#microsoft.graph.vppTokenActionResult', actionState: 'done', failedLicensesCount: 2 }] } }], [
    'body /tokenActionResults/0/failedLicensesCount: is a property of #microsoft.graph.vppTokenRevokeLicensesActionResult only, and this item is a #microsoft.graph.vppTokenActionResult (its @odata.type is "#microsoft.graph.vppTokenActionResult"): a derived type\'s item must name it in @odata.type',
  ]],
  ['a derived property on an untyped action result', [{ body: { token: 'abc', tokenActionResults: [{ actionName: 'RevokeLicenses', actionFailureReason: 'none' }] } }], [
    'body /tokenActionResults/0/actionFailureReason: is a property of #microsoft.graph.vppTokenRevokeLicensesActionResult only, and this item is a #microsoft.graph.vppTokenActionResult (it has no @odata.type): a derived type\'s item must name it in @odata.type',
  ]],
  ['a body that is not JSON', [{ rawBody: '{"token": ', headers: JSON_AUTH }], ['body: is not JSON: line 1, column 11: the text ended where a value was expected']],
  // Issue 14: judged from raw header lines and bytes, as Graph's reader takes them.
  ['two Authorization headers', [{ lines: { ...JSON_AUTH, Authorization: ['Bearer client-secret-token', 'Bearer another-token'] }, body: requests.buildAt(0) }], ['header Authorization: is given 2 times: it takes one value (RFC 9110), so the message is ambiguous']],
  ['two Content-Type headers', [{ lines: { ...JSON_AUTH, 'Content-Type': ['application/json', 'application/json'] }, body: requests.buildAt(0) }], ['header Content-Type: is given 2 times: it takes one value (RFC 9110), so the message is ambiguous']],
  ['a Content-Encoding that lies', [{ lines: { ...JSON_AUTH, 'Content-Encoding': 'gzip' }, body: requests.buildAt(0) }], ['body: is not gzip data, as its Content-Encoding says (Z_DATA_ERROR)']],
  // Outside tester F9, decision 0148: Graph's reader decodes by the declared charset.
  ['UTF-8 bytes declared charset=utf-16', [{ headers: { ...JSON_AUTH, 'Content-Type': 'application/json; charset=utf-16' }, body: requests.buildAt(0) }], [
    "header Content-Type: declares charset=utf-16, but JSON is UTF-8 (RFC 8259 §8.1) and Graph's reader (ASP.NET Core) decodes a body by the charset it declares: send charset=utf-8 or none",
  ]],
  ['Latin-1 bytes', [{ headers: JSON_AUTH, bodyEncoding: 'latin1', rawBody: '{"token":"abc","displayName":"Caf\u00e9"}' }], ['body: is not UTF-8: byte 33 starts no valid UTF-8 sequence (JSON is UTF-8, RFC 8259 §8.1)']],
  ['a byte order mark', [{ rawBody: '\uFEFF{"token":"abc"}', headers: JSON_AUTH }], ['body: starts with a byte order mark, which JSON sent over a network must not have (RFC 8259 §8.1)']],
  ['data after the JSON value', [{ rawBody: '{"token":"abc"} garbage', headers: JSON_AUTH }], ['body: has data after its JSON value: line 1, column 17']],
  ['an unpaired surrogate escape', [{ rawBody: '{"token":"abc","displayName":"Fleet \\ud800"}', headers: JSON_AUTH }], ['body /displayName: holds an unpaired surrogate (half of a UTF-16 pair alone: an escape such as \\ud800 without its pair, or a string cut between the two), which is no Unicode character: I-JSON refuses it (RFC 7493 §2.1, RFC 8259 §8.2)']],
  // Heads Node's parser refuses: the mock answers 400 naming the header, and the client is told why (not "0 requests").
  ['a folded header line', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token', 'X-Note: first part', '  folded second part'], body: requests.buildAt(0) }], [
    'header X-Note: continues on a folded line (obs-fold, a line starting with a space), which HTTP/1.1 refuses (RFC 9112 §5.2)',
  ]],
  // Outside tester G13: named for what it is, not as three missing parts.
  ['a head with bare LF line endings', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'], lf: true, body: requests.buildAt(0) }], [
    'head: ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)',
  ]],
  // Outside attacker L1: a refused head is judged by its head alone, however its body's bytes came: the mock read no
  // body (its framing is the head's), so none is judged ("cut short: 0 came", "is not JSON" were the head's fault).
  ['a head with bare LF line endings, its body sent after the answer', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'], lf: true, bodyAfterAnswer: true, body: requests.buildAt(0) }], [
    'head: ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)',
  ]],
  ['a head with bare LF line endings before bytes that are no JSON', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'], lf: true, rawBody: '{"token": ' }], [
    'head: ends its lines in a bare LF, not CRLF, which a sender must not do (RFC 9112 §2.2)',
  ]],
  ['two Content-Length lines', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token', 'Content-Length: 15'], rawBody: '{"token":"abc"}' }], ['header Content-Length: is given 2 times: it takes one value (RFC 9110), so the message is ambiguous']],
  // Found by an outside tester (F7): "the client made no request" where Node's parser refused the request.
  ['Transfer-Encoding beside Content-Length', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token', 'Transfer-Encoding: chunked'], rawBody: '{"token":"abc"}' }], [
    'header Content-Length: is sent with Transfer-Encoding, which a message must not do (RFC 9112 §6.1)',
  ]],
  // Outside tester R26 (decision 0492): an HTTP/1.0 request with Transfer-Encoding has faulty framing (RFC 9112 §6.1).
  ['an HTTP/1.0 request framed by Transfer-Encoding: chunked', [{ headLines: ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'], version: '1.0', chunked: true, body: requests.buildAt(0) }], [
    expect.stringMatching(/^header Transfer-Encoding: is sent in an HTTP\/1\.0 message, whose framing a recipient must then treat as faulty, even beside a Content-Length, and close the connection after it \(RFC 9112 §6\.1\).*\(got "chunked"\)$/) as unknown as string,
  ]],
  ['no Host', [{ headLines: ['no Host', 'Content-Type: application/json', 'Authorization: Bearer client-secret-token'], rawBody: '{"token":"abc"}' }], [
    'answer: the mock refused it with 400 BadRequest: header Host: is required in an HTTP/1.1 request (RFC 9112 §3.2)',
  ]],
  ['the token given twice', [{ rawBody: '{"token":"abc","token":"def"}', headers: JSON_AUTH }], ['body /token: is given twice: Graph refuses a body with a duplicate property name']],
  ['a date that does not exist', [{ body: { token: 'abc', expirationDateTime: '2027-02-30T00:00:00Z' } }], [expect.stringMatching(/^body \/expirationDateTime: must be a DateTimeOffset/) as unknown as string]],
  ['an offset out of range', [{ body: { token: 'abc', lastSyncDateTime: '2027-03-01T00:00:00+25:00' } }], [expect.stringMatching(/^body \/lastSyncDateTime: must be a DateTimeOffset/) as unknown as string]],
  ['the seed page example', [{ body: SEED_PAGE_EXAMPLE_REQUEST }], [
    'body /lastSyncStatus: must be one of none, inProgress, completed, failed (got "String")',
    'body /state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")',
    'body /tokenActionResults/0/actionState: must be one of none, pending, canceled, active, done, failed, notSupported (got "String")',
    'body /vppTokenAccountType: must be one of business, education (got "String")',
  ]],
];

// One client process sends every case's requests, one after another, and each case reads its own from the verdict: a
// request's problems are its own, whatever came before it, and a process per case was most of the file's time.
// Each case's point is not its token ('abc' in many): Intune's token rule has its own file (stokens.test.ts).
const allBad = bad.flatMap(([, sent]) => sent);
let badRun: ReturnType<typeof run> | undefined;
const badResult = () => (badRun ??= run(allBad, { consumer: 'bad-requests', schemaTokens: true }));
// The first case waits for the whole run (about 40 requests), beside the correct clients' runs: on a loaded machine
// more than jest's 30 s a test.
const BAD_RUN_MS = 120_000;
const firstOf = (i: number) => bad.slice(0, i).reduce((n, [, sent]) => n + sent.length, 0);

describe.each(bad.map(([name, sent, expected], i) => [name, sent, expected, firstOf(i)] as const))('a client sending %s', (_name, sent, expected, first) => {
  it('fails with every problem, readably', async () => {
    const result = await badResult();
    // Each request the client sent is in the verdict, in the order sent: a case's are where it sent them.
    expect(result.requests).toHaveLength(allBad.length);
    const mine = result.requests.slice(first, first + sent.length);
    expect(mine.flatMap((r) => r.problems.map(formatRequestProblem)).sort()).toEqual([...expected].sort());
    // The mock and the checker never disagree: the mock refused every request the checker failed.
    expect(mine.filter((r) => r.problems.some((p) => p.where !== 'path') && r.status !== null && r.status < 400)).toEqual([]);
  }, BAD_RUN_MS);
});

it('fails the client that sent them, and writes no pact', async () => {
  const result = await badResult();
  expect(result.passed).toBe(false);
  // All but the one create a case sends before its bad read.
  expect(result.failures).toContain(`${allBad.length - 1} of ${allBad.length} requests broke the contract`);
  expect(result.pactFile).toBeUndefined();
  expect(existsSync(join(pactDir, 'bad-requests-microsoft-graph-vpptokens.json'))).toBe(false);
}, BAD_RUN_MS);

// Outside tester H1: a client that hangs up in the middle of its body made a request, which no verdict can judge.
describe('a client that closes the connection in the middle of its body', () => {
  it.concurrent('is told so, with the bytes that came, not judged as an empty request; a whole request beside it is judged', async () => {
    const HEAD = ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'];
    const body = requests.buildAt(16);
    const sent: Sent[] = [{ headLines: HEAD, body, hangUpAfter: 100 }, { body: requests.buildAt(17) }, { body: { displayName: 'no token' } }];
    const result = await run(sent, { consumer: 'hangs-up', exit: 1 });
    const declared = Buffer.byteLength(JSON.stringify(body));
    expect(result.requests.map((r) => [r.method, r.status, r.problems.map(formatRequestProblem), r.notJudged])).toEqual([
      ['POST', null, [], `the client closed the connection after 100 of its ${declared} body bytes, before the mock answered`],
      ['POST', 201, [], undefined],
      ['POST', 400, ['body /token: is required'], undefined],
    ]);
    expect(result.failures).toEqual(['the client exited with code 1', '1 of 3 requests broke the contract']);
    expect(result.summary).toMatch(/^3 requests checked: 1 kept the contract, 1 broke it, 1 not judged \(closed by the client\)/);
  });
});

describe('a client that reads back what it created', () => {
  it.concurrent('passes: the reads are judged as reads, answered from the mock, and left out of the pact', async () => {
    const sent: Sent[] = [
      { path: '/beta/deviceAppManagement/vppTokens', body: requests.buildAt(9) },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}', headers: JSON_AUTH },
      { method: 'GET', path: '/deviceAppManagement/vppTokens?$top=5', headers: { Authorization: 'Bearer client-secret-token' } },
      { method: 'GET', path: "/deviceAppManagement/vppTokens('{id}')", headers: { Authorization: 'Bearer client-secret-token' } },
    ];
    const result = await run(sent, { consumer: 'reads-back' });
    expect(result.requests.flatMap((r) => r.problems.map(formatRequestProblem))).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.requests.map((r) => [r.method, r.kind, r.version, r.status])).toEqual([
      ['POST', 'create', 'beta', 201],
      ['GET', 'read', 'beta', 200],
      ['GET', 'list', undefined, 200],
      ['GET', 'read', undefined, 200],
    ]);
    expect(result.requests[2].query).toBe('$top=5');
    expect(result.summary).toMatch(/^4 requests checked \(3 reads of what it created\): 4 kept the contract/);
    const pact = JSON.parse(readFileSync(result.pactFile!, 'utf8'));
    expect(pact.interactions.map((i: { request: { method: string } }) => i.request.method)).toEqual(['POST']);
  });

  // Round 18's leftover (decision 1053): a read the mock refused for the client's fault (a 400 to a bad query, a 401 without
  // a bearer or with two) was counted and noted as "a read of what it created", though it read nothing.
  it.concurrent('counts a read the mock answered as a read of what it created, and not one it refused', async () => {
    const sent: Sent[] = [
      { path: '/beta/deviceAppManagement/vppTokens', body: requests.buildAt(10) },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}', headers: JSON_AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens?$top=-1', headers: JSON_AUTH },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}', headers: { 'Content-Type': 'application/json' } },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens', headLines: ['Authorization: Bearer client-secret-token', 'Authorization: Bearer client-secret-token'] },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens', headLines: ['Authorization: Bearer client-secret-token', 'X-Bad : 1'] },
      { method: 'HEAD', path: '/beta/deviceAppManagement/vppTokens', headers: JSON_AUTH },
    ];
    const result = await run(sent, { consumer: 'refused-reads' });
    expect(result.requests.map((r) => [r.method, r.kind, r.status, r.problems.length > 0, readOfCreated(r)])).toEqual([
      ['POST', 'create', 201, false, false],
      ['GET', 'read', 200, false, true],
      ['GET', 'list', 400, true, false],
      ['GET', 'read', 401, true, false],
      ['GET', 'list', 401, true, false],
      ['GET', 'list', 400, true, false],
      ['HEAD', 'list', 200, false, true],
    ]);
    expect(result.summary).toMatch(/^7 requests checked \(2 reads of what it created\): 3 kept the contract, 4 broke it/);
  });

  // Outside finding M20 (decision 0340): the Apple token inside the client's sToken passed in a read's URL, shown as
  // [token]. Known by the tokens the client sent in its creates, it fails the read as the whole sToken in the query does;
  // the mock answers it as Graph would (a text like any other to Graph), the verdict fails the client.
  it.concurrent("fails a read that puts the Apple token of the client's own sToken in its query, and a read with its whole sToken in the path", async () => {
    const { token } = requests.buildAt(14);
    const inner = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { token: string }).token;
    const vpp = (where: string, name = '') => `${where}: The ${where} carries a VPP token${name && ` in '${name}'`}: send it only in the body (a URL ends up in logs). The value is not shown.`;
    const sent: Sent[] = [
      { body: { token } },
      { method: 'GET', path: `/deviceAppManagement/vppTokens?$filter=${encodeURIComponent(`displayName eq '${inner}'`)}`, headers: JSON_AUTH },
      { method: 'GET', path: `/deviceAppManagement/vppTokens?x=${encodeURIComponent(inner)}`, headers: JSON_AUTH },
      { method: 'GET', path: `/deviceAppManagement/vppTokens/${encodeURIComponent(token)}/displayName`, headers: JSON_AUTH },
      { method: 'GET', path: "/deviceAppManagement/vppTokens?$filter=displayName eq 'Contoso'", headers: JSON_AUTH },
    ];
    const result = await run(sent, { consumer: 'token-in-url' });
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([
      [201, []],
      [200, [vpp('query', '$filter')]],
      [200, [vpp('query', 'x')]],
      [400, [vpp('path')]],
      [200, []],
    ]);
    expect(result.passed).toBe(false);
    // Shown hidden, as everywhere.
    expect(JSON.stringify(result.requests)).not.toContain(inner.slice(0, 24));
    expect(result.pactFile).toBeUndefined();
  });

  // Outside finding M17 (decision 0341): the read-only id and lastModifiedDateTime passed, and went into the pact as
  // what every provider must take. The mock ignores them as Graph may (201); the verdict fails the client, no pact.
  it.concurrent('fails a create that sets the read-only id or lastModifiedDateTime, though the mock answers 201, and writes no pact', async () => {
    const said = (name: string) => `body /${name}: is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out`;
    const sent: Sent[] = [{ body: { ...requests.buildAt(15), id: 'not-a-guid' } }, { body: { ...requests.buildAt(16), lastModifiedDateTime: '2001-01-01T00:00:00Z' } }, { body: requests.buildAt(17) }];
    const result = await run(sent, { consumer: 'sets-read-only' });
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([[201, [said('id')]], [201, [said('lastModifiedDateTime')]], [201, []]]);
    expect(result.passed).toBe(false);
    expect(result.pactFile).toBeUndefined();
    expect(existsSync(join(pactDir, 'sets-read-only-microsoft-graph-vpptokens.json'))).toBe(false);
  });

  // Found by an outside tester (F8): the SDK's normal read calls ($select, $filter, $format) were refused.
  it.concurrent("passes reads with the options Graph's OpenAPI gives them, answered as asked ($select, $filter, $orderby, $count, $format)", async () => {
    const sent: Sent[] = [
      { path: '/beta/deviceAppManagement/vppTokens', body: { ...requests.buildAt(12), displayName: 'Read me back' } },
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens/{id}?$select=id,displayName,state&$expand=*', headers: JSON_AUTH },
      { method: 'GET', path: "/beta/deviceAppManagement/vppTokens?$filter=id eq '{id}'&$select=id&$count=true&$format=json", headers: JSON_AUTH },
      { method: 'GET', path: "/beta/deviceAppManagement/vppTokens?$filter=displayName eq 'Read me back'&$orderby=displayName desc&$top=5&$skip=0", headers: JSON_AUTH },
      // Outside tester H4: the /$count segment of Graph's OpenAPI (Kiota's vppTokens.count.get()), with its $filter.
      { method: 'GET', path: "/beta/deviceAppManagement/vppTokens/$count?$filter=displayName eq 'Read me back'", headers: { ...JSON_AUTH, Accept: 'text/plain' } },
      // Outside tester H14: under beta the $ is optional, as Graph beta takes it.
      { method: 'GET', path: "/beta/deviceAppManagement/vppTokens?filter=displayName eq 'Read me back'&top=5", headers: JSON_AUTH },
    ];
    const result = await run(sent, { consumer: 'reads-with-options' });
    expect(result.requests.flatMap((r) => r.problems.map(formatRequestProblem))).toEqual([]);
    expect(result.requests.map((r) => [r.kind, r.status])).toEqual([['create', 201], ['read', 200], ['list', 200], ['list', 200], ['list', 200], ['list', 200]]);
    expect(result.passed).toBe(true);
  });

  it.concurrent('fails a read with a malformed option for that reason, and says what the mock does not model without failing for it', async () => {
    const sent: Sent[] = [
      { body: requests.buildAt(13) },
      { method: 'GET', path: '/deviceAppManagement/vppTokens?$top=abc', headers: JSON_AUTH },
      { method: 'GET', path: '/deviceAppManagement/vppTokens/{id}?$select=nope', headers: JSON_AUTH },
      { method: 'GET', path: '/deviceAppManagement/vppTokens?$search=contoso', headers: JSON_AUTH },
      { method: 'GET', path: '/deviceAppManagement/vppTokens/$count?$top=1', headers: JSON_AUTH },
      // Outside tester H13: a boolean quoted as a string is Graph's 400, not an empty list.
      { method: 'GET', path: "/deviceAppManagement/vppTokens?$filter=automaticallyUpdateApps eq 'true'", headers: JSON_AUTH },
    ];
    const result = await run(sent, { consumer: 'reads-malformed' });
    expect(result.passed).toBe(false);
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem), r.notModelled])).toEqual([
      [201, [], undefined],
      [400, ['query: Invalid value for $top: "abc"; it must be a whole number from 1 to 999.'], undefined],
      [400, ["query: Could not find a property named 'nope' on type 'microsoft.graph.vppToken'."], undefined],
      [501, [], '$search is not modelled by the mock: Graph may answer it, the reference provider cannot answer it truly (docs/decisions/0146).'],
      [400, ["query: The query specified in the URI is not valid. Query option 'Top' is not allowed."], undefined],
      [400, ["query: A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'."], undefined],
    ]);
    expect(result.failures).toEqual(['4 of 6 requests broke the contract']);
  });

  // Outside tester H20, H21: Graph operations the mock does not model are answered 501 and not judged, never as a create.
  it.concurrent('says what the mock does not model (DELETE, PATCH, an action) without failing for it; their bearer is still judged', async () => {
    const sent: Sent[] = [
      { body: requests.buildAt(14) },
      { method: 'PATCH', path: '/beta/deviceAppManagement/vppTokens/{id}', body: { displayName: 'renamed' } },
      { method: 'POST', path: '/beta/deviceAppManagement/vppTokens/{id}/syncLicenses', headers: { Authorization: 'Bearer client-secret-token' } },
      { method: 'DELETE', path: '/beta/deviceAppManagement/vppTokens/{id}', headers: { Authorization: 'Bearer client-secret-token' } },
      { method: 'DELETE', path: '/beta/deviceAppManagement/vppTokens/{id}', headers: {} },
    ];
    const result = await run(sent, { consumer: 'not-modelled-operations' });
    expect(result.requests.map((r) => [r.method, r.status, r.problems.map(formatRequestProblem), r.notModelled])).toEqual([
      ['POST', 201, [], undefined],
      ['PATCH', 501, [], 'PATCH of a vppToken is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183).'],
      ['POST', 501, [], 'the action syncLicenses of a vppToken is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183).'],
      ['DELETE', 501, [], 'DELETE of a vppToken is not modelled by the mock: Graph takes it, the reference provider cannot answer it truly (docs/decisions/0183).'],
      ['DELETE', 401, ['header Authorization: is required: Bearer <access token>'], undefined],
    ]);
    // A JSON batch is answered and judged (decision 0215): tests/client-check/batch.test.ts.
    expect(result.failures).toEqual(['1 of 5 requests broke the contract']);
  });

  it.concurrent('under v1.0 the /v1.0 prefix passes and /beta is refused', async () => {
    const v1 = createRequestFactory.withProfile('v1.0').withSeed(3);
    const ok = await run([{ path: '/v1.0/deviceAppManagement/vppTokens', body: v1.buildAt(0) }], { consumer: 'v1-prefix', profile: 'v1.0' });
    expect(ok.passed).toBe(true);
    const beta = await run([{ path: '/beta/deviceAppManagement/vppTokens', body: v1.buildAt(0) }], { consumer: 'v1-beta-prefix', profile: 'v1.0' });
    expect(beta.passed).toBe(false);
    expect(beta.requests[0].problems.map(formatRequestProblem)).toEqual(['path: has the version prefix /beta, but the client is checked as Graph v1.0: point it at /v1.0 or at no prefix, or check it with --profile beta']);
  });
});

// Found by an outside tester (F6): the mock created a vppToken (201) for a target its verdict called broken. A
// target is read once (src/judgement/target.ts), as Graph routes it, for the mock and the verdict alike.
describe('a request target in another form of the same URI', () => {
  const HEAD = ['Content-Type: application/json', 'Authorization: Bearer client-secret-token'];
  it.concurrent('passes when Graph routes it to the collection: absolute-form, any case, a trailing slash, %54 for T; the pact keeps the path', async () => {
    const sent: Sent[] = [
      { headLines: HEAD, target: '{mock}/beta/deviceAppManagement/vppTokens', body: requests.buildAt(20) },
      { method: 'GET', headLines: ['Authorization: Bearer client-secret-token'], target: '{mock}/beta/deviceAppManagement/vppTokens/{id}' },
      { path: '/beta/deviceappmanagement/vpptokens', body: requests.buildAt(21) },
      { path: '/beta/deviceAppManagement/vppTokens/', body: requests.buildAt(22) },
      { path: '/beta/deviceAppManagement/vpp%54okens', body: requests.buildAt(23) },
      { method: 'GET', path: '/beta/DeviceAppManagement/VppTokens/{id}/', headers: JSON_AUTH },
      // Outside tester G14: OData's ABNF has SQUOTE = "'" / "%27"; and its named key.
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens(%27{id}%27)', headers: JSON_AUTH },
      { method: 'GET', path: "/beta/deviceAppManagement/vppTokens(id='{id}')", headers: JSON_AUTH },
    ];
    const result = await run(sent, { consumer: 'target-forms' });
    expect(result.requests.flatMap((r) => r.problems.map(formatRequestProblem))).toEqual([]);
    expect(result.requests.map((r) => [r.method, r.kind, r.version, r.status])).toEqual([
      ['POST', 'create', 'beta', 201],
      ['GET', 'read', 'beta', 200],
      ['POST', 'create', 'beta', 201],
      ['POST', 'create', 'beta', 201],
      ['POST', 'create', 'beta', 201],
      ['GET', 'read', 'beta', 200],
      ['GET', 'read', 'beta', 200],
      ['GET', 'read', 'beta', 200],
    ]);
    expect(result.requests[0].path).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/beta\/deviceAppManagement\/vppTokens$/);
    expect(result.passed).toBe(true);
    // The pact holds the path as Graph names it, whatever form the client wrote: it verifies against any provider.
    const pact = JSON.parse(readFileSync(result.pactFile!, 'utf8'));
    expect(pact.interactions.map((i: { request: { path: string } }) => i.request.path)).toEqual(Array(pact.interactions.length).fill('/deviceAppManagement/vppTokens'));
  });

  it.concurrent('fails, and the mock refuses it, when it is another URI: %2F is not /, a scheme other than http(s)', async () => {
    const sent: Sent[] = [
      { path: '/beta/deviceAppManagement%2FvppTokens', body: requests.buildAt(24) },
      { headLines: HEAD, target: 'ftp://127.0.0.1/beta/deviceAppManagement/vppTokens', body: requests.buildAt(25) },
      // No create succeeded here, so {id} is the client's placeholder: %2F keeps it from being a segment either way.
      { method: 'GET', path: '/beta/deviceAppManagement/vppTokens%2F{id}', headers: JSON_AUTH },
    ];
    const result = await run(sent, { consumer: 'target-other' });
    expect(result.passed).toBe(false);
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([
      [404, ['path: must be /deviceAppManagement/vppTokens (got /deviceAppManagement%2FvppTokens)']],
      [400, ['path: the request target must be a path or an http(s) URL (RFC 9112 §3.2; got the scheme ftp)']],
      [404, ["path: must be /deviceAppManagement/vppTokens, /deviceAppManagement/vppTokens/{id}, /deviceAppManagement/vppTokens('{id}') or /deviceAppManagement/vppTokens/$count for a read (got /deviceAppManagement/vppTokens%2Fnone-created)"]],
    ]);
    expect(result.pactFile).toBeUndefined();
  });

  // Outside findings P14, N21, P18: the mock's rules of a request target and a Host (RFC 9112 §3.2), one with the verdict's.
  it.concurrent('fails a target holding a fragment or userinfo, * but for OPTIONS, and a Host that is no host; the mock refuses each', async () => {
    const sent: Sent[] = [
      { headLines: HEAD, target: '/beta/deviceAppManagement/vppTokens#created', body: requests.buildAt(26) },
      { headLines: HEAD, target: 'http://admin:Pa55w0rd@graph.contoso.example/beta/deviceAppManagement/vppTokens', body: requests.buildAt(27) },
      { method: 'GET', headLines: ['Authorization: Bearer client-secret-token'], target: '*' },
      { headLines: ['no Host', 'Host: a@evil.example', ...HEAD], body: requests.buildAt(28) },
      // Outside tester R8: an empty host variable joined into the URL; `beta` was read as the host and the create passed.
      { headLines: HEAD, target: 'http:///beta/deviceAppManagement/vppTokens', body: requests.buildAt(30) },
    ];
    const result = await run(sent, { consumer: 'target-head' });
    expect(result.passed).toBe(false);
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([
      [400, ['path: the request target holds a fragment ("#..."), which is no part of a request target: a client leaves it out of what it sends (RFC 9112 §3.2: absolute-path [ "?" query ]; RFC 9110 §7.1)']],
      [400, ['path: the request target names userinfo ("user@" before its host), which an http(s) URI must not carry (RFC 9110 §4.2.4): send the URL without it']],
      [400, ['path: the request target is the asterisk-form (*), which only a server-wide OPTIONS request takes (RFC 9112 §3.2.4)']],
      [400, ['answer: the mock refused it with 400 BadRequest: header Host: holds userinfo (an "@"), which a Host never does (RFC 9110 §7.2: uri-host [ ":" port ]): send the host and port alone; a server must refuse it (RFC 9112 §3.2)']],
      [400, ['path: the request target names no host (as "http:///..." does): an http(s) URI with an empty host is invalid, and its recipient must reject it (RFC 9110 §4.2.1)']],
    ]);
    expect(JSON.stringify(result)).not.toContain('Pa55w0rd');
    expect(result.pactFile).toBeUndefined();
  });

  it.concurrent('passes OPTIONS * (asterisk-form, RFC 9112 §3.2.4), which the mock answers with what it takes, beside a create', async () => {
    const result = await run([{ method: 'OPTIONS', headLines: [], target: '*' }, { body: requests.buildAt(29) }], { consumer: 'server-wide-options' });
    expect(result.requests.map((r) => [r.method, r.path, r.status, r.problems])).toEqual([
      ['OPTIONS', '*', 204, []],
      ['POST', '/deviceAppManagement/vppTokens', 201, []],
    ]);
    expect(result.passed).toBe(true);
  });
});

// A browser client's CORS preflight (OPTIONS) and a HEAD of a read are judged as what they are (decision 0147):
// answered as Graph would, not counted as creates, never written to the pact.
describe('a CORS preflight and the head of a read', () => {
  const BROWSER = { Origin: 'https://admin.contoso.example' };
  it.concurrent('pass: the preflight is answered without credentials, HEAD as a read; the pact holds only the create', async () => {
    const sent: Sent[] = [
      { method: 'OPTIONS', path: '/beta/deviceAppManagement/vppTokens', lines: { ...BROWSER, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } },
      { path: '/beta/deviceAppManagement/vppTokens', headers: { ...JSON_AUTH, ...BROWSER }, body: requests.buildAt(26) },
      { method: 'HEAD', path: '/beta/deviceAppManagement/vppTokens/{id}', headers: { Authorization: 'Bearer client-secret-token' } },
      { method: 'HEAD', path: '/beta/deviceAppManagement/vppTokens?$top=1', headers: { Authorization: 'Bearer client-secret-token' } },
      // Outside tester H20: the preflights of what Graph takes and the mock does not model (0183) pass too: the
      // clean-up's DELETE, a PATCH, an action, a batch.
      { method: 'OPTIONS', path: '/beta/deviceAppManagement/vppTokens/{id}', lines: { ...BROWSER, 'Access-Control-Request-Method': 'DELETE' } },
      { method: 'OPTIONS', path: '/beta/deviceAppManagement/vppTokens/{id}', lines: { ...BROWSER, 'Access-Control-Request-Method': 'PATCH' } },
      { method: 'OPTIONS', path: '/beta/deviceAppManagement/vppTokens/{id}/syncLicenses', lines: { ...BROWSER, 'Access-Control-Request-Method': 'POST' } },
      { method: 'OPTIONS', path: '/beta/$batch', lines: { ...BROWSER, 'Access-Control-Request-Method': 'POST' } },
    ];
    const result = await run(sent, { consumer: 'browser-client' });
    expect(result.requests.flatMap((r) => r.problems.map(formatRequestProblem))).toEqual([]);
    expect(result.requests.map((r) => [r.method, r.kind, r.status])).toEqual([
      ['OPTIONS', 'preflight', 204],
      ['POST', 'create', 201],
      ['HEAD', 'read', 200],
      ['HEAD', 'list', 200],
      ['OPTIONS', 'preflight', 204],
      ['OPTIONS', 'preflight', 204],
      ['OPTIONS', 'preflight', 204],
      ['OPTIONS', 'preflight', 204],
    ]);
    expect(result.passed).toBe(true);
    const pact = JSON.parse(readFileSync(result.pactFile!, 'utf8'));
    expect(pact.interactions.map((i: { request: { method: string } }) => i.request.method)).toEqual(['POST']);
  });

  it.concurrent('fail for their own reasons: a method the resource does not take, a path Graph has not, a HEAD without a bearer', async () => {
    const sent: Sent[] = [
      { body: requests.buildAt(27) },
      { method: 'OPTIONS', path: '/deviceAppManagement/vppTokens/{id}', lines: { ...BROWSER, 'Access-Control-Request-Method': 'PUT' } },
      { method: 'OPTIONS', path: '/deviceAppManagement/vppToken', lines: { ...BROWSER, 'Access-Control-Request-Method': 'POST' } },
      { method: 'HEAD', path: '/deviceAppManagement/vppTokens/{id}', headers: {} },
    ];
    const result = await run(sent, { consumer: 'browser-client-broken' });
    expect(result.passed).toBe(false);
    expect(result.requests.slice(1).map((r) => [r.kind, r.status, r.problems.map(formatRequestProblem)])).toEqual([
      ['preflight', 405, [expect.stringMatching(/^header Access-Control-Request-Method: asks for "PUT", which \/deviceAppManagement\/vppTokens\/[0-9a-f-]+ does not take \(it takes DELETE, GET, HEAD, OPTIONS, PATCH\)$/)]],
      ['preflight', 404, ['path: must be a vppTokens path for a preflight (got /deviceAppManagement/vppToken)']],
      ['read', 401, ['header Authorization: is required: Bearer <access token>']],
    ]);
  });
});

describe('a request the mock refused', () => {
  it.concurrent('fails the client and writes no pact, even when every other request was fine', async () => {
    const sent: Sent[] = [{ body: requests.buildAt(10) }, { method: 'GET', path: '/deviceAppManagement/vppTokens/not-created', headers: JSON_AUTH }];
    const result = await run(sent, { consumer: 'refused' });
    expect(result.passed).toBe(false);
    expect(result.requests.map((r) => r.status)).toEqual([201, 404]);
    expect(result.failures).toEqual(['1 of 2 requests broke the contract']);
    expect(result.pactFile).toBeUndefined();
    expect(existsSync(join(pactDir, 'refused-microsoft-graph-vpptokens.json'))).toBe(false);
  });
});

// Outside tester H26: `curl --http2-prior-knowledge` was "the request target must be a path starting with /".
describe('a client that speaks HTTP/2 without negotiating it', () => {
  it.concurrent('is told so: the preface PRI * HTTP/2.0, HTTP/1.1 here, HTTP/2 with Graph negotiated over TLS only', async () => {
    // The preface, then whatever comes back until the mock closes the connection.
    const preface = (mockUrl: string) =>
      new Promise<number>((done) => {
        const s = connect(Number(new URL(mockUrl).port), '127.0.0.1', () => s.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
        s.resume();
        s.on('close', () => done(0));
        s.on('error', () => undefined);
      });
    const result = await checkInProcess({ consumer: 'h2-prior-knowledge', pactDir }, preface);
    expect(result.passed).toBe(false);
    expect(result.requests.map((r) => [r.method, r.path, r.status, r.problems.map(formatRequestProblem)])).toEqual([
      ['PRI', '*', 400, ["head: is HTTP/2's connection preface: the client spoke HTTP/2 without negotiating it (prior knowledge: PRI * HTTP/2.0, RFC 9113 §3.4); the mock speaks HTTP/1.1, and Graph negotiates HTTP/2 over TLS only (ALPN, RFC 9113 §3.3): let the client use HTTP/1.1, or negotiate"]],
    ]);
  });
});

describe('the client as a whole', () => {
  it.concurrent('fails when it made no request', async () => {
    const result = await run([]);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['the client made no request to VPPKIT_MOCK_URL']);
  });

  // Outside tester G21: a client that only reads passed, and no pact was written, without a word.
  // Outside tester G25: the mock kept serve's 1 MiB limit, and called an over-limit body "required".
  it.concurrent("takes a body up to Graph's 4 MB, and names the limit when a body is over it", async () => {
    const result = await run([{ bigBody: 1_500_000 }, { bigBody: 4 * 1024 * 1024 + 1 }], { consumer: 'big-bodies' });
    // The two requests sent, and no third: the client closing after the 413, mid-body, is no request
    // (tests/provider/hardening.test.ts shows it every time).
    expect(result.requests.map((r) => [r.status, r.problems.map(formatRequestProblem)])).toEqual([
      [201, []],
      [413, ["body: is over Graph's limit of 4194304 bytes (4 MB): the mock answered 413"]],
    ]);
  });

  // Outside tester G25: a valid 889 KB create passed the mock, then writing the pact timed out (exit 2): Pact's mock
  // server matches array items in time that grows with the square of their count. The pact holds the shape.
  it.concurrent('passes a valid create of 100,000 roleScopeTagIds and writes a pact of its shape, not its size', async () => {
    const result = await run([{ manyIds: 100_000 }], { consumer: 'many-ids' });
    expect(result.requests.map((r) => [r.status, r.problems])).toEqual([[201, []]]);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    const text = readFileSync(result.pactFile!, 'utf8');
    expect(text.length).toBeLessThan(30_000);
    const [interaction] = JSON.parse(text).interactions;
    expect(interaction.description).toBe('a request to create a vppToken with token, roleScopeTagIds');
    expect(interaction.request.body.content.roleScopeTagIds).toEqual(Array(10).fill('0'));
    expect(interaction.request.matchingRules.body['$.roleScopeTagIds']).toEqual({ combine: 'AND', matchers: [{ match: 'type', min: 1 }] });
  });

  it.concurrent('fails when it made no create, saying so and that no pact is written', async () => {
    const result = await run([{ method: 'GET', path: '/beta/deviceAppManagement/vppTokens', headers: JSON_AUTH }], { consumer: 'reads-only' });
    expect(result.requests.map((r) => [r.kind, r.status, r.problems])).toEqual([['list', 200, []]]);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['the client made no create (POST $VPPKIT_MOCK_URL/deviceAppManagement/vppTokens), only 1 other request: nothing of the create was checked, and no pact is written']);
    expect(result.pactFile).toBeUndefined();
  });

  it.concurrent('fails when it exits non-zero, even with good requests', async () => {
    const result = await run([{ body: requests.buildAt(0) }], { exit: 3 });
    expect(result.passed).toBe(false);
    expect(result.exitCode).toBe(3);
    expect(result.failures).toEqual(['the client exited with code 3']);
  });

  it.concurrent('says when the command does not exist', async () => {
    const result = await checkClient({ command: 'no-such-client-binary', pactDir, stdio: 'pipe' });
    expect(result.failures).toContain('command not found: no-such-client-binary');
  });

  it.concurrent("sends the client's own output where it is told (--json sends it to stderr, keeping stdout for the report)", async () => {
    const sink = new PassThrough();
    let written = '';
    sink.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    const result = await checkClient({ command: process.execPath, args: [client, JSON.stringify([{ say: 'the client says hello' }, { body: requests.buildAt(11) }])], consumer: 'quiet', pactDir, output: { stdout: sink, stderr: sink } });
    expect(result.passed).toBe(true);
    expect(written).toBe('the client says hello\n');
    expect(result.output).toBeUndefined();
  });

  it.concurrent('never reports a token value', async () => {
    const result = await run([
      { headers: { 'Content-Type': 'application/json', Authorization: 'Token client-secret-token' }, body: { token: 12345678 } },
      { path: '/deviceAppManagement/vppTokens?$top=1&access_token=client-secret-token', body: requests.buildAt(12) },
    ]);
    expect(result.requests[1].query).toBe('$top=1&access_token=(not shown)');
    const text = JSON.stringify(result);
    expect(text).not.toContain('client-secret-token');
    expect(text).not.toContain('12345678');
  });

  // Found by an outside tester (G22): the pact (a file for a broker many read) held the client's sToken wherever the
  // client had copied it besides `token`, in the request and the expected 201 alike. Such a client is now failed at
  // each place (decision 0651, outside attacker R71: Graph stores those strings and answers them to every reader), so
  // no pact is written; nor does the report show the token.
  it.concurrent('fails a client that copies its sToken into other properties, at each, and writes no pact holding it', async () => {
    const base = requests.buildAt(15);
    const token = base.token;
    const body = { ...base, displayName: `imported from ${token}`, roleScopeTagIds: [token], appleId: `${token.slice(0, 60)}@contoso.com` };
    const result = await run([{ body }], { consumer: 'copies-its-token' });
    expect(result.passed).toBe(false);
    expect(result.requests[0].problems.filter((p) => p.message.startsWith('holds a VPP token')).map((p) => p.where)).toEqual(['body /displayName', 'body /roleScopeTagIds/0', 'body /appleId']);
    expect(result.pactFile).toBeUndefined();
    expect(existsSync(join(pactDir, 'copies-its-token-microsoft-graph-vpptokens.json'))).toBe(false);
    const text = JSON.stringify(result);
    for (const piece of [token.slice(0, 24), token.slice(24, 48), token.slice(-30)]) expect(text).not.toContain(piece);
  });

  // Found by an outside tester (G15): the bearer or the sToken in the query under another name, or the sToken in a
  // path (a read-back by token), was shown in the request line, --json and the mock's own 404 message.
  it.concurrent('never reports the bearer or an sToken in a path or query, under any name or spelling', async () => {
    const body = requests.buildAt(13);
    const token = encodeURIComponent(body.token);
    const result = await run([
      { path: '/deviceAppManagement/vppTokens?access%5Ftoken=client-secret-token', body: requests.buildAt(14) },
      { path: `/deviceAppManagement/vppTokens?auth=Bearer%20client-secret-token&token=${token}`, body },
      { method: 'GET', path: `/deviceAppManagement/vppTokens/${token}` },
    ]);
    // The mark takes the few characters beside a secret that may carry its bits (src/net/redact.ts).
    expect(result.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      'POST /deviceAppManagement/vppTokens?access%5Ftoken=(not shown)',
      'POST /deviceAppManagement/vppTokens?auth=(not shown)&token=(not shown)',
      expect.stringMatching(/^GET \/deviceAppManagement\/vppTok[a-z/]*\[token\]\?$/),
    ]);
    const text = JSON.stringify(result);
    expect(text).not.toContain('client-secret-token');
    expect(text.toLowerCase()).not.toContain(body.token.slice(0, 12).toLowerCase());
  });

  // Outside tester I28: every create of the pact held the one placeholder, so a provider that creates each token once
  // failed all but the first when it verified the pact.
  it.concurrent("gives each token the client sent its own placeholder in the pact, never the client's", async () => {
    const [a, b, c] = [requests.buildAt(17), requests.buildAt(18), requests.buildAt(19)];
    const result = await run(
      [{ body: { token: a.token } }, { body: { token: b.token, displayName: 'Fleet B' } }, { body: { token: c.token, roleScopeTagIds: ['0', '3'] } }],
      { consumer: 'three-tokens' },
    );
    const pact = JSON.parse(readFileSync(result.pactFile!, 'utf8'));
    const tokens = pact.interactions.map((i: { request: { body: { content: { token: string } } } }) => i.request.body.content.token);
    expect(result.passed).toBe(true);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    expect(tokens[0]).toBe(EXAMPLE_VPP_TOKEN);
    // The same token sent again keeps its placeholder (a client that does is judged by `no duplicate`).
    const placeholder = placeholderTokens();
    expect([placeholder(a.token), placeholder(b.token), placeholder(a.token)]).toEqual([tokens[0], tokens[1], tokens[0]]);
    for (const token of tokens) expect([a.token, b.token, c.token]).not.toContain(token);
    for (const token of tokens) expect(readAppleSToken(token)).toBeDefined();
  });

  // Outside tester I24: query credentials under names no list held (`access-token`, `jwt`, `session`) were printed.
  it.concurrent("shows an OData option's value in a query and no other parameter's", async () => {
    const result = await run([
      { body: requests.buildAt(16) },
      { method: 'GET', path: '/deviceAppManagement/vppTokens?$top=2&filter=state%20eq%20%27valid%27&access-token=SEKRETQ-access-token-0123456789&jwt=SEKRETQ-jwt-0123456789&session=SEKRETQ-session-0123456789' },
    ]);
    expect(result.requests[1].query).toBe("$top=2&filter=state%20eq%20%27valid%27&access-token=(not shown)&jwt=(not shown)&session=(not shown)");
    expect(JSON.stringify(result)).not.toContain('SEKRETQ');
  });

  // Round 9's leftover: a header's value was hidden wherever else a request inside a $batch put it, but at the top
  // level only Authorization's: a client's own API key, read back by where the id goes, was shown in its path.
  it.concurrent('hides the value of every header not known to carry none wherever else the client put it, as inside a batch', async () => {
    const [key, inner] = ['SEKRETH-functions-key-0123456789', 'SEKRETH-functions-key-batch-0123'];
    const guid = '5c3a2f1e-9d8b-4a7c-8e6f-1b2c3d4e5f60';
    const result = await run([
      { body: requests.buildAt(21) },
      { method: 'GET', path: `/deviceAppManagement/vppTokens/${key}`, headers: { ...JSON_AUTH, 'X-Functions-Key': key } },
      { method: 'POST', path: '/beta/$batch', body: { requests: [{ id: '1', method: 'GET', url: `/deviceAppManagement/vppTokens/${inner}`, headers: { 'X-Functions-Key': inner } }] } },
      // A field known to carry no credential keeps its value: client-request-id is a GUID the user wants to see.
      { method: 'GET', path: `/deviceAppManagement/vppTokens/${guid}`, headers: { ...JSON_AUTH, 'client-request-id': guid } },
    ]);
    expect(result.requests.map((r) => r.path)).toEqual([
      '/deviceAppManagement/vppTokens',
      '/deviceAppManagement/vppTokens/[token]',
      '/beta/$batch',
      '/beta/deviceAppManagement/vppTokens/[token]',
      `/deviceAppManagement/vppTokens/${guid}`,
    ]);
    expect(JSON.stringify(result)).not.toContain('SEKRETH');
  });
});

// Outside tester H31: "no token value is created twice" held only under fault options; a client that double-submits
// needs no failing Graph to do it (decision 0205).
describe('the client behaviour checks, without any fault', () => {
  it.concurrent('fail a client that creates the same token twice (no duplicate), and write no pact', async () => {
    const body = requests.buildAt(18);
    const result = await run([{ body }, { body: { ...body, displayName: 'again' } }], { consumer: 'twice' });
    expect(result.requests.map((r) => [r.status, r.problems])).toEqual([[201, []], [201, []]]);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['no duplicate: 1 finding']);
    expect(result.checks!.map((c) => [c.name, c.passed])).toEqual([
      ['retry-after', true],
      ['no duplicate', false],
      ['bounded retries', true],
      ['no silent loss', true],
      ['timeout', true],
    ]);
    expect(result.checks![1].findings).toEqual([expect.stringMatching(/^token 1 was created again by request 2 \(first by request 1\): the client re-sent it after a 201 to request 1\. /)]);
    expect(result.behaviour!.counts).toMatchObject({ creates: 2, tokens: 1, created: 1, duplicates: 1 });
    expect(result.faults).toBeUndefined();
    expect(result.pactFile).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain(body.token.slice(0, 40));
  });

  it.concurrent('pass a client that creates each token once and reads them back, naming every check', async () => {
    const result = await run([{ body: requests.buildAt(19) }, { method: 'GET', path: '/beta/deviceAppManagement/vppTokens', headers: JSON_AUTH }, { body: requests.buildAt(20) }], { consumer: 'once-each' });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.checks!.map((c) => [c.name, c.passed])).toEqual([
      ['retry-after', true],
      ['no duplicate', true],
      ['bounded retries', true],
      ['no silent loss', true],
      ['timeout', true],
    ]);
    expect(result.behaviour!.counts).toMatchObject({ creates: 2, tokens: 2, created: 2, duplicates: 0, lost: 0 });
    expect(result.summary).toMatch(/; 4 of 4 behaviour checks passed/);
    expect(result.pactFile).toBeDefined();
  });
});
