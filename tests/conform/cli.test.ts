// vppkit conform as a user runs it (the built dist/: `npm run build` first).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vppkit } from '../support/cli';
import { startGraphStyleProvider } from './providers';

const BEARER = 'do-not-print-this-bearer';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vppkit-conform-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vppkit conform', () => {
  it('has --help with its options, checks and examples', async () => {
    const help = await vppkit(['conform', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--provider-base-url', '--bearer', '--seed', '--runs', '--junit', '--json', '--require-read-back', '--profile <profile>', 'beta or v1.0', 'conform --profile v1.0', 'not a server error', 'Examples:']) expect(help.stdout).toContain(text);
    expect((await vppkit(['--help'])).stdout).toContain('conform');
  });

  it('exits 0 against the embedded reference provider and writes the JSON and JUnit reports', async () => {
    const json = join(dir, 'conform.json');
    const junit = join(dir, 'conform.xml');
    const result = await vppkit(['conform', '--seed', '4', '--runs', '5', '--json', json, '--junit', junit]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vppkit conform: \d+ requests judged by Graph beta against http:\/\/127\.0\.0\.1:\d+ \(embedded reference provider\), seed 4: every check passed/);
    expect(result.stdout).toContain('Rerun the same requests: vppkit conform --seed 4 --runs 5');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report).toEqual(expect.objectContaining({ passed: true, seed: 4, runs: 5, findings: [] }));
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="vppkit conform" tests="11" failures="0" skipped="0"/);
    expect(xml).toContain('<testcase classname="vppkit.conform" name="conform read-back"></testcase>');
  });

  it('exits 1 with a shrunk finding and a curl command, never printing the bearer', async () => {
    const provider = await startGraphStyleProvider('a 400 on more than one scope tag');
    try {
      const json = join(dir, 'failed.json');
      const junit = join(dir, 'failed.xml');
      const result = await vppkit(['conform', '--provider-base-url', provider.url, '--bearer', BEARER, '--seed', '2', '--runs', '5', '--json', json, '--junit', junit]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Finding 1: status: status: must be 201 Created for a valid request \(got 400\)/);
      expect(result.stdout).toMatch(/reproduce: TOKEN=\.\.\. curl -sS -X POST '.*\/beta\/deviceAppManagement\/vppTokens' .*-H "Authorization: Bearer \$TOKEN" --data-binary '\{"roleScopeTagIds":\[.*\],"token":".*"\}'/);
      expect(result.stdout).toContain(`--provider-base-url ${provider.url} --bearer "$TOKEN" --seed 2 --runs 5`);
      for (const text of [result.stdout, result.stderr, readFileSync(json, 'utf8'), readFileSync(junit, 'utf8')]) expect(text).not.toContain(BEARER);
      expect(readFileSync(junit, 'utf8')).toMatch(/name="conform status">\s*<failure/);
    } finally {
      await provider.close();
    }
  });

  it('exits 1 with --require-read-back when the provider has no GET, 0 without it', async () => {
    const provider = await startGraphStyleProvider('no GET');
    try {
      const skipped = await vppkit(['conform', '--provider-base-url', provider.url, '--seed', '2', '--runs', '2']);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toMatch(/read-back\s+skipped: the provider does not answer GET/);
      const required = await vppkit(['conform', '--provider-base-url', provider.url, '--seed', '2', '--runs', '2', '--require-read-back']);
      expect(required.code).toBe(1);
      expect(required.stdout).toMatch(/read-back\s+FAILED: the provider does not answer GET/);
    } finally {
      await provider.close();
    }
  });

  it('--profile v1.0 exits 0 against the embedded reference provider\'s /v1.0 and names the profile in every report', async () => {
    const json = join(dir, 'v1.json');
    const junit = join(dir, 'v1.xml');
    const result = await vppkit(['conform', '--profile', 'v1.0', '--seed', '4', '--runs', '5', '--json', json, '--junit', junit]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vppkit conform: \d+ requests judged by Graph v1\.0 against http:\/\/127\.0\.0\.1:\d+\/v1\.0 \(embedded reference provider\), seed 4: every check passed/);
    expect(result.stdout).toContain('Rerun the same requests: vppkit conform --profile v1.0 --seed 4 --runs 5');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(expect.objectContaining({ passed: true, profile: 'v1.0' }));
    expect(readFileSync(junit, 'utf8')).toContain('<testsuite name="vppkit conform (Graph v1.0, seed 4)"');
  });

  it('exits 2 with one line when it cannot run', async () => {
    for (const [args, message] of [
      [['--provider-base-url', 'http://127.0.0.1:9'], 'vppkit: cannot reach the provider at http://127.0.0.1:9: cannot connect (ECONNREFUSED)\n'],
      [['--runs', '0'], 'vppkit: --runs must be a whole number from 1 to 100000 (got "0")\n'],
      [['--profile', 'v2'], 'vppkit: --profile must be one of beta, v1.0 (got "v2")\n'],
      [['--runs', '1', '--json', join(dir, 'no-such-dir', 'r.json')], /^vppkit: cannot write the JSON report to .*r\.json: ENOENT\n$/],
    ] as const) {
      const result = await vppkit(['conform', ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      if (typeof message === 'string') expect(result.stderr).toBe(message);
      else expect(result.stderr).toMatch(message);
    }
  });
});
