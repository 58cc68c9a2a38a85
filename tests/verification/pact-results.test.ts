// How verify matches Pact's results to the pact's interactions: each interaction keeps its own verdict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANONICAL_PACT } from 'vpptokens-contract-kit/provider';
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
