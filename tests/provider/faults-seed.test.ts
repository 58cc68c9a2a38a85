// vppkit seed against a provider that throttles and fails: every record is created, none twice. Runs the built
// command as it is (npm test builds dist/ first).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-faults-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('creates every record exactly once through drawn 429 and 503 answers and a rate limit', async () => {
  const statuses: number[] = [];
  // seed retries 429 and 503 (as Retry-After says); retryAfter 0 keeps the drawn ones quick.
  const provider = await startReferenceProvider({
    faults: { failRate: 0.3, failWith: [429, 503], rateLimit: { requests: 20, seconds: 1 }, seed: 99, retryAfter: 0 },
    onRequest: (_request, status) => statuses.push(status),
  });
  try {
    const report = join(dir, 'report.ndjson');
    const result = await vppkit(['seed', '--target', `${provider.url}/beta`, '--count', '40', '--seed', '5', '--concurrency', '4', '--max-attempts', '30', '--bearer', 't', '--report', report]);
    expect(result.code).toBe(0);
    // The report's first line names the run; each record then has a `sending` line and its outcome.
    const entries = readFileSync(report, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { index: number; status: string; id?: string });
    expect(entries.filter((e) => e.status === 'created')).toHaveLength(40);
    const sent = createRequestFactory.withSeed(5).buildList(40).map((r) => r.token);
    const stored = [...provider.vppTokens.values()].map((t) => t.token);
    expect(stored).toHaveLength(40);
    expect(new Set(stored)).toEqual(new Set(sent));
    expect(new Set(entries.filter((e) => e.status === 'created').map((e) => e.id))).toEqual(new Set(provider.vppTokens.keys()));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  } finally {
    await provider.close();
  }
}, 60_000);
