// A provider team's verification job in jest: start your real app, then verify it against the canonical
// contract (or your consumers' pacts). Here "your app" is vppkit's reference provider.
import { startReferenceProvider, verifyProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';

let app: ReferenceProvider;
beforeAll(async () => {
  app = await startReferenceProvider(); // your server, listening on 127.0.0.1 and a free port
});
afterAll(() => app.close());

it('honours the vppTokens contract', async () => {
  const result = await verifyProvider({
    providerBaseUrl: `${app.url}/beta`,
    // Optional: the canonical contract is verifiable against a stateless server.
    stateHandlers: { 'a tenant that can add VPP tokens': async () => undefined },
    // Optional: for example to sign requests the way your gateway expects.
    requestFilter: (req, _res, next) => {
      req.headers['x-test-run'] = 'contract';
      next();
    },
  });
  expect(result.interactions.filter((i) => !i.passed)).toEqual([]);
  expect(result.passed).toBe(true);
});
