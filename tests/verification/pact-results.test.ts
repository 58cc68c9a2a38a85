// How verify matches Pact's results to the pact's interactions: each interaction keeps its own verdict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VPP_TOKENS_PROVIDER } from 'vpptokens-contract-kit/pact';
import { CANONICAL_PACT, startReferenceProvider } from 'vpptokens-contract-kit/provider';
import { startFakeBroker } from '../support/fake-broker';
import { run as vppkit } from '../support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-pact-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Interaction {
  description: string;
  key?: string;
  pending?: boolean;
  response: { status: number };
}
const canonical = JSON.parse(readFileSync(CANONICAL_PACT, 'utf8')) as { interactions: Interaction[] };
const named = (end: string): Interaction => structuredClone(canonical.interactions.find((i) => i.description.endsWith(end))!);
const pactOf = (name: string, interactions: Interaction[]): string => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ ...canonical, interactions }));
  return file;
};
const testcases = (xml: string) => [...xml.matchAll(/<testcase [^>]*?(\/>|>[^]*?<\/testcase>)/g)].map(([c]) => (c.includes('<failure') ? 'failure' : 'passed'));

// Outside finding K33: Pact names its errors by description alone, and verify gave the one failure to both.
describe('two interactions with one description (V4 keys tell them apart)', () => {
  const good = named('with only its token');
  const twin = (status: number): Interaction => ({ ...named('with only its token'), key: 'a-second-key', response: { ...good.response, status } });

  it('keeps each its own verdict: the one that passed passes, the one that failed fails for its own reason (text, --json, JUnit)', async () => {
    const file = pactOf('k33.json', [good, twin(202)]);
    const junit = join(dir, 'k33.xml');
    const [text, json] = await Promise.all([vppkit(['verify', file, '--junit', junit]), vppkit(['verify', file, '--json'])]);
    expect([text.code, json.code]).toEqual([1, 1]);
    expect(text.stdout).toMatch(/: 1 passed, 1 failed/);
    expect(text.stdout.match(/^ {2}a request to create a vppToken with only its token: .*$/gm)).toEqual(['  a request to create a vppToken with only its token: status: expected 202 but was 201']);
    const report = JSON.parse(json.stdout) as { interactions: { passed: boolean; mismatches: string[] }[]; failures: string[] };
    expect(report.interactions.map((i) => [i.passed, i.mismatches])).toEqual([
      [true, []],
      [false, ['status: expected 202 but was 201']],
    ]);
    expect(report.failures).toHaveLength(1);
    expect(testcases(readFileSync(junit, 'utf8'))).toEqual(['passed', 'failure']);
  });

  it('passes both when both hold, and fails both, each with its own mismatch, when both are wrong', async () => {
    const right = await vppkit(['verify', pactOf('k33-right.json', [good, twin(201)]), '--json']);
    expect(right.code).toBe(0);
    expect((JSON.parse(right.stdout) as { interactions: { passed: boolean }[] }).interactions.map((i) => i.passed)).toEqual([true, true]);
    const wrong = await vppkit(['verify', pactOf('k33-wrong.json', [{ ...good, response: { ...good.response, status: 200 } }, twin(202)]), '--json']);
    expect(wrong.code).toBe(1);
    expect((JSON.parse(wrong.stdout) as { interactions: { mismatches: string[] }[] }).interactions.map((i) => i.mismatches)).toEqual([['status: expected 200 but was 201'], ['status: expected 202 but was 201']]);
  });
});

// Outside finding K26: Pact reported "non-fatal pact failures on pending pacts", and verify exited 1 on them, its line
// saying only "failed".
describe('pending interactions and pacts: reported with what failed, and failing no run', () => {
  const good = named('with only its token');
  const wip = (pending: boolean): Interaction => ({ ...named('with every property'), ...(pending ? { pending: true } : {}), response: { ...named('with every property').response, status: 202 } });

  it('a V4 interaction marked pending that fails: exit 0, counted apart, its line says what failed (text, --json, JUnit)', async () => {
    const file = pactOf('k26.json', [good, wip(true)]);
    const junit = join(dir, 'k26.xml');
    const [text, json] = await Promise.all([vppkit(['verify', file, '--junit', junit]), vppkit(['verify', file, '--json'])]);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(text.stdout).toMatch(/: 1 passed, 0 failed, 1 pending failed \(does not fail the run\)/m);
    expect(text.stdout).toContain('\nPending interactions that failed (pending: they do not fail the run):\n  a request to create a vppToken with every property: status: expected 202 but was 201\n');
    expect(text.stdout).not.toContain('Failed interactions');
    const report = JSON.parse(json.stdout) as { passed: boolean; interactions: { passed: boolean; pending?: boolean; mismatches: string[] }[]; failures: string[] };
    expect(report.passed).toBe(true);
    expect(report.interactions.map((i) => [i.passed, i.pending, i.mismatches])).toEqual([
      [true, undefined, []],
      [false, true, ['status: expected 202 but was 201']],
    ]);
    expect(report.failures).toEqual([]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/failures="0" errors="0" skipped="1"/);
    expect(xml).toContain('<skipped message="pending, failed (does not fail the run): status: expected 202 but was 201"/>');
  });

  it('the same interaction not pending fails the run (exit 1), and a failure beside a pending one still fails it', async () => {
    const plain = await vppkit(['verify', pactOf('k26-plain.json', [good, wip(false)])]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/: 1 passed, 1 failed/m);
    expect(plain.stdout).not.toContain('pending');
    expect(plain.stdout).toContain('\n  a request to create a vppToken with every property: status: expected 202 but was 201\n');
    const both = await vppkit(['verify', pactOf('k26-both.json', [{ ...good, response: { ...good.response, status: 200 } }, wip(true)]), '--json']);
    expect(both.code).toBe(1);
    const report = JSON.parse(both.stdout) as { passed: boolean; failures: string[] };
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual(['a request to create a vppToken with only its token: status: expected 200 but was 201']);
  });

  it('a pact the broker marks pending, with --enable-pending: its failures are pending (exit 0); not pending, they fail (exit 1)', async () => {
    const provider = await startReferenceProvider();
    const file = pactOf('k26-broker.json', [good, wip(false)]);
    const pendingBroker = await startFakeBroker(file, VPP_TOKENS_PROVIDER, { pending: true });
    const plainBroker = await startFakeBroker(file, VPP_TOKENS_PROVIDER);
    try {
      const pending = await vppkit(['verify', '--broker-url', pendingBroker.url, '--provider-base-url', provider.url, '--enable-pending']);
      expect(pending.code).toBe(0);
      expect(pending.stdout).toMatch(/: 1 passed, 0 failed, 1 pending failed \(does not fail the run\)/m);
      expect(pending.stdout).toContain('\n  a request to create a vppToken with every property: status: expected 202 but was 201\n');
      const plain = await vppkit(['verify', '--broker-url', plainBroker.url, '--provider-base-url', provider.url, '--enable-pending']);
      expect(plain.code).toBe(1);
      expect(plain.stdout).toMatch(/: 1 passed, 1 failed/m);
      expect(plain.stdout).not.toContain('pending failed');
    } finally {
      await Promise.all([provider.close(), pendingBroker.close(), plainBroker.close()]);
    }
  });
});
