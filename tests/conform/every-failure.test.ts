// Each distinct failure of a run is a finding (outside tester J15): two families failing one check at one place
// may be two bugs, so each is shown and shrunk on its own, a check's findings past the cap are counted and kept,
// and --replay sends one request of each, so a provider fixed for one bug but not the other still fails.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceProvider } from '../../src/provider';
import { conform, conformJson, conformJUnit, formatConformResult, readConformReport, type ConformResult } from 'vpptokens-contract-kit/conform';
import { startGraphStyleProvider } from './providers';
import { testEnd } from '../support/test-end';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-conform-every-failure-'));
/** The body limit of runs not about the body's size (decision 0225). */
const SMALL = { bodyLimit: 64 * 1024 };
const REJECTED = { checks: ['negative data rejected' as const], seed: 1, runs: 5, ...SMALL };
const reportOf = (name: string, result: ConformResult) => {
  writeFileSync(join(dir, name), conformJson(result));
  return readConformReport(join(dir, name));
};

describe('two bugs of one check at one place', () => {
  let found: ConformResult;
  beforeAll(async () => {
    const twoBugs = await startGraphStyleProvider('takes a create without Content-Type or as text/plain', [], SMALL);
    try {
      found = await conform({ signal: testEnd(), providerBaseUrl: twoBugs.url, ...REJECTED });
    } finally {
      await twoBugs.close();
    }
  });

  it('are two findings, each from its own family, each already the smallest request that fails', () => {
    expect(found.passed).toBe(false);
    expect(found.checks.find((c) => c.check === 'negative data rejected')).toEqual({ check: 'negative data rejected', judged: expect.any(Number), failed: 2 });
    expect(found.findings.map((f) => [f.check, f.where, f.family, f.message])).toEqual([
      ['negative data rejected', 'status', 'no Content-Type', 'must be refused with 415 (no Content-Type), not accepted (got 201)'],
      ['negative data rejected', 'status', 'Content-Type text/plain', 'must be refused with 415 (Content-Type text/plain), not accepted (got 201)'],
    ]);
    expect(found.findings.map((f) => [f.reproduced, f.notShrunk])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    expect(found.notShown).toEqual([]);
    expect(found.maxFindings).toBe(5);
  });

  it('are both in the text report and the JUnit failure, with nothing said to be left out', () => {
    const text = formatConformResult(found);
    expect(text).toMatch(/^Finding 1: negative data rejected: status: must be refused with 415 \(no Content-Type\), not accepted \(got 201\)$/m);
    expect(text).toMatch(/^Finding 2: negative data rejected: status: must be refused with 415 \(Content-Type text\/plain\), not accepted \(got 201\)$/m);
    expect(text).not.toContain('not shown');
    const junit = conformJUnit(found);
    expect(junit).toContain('(no Content-Type), not accepted (got 201)');
    expect(junit).toContain('(Content-Type text/plain), not accepted (got 201)');
  });

  it('--replay: a provider fixed for one bug still fails for the other; one fixed for both passes', async () => {
    const oneFixed = await startGraphStyleProvider('takes a create as text/plain', [], SMALL);
    const fixed = await startReferenceProvider(SMALL);
    try {
      const report = reportOf('two-bugs.json', found);
      const again = await conform({ signal: testEnd(), providerBaseUrl: oneFixed.url, replay: report, checks: REJECTED.checks });
      expect(again.replayed).toBe(2);
      expect(again.passed).toBe(false);
      expect(again.findings.map((f) => [f.family, f.message])).toEqual([['Content-Type text/plain', 'must be refused with 415 (Content-Type text/plain), not accepted (got 201)']]);
      expect(again.summary).toMatch(/^2 requests of a report replayed by Graph beta against .*: failed negative data rejected$/);
      const onFixed = await conform({ signal: testEnd(), providerBaseUrl: fixed.url, replay: report, checks: REJECTED.checks });
      expect([onFixed.passed, onFixed.replayed]).toEqual([true, 2]);
    } finally {
      await oneFixed.close();
      await fixed.close();
    }
  });
});

describe('a check failed in more ways than the cap', () => {
  let found: ConformResult;
  let again: ConformResult;
  beforeAll(async () => {
    const lenient = await startGraphStyleProvider('no validation', [], SMALL);
    try {
      found = await conform({ signal: testEnd(), providerBaseUrl: lenient.url, ...REJECTED, maxFindings: 2 });
      again = await conform({ signal: testEnd(), providerBaseUrl: lenient.url, ...REJECTED, maxFindings: 2 });
    } finally {
      await lenient.close();
    }
  });
  const rejected = (result: ConformResult) => result.checks.find((c) => c.check === 'negative data rejected')!;

  it('shows the cap, counts the others of the check and keeps one request of each, unshrunk', () => {
    expect(found.findings).toHaveLength(2);
    expect(found.maxFindings).toBe(2);
    const more = rejected(found).notShown!;
    expect(more).toBeGreaterThan(10);
    expect(found.notShown).toHaveLength(more);
    const families = [...found.findings, ...found.notShown].map((f) => `${f.where} ${f.family}`);
    expect(new Set(families).size).toBe(families.length);
    expect(new Set(found.notShown.map((f) => f.notShrunk))).toEqual(new Set(['not shown: at most 2 findings of a check are shown and shrunk']));
    expect(found.notShown.every((f) => f.shrinks === 0 && f.check === 'negative data rejected' && f.curl.startsWith('curl '))).toBe(true);
    // Every request that failed is one of them: the failures are distinct by place and family, not by request.
    expect(rejected(found).failed).toBeGreaterThanOrEqual(2 + more);
  });

  it('says in the text report and the JUnit failure how many more of the check it left out', () => {
    const line = `${rejected(found).notShown} more of negative data rejected not shown (other families failing as a finding shown, or past 2 findings of a check, --max-findings N): --json lists one request of each under notShown, and --replay sends them`;
    const text = formatConformResult(found);
    expect(text).toContain(`\n\n${line}\n`);
    expect(text.indexOf(line)).toBeGreaterThan(text.indexOf('Finding 2:'));
    expect(conformJUnit(found)).toContain(line);
  });

  it('draws the same requests and shows the same findings for the same seed', () => {
    const requests = (result: ConformResult) => [...result.findings, ...result.notShown].map((f) => [f.check, f.where, f.family, f.request, f.curl, f.shrinks]);
    expect(requests(again)).toEqual(requests(found));
    expect(again.checks).toEqual(found.checks);
  });

  it('--replay sends the shown and the not shown: one request of each failure, each failing again; a fixed provider passes', async () => {
    const report = reportOf('capped.json', found);
    expect(report.notShown).toHaveLength(found.notShown.length);
    const lenient = await startGraphStyleProvider('no validation', [], SMALL);
    const fixed = await startReferenceProvider(SMALL);
    try {
      const replayed = await conform({ signal: testEnd(), providerBaseUrl: lenient.url, replay: report, checks: REJECTED.checks });
      expect(replayed.replayed).toBe(found.findings.length + found.notShown.length);
      const failures = (result: ConformResult) => [...result.findings, ...result.notShown].map((f) => `${f.where} ${f.family}`).sort();
      expect(failures(replayed)).toEqual(failures(found));
      expect(replayed.findings).toHaveLength(5);
      const onFixed = await conform({ signal: testEnd(), providerBaseUrl: fixed.url, replay: report, checks: REJECTED.checks });
      expect([onFixed.passed, onFixed.replayed, onFixed.findings, onFixed.notShown]).toEqual([true, replayed.replayed, [], []]);
    } finally {
      await lenient.close();
      await fixed.close();
    }
  });

  it('refuses a cap below one', async () => {
    await expect(conform({ signal: testEnd(), maxFindings: 0 })).rejects.toThrow('the most findings of a check (--max-findings) must be a whole number from 1 (got 0)');
  });
});
