// The real Graph SDK clients as consumers: against Pact's mock server with the canonical interactions, and
// through check-client. Each runs as its own Node process (the Kiota SDK is ESM-only), as a user's app would: one
// process per client sends all its creates, to Pact's mock servers and to check-client's mocks alike
// (client-process.ts; check-client judges what reached its mock, the process around it is tested elsewhere: 0712).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { createRequestFactory, formatRequestProblem } from 'vpptokens-contract-kit';
import { addInteraction, canonicalInteractions, exampleOf, settleMockServer, VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';
import { checkInProcess } from '../support/in-process-client';
import { clientFacing } from './client-facing';
import { startClient } from './client-process';

const clients = {
  'classic @microsoft/microsoft-graph-client 3.x': join(__dirname, 'clients', 'classic-client.cjs'),
  'Kiota @microsoft/msgraph-beta-sdk': join(__dirname, 'clients', 'kiota.mjs'),
};
const dir = mkdtempSync(join(tmpdir(), 'vppkit-real-clients-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Kiota's beta SDK (1.0.0-preview.81) drops a derived action result's own properties: its derived serializer
// is called with isSerializingDerivedType=true and returns at once. The contract catches it; when the SDK is
// fixed this expectation fails and can go.
const knownGaps: Record<string, string[]> = {
  'Kiota @microsoft/msgraph-beta-sdk': ['a request to create a vppToken with every property'],
};


describe.each(Object.entries(clients))('%s', (name, script) => {
  const consumer = name.startsWith('classic') ? 'graph-client-classic' : 'graph-client-kiota';
  // One client process sends every create of this client's tests, each to the mock server of its test.
  const client = startClient(script);
  afterAll(() => client.close());

  describe('against the Pact mock server', () => {
    const pact = new PactV4({ consumer, provider: VPP_TOKENS_PROVIDER, dir, logLevel: 'error' });
    const sendable = canonicalInteractions().filter(clientFacing);
    it.each(sendable.map((spec) => [spec.description, spec] as const))('%s', async (_d, spec) => {
      const send = (url: string) => client.create(url, exampleOf(spec.request.body), spec.response.status, 'Authorization' in spec.request.headers);
      if (knownGaps[name]?.includes(spec.description)) {
        // The mock server refuses the request (500), so the client fails, and so does the interaction.
        const outcome = addInteraction(pact, spec).executeTest(async (mockServer) => void (await send(mockServer.url)));
        // pact-js logs the mismatch it then throws: expected here, so kept out of a passing run's output.
        const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
        try {
          await expect(outcome).rejects.toThrow(/expected 201, got 500/);
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

  describe('through check-client', () => {
    const requests = createRequestFactory.withSeed(77);
    const shapes = [
      ['minimal', requests.withTraits('minimal').buildAt(0)],
      ['typical', requests.buildAt(1)],
      ['full', requests.withTraits('full').buildAt(2)],
      ['nulls', requests.withTraits('nulls').buildAt(3)],
    ] as const;
    // Every shape from the client's one process, as an application creating several tokens: the SDK loads once (Kiota's
    // beta SDK takes about 0.7 s of CPU to start), not once per shape nor per test (decisions 0254, 0712). The client
    // exits 1 at the first create that does not come back created, as `--each` does.
    it('passes with a minimal, typical, full and nulls request and writes a pact of the four', async () => {
      const result = await checkInProcess({ consumer: `${consumer}-shapes`, pactDir: dir }, async (mockUrl) => {
        for (const [, body] of shapes) await client.create(mockUrl, body, 201, true);
        return 0;
      });
      expect(result.requests.map((r, i) => [shapes[i]?.[0], r.problems.map(formatRequestProblem)])).toEqual(shapes.map(([shape]) => [shape, []]));
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(true);
      expect(JSON.parse(readFileSync(result.pactFile!, 'utf8')).interactions).toHaveLength(shapes.length);
    });

    it('fails when the client sends no token', async () => {
      const result = await checkInProcess({ pactDir: dir }, async (mockUrl) => {
        await client.create(mockUrl, requests.buildAt(4), 401, false);
        return 0;
      });
      expect(result.passed).toBe(false);
      expect(result.requests[0].problems.map(formatRequestProblem)).toEqual(['header Authorization: is required: Bearer <access token>']);
    });
  });

  // The classic client only: it adds its defaultVersion to every path (the classic client's process, as above).
  if (name.startsWith('classic'))
    it('check-client passes the classic client with defaultVersion beta under beta, and says its default /v1.0 is another profile', async () => {
      const body = createRequestFactory.buildAt(0);
      const beta = await checkInProcess({ consumer: 'classic-beta', pactDir: dir }, async (mockUrl) => {
        await client.create(mockUrl, body, 201, true, 'beta');
        return 0;
      });
      expect(beta.requests.map((r) => [r.path, r.version, r.problems])).toEqual([['/beta/deviceAppManagement/vppTokens', 'beta', []]]);
      expect(beta.passed).toBe(true);
      // Under beta the mock refuses the /v1.0 path: the create rejects, exit 1, as the script's process exited.
      const result = await checkInProcess({ pactDir: dir }, async (mockUrl) => {
        await client.create(mockUrl, body, 201, true, 'v1.0');
        return 0;
      });
      expect(result.passed).toBe(false);
      expect(result.requests[0].problems.map(formatRequestProblem)).toEqual([
        'path: has the version prefix /v1.0, but the client is checked as Graph beta: point it at /beta or at no prefix, or check it with --profile v1.0',
      ]);
    });
});
