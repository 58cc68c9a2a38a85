// The example client (examples/resilient-client.mjs) passes check-client under every fault kind: each failure
// status, both failures after the create, the rate limit, latency, and all of them at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { checkClient, type FaultOptions } from 'vpptokens-contract-kit/provider';
import '../support/pact-loaded';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-example-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tokens = join(dir, 'tokens.ndjson');
writeFileSync(tokens, `${createRequestFactory.withSeed(16).buildList(3).map((body) => JSON.stringify(body)).join('\n')}\n`);
const example = join(__dirname, '..', '..', 'examples', 'resilient-client.mjs');

const EVERY_KIND = ['429', '500', '502', '503', '504', '504-after-create', 'reset-after-create'] as const;
// The client waits for real (Retry-After, its back-off): seed 23 fails one request of the three creates, the second;
// seed 337 fails ten, one of each kind at least, in about 4 s of waiting.
const kinds: [string, FaultOptions][] = [
  ...EVERY_KIND.map((kind): [string, FaultOptions] => [kind, { failRate: 0.5, failWith: [/^\d+$/.test(kind) ? Number(kind) : (kind as '504-after-create')], retryAfter: 1, seed: 23 }]),
  // Three creates against two per window: a window of 3 s, as a window of 1 s could pass before a loaded machine sent
  // the third, and then no create was limited.
  ['rate-limit', { rateLimit: { requests: 2, seconds: 3 }, seed: 3 }],
  ['latency', { latency: { min: 0, max: 30 }, seed: 3 }],
  ['every kind at once', { failRate: 0.5, failWith: [429, 500, 502, 503, 504, '504-after-create', 'reset-after-create'], latency: { min: 0, max: 20 }, retryAfter: 1, seed: 337 }],
];

describe('examples/resilient-client.mjs under check-client', () => {
  let results: Awaited<ReturnType<typeof checkClient>>[];
  beforeAll(async () => {
    // In parallel: each waits out its own Retry-After.
    results = await Promise.all(
      kinds.map(([name, faults]) =>
        checkClient({ command: process.execPath, args: [example, tokens], faults, consumer: `example-${name.replace(/\W+/g, '-')}`, pactDir: dir, stdio: 'pipe', timeoutMs: 60_000 }),
      ),
    );
  }, 90_000);

  it.each(kinds.map(([name], i) => [name, i] as const))('passes under %s, creating each token once', (name, i) => {
    const result = results[i];
    expect({ name, failures: result.failures, output: result.output }).toEqual({ name, failures: [], output: 'created 3 vppTokens\n' });
    expect(result.passed).toBe(true);
    expect(result.behaviour!.counts).toMatchObject({ tokens: 3, created: 3, duplicates: 0, lost: 0 });
    // The fault really happened (latency injects none).
    if (name !== 'latency') expect(result.requests.some((r) => r.fault !== undefined)).toBe(true);
    if (name === 'every kind at once') expect(new Set(result.requests.map((r) => r.fault).filter(Boolean))).toEqual(new Set(EVERY_KIND));
  });
});
