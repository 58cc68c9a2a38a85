import { PactV4 } from '@pact-foundation/pact';
import { PACT_JS_VERSION, mockServerMatchedCheck, pactHasMockServerRace, settleMockServer } from 'vpptokens-contract-kit/pact';
import { pactV4Class } from '../../src/contract/pact';

// settleMockServer works around pact-reference#535 by polling a private field of pact-js. If an upgrade moves
// it, these fail (instead of the flake quietly coming back). Run on pact 16.4 (Node 20) and 17 (Node 24) by .ci/run.
const mockServer = { port: 1, url: 'http://127.0.0.1:1', id: 'unknown' };

describe("writePact's PactV4", () => {
  it("is pact-js's own, loaded from its module without the rest of pact-js (decision 0421)", () => {
    // A pact-js release that moves src/v4 fails here (or at the first pact written), not in a user's check-client.
    expect(pactV4Class()).toBe(PactV4);
    expect(typeof pactV4Class().prototype.addInteraction).toBe('function');
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
    else await expect(settleMockServer({} as PactV4, mockServer, 0)).resolves.toBeUndefined();
  });

  it('throws, naming the pact-js version, where it would need a handle that is not there', async () => {
    const settled = settleMockServer({} as PactV4, mockServer, 0);
    if (pactHasMockServerRace()) await expect(settled).rejects.toThrow(`pact-js ${PACT_JS_VERSION} no longer exposes`);
    else await expect(settled).resolves.toBeUndefined();
  });
});
