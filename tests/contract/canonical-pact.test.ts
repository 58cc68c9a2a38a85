// The project's own consumer test: each canonical interaction, exercised by a real client against Pact's mock
// server, and the pact it writes compared with the committed one in pacts/.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { problemsOf, type VppTokenCreateRequest } from 'vpptokens-contract-kit';
import { CANONICAL_CONSUMER, VPP_TOKENS_PROVIDER, addInteraction, canonicalInteractions, settleMockServer, exampleOf, exampleRequest, writePact } from 'vpptokens-contract-kit/pact';
import { GraphRequestError, createVppToken } from '../../examples/vpp-token-client';
import { createHttpClient } from '../../src/net';

/** One request on a connection of its own, its answer read whole. */
async function sendOnce(url: string, init: RequestInit): Promise<void> {
  const client = createHttpClient({ keepAlive: false });
  try {
    const outcome = await client.send({ method: init.method ?? 'GET', url, headers: init.headers as Record<string, string>, body: init.body as string });
    if (outcome.kind === 'failure') throw new Error(outcome.message);
  } finally {
    client.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vppkit-canonical-'));
const pact = new PactV4({ consumer: CANONICAL_CONSUMER, provider: VPP_TOKENS_PROVIDER, dir, logLevel: 'error' });
const file = `${CANONICAL_CONSUMER}-${VPP_TOKENS_PROVIDER}.json`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(canonicalInteractions().map((spec) => [spec.description, spec] as const))('%s', (_description, spec) => {
  it(`answers ${spec.response.status}`, async () => {
    const authenticated = 'Authorization' in spec.request.headers;
    await addInteraction(pact, spec).executeTest(async (mockServer) => {
      const client = { baseUrl: mockServer.url, accessToken: authenticated ? async () => 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.' : undefined };
      const body = exampleOf(spec.request.body) as VppTokenCreateRequest;
      if (spec.response.status === 201) {
        const created = await createVppToken(client, body);
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/i);
      } else {
        const error = await createVppToken(client, body).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GraphRequestError);
        expect((error as GraphRequestError).status).toBe(spec.response.status);
        expect(problemsOf('error', (error as GraphRequestError).body)).toEqual([]);
      }
      await settleMockServer(pact, mockServer);
    });
  });
});

describe('pacts/', () => {
  // Its own pact file, written by the same library function as `npm run generate:pacts`: passes or fails
  // whether or not the tests above ran first. Pact's own tool versions (metadata) differ between pact-js 16 and
  // 17 and are left out of the comparison.
  const ownDir = mkdtempSync(join(tmpdir(), 'vppkit-canonical-drift-'));
  afterAll(() => rmSync(ownDir, { recursive: true, force: true }));
  const withoutToolVersions = ({ metadata, ...pactFile }: { metadata: Record<string, unknown> }) => ({ ...pactFile, pactSpecification: metadata.pactSpecification, vppkit: metadata.vppkit });

  it('holds exactly the contract these tests write (npm run generate:pacts rewrites it)', async () => {
    const written = JSON.parse(readFileSync(await writePact(canonicalInteractions(), { consumer: CANONICAL_CONSUMER, dir: ownDir }), 'utf8'));
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'pacts', file), 'utf8'));
    expect(withoutToolVersions(committed)).toEqual(withoutToolVersions(written));
    expect(written.interactions).toHaveLength(canonicalInteractions().length);
  });

  // writePact describes each interaction to pact-core itself, not through pact-js's DSL (decision 0550): the file
  // must be the DSL's, byte for byte, tool versions and all, for both profiles' interactions.
  it("is the file pact-js's own PactV4 writes for the same interactions", async () => {
    const specs = [...canonicalInteractions('beta'), ...canonicalInteractions('v1.0').slice(0, 2)];
    const viaDsl = join(ownDir, 'dsl');
    const dsl = new PactV4({ consumer: 'same-file', provider: VPP_TOKENS_PROVIDER, dir: viaDsl, logLevel: 'error' });
    for (const spec of specs) {
      await addInteraction(dsl, spec).executeTest(async (mockServer) => {
        const { url, init } = exampleRequest(spec, mockServer.url);
        await sendOnce(url, init);
        await settleMockServer(dsl, mockServer);
      });
    }
    const direct = await writePact(specs, { consumer: 'same-file', dir: join(ownDir, 'direct') });
    expect(readFileSync(direct, 'utf8')).toBe(readFileSync(join(viaDsl, `same-file-${VPP_TOKENS_PROVIDER}.json`), 'utf8'));
  });

  it("fails as pact-js's executeTest does, writing nothing, when Pact's mock server saw another request or none", async () => {
    const [spec] = canonicalInteractions();
    const dir = join(ownDir, 'mismatch');
    const wrongPath = writePact([spec], { consumer: 'mismatch', dir, send: (_spec, mockServer) => sendOnce(`${mockServer.url}/elsewhere`, exampleRequest(spec, mockServer.url).init) });
    await expect(wrongPath).rejects.toThrow(/^Test failed for the following reasons:\n\n {2}Mock server failed with the following mismatches:/);
    const thrown = new Error('the client under test threw');
    const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(writePact([spec], { consumer: 'mismatch', dir, send: () => Promise.reject(thrown) })).rejects.toBe(thrown);
      // pact-js logs the mock server's side before it rethrows the test's error: so does writePact.
      expect(logged.mock.calls.map((args) => String(args[0])).join('\n')).toMatch(/Test failed for the following reasons:[^]*The following request was expected but not received/);
    } finally {
      logged.mockRestore();
    }
    expect(existsSync(join(dir, `mismatch-${VPP_TOKENS_PROVIDER}.json`))).toBe(false);
  });
});

// Outside tester I12 (decision 0205): a provider may keep each token once, as the kit's rule for clients does; the
// canonical contract must not fail it by creating one token in several interactions.
it.each(['beta', 'v1.0'] as const)('creates each token once in the canonical %s contract', (profile) => {
  const created = canonicalInteractions(profile)
    .filter((spec) => spec.response.status === 201)
    .map((spec) => (exampleOf(spec.request.body) as { token: string }).token);
  for (const token of created) expect(typeof token).toBe('string');
  expect(created.length).toBeGreaterThanOrEqual(5);
  expect(new Set(created).size).toBe(created.length);
});
