import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory, formatRequestProblem, problemsOf, SEED_PAGE_EXAMPLE_REQUEST } from 'vpptokens-contract-kit';
import { EXAMPLE_AUTHORIZATION } from 'vpptokens-contract-kit/pact';
import { checkClient } from 'vpptokens-contract-kit/provider';

const client = join(__dirname, 'clients', 'raw-client.js');
const pactDir = mkdtempSync(join(tmpdir(), 'vppkit-check-client-'));
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));

const JSON_AUTH = { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token' };
type Sent = { method?: string; path?: string; headers?: Record<string, string>; lines?: Record<string, string | string[]>; bodyEncoding?: 'latin1'; body?: unknown; rawBody?: string };
const run = (requests: Sent[], { exit = 0, consumer = 'test-client' } = {}) =>
  checkClient({ command: process.execPath, args: [client, JSON.stringify(requests), String(exit)], consumer, pactDir, stdio: 'pipe' });

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
];

describe.each(good)('a correct client sending %s', (_name, sent) => {
  it('passes and writes a pact of what it sent', async () => {
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
    for (const i of pact.interactions) expect(i.response.matchingRules.body['$.organizationName']).toEqual({ combine: 'OR', matchers: [{ match: 'type' }, { match: 'null' }] });
    expect(result.requests.every((r) => r.status === 201)).toBe(true);
    // The pact holds a schema-valid placeholder token, never the client's own (a credential).
    const text = readFileSync(result.pactFile!, 'utf8');
    for (const { body } of sent) expect(text).not.toContain((body as { token: string }).token);
    expect(text).not.toContain('client-secret-token');
    for (const i of pact.interactions) expect(i.request.headers.Authorization).toEqual([EXAMPLE_AUTHORIZATION]);
    for (const i of pact.interactions) expect(problemsOf('request', i.request.body.content)).toEqual([]);
  });
});

const bad: [string, Sent[], string[]][] = [
  ['a wrong path', [{ path: '/deviceAppManagement/vppToken', body: requests.buildAt(0) }], ['path: must be /deviceAppManagement/vppTokens (got /deviceAppManagement/vppToken)']],
  ['a version prefix', [{ path: '/v1.0/deviceAppManagement/vppTokens', body: requests.buildAt(0) }], ['path: must be /deviceAppManagement/vppTokens (got /v1.0/deviceAppManagement/vppTokens): the mock URL has no version prefix, so configure the client without /v1.0']],
  ['a wrong method', [{ method: 'PUT', body: requests.buildAt(0) }], ['method: must be POST (got PUT)']],
  ['no Content-Type', [{ headers: { Authorization: 'Bearer x' }, rawBody: JSON.stringify(requests.buildAt(0)) }], ['header Content-Type: must be application/json, parameters allowed (got "text/plain;charset=UTF-8")']],
  ['no Authorization', [{ headers: { 'Content-Type': 'application/json' }, body: requests.buildAt(0) }], ['header Authorization: is required: Bearer <access token>']],
  ['an invalid enum', [{ body: { ...requests.buildAt(0), vppTokenAccountType: 'String' } }], ['body /vppTokenAccountType: must be one of business, education (got "String")']],
  ['no token', [{ body: { displayName: 'x' } }], ['body /token: is required']],
  ['wrong types', [{ body: { token: 'abc', automaticallyUpdateApps: 'true', roleScopeTagIds: 0 } }], ['body /automaticallyUpdateApps: must be a boolean (got "true")', 'body /roleScopeTagIds: must be an array (got 0)']],
  ['a duplicate property name', [{ rawBody: '{"token":"abc","displayName":"a","displayName":"b"}', headers: JSON_AUTH }], ['body /displayName: is given twice: Graph refuses a body with a duplicate property name']],
  ['a duplicate property name in an action result', [{ rawBody: '{"token":"abc","tokenActionResults":[{"actionName":"a","actionName":"a"}]}', headers: JSON_AUTH }], ['body /tokenActionResults/0/actionName: is given twice: Graph refuses a body with a duplicate property name']],
  ['a body that is not JSON', [{ rawBody: '{"token": ', headers: JSON_AUTH }], ['body: is not JSON: line 1, column 11: the text ended where a value was expected']],
  // Issue 14: judged from raw header lines and bytes, as Graph's reader takes them.
  ['two Authorization headers', [{ lines: { ...JSON_AUTH, Authorization: ['Bearer client-secret-token', 'Bearer another-token'] }, body: requests.buildAt(0) }], ['header Authorization: is given 2 times: it takes one value (RFC 9110), so the message is ambiguous']],
  ['two Content-Type headers', [{ lines: { ...JSON_AUTH, 'Content-Type': ['application/json', 'application/json'] }, body: requests.buildAt(0) }], ['header Content-Type: is given 2 times: it takes one value (RFC 9110), so the message is ambiguous']],
  ['a Content-Encoding that lies', [{ lines: { ...JSON_AUTH, 'Content-Encoding': 'gzip' }, body: requests.buildAt(0) }], ['body: is not gzip data, as its Content-Encoding says (Z_DATA_ERROR)']],
  ['Latin-1 bytes', [{ headers: JSON_AUTH, bodyEncoding: 'latin1', rawBody: '{"token":"abc","displayName":"Caf\u00e9"}' }], ['body: is not UTF-8: byte 33 starts no valid UTF-8 sequence (JSON is UTF-8, RFC 8259 §8.1)']],
  ['a byte order mark', [{ rawBody: '\uFEFF{"token":"abc"}', headers: JSON_AUTH }], ['body: starts with a byte order mark, which JSON sent over a network must not have (RFC 8259 §8.1)']],
  ['data after the JSON value', [{ rawBody: '{"token":"abc"} garbage', headers: JSON_AUTH }], ['body: has data after its JSON value: line 1, column 17']],
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

describe.each(bad)('a client sending %s', (_name, sent, expected) => {
  it('fails with every problem, readably, and writes no pact', async () => {
    const consumer = `bad-${_name.replace(/\W+/g, '-')}`;
    const result = await run(sent, { consumer });
    expect(result.passed).toBe(false);
    expect(result.requests.flatMap((r) => r.problems.map(formatRequestProblem)).sort()).toEqual([...expected].sort());
    expect(result.pactFile).toBeUndefined();
    // The mock and the checker never disagree: the mock refused every request the checker failed.
    expect(result.requests.filter((r) => r.problems.some((p) => p.where !== 'path') && r.status !== null && r.status < 400)).toEqual([]);
    expect(existsSync(join(pactDir, `${consumer}-microsoft-graph-vpptokens.json`))).toBe(false);
  });
});

describe('the client as a whole', () => {
  it('fails when it made no request', async () => {
    const result = await run([]);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['the client made no request to VPPKIT_MOCK_URL']);
  });

  it('fails when it exits non-zero, even with good requests', async () => {
    const result = await run([{ body: requests.buildAt(0) }], { exit: 3 });
    expect(result.passed).toBe(false);
    expect(result.exitCode).toBe(3);
    expect(result.failures).toEqual(['the client exited with code 3']);
  });

  it('says when the command does not exist', async () => {
    const result = await checkClient({ command: 'no-such-client-binary', pactDir, stdio: 'pipe' });
    expect(result.failures).toContain('command not found: no-such-client-binary');
  });

  it('never reports a token value', async () => {
    const result = await run([{ headers: { 'Content-Type': 'application/json', Authorization: 'Token client-secret-token' }, body: { token: 12345678 } }]);
    const text = JSON.stringify(result);
    expect(text).not.toContain('client-secret-token');
    expect(text).not.toContain('12345678');
  });
});
