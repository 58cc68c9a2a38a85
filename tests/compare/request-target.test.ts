// compare judges a pact's create request as the mock and the reference provider do, with its whole target and its
// bytes (outside attacker J6, J7): a query Graph refuses on a create (a credential in the URL, `$select`) and a
// Content-Encoding that the plain body is not are requests Graph refuses, so a pact expecting 201 for them fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { comparePacts } from 'vpptokens-contract-kit/compare';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-compare-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const token = createRequestFactory.withSeed(9).withTraits('minimal').buildAt(0).token;
/** A Pact V2 file of one create expecting 201, with `query` and extra request headers. */
function pactOf(name: string, query: string | undefined, headers: Record<string, string> = {}, status = 201, path = '/beta/deviceAppManagement/vppTokens'): string {
  const created = { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', token, displayName: 'Fleet A' };
  const pact = {
    consumer: { name },
    provider: { name: 'microsoft-graph-vpptokens' },
    interactions: [
      {
        description: 'create a token',
        request: { method: 'POST', path, ...(query === undefined ? {} : { query }), headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z', ...headers }, body: { token, displayName: 'Fleet A' } },
        response: { status, headers: { 'Content-Type': 'application/json' }, body: status === 201 ? created : { error: { code: 'BadRequest', message: 'Refused.' } }, matchingRules: { '$.body.id': { match: 'type' }, '$.body.error.message': { match: 'type' } } },
      },
    ],
    metadata: { pactSpecification: { version: '2.0.0' } },
  };
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(pact));
  return file;
}
const findings = async (file: string) => (await comparePacts([file], { comparator: false })).pacts[0].interactions[0].findings.map((f) => `${f.side} ${f.pointer}: ${f.message}`);

describe('compare reads the create request whole', () => {
  it('passes a create without a query, and one whose Content-Encoding is none', async () => {
    expect(await findings(pactOf('plain', undefined))).toEqual([]);
    expect(await findings(pactOf('identity', undefined, { 'Content-Encoding': 'identity' }))).toEqual([]);
  });

  it('fails a create expecting 201 with a credential in its query (J6)', async () => {
    expect(await findings(pactOf('access-token', 'access_token=abcdefghijklmnopqrstuvwxyz'))).toEqual([expect.stringMatching(/^request query: .*access_token.* \(Graph answers 400, not 201\)$/)]);
  });

  it('fails a create expecting 201 with $select, and passes it expecting 400', async () => {
    expect(await findings(pactOf('select', '$select=id,displayName'))).toEqual([expect.stringMatching(/^request query: .*Query option 'Select' is not allowed.* \(Graph answers 400, not 201\)$/)]);
    expect(await findings(pactOf('select-refused', '$select=id,displayName', {}, 400))).toEqual([]);
  });

  it('fails a create expecting 201 whose Content-Encoding says gzip over a plain body (J7)', async () => {
    const found = await findings(pactOf('gzip', undefined, { 'Content-Encoding': 'gzip' }));
    expect(found).toEqual([expect.stringMatching(/^request (header Content-Encoding|body): .*gzip.* \(Graph answers 4\d\d, not 201\)$/)]);
  });
});

// Round 9's leftover (decision 0348): a pact whose path gives the version twice (a client with /beta in its base URL
// and in its paths) was told "the mock URL has no version prefix, so configure the client without /beta" and "Graph
// answers 400": there is no mock in compare, the client has /beta twice, and the mock answers such a path 404.
describe('a pact path that gives the version twice', () => {
  const TWICE = (prefixes: string, version: string, where: string) =>
    `request path: gives the version twice (got ${prefixes}/deviceAppManagement/vppTokens): a Graph URL holds one (https://graph.microsoft.com${version}/deviceAppManagement/vppTokens), so Graph has no resource there: the client ${where}; give it once (Graph answers 404, not 201)`;
  it('says what is wrong and what to do, and nothing of a mock URL', async () => {
    expect(await findings(pactOf('beta-twice', undefined, {}, 201, '/beta/beta/deviceAppManagement/vppTokens'))).toEqual([TWICE('/beta/beta', '/beta', 'puts /beta in its base URL and again in its paths')]);
    // The first version named is the one it is judged by, said as a note (decision 0781); the second is the finding.
    expect(await findings(pactOf('versions-mixed', undefined, {}, 201, '/v1.0/beta/deviceAppManagement/vppTokens'))).toEqual([TWICE('/v1.0/beta', '/beta', 'puts /v1.0 in its base URL or its paths and /beta in the other')]);
  });
  it('passes the pact that expects the 404 Graph gives, and the version given once or not at all', async () => {
    expect(await findings(pactOf('beta-twice-404', undefined, {}, 404, '/beta/beta/deviceAppManagement/vppTokens'))).toEqual([]);
    expect(await findings(pactOf('beta-once', undefined, {}, 201, '/beta/deviceAppManagement/vppTokens'))).toEqual([]);
    expect(await findings(pactOf('no-version', undefined, {}, 201, '/deviceAppManagement/vppTokens'))).toEqual([]);
  });
});
