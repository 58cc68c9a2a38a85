// vppkit conform as a user runs it (the built dist/: `npm run build` first).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as vppkit } from '../support/run-cli';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { startGraphStyleProvider } from './providers';
import { CONFORM_CHECKS } from 'vpptokens-contract-kit/conform';
import { selfSignedCertificate, tlsInFrontOf } from '../support/tls';

const BEARER = 'do-not-print-this-bearer';
/**
 * The body limit of the runs whose subject is not the body's size, given to conform and to the provider alike: the
 * valid creates at the limit and the body over it are 64 KiB, not 4 MB (decision 0225). One run against the
 * embedded reference provider keeps Graph's default.
 */
const SMALL = 64 * 1024;
const SMALL_LIMIT = ['--body-limit', '64KiB'];
/**
 * The budget of a run whose subject is the command (its options, exit code, reports), not the judgement of the whole
 * run: every kind of request takes its turn in the first 60, where these providers' bugs show (decision 0311). The
 * runs that show a shrunk finding or the collection read back keep the whole run: a budget stops both.
 */
const BUDGET = ['--max-requests', '60'];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vppkit-conform-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writeReport = (text: string): string => {
  const file = join(dir, 'findings.json');
  writeFileSync(file, text);
  return file;
};

describe('vppkit conform', () => {
  it('has --help with its options, checks and examples', async () => {
    const help = await vppkit(['conform', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--provider-base-url', '--bearer', '--seed', '--runs', '--junit', '--json', '--require-read-back', '--max-findings', '--profile <profile>', 'beta or v1.0', 'conform --profile v1.0', 'not a server error', 'Examples:']) expect(help.stdout).toContain(text);
    expect((await vppkit(['--help'])).stdout).toContain('conform');
    // Every check --checks takes is named (outside tester G23: three were missing).
    const listed = /Checks: ([^.]+)\./.exec(help.stdout.replace(/\s+/g, ' '))?.[1].split(', ');
    expect(listed).toEqual([...CONFORM_CHECKS]);
  });

  it('takes --checks, --header and --max-requests, replays a finding from its --json report, and refuses an unknown check in one line', async () => {
    const secret = 'gateway-secret-3a9e';
    const provider = await startGraphStyleProvider('a name cut at 64 characters', [], { bodyLimit: SMALL });
    try {
      const base = ['conform', '--provider-base-url', provider.url, '--header', `X-Gateway-Key=${secret}`];
      const [found, wrong] = await Promise.all([
        vppkit([...base, '--seed', '7', '--runs', '1', '--checks', 'values-back,status', ...BUDGET, '--json', ...SMALL_LIMIT]),
        vppkit([...base, '--exclude-checks', 'status,schema']),
      ]);
      expect(found.code).toBe(1);
      const report = JSON.parse(found.stdout) as { findings: { check: string }[]; rerun: string };
      expect(new Set(report.findings.map((f) => f.check))).toEqual(new Set(['values back']));
      expect(report.rerun).toContain('--header "X-Gateway-Key=$VPPKIT_HEADER_X_GATEWAY_KEY"');
      expect([wrong.code, wrong.stderr.split('\n')[0]]).toEqual([2, `vppkit: --exclude-checks: "schema" is not a check; the checks are ${CONFORM_CHECKS.join(', ')}`]);
      const again = await vppkit(['conform', '--replay', writeReport(found.stdout), '--header', `X-Gateway-Key=${secret}`]);
      const reseeded = await vppkit(['conform', '--replay', writeReport(found.stdout), '--seed', '3']);
      expect([reseeded.code, reseeded.stderr]).toEqual([2, "vppkit: --replay sends the report's requests as they were: --seed does not apply\n"]);
      expect([again.code, again.stdout.split('\n')[0]]).toEqual([1, expect.stringMatching(/^vppkit conform: \d+ requests? of a report replayed by Graph beta against http:\/\/127\.0\.0\.1:\d+\S*: failed values back$/)]);
      expect(found.stdout + found.stderr + wrong.stderr + again.stdout + again.stderr).not.toContain(secret);
    } finally {
      await provider.close();
    }
  });

  it('exits 0 against the embedded reference provider and writes the JUnit report; --json prints the result as JSON instead', async () => {
    const junit = join(dir, 'conform.xml');
    const result = await vppkit(['conform', '--seed', '4', '--runs', '5', '--junit', junit]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vppkit conform: \d+ requests judged by Graph beta against http:\/\/127\.0\.0\.1:\d+ \(embedded reference provider\), seed 4: every check passed/);
    expect(result.stdout).toContain('Rerun the same requests: vppkit conform --seed 4 --runs 5');
    const json = await vppkit(['conform', '--seed', '4', '--runs', '5', '--json', ...BUDGET, ...SMALL_LIMIT]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    // The fields every command's --json starts with, then the result.
    expect(report).toEqual(expect.objectContaining({ command: 'conform', passed: true, exitCode: 0, seed: 4, runs: 5, findings: [] }));
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="vppkit conform" tests="11" failures="0" errors="0" skipped="0"/);
    expect(xml).toContain('<testcase classname="vppkit.conform" name="conform read-back"/>');
  });

  it('exits 1 with a shrunk finding and a curl command, never printing the bearer', async () => {
    const provider = await startGraphStyleProvider('a 400 on more than one scope tag', [], { bodyLimit: SMALL });
    try {
      const junit = join(dir, 'failed.xml');
      const result = await vppkit(['conform', '--provider-base-url', provider.url, '--bearer', BEARER, '--seed', '2', '--runs', '5', '--junit', junit, ...SMALL_LIMIT]);
      const json = await vppkit(['conform', '--provider-base-url', provider.url, '--bearer', BEARER, '--seed', '2', '--runs', '5', '--json', ...BUDGET, ...SMALL_LIMIT]);
      expect(JSON.parse(json.stdout)).toEqual(expect.objectContaining({ command: 'conform', passed: false, exitCode: 1 }));
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Finding 1: status: must be 201 Created for a valid request \(got 400\)/);
      expect(result.stdout).toMatch(/reproduce: TOKEN=\.\.\.; curl -sS -X POST '.*\/beta\/deviceAppManagement\/vppTokens' .*-H "Authorization: Bearer \$TOKEN" --data-binary '\{"roleScopeTagIds":\[.*\],"token":".*"\}'/);
      expect(result.stdout).toContain(`--provider-base-url ${provider.url} --bearer "$TOKEN" --seed 2 --runs 5`);
      for (const text of [result.stdout, result.stderr, json.stdout, readFileSync(junit, 'utf8')]) expect(text).not.toContain(BEARER);
      expect(readFileSync(junit, 'utf8')).toMatch(/name="conform status">\s*<failure/);
    } finally {
      await provider.close();
    }
  });

  it('exits 1 with --require-read-back when the provider has no GET, 0 without it', async () => {
    const provider = await startGraphStyleProvider('no GET', [], { bodyLimit: SMALL });
    try {
      const skipped = await vppkit(['conform', '--provider-base-url', provider.url, '--seed', '2', '--runs', '2', ...BUDGET, ...SMALL_LIMIT]);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toMatch(/read-back\s+skipped: the provider does not answer GET/);
      const required = await vppkit(['conform', '--provider-base-url', provider.url, '--seed', '2', '--runs', '2', '--require-read-back', ...BUDGET, ...SMALL_LIMIT]);
      expect(required.code).toBe(1);
      expect(required.stdout).toMatch(/read-back\s+FAILED: the provider does not answer GET/);
    } finally {
      await provider.close();
    }
  });

  it('--profile v1.0 exits 0 against the embedded reference provider\'s /v1.0 and names the profile in every report', async () => {
    const junit = join(dir, 'v1.xml');
    const result = await vppkit(['conform', '--profile', 'v1.0', '--seed', '4', '--runs', '5', '--junit', junit, ...BUDGET, ...SMALL_LIMIT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vppkit conform: \d+ requests judged by Graph v1\.0 against http:\/\/127\.0\.0\.1:\d+\/v1\.0 \(embedded reference provider\), seed 4: every check passed/);
    expect(result.stdout).toContain('Rerun the same requests: vppkit conform --profile v1.0 --seed 4 --runs 5');
    expect(readFileSync(junit, 'utf8')).toContain('<testsuite name="vppkit conform (Graph v1.0, seed 4)"');
  });

  it('exits 2 with one line when it cannot run', async () => {
    for (const [args, message] of [
      [['--provider-base-url', 'http://127.0.0.1:9'], 'vppkit: cannot connect to 127.0.0.1:9 (ECONNREFUSED): is the provider running at http://127.0.0.1:9?\n'],
      [['--runs', '0'], 'vppkit: --runs must be a whole number from 1 to 100000 (got "0")\n'],
      [['--profile', 'v2'], 'vppkit: --profile must be one of beta, v1.0 (got "v2")\n'],
      [['--timeout', '0'], 'vppkit: --timeout must be a number of seconds from 0.001 (a millisecond) to 600 (got "0")\n'],
    ] as const) {
      const result = await vppkit(['conform', ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toBe(message);
    }
  });

  // A report that can't be written is said before the run, not after it, whose verdict would be lost (decision 0310).
  it('refuses a --junit file in a folder that does not exist, or a folder, before sending anything: exit 2', async () => {
    let requests = 0;
    const provider = await startReferenceProvider({ onRequest: () => void requests++ });
    try {
      const missing = join(dir, 'no-such-dir', 'r.xml');
      const [inMissing, aFolder, json] = await Promise.all([
        vppkit(['conform', '--provider-base-url', provider.url, '--runs', '1', '--junit', missing]),
        vppkit(['conform', '--provider-base-url', provider.url, '--runs', '1', '--junit', dir]),
        vppkit(['conform', '--provider-base-url', provider.url, '--runs', '1', '--junit', missing, '--json']),
      ]);
      const error = `--junit ${missing}: the folder ${join(dir, 'no-such-dir')} does not exist`;
      expect([inMissing.code, inMissing.stderr, inMissing.stdout]).toEqual([2, `vppkit: ${error}\n`, '']);
      expect([aFolder.code, aFolder.stderr]).toEqual([2, `vppkit: --junit ${dir} is a folder, not a file\n`]);
      expect([json.code, JSON.parse(json.stdout)]).toEqual([2, { command: 'conform', passed: false, exitCode: 2, error }]);
      expect(requests).toBe(0);
    } finally {
      await provider.close();
    }
  });

  describe('over https', () => {
    const certificate = selfSignedCertificate();
    let plain: ReferenceProvider;
    let front: { url: string; close: () => Promise<void> };
    beforeAll(async () => {
      plain = await startReferenceProvider();
      front = await tlsInFrontOf(plain.url, certificate);
    });
    afterAll(async () => {
      await front.close();
      await plain.close();
    });

    it('says in one line that a self-signed certificate is not trusted, with what to do: exit 2, not a finding per request', async () => {
      const result = await vppkit(['conform', '--provider-base-url', front.url, '--seed', '1', '--runs', '2']);
      expect([result.code, result.stdout, result.stderr]).toEqual([
        2,
        '',
        `vppkit: the certificate of ${new URL(front.url).host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): give its CA with --ca FILE, or use --insecure for a throwaway test server\n`,
      ]);
    });

    it.each([[['--ca', 'CA']], [['--insecure']]])('conforms with %j', async (options) => {
      // A provider of its own, whose links name the front's https origin (it passes Host and X-Forwarded-Proto on:
      // outside tester J17): one run's creates fit on one page. Its body limit is 64 KiB, given to conform: the
      // valid creates near Graph's 4 MB (decision 0171) would not fit on one page, and took over 5 s through the TLS
      // front at load 15.
      const own = await startReferenceProvider({ bodyLimit: 64 * 1024 });
      const ownFront = await tlsInFrontOf(own.url, certificate);
      try {
        const result = await vppkit(['conform', '--provider-base-url', ownFront.url, '--seed', '1', '--runs', '2', '--timeout', '5', ...BUDGET, '--body-limit', '64KiB', ...options.map((o) => (o === 'CA' ? certificate.certFile : o))]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      } finally {
        await ownFront.close();
        await own.close();
      }
    });
  });

  // A user and password in the URL are refused (outside tester J30), as a query is; never shown, --json included.
  it('refuses the provider URL with a user and password, showing neither, in text, --json and JUnit', async () => {
    const url = 'http://alice:s3cret-password@127.0.0.1:9/beta';
    const junit = join(dir, 'credentials.xml');
    const text = await vppkit(['conform', '--provider-base-url', url, '--seed', '2', '--runs', '5', '--junit', junit, ...SMALL_LIMIT]);
    const json = await vppkit(['conform', '--provider-base-url', url, '--seed', '2', '--runs', '5', '--json', ...SMALL_LIMIT]);
    expect([text.code, json.code]).toEqual([2, 2]);
    expect(text.stderr).toMatch(/^vppkit: --provider-base-url must not carry a user or password .*\(got http:\/\/127\.0\.0\.1:9\/beta with one\)\n$/);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'conform', passed: false, exitCode: 2 });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain('s3cret-password');
      expect(output).not.toContain('alice');
    }
  });
});
