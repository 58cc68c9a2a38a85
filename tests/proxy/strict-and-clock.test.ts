// vppkit proxy: what --strict says when it refuses a create for its query (outside tester I15), and the time an
// answer came read from the proxy's clock (round 5's noticed item: `receivedAt: new Date()` beside the clock).
import { createServer, request } from 'node:http';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ProviderClock, type ReferenceProvider } from '../../src/provider';
import { listenOnLoopback } from '../support/listen';
import { through } from '../support/through-proxy';
import { sTokenOf } from '../support/stoken';

const HEADERS = { 'Content-Type': 'application/json', Authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' };
const requests = createRequestFactory.withSeed(2217);

function send(url: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: HEADERS, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider();
});
afterAll(() => provider.close());

describe('proxy --strict and a create refused for its query string', () => {
  it('answers Graph\'s 400 with what was refused and why, never "0 problems"; a create without the query goes through', async () => {
    await through(`${provider.url}/beta`, async (proxy, lines) => {
      const before = provider.vppTokens.size;
      const selected = await send(`${proxy.url}/deviceAppManagement/vppTokens?$select=id`, requests.buildAt(0));
      expect(selected.status).toBe(400);
      expect(JSON.parse(selected.body).error).toMatchObject({ code: 'BadRequest', message: "The query specified in the URI is not valid. Query option 'Select' is not allowed." });
      const credential = await send(`${proxy.url}/deviceAppManagement/vppTokens?access_token=SEKRET-0123456789`, requests.buildAt(1));
      expect(credential.status).toBe(400);
      const message = JSON.parse(credential.body).error.message as string;
      expect(message).toMatch(/^The query carries an access_token: send the bearer only in the Authorization header/);
      expect(message).not.toContain('SEKRET');
      for (const said of [selected.body, credential.body]) expect(said).not.toMatch(/0 problems/);
      expect((await send(`${proxy.url}/deviceAppManagement/vppTokens`, requests.buildAt(2))).status).toBe(201);
      expect(lines).toEqual([
        "request 1: client: query: The query specified in the URI is not valid. Query option 'Select' is not allowed.",
        expect.stringMatching(/^request 1: POST \/deviceAppManagement\/vppTokens -> 400 [\d.]+ms \(refused by --strict, not forwarded\): 1 violation$/),
        expect.stringMatching(/^request 2: client: query: The query carries an access_token: send the bearer only in the Authorization header/),
        expect.stringMatching(/^request 2: POST \/deviceAppManagement\/vppTokens -> 400 [\d.]+ms \(refused by --strict, not forwarded\): 1 violation$/),
        expect.stringMatching(/^request 3: POST \/deviceAppManagement\/vppTokens -> 201 /),
      ]);
      expect(lines.join('\n')).not.toContain('SEKRET');
      expect(provider.vppTokens.size).toBe(before + 1);
    }, { strict: true });
  });
});

describe('the time an answer came, on the proxy\'s clock', () => {
  // A target that refuses every create with Graph's 400, as Intune refuses an sToken that has expired (decision 0195).
  async function refusing() {
    return listenOnLoopback(
      createServer((req, res) => {
        req.resume().on('end', () => res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'BadRequest', message: 'The VPP token has expired.' } })));
      }),
    );
  }
  const expiresIn2041 = { ...requests.buildAt(3), token: sTokenOf('expires-in-2041') };
  const at = (iso: string): ProviderClock => ({ now: () => Date.parse(iso), sleep: () => Promise.resolve() });

  it('calls a 400 to an sToken expired by the clock\'s time fair, and the same 400 before its expiry the provider\'s fault', async () => {
    const target = await refusing();
    try {
      const after = await through(target.url, async (proxy) => {
        await send(`${proxy.url}/deviceAppManagement/vppTokens`, expiresIn2041);
        return proxy.violations.map((v) => [v.side, v.check]);
      }, { clock: at('2042-01-01T00:00:00Z') });
      expect(after).toEqual([]);
      const before = await through(target.url, async (proxy) => {
        await send(`${proxy.url}/deviceAppManagement/vppTokens`, expiresIn2041);
        return proxy.violations.map((v) => [v.side, v.check]);
      }, { clock: at('2030-01-01T00:00:00Z') });
      expect(before).toEqual([['provider', 'status']]);
    } finally {
      await target.close();
    }
  });
});
