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
function pactOf(name: string, query: string | undefined, headers: Record<string, string> = {}, status = 201): string {
  const created = { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', token, displayName: 'Fleet A' };
  const pact = {
    consumer: { name },
    provider: { name: 'microsoft-graph-vpptokens' },
    interactions: [
      {
        description: 'create a token',
        request: { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', ...(query === undefined ? {} : { query }), headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z', ...headers }, body: { token, displayName: 'Fleet A' } },
        response: { status, headers: { 'Content-Type': 'application/json' }, body: status === 201 ? created : { error: { code: 'BadRequest', message: 'Refused.' } }, matchingRules: { '$.body.id': { match: 'type' } } },
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
