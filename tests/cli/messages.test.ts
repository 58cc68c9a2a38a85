// Messages a user can act on (issue 15, item 6), through the CLI in-process.
import { run } from '../support/run-cli';

describe('commander\'s own errors in the kit\'s one line', () => {
  it.each([
    [['verify', '--nope'], "vppkit: unknown option '--nope' (run vppkit verify --help for usage)\n"],
    [['--nope'], "vppkit: unknown option '--nope' (run vppkit --help for usage)\n"],
    [['no-such-command'], "vppkit: unknown command 'no-such-command' (run vppkit --help for usage)\n"],
    [['seed', '--count', '1'], "vppkit: required option '--target <url>' not specified (run vppkit seed --help for usage)\n"],
    [['generate', '--seed'], "vppkit: option '--seed <s>' argument missing (run vppkit generate --help for usage)\n"],
  ])('%j', async (args, line) => {
    const result = await run(args);
    expect([result.code, result.stderr, result.stdout]).toEqual([2, line, '']);
  });
});

describe('vppkit seed says why records were not created', () => {
  it('lists the reasons with their counts, and the likely cause when every request got 401', async () => {
    const { startSeedTarget } = await import('../support/seed-target');
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const target = await startSeedTarget(() => ({ kind: 'status', status: 401 }));
    try {
      const report = join(mkdtempSync(join(tmpdir(), 'vppkit-messages-')), 'report.ndjson');
      const result = await run(['seed', '--target', target.url, '--count', '3', '--bearer', 'expired-token', '--report', report]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^vppkit seed: 3 records: 0 created, 3 failed, .*\n  3 failed: 401 Status401\n$/);
      expect(result.stderr).toContain('vppkit: every request was refused with 401: is --bearer (or VPPKIT_BEARER) a valid access token for this target');
      expect(result.stdout + result.stderr).not.toContain('expired-token');
    } finally {
      await target.close();
    }
  });
});

describe('a --profile that disagrees with the URL\'s version prefix', () => {
  it('is warned about once, before the run', async () => {
    const result = await run(['conform', '--profile', 'v1.0', '--provider-base-url', 'http://127.0.0.1:9/beta', '--runs', '1']);
    expect(result.stderr.split('\n')[0]).toBe(
      "vppkit: warning: --profile v1.0, but --provider-base-url ends in /beta: the answers come from Graph beta and are judged by v1.0's rules; give --profile beta, or the /v1.0 URL",
    );
    const agreeing = await run(['conform', '--profile', 'v1.0', '--provider-base-url', 'http://127.0.0.1:9/v1.0', '--runs', '1']);
    expect(agreeing.stderr).not.toContain('warning');
  });
});
