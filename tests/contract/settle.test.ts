import { PactV4 } from '@pact-foundation/pact';
import { PACT_JS_VERSION, mockServerMatchedCheck, pactHasMockServerRace, settleMockServer } from 'vpptokens-contract-kit/pact';
import { pactCore } from '../../src/contract/pact';

// settleMockServer works around pact-reference#535 by polling a private field of pact-js. If an upgrade moves
// it, these fail (instead of the flake quietly coming back). Run on pact 16.4 (Node 20) and 17 (Node 24) by .ci/run.
const mockServer = { port: 1, url: 'http://127.0.0.1:1', id: 'unknown' };
// A PactV4 whose private pact-core handle is not where the kit looks (as after an upgrade that moved it): its methods,
// no instance fields. `{}` is no PactV4 and is refused as one (decision 1041).
const moved = Object.create(PactV4.prototype) as PactV4;

describe("writePact's pact-core", () => {
  it("is the one pact-js's PactV4 writes with, and makes a pact with what writePact calls (decision 0550)", () => {
    // A pact-js release that moves pact-core or renames what writePact calls fails here, not in a user's check-client.
    const ofPactJs = require(require.resolve('@pact-foundation/pact-core', { paths: [require.resolve('@pact-foundation/pact/src/v4')] }));
    expect(pactCore()).toBe(ofPactJs);
    const pact = pactCore().makeConsumerPact('core-probe', 'core-provider', 5, 'error');
    for (const name of ['addMetadata', 'newInteraction', 'createMockServer', 'mockServerMatchedSuccessfully', 'mockServerMismatches', 'cleanupMockServer', 'cleanupPlugins', 'writePactFile'] as const) {
      expect(typeof pact[name]).toBe('function');
    }
    const interaction = pact.newInteraction('');
    for (const name of ['given', 'uponReceiving', 'withRequest', 'withRequestHeader', 'withRequestBody', 'withStatus', 'withResponseHeader', 'withResponseBody'] as const) {
      expect(typeof interaction[name]).toBe('function');
    }
  });
});

describe('settleMockServer on the installed pact-js', () => {
  it('knows which pact-js versions have the mock server race', () => {
    expect(PACT_JS_VERSION).toBe(require('@pact-foundation/pact/package.json').version);
    expect(['16.4.0', '16.9.1'].map((v) => pactHasMockServerRace(v))).toEqual([true, true]);
    expect(['17.0.0', '17.1.4'].map((v) => pactHasMockServerRace(v))).toEqual([false, false]);
  });

  it('finds the pact-core handle it polls wherever the installed pact-js has the race', async () => {
    const pact = new PactV4({ consumer: 'settle-probe', provider: 'settle-provider', logLevel: 'error' });
    const check = mockServerMatchedCheck(pact);
    if (pactHasMockServerRace()) {
      expect(check).toBeInstanceOf(Function);
      expect(check!(mockServer.port)).toBe(false); // no mock server on that port: not matched
    }
    // Where there is no race, settling returns at once whatever pact-js keeps privately.
    else await expect(settleMockServer(moved, mockServer, 0)).resolves.toBeUndefined();
  });

  it('throws, naming the pact-js version, where it would need a handle that is not there', async () => {
    const settled = settleMockServer(moved, mockServer, 0);
    if (pactHasMockServerRace()) await expect(settled).rejects.toThrow(`pact-js ${PACT_JS_VERSION} no longer exposes`);
    else await expect(settled).resolves.toBeUndefined();
    // No PactV4 at all is said as such, not as a pact-js that moved its handle (decision 1041).
    await expect(settleMockServer({} as PactV4, mockServer, 0)).rejects.toThrow("pact.addInteraction must be a function: pact must be pact-js's PactV4");
  });
});
