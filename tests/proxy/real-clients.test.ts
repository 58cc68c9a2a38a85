// The real Graph SDK clients through vppkit proxy, as a team would route its integration tests: to the reference
// provider and to a broken one. Each violation is on the right side; the pact recorded from their traffic
// verifies against the reference provider and fails against the broken one; nothing written holds a secret.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { verifyProvider } from 'vpptokens-contract-kit/provider';
import { harOf, proxyReport, recordPact, startJudgingProxy, type JudgingProxy } from 'vpptokens-contract-kit/proxy';
import { startClient, type ClientProcess } from '../real-clients/client-process';
import { startBrokenProvider } from '../support/broken-provider';
import { referenceProviderForFile } from '../support/file-provider';

const clientsDir = join(__dirname, '..', 'real-clients', 'clients');
const BEARER = 'eyJhbGciOiJub25lIn0.cmVhbC1jbGllbnQtYmVhcmVy.c2lnbmF0dXJl';
// Each client keeps its /beta: the classic one adds it (defaultVersion), Kiota's base URL carries it. One process
// per client for the file sends every create, as an application would: the SDK loads once, not once per create.
const clients = [
  { name: 'classic', script: join(clientsDir, 'classic-client.cjs'), env: { GRAPH_VERSION: 'beta' }, url: (proxy: JudgingProxy) => proxy.url },
  { name: 'kiota', script: join(clientsDir, 'kiota.mjs'), env: {}, url: (proxy: JudgingProxy) => `${proxy.url}/beta` },
];
const processes = new Map<string, ClientProcess>();
beforeAll(() => clients.forEach((client) => processes.set(client.name, startClient(client.script, { ...client.env, CLIENT_BEARER: BEARER }))));
afterAll(() => Promise.all([...processes.values()].map((client) => client.close())));
const requests = createRequestFactory.withSeed(1718);
const full = requests.withTraits('full').buildAt(0);
const { token: _token, ...withoutToken } = requests.buildAt(1);
const secrets = [BEARER, full.token];

const shared = referenceProviderForFile('vppkit-proxy-clients-');
const { dir } = shared;

/** Runs each client once per body through the proxy; returns the request indexes each client's runs made. */
async function drive(proxy: JudgingProxy, bodies: [body: unknown, expected: number][]): Promise<Record<string, number[]>> {
  const made: Record<string, number[]> = {};
  for (const client of clients) {
    for (const [body, expected] of bodies) {
      const before = proxy.exchanges.length;
      const outcome = await processes.get(client.name)!.create(client.url(proxy), body, expected, true);
      expect(outcome).toMatch(expected === 201 ? /^created / : /^refused with 400 /);
      (made[client.name] ??= []).push(...proxy.exchanges.slice(before).map((e) => e.index));
    }
  }
  return made;
}

it('judges both clients against the reference provider, blames the client that sends no token, and records a pact that tells a correct provider from a broken one', async () => {
  const proxy = await startJudgingProxy({ target: shared.provider.url, keepBodies: true });
  try {
    const made = await drive(proxy, [
      [full, 201],
      [withoutToken, 400],
    ]);
    await proxy.close();
    for (const client of clients) {
      const [good, bad] = made[client.name];
      expect(proxy.violations.filter((v) => v.request === good)).toEqual([]);
      // The reference provider refused it rightly: only the client is at fault.
      expect(proxy.violations.filter((v) => v.request === bad).map((v) => [v.side, v.check, v.pointer])).toEqual([['client', 'request schema', '/token']]);
    }
    expect(proxy.exchanges.every((e) => e.route === 'create' && e.profile === 'beta' && e.outcome === 'answered')).toBe(true);

    const pact = join(dir, 'recorded.json');
    const recorded = await recordPact(proxy.exchanges, pact, { consumer: 'real-clients-through-proxy' });
    // Both clients' full creates have one shape, whatever order their serializers write; the refused body another.
    expect(recorded).toEqual({ file: pact, interactions: 2, left: {} });
    const written = readFileSync(pact, 'utf8');
    const har = JSON.stringify(harOf(proxy.exchanges, { name: 'vppkit', version: 'test' }));
    for (const secret of secrets) {
      expect(written).not.toContain(secret);
      expect(har).not.toContain(secret);
      expect(JSON.stringify(proxyReport(proxy))).not.toContain(secret);
    }
    expect(har).toContain('Bearer [redacted]');

    const correct = await verifyProvider({ providerBaseUrl: `${shared.provider.url}/beta`, pactFiles: [pact] });
    expect(correct.interactions.filter((i) => !i.passed)).toEqual([]);
    expect(correct.passed).toBe(true);
    const broken = await startBrokenProvider('displayName not stored');
    try {
      const result = await verifyProvider({ providerBaseUrl: `${broken.url}/beta`, pactFiles: [pact] });
      expect(result.passed).toBe(false);
      expect(result.interactions.filter((i) => !i.passed).flatMap((i) => i.mismatches).join('\n')).toMatch(/displayName/);
    } finally {
      await broken.close();
    }
  } finally {
    await proxy.close();
  }
}, 180_000);

it('blames the broken provider, not the clients, for a value it does not store', async () => {
  const broken = await startBrokenProvider('displayName not stored');
  const proxy = await startJudgingProxy({ target: broken.url });
  try {
    const made = await drive(proxy, [[full, 201]]);
    expect(Object.values(made).flat()).toHaveLength(2);
    expect(proxy.violations.map((v) => [v.request, v.side, v.check, v.pointer])).toEqual(Object.values(made).flat().map((request) => [request, 'provider', 'values back', '/displayName']));
  } finally {
    await proxy.close();
    await broken.close();
  }
}, 120_000);
