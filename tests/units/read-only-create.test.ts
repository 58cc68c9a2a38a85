// Outside finding M17 (decision 0341): a client that sends the read-only `id` or `lastModifiedDateTime` in its create
// passed check-client and wrote them into its pact, though the kit's schema marks both readOnly (JSON Schema Validation
// 2020-12 §9.4: "expected to be ignored or rejected by that owning authority"; Graph's entity.id is "Read-only"). One
// rule (src/judgement/read-only.ts): the client that depends on sending one is failed; a provider that ignores it
// (201) and one that refuses it (400 with Graph's error body) are both correct.
import { createRequestFactory, createdVppToken, formatRequestProblem } from 'vpptokens-contract-kit';
import { checkClientRequest, judgeCreateExchange, judgeCreatedAnswer } from '../../src/judgement';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';

const sent = createRequestFactory.withSeed(1417).buildAt(0);
const bearer = 'Bearer m17-access-token-0123456789';
const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const READ_ONLY = 'is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out';
const create = (body: unknown, path = '/beta/deviceAppManagement/vppTokens') => ({ method: 'POST', path, headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer], body: undefined, bytes: Buffer.from(JSON.stringify(body)) });

describe("check-client: a create that sets a read-only property", () => {
  const judged = (body: unknown) => checkClientRequest(create(body), 'beta', { requireSTokens: true }).problems.map(formatRequestProblem);

  it('fails id (any string, a GUID too) and lastModifiedDateTime, at their pointers', () => {
    for (const id of ['not-a-guid', '', '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60']) expect(judged({ ...sent, id })).toEqual([`body /id: ${READ_ONLY}`]);
    expect(judged({ ...sent, lastModifiedDateTime: '2001-01-01T00:00:00Z' })).toEqual([`body /lastModifiedDateTime: ${READ_ONLY}`]);
    expect(judged({ id: 'x', token: sent.token, lastModifiedDateTime: '2001-01-01T00:00:00Z' })).toEqual([`body /id: ${READ_ONLY}`, `body /lastModifiedDateTime: ${READ_ONLY}`]);
  });

  it('passes the same create without them; a value of the wrong type is the schema\'s problem, said once', () => {
    expect(judged(sent)).toEqual([]);
    expect(judged({ ...sent, id: 7 })).toEqual(['body /id: must be a string (got 7)']);
  });

  it('under v1.0 too, read from its own schema', () => {
    expect(checkClientRequest(create({ token: sent.token, id: 'x' }, '/v1.0/deviceAppManagement/vppTokens'), 'v1.0', { requireSTokens: true }).problems.map(formatRequestProblem)).toEqual([`body /id: ${READ_ONLY}`]);
  });
});

describe('a provider answering a create that sets a read-only property', () => {
  const request = { ...sent, id: 'not-a-guid' };
  const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
  const ignored = { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify(created) };
  const refused = { status: 400, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify({ error: { code: 'BadRequest', message: "The property 'id' is read-only and cannot be set." } }) };

  it('is correct when it ignores it (201) and when it refuses it (400 with Graph\'s error body): only the client is blamed', () => {
    expect(judgeCreatedAnswer(request, ignored, 'beta')).toEqual([]);
    expect(judgeCreatedAnswer(request, refused, 'beta')).toEqual([]);
    for (const answer of [ignored, refused]) {
      expect(judgeCreateExchange(create(request, '/deviceAppManagement/vppTokens'), answer, 'beta').map((p) => [p.side, p.check, formatRequestProblem(p)])).toEqual([['client', 'request schema', `body /id: ${READ_ONLY}`]]);
    }
  });

  it('is still wrong to refuse a create without one, and to refuse one without Graph\'s error body', () => {
    expect(judgeCreatedAnswer(sent, refused, 'beta').map((p) => p.check)).toEqual(['status']);
    expect(judgeCreatedAnswer(request, { ...refused, body: 'no' }, 'beta').length).toBeGreaterThan(0);
  });
});

describe('the mock', () => {
  let provider: ReferenceProvider;
  beforeAll(async () => {
    provider = await startReferenceProvider({});
  });
  afterAll(() => provider.close());

  it('ignores them, as Graph may: 201, its own id and time', async () => {
    const response = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: bearer, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...sent, id: 'not-a-guid', lastModifiedDateTime: '2001-01-01T00:00:00Z' }) });
    const body = (await response.json()) as { id: string; lastModifiedDateTime: string };
    expect(response.status).toBe(201);
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.lastModifiedDateTime).not.toBe('2001-01-01T00:00:00Z');
  });
});
