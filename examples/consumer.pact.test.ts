// A consumer team's Pact test, in a few lines: fixtures for the request, interactions derived from the
// schemas, and the team's own client (examples/vpp-token-client.ts) pointed at Pact's mock server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { VPP_TOKENS_PROVIDER, addInteraction, createInteraction, rejectedCreateInteraction, settleMockServer } from 'vpptokens-contract-kit/pact';
import { GraphRequestError, createVppToken } from './vpp-token-client';

// In your project: dir: 'pacts' (then publish that folder to your Pact Broker).
const pact = new PactV4({ consumer: 'intune-onboarding-app', provider: VPP_TOKENS_PROVIDER, dir: mkdtempSync(join(tmpdir(), 'pacts-')) });
const accessToken = async () => 'test-access-token';

describe('creating a VPP token', () => {
  it('sends the token and the admin settings, and reads the created id', async () => {
    const vppToken = createRequestFactory.withSeed(7).withTraits('education').build();
    await addInteraction(pact, createInteraction('create an education VPP token', vppToken)).executeTest(async (mockServer) => {
      const created = await createVppToken({ baseUrl: mockServer.url, accessToken }, vppToken);
      expect(created.id).toBeDefined();
      await settleMockServer(pact, mockServer);
    });
  });

  it('surfaces Graph\'s 400 error', async () => {
    const interaction = rejectedCreateInteraction('create a VPP token without its token', { displayName: 'Fleet A' }, { status: 400 });
    await addInteraction(pact, interaction).executeTest(async (mockServer) => {
      const error = await createVppToken({ baseUrl: mockServer.url, accessToken }, { displayName: 'Fleet A' } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphRequestError);
      expect((error as GraphRequestError).body?.error.code).toEqual(expect.any(String));
      await settleMockServer(pact, mockServer);
    });
  });
});
