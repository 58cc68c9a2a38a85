// The real Graph v1.0 clients as consumers of the v1.0 profile: the Kiota v1.0 SDK (@microsoft/msgraph-sdk) and
// the classic client with its default version, v1.0. Against Pact's mock server with the v1.0 canonical
// interactions, and through check-client with the v1.0 profile. Each runs as its own Node process: one process per
// client sends all its creates, to Pact's mock servers and check-client's mocks (client-process.ts; decision 0712).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { VPP_TOKENS_PROVIDER, addInteraction, canonicalInteractions, exampleOf, settleMockServer, type InteractionSpec } from 'vpptokens-contract-kit/pact';
import { formatRequestProblem } from 'vpptokens-contract-kit';
import { checkInProcess } from '../support/in-process-client';
import { clientFacing } from './client-facing';
import { startClient } from './client-process';

const clients = {
  // Kiota's base URL is used as given: the mock's URL, no prefix.
  'Kiota @microsoft/msgraph-sdk (v1.0)': { script: join(__dirname, 'clients', 'kiota.mjs'), env: { GRAPH_SDK: 'v1.0' }, prefix: '' },
  // The classic client adds its version to every path: /v1.0 by default.
  'classic @microsoft/microsoft-graph-client 3.x, defaultVersion v1.0': { script: join(__dirname, 'clients', 'classic-client.cjs'), env: { GRAPH_VERSION: 'v1.0' }, prefix: '/v1.0' },
};
const dir = mkdtempSync(join(tmpdir(), 'vppkit-real-clients-v1-'));
// Kiota's typed v1.0 model has no beta-only property: its serializer leaves them out, so it cannot send the
// seed page's body (beta properties and "String" enums) that this interaction is about, and Pact's mock answers
// the body it did send with 500. The classic client sends what it is given.
const cannotSend: Record<string, string[]> = {
  'Kiota @microsoft/msgraph-sdk (v1.0)': ['a request to create a vppToken with the seed page\'s "String" enum values'],
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(Object.entries(clients))('%s', (name, { script, env, prefix }) => {
  const consumer = name.startsWith('classic') ? 'graph-client-classic-v1' : 'graph-client-kiota-v1';
  // One client process sends every create of this client's tests, to Pact's mock servers and check-client's mocks
  // alike (check-client judges what reached its mock; the process around it is tested elsewhere: 0712).
  const client = startClient(script, env);
  afterAll(() => client.close());

  describe('against the Pact mock server with the v1.0 canonical interactions', () => {
    const pact = new PactV4({ consumer, provider: VPP_TOKENS_PROVIDER, dir, logLevel: 'error' });
    // A client that keeps the version in its paths has a contract whose paths carry it.
    const specs = canonicalInteractions('v1.0').filter(clientFacing).map((spec): InteractionSpec => ({ ...spec, request: { ...spec.request, path: `${prefix}${spec.request.path}` } }));
    it.each(specs.map((spec) => [spec.description, spec] as const))('%s', async (_d, spec) => {
      const send = (url: string) => client.create(url, exampleOf(spec.request.body), spec.response.status, 'Authorization' in spec.request.headers);
      if (cannotSend[name]?.includes(spec.description)) {
        // pact-js logs the mismatch it then throws: expected here, so kept out of a passing run's output.
        const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
        try {
          await expect(addInteraction(pact, spec).executeTest(async (mockServer) => void (await send(mockServer.url)))).rejects.toThrow(/expected 400, got 500/);
        } finally {
          quiet.mockRestore();
        }
        return;
      }
      await addInteraction(pact, spec).executeTest(async (mockServer) => {
        const stdout = await send(mockServer.url);
        expect(stdout).toMatch(spec.response.status === 201 ? /^created [0-9a-f-]{36}/ : new RegExp(`^refused with ${spec.response.status} \\w+`));
        await settleMockServer(pact, mockServer);
      });
    });
  });

  describe('through check-client --profile v1.0', () => {
    const requests = createRequestFactory.withProfile('v1.0').withSeed(78);
    // The Pact part above already covers the minimal and nulls shapes: two here keep the suite quick, both sent from
    // the client's one process (the SDK loads once; decisions 0254, 0712); exit 1 at the first not created, as `--each`.
    const shapes = [
      ['typical', requests.buildAt(1)],
      ['full', requests.withTraits('full').buildAt(2)],
    ] as const;
    it('passes with a typical and a full v1.0 request and writes their v1.0 pact', async () => {
      const result = await checkInProcess({ profile: 'v1.0', consumer: `${consumer}-shapes`, pactDir: dir }, async (mockUrl) => {
        for (const [, body] of shapes) await client.create(mockUrl, body, 201, true);
        return 0;
      });
      expect(result.requests.map((r, i) => [shapes[i]?.[0], r.problems.map(formatRequestProblem)])).toEqual(shapes.map(([shape]) => [shape, []]));
      expect(result.requests.map((r) => r.path)).toEqual(shapes.map(() => `${prefix}/deviceAppManagement/vppTokens`));
      expect(result.passed).toBe(true);
      const written = JSON.parse(readFileSync(result.pactFile!, 'utf8')) as { interactions: { response: { body: { content: object } } }[] };
      expect(written.interactions).toHaveLength(shapes.length);
      for (const interaction of written.interactions) expect(Object.keys(interaction.response.body.content)).not.toContain('dataSharingConsentGranted');
    });

    it('given a beta-only property, fails if it sends it (classic) and passes without it (Kiota drops it)', async () => {
      const body = { ...requests.buildAt(4), displayName: 'Contoso ABM token' };
      const sends = name.startsWith('classic');
      const result = await checkInProcess({ profile: 'v1.0', consumer: `${consumer}-beta-only`, pactDir: dir }, async (mockUrl) => {
        await client.create(mockUrl, body, sends ? 400 : 201, true);
        return 0;
      });
      const problems = result.requests[0].problems.map(formatRequestProblem);
      if (sends) {
        expect(result.requests[0].status).toBe(400);
        expect(problems).toEqual([expect.stringMatching(/^body \/displayName: is not a known property \(allowed: /)]);
        expect(result.passed).toBe(false);
      } else {
        expect(problems).toEqual([]);
        expect(result.passed).toBe(true);
        const written = JSON.parse(readFileSync(result.pactFile!, 'utf8')) as { interactions: { request: { body: { content: object } } }[] };
        expect(Object.keys(written.interactions[0].request.body.content)).not.toContain('displayName');
      }
    });
  });
});
