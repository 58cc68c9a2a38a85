// Outside finding M20 (decision 0340): the Apple token inside the client's sToken in its URL (`$filter=displayName eq
// '<it>'`, `?x=<it>`), and the whole sToken as a path segment, passed check-client, though the kit shows the value as
// `[token]`; the whole sToken in the query failed. One rule (src/judgement/url-credentials.ts): any sToken by its mark
// where the mock refuses it (query and path), and the client's own VPP tokens, in any spelling the redaction knows, by
// knowing them where the verdicts judge the client (check-client, the proxy).
import { createRequestFactory, createdVppToken, formatRequestProblem } from 'vpptokens-contract-kit';
import { checkClientRequest, judgeCreateExchange, judgeCreateRequest } from '../../src/judgement';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';

const sent = createRequestFactory.withSeed(1357).buildAt(0);
const other = createRequestFactory.withSeed(1358).buildAt(0);
const innerOf = (token: string) => (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { token: string }).token;
const inner = innerOf(sent.token);
const bearer = 'Bearer m20-access-token-0123456789';
const list = '/beta/deviceAppManagement/vppTokens';
const said = (where: 'path' | 'query', name?: string) => `${where}: The ${where} carries a VPP token${name === undefined ? '' : ` in '${name}'`}: send it only in the body (a URL ends up in logs). The value is not shown.`;

const read = (path: string, query = '') => ({ method: 'GET', path, query, headers: {}, rawHeaders: ['Authorization', bearer], body: undefined });
const judged = (request: ReturnType<typeof read>, clientTokens?: string[]) => checkClientRequest(request, 'beta', clientTokens ? { clientTokens } : {}).problems.map(formatRequestProblem);

describe("check-client: the client's VPP token in a read's URL", () => {
  it('fails its Apple token in $filter, under another name, percent-encoded or cut to 24 characters, and as a path segment', () => {
    const cases: [string, string, string][] = [
      [list, `$filter=${encodeURIComponent(`displayName eq '${inner}'`)}`, said('query', '$filter')],
      [list, `x=${encodeURIComponent(inner)}`, said('query', 'x')],
      [list, `$filter=${encodeURIComponent(`startswith(displayName,'${inner.slice(10, 34)}')`)}`, said('query', '$filter')],
      [`${list}/${encodeURIComponent(inner)}`, '', said('path')],
      [`${list}('${encodeURIComponent(inner)}')`, '', said('path')],
    ];
    for (const [path, query, problem] of cases) {
      expect(judged(read(path, query), [other.token, sent.token])).toEqual([problem]);
      // Not known to be a credential (another client's, or no run's): text like any other.
      expect(judged(read(path, query), [other.token])).toEqual([]);
    }
  });

  it('fails any sToken as a path segment by its mark, known or not, as it fails one in the query', () => {
    expect(judged(read(`${list}/${encodeURIComponent(other.token)}/displayName`))).toEqual([said('path')]);
    expect(judged(read(`${list}('${encodeURIComponent(other.token)}')`))).toEqual([said('path')]);
    expect(judged(read(list, `x=${encodeURIComponent(other.token)}`))).toEqual([said('query', 'x')]);
  });

  it('passes a read whose URL holds no VPP token of the client: an id, a display name, an OData query', () => {
    const clean: [string, string][] = [
      [`${list}/7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60`, ''],
      [`${list}('7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60')`, '$select=displayName,organizationName'],
      [list, `$filter=${encodeURIComponent(`displayName eq '${sent.displayName ?? 'Contoso'}'`)}&$top=5`],
    ];
    for (const [path, query] of clean) expect(judged(read(path, query), [sent.token])).toEqual([]);
    // A token too short to tell from chance, or a word of the contract, is not looked for (as the own bearer, 0327).
    expect(judged(read(list, '$select=displayName'), ['displayName', 'abc'])).toEqual([]);
  });
});

describe("the proxy: a create's own VPP token in its URL", () => {
  const create = (path: string) => ({ method: 'POST', path, headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', bearer], body: undefined, bytes: Buffer.from(JSON.stringify(sent)) });
  const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
  const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', 'application/json;odata.metadata=minimal'], body: JSON.stringify(created) };

  it("blames the client for its Apple token in the create's query; Graph creates it all the same, so the provider's 201 is right", () => {
    const path = `/deviceAppManagement/vppTokens?note=${encodeURIComponent(inner)}`;
    expect(judgeCreateRequest(create(path), 'beta').map((p) => [p.side, p.check, `${p.where}: ${p.message}`])).toEqual([['client', 'query', said('query', 'note')]]);
    expect(judgeCreateExchange(create(path), answer, 'beta').map((p) => [p.side, p.check, `${p.where}: ${p.message}`])).toEqual([['client', 'query', said('query', 'note')]]);
  });

  it('passes the same create without it, and with another text in its query', () => {
    expect(judgeCreateExchange(create('/deviceAppManagement/vppTokens'), answer, 'beta')).toEqual([]);
    expect(judgeCreateRequest(create(`/deviceAppManagement/vppTokens?note=${encodeURIComponent(innerOf(other.token))}`), 'beta')).toEqual([]);
  });
});

describe('the mock: an sToken in the path', () => {
  let provider: ReferenceProvider;
  beforeAll(async () => {
    provider = await startReferenceProvider({});
  });
  afterAll(() => provider.close());
  const get = async (path: string) => {
    const response = await fetch(`${provider.url}${path}`, { headers: { Authorization: bearer } });
    return [response.status, ((await response.json()) as { error?: { message: string } }).error?.message];
  };

  it('refuses it with 400 in the words of the query, before 404 or 501; an id not held is 404', async () => {
    const message = said('path').slice('path: '.length);
    expect(await get(`${list}/${encodeURIComponent(sent.token)}`)).toEqual([400, message]);
    expect(await get(`${list}/${encodeURIComponent(sent.token)}/displayName`)).toEqual([400, message]);
    expect(await get(`${list}/7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60`)).toEqual([404, "No vppToken with id '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60'."]);
  });
});
