// The real Graph SDK clients as consumers: against Pact's mock server with the canonical interactions, and
// through check-client. Each runs as its own Node process (the Kiota SDK is ESM-only), as a user's app would: one
// process per client sends all its interactions to the mock servers (client-process.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { createRequestFactory, formatRequestProblem } from 'vpptokens-contract-kit';
import { addInteraction, canonicalInteractions, exampleOf, settleMockServer, VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';
import { checkClient } from 'vpptokens-contract-kit/provider';
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

  describe('against the Pact mock server', () => {
    const pact = new PactV4({ consumer, provider: VPP_TOKENS_PROVIDER, dir, logLevel: 'error' });
    const sendable = canonicalInteractions().filter(clientFacing);
    // One client process sends every interaction, each to its own mock server.
    const client = startClient(script);
    afterAll(() => client.close());
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
    // Every shape from one client process, as an application creating several tokens: the SDK loads once (Kiota's
    // beta SDK takes about 0.7 s of CPU to start), not once per shape (decision 0254).
    it('passes with a minimal, typical, full and nulls request and writes a pact of the four', async () => {
      const result = await checkClient({ command: process.execPath, args: [script, '--each', ...shapes.map(([, body]) => JSON.stringify(body))], consumer: `${consumer}-shapes`, pactDir: dir, stdio: 'pipe' });
      expect(result.requests.map((r, i) => [shapes[i]?.[0], r.problems.map(formatRequestProblem)])).toEqual(shapes.map(([shape]) => [shape, []]));
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(true);
      expect(JSON.parse(readFileSync(result.pactFile!, 'utf8')).interactions).toHaveLength(shapes.length);
    });

    it('fails when the client sends no token', async () => {
      const body = JSON.stringify(requests.buildAt(4));
      const result = await checkClient({ command: process.execPath, args: [script, body, '401', 'no-auth'], pactDir: dir, stdio: 'pipe' });
      expect(result.passed).toBe(false);
      expect(result.requests[0].problems.map(formatRequestProblem)).toEqual(['header Authorization: is required: Bearer <access token>']);
    });
  });
});

it('check-client passes the classic client with defaultVersion beta under beta, and says its default /v1.0 is another profile', async () => {
  const body = JSON.stringify(createRequestFactory.buildAt(0));
  const classic = clients['classic @microsoft/microsoft-graph-client 3.x'];
  const beta = await checkClient({ command: process.execPath, args: [classic, body], env: { GRAPH_VERSION: 'beta' }, consumer: 'classic-beta', pactDir: dir, stdio: 'pipe' });
  expect(beta.requests.map((r) => [r.path, r.version, r.problems])).toEqual([['/beta/deviceAppManagement/vppTokens', 'beta', []]]);
  expect(beta.passed).toBe(true);
  const result = await checkClient({ command: process.execPath, args: [classic, body], env: { GRAPH_VERSION: 'v1.0' }, pactDir: dir, stdio: 'pipe' });
  expect(result.passed).toBe(false);
  expect(result.requests[0].problems.map(formatRequestProblem)).toEqual([
    'path: has the version prefix /v1.0, but the client is checked as Graph beta: point it at /beta or at no prefix, or check it with --profile v1.0',
  ]);
});
