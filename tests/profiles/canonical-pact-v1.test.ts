// The v1.0 canonical contract, exercised by a client against Pact's mock server, and the pact it writes
// compared with the committed one in pacts/ (npm run generate:pacts rewrites both profiles' contracts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { problemsOf, type VppTokenCreateRequest } from 'vpptokens-contract-kit';
import { VPP_TOKENS_PROVIDER, addInteraction, canonicalConsumer, canonicalInteractions, exampleOf, settleMockServer } from '../../src/contract';
import { GraphRequestError, createVppToken } from '../../examples/vpp-token-client';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-canonical-v1-'));
const consumer = canonicalConsumer('v1.0');
const pact = new PactV4({ consumer, provider: VPP_TOKENS_PROVIDER, dir, logLevel: 'error' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(canonicalInteractions('v1.0').map((spec) => [spec.description, spec] as const))('v1.0: %s', (_description, spec) => {
  it(`answers ${spec.response.status}`, async () => {
    const authenticated = 'Authorization' in spec.request.headers;
    const body = exampleOf(spec.request.body) as VppTokenCreateRequest;
    await addInteraction(pact, spec).executeTest(async (mockServer) => {
      const client = { baseUrl: mockServer.url, accessToken: authenticated ? async () => 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.' : undefined };
      if (spec.response.status === 201) {
        expect(problemsOf('request', body, 'v1.0')).toEqual([]);
        expect((await createVppToken(client, body)).id).toMatch(/^[0-9a-f-]{36}$/i);
      } else {
        const error = await createVppToken(client, body).catch((e: unknown) => e);
        expect((error as GraphRequestError).status).toBe(spec.response.status);
      }
      await settleMockServer(pact, mockServer);
    });
  });
});

describe('pacts/', () => {
  it('holds exactly the v1.0 contract these tests write, under its own consumer name', () => {
    const file = `${consumer}-${VPP_TOKENS_PROVIDER}.json`;
    expect(file).toBe('vppkit-canonical-consumer-v1.0-microsoft-graph-vpptokens.json');
    const written = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'pacts', file), 'utf8'));
    // Pact's own tool versions (metadata) differ between pact-js 16 and 17: left out of the comparison.
    const withoutToolVersions = ({ metadata, ...pactFile }: { metadata: Record<string, unknown> }) => ({ ...pactFile, pactSpecification: metadata.pactSpecification, vppkit: metadata.vppkit });
    expect(withoutToolVersions(committed)).toEqual(withoutToolVersions(written));
  });

  it('asks v1.0 for no beta-only property, in requests or answers', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'pacts', `${consumer}-${VPP_TOKENS_PROVIDER}.json`), 'utf8');
    const pactFile = JSON.parse(text) as { interactions: { response: { status: number; body: { content: unknown } }; request: { body: { content: unknown } } }[] };
    for (const interaction of pactFile.interactions.filter((i) => i.response.status === 201)) {
      const keys = [...Object.keys(interaction.request.body.content as object), ...Object.keys(interaction.response.body.content as object)];
      expect(keys.filter((k) => ['displayName', 'locationName', 'roleScopeTagIds', 'tokenActionResults', 'claimTokenManagementFromExternalMdm', 'dataSharingConsentGranted', 'appleDeviceAppDeliveryProtocolType'].includes(k))).toEqual([]);
    }
    // beta's duplicateLocationId appears once: sent in the one interaction that v1.0 must refuse with 400.
    const naming = (pactFile.interactions as unknown as { description: string; response: { status: number } }[]).filter((i) => JSON.stringify(i).includes('duplicateLocationId'));
    expect(naming.map((i) => [i.description, i.response.status])).toEqual([['a request to create a vppToken with a state only Graph beta has (duplicateLocationId)', 400]]);
  });
});
