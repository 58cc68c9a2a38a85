// vppkit seed against a provider that throttles and fails: every record is created, none twice. Runs the built
// command as it is (npm test builds dist/ first).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider } from '../../src/provider';
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

it('creates nothing twice through failures after the create: a 504 or a reset after sending is unknown, and --resume leaves it alone', async () => {
  // In-process: the command's own behaviour, judged by the kit's judgement of client behaviour.
  const { run } = await import('../support/run-cli');
  const { judgeClientBehaviour } = await import('vpptokens-contract-kit');
  // Request n's fault depends on the seed and n: the faults seed 16 draws leave the third run no unknown create (seed
  // 14 did before seed's two reads before its second create, decision 1201, moved each draw two requests on).
  const provider = await startReferenceProvider({ faults: { failRate: 0.4, failWith: [429, 503, 504, '504-after-create', 'reset-after-create'], seed: 16, retryAfter: 0 } });
  try {
    const report = join(dir, 'after-create.ndjson');
    const args = ['seed', '--target', `${provider.url}/beta`, '--count', '30', '--seed', '6', '--concurrency', '1', '--max-attempts', '30', '--bearer', 't', '--report', report];
    const first = await run(args);
    expect(first.code).toBe(1);
    const last = () => {
      const byIndex = new Map<number, { index: number; status: string; httpStatus?: number; reason?: string }>();
      for (const line of readFileSync(report, 'utf8').trim().split('\n').slice(1)) {
        const entry = JSON.parse(line) as { index: number; status: string };
        byIndex.set(entry.index, entry);
      }
      return [...byIndex.values()];
    };
    const unknown = last().filter((e) => e.status === 'unknown');
    // 504 (stored or not) and a reset after sending: unknown, never failed, never sent again.
    expect(unknown.some((e) => e.httpStatus === 504 && /answered 504 GatewayTimeout after the request was sent; it may have been created/.test(e.reason!))).toBe(true);
    expect(unknown.some((e) => e.httpStatus === undefined && /the connection broke after the request was sent/.test(e.reason!))).toBe(true);
    expect(last().filter((e) => e.status === 'failed')).toEqual([]);
    const kinds = new Set(provider.traffic!.map((e) => e.fault?.kind));
    for (const kind of [429, 503, 504, '504-after-create', 'reset-after-create']) expect(kinds).toContain(kind);

    // --resume without --retry-unknown sends nothing again: the unknown ones are left for the user to look up.
    const before = provider.traffic!.length;
    const second = await run([...args, '--resume']);
    expect(second.code).toBe(1);
    expect(provider.traffic!.length).toBe(before);
    expect(last().filter((e) => e.status === 'unknown')).toHaveLength(unknown.length);

    const verdict = judgeClientBehaviour(provider.traffic!, { clientSucceeded: false });
    expect(verdict.checks.map((c) => [c.name, c.passed])).toEqual([
      ['retry-after', true],
      ['no duplicate', true],
      ['bounded retries', true],
      ['no silent loss', true],
    ]);
    expect(verdict.counts.duplicates).toBe(0);
    const sent = createRequestFactory.withSeed(6).buildList(30).map((r) => r.token);
    const stored = [...provider.vppTokens.values()].map((t) => t.token);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.every((token) => token !== null && sent.includes(token))).toBe(true);

    // Outside tester Q2 (decision 0429): --retry-unknown re-sent every unknown record blind, creating again those the
    // target had stored, and called them created. It reads the vppTokens back first and sends only what is missing.
    const third = await run([...args, '--resume', '--retry-unknown']);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/^vppkit seed: 30 records: 30 created, 0 failed, 0 invalid, 0 unknown, 0 not sent /);
    // The unknown records the target had stored are found; the others (a plain 504, a reset before the create) are sent.
    const storedUnknown = stored.length - (30 - unknown.length);
    expect(storedUnknown).toBeGreaterThan(0);
    expect(storedUnknown).toBeLessThan(unknown.length);
    expect(third.stdout).toContain(`  ${storedUnknown} created: found on reading the target's vppTokens back, not sent again\n`);
    expect(last().every((e) => e.status === 'created')).toBe(true);
    const all = [...provider.vppTokens.values()].map((t) => t.token);
    expect(all).toHaveLength(30);
    expect(new Set(all)).toEqual(new Set(sent));
    expect(judgeClientBehaviour(provider.traffic!, { clientSucceeded: true }).checks.find((c) => c.name === 'no duplicate')).toMatchObject({ passed: true });
  } finally {
    await provider.close();
  }
});
