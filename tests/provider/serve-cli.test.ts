// vppkit serve's store bound and faults on demand, through the built command (npm test builds dist/ first).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../support/cli';
import { run as vppkit } from '../support/run-cli';

const AUTH = { 'Content-Type': 'application/json', Authorization: 'Bearer x' };

/** Runs `vppkit serve --port 0 ...args`, hands its URL and first lines to `use`, and stops it. */
async function serve<T>(args: string[], use: (url: string, lines: string[]) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const lines = await new Promise<string[]>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        const all = text.split('\n');
        if (all.length > 2 || (all.length > 1 && !args.some((a) => /^--(fail-rate|rate-limit|latency)$/.test(a)))) resolve(all.slice(0, -1));
      });
      child.on('close', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
    });
    return await use(lines[0].replace('listening on ', ''), lines);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
  }
}

const create = (url: string) => fetch(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: AUTH, body: '{"token":"abc"}' });

describe('vppkit serve', () => {
  // Outside tester H2: the help said $filter, $skip and $select get 400; they are answered.
  it('--help says what it answers: each query option it names answered 200 on the list, $search 501', async () => {
    const help = (await vppkit(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
    const named = /are answered: (.*?); a malformed value/.exec(help)?.[1].split(', ') ?? [];
    expect(named).toEqual(['$select', '$filter', '$orderby', '$count', '$skip', '$expand=*', '$format=json']);
    const valid: Record<string, string> = { $select: '$select=id', $filter: "$filter=displayName eq 'x'", $orderby: '$orderby=displayName', $count: '$count=true', $skip: '$skip=1', '$expand=*': '$expand=*', '$format=json': '$format=json' };
    await serve(['--quiet'], async (url) => {
      for (const option of named) {
        const response = await fetch(`${url}/beta/deviceAppManagement/vppTokens?${encodeURI(valid[option])}`, { headers: AUTH });
        expect([option, response.status]).toEqual([option, 200]);
      }
      expect((await fetch(`${url}/beta/deviceAppManagement/vppTokens/$count`, { headers: AUTH })).status).toBe(200);
      expect((await fetch(`${url}/beta/deviceAppManagement/vppTokens?$search=x`, { headers: AUTH })).status).toBe(501);
    });
  });

  it('says which faults it injects and with which seed, and injects them: a --faults file, the flags winning', async () => {
    const faults = join(mkdtempSync(join(tmpdir(), 'vppkit-serve-')), 'faults.json');
    writeFileSync(faults, JSON.stringify({ failRate: 0.5, failWith: [503], seed: 9, retryAfter: 5 }));
    await serve(['--faults', faults, '--fail-rate', '1', '--retry-after', '2'], async (url, lines) => {
      expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[1]).toBe('faults: fail-rate 1 with 503; seed 9');
      const response = await create(url);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');
    });
  });

  it('accepts the failures after the create: 504-after-create stores, then answers 504', async () => {
    await serve(['--fail-rate', '1', '--fail-with', '504-after-create', '--seed', '3'], async (url, lines) => {
      expect(lines[1]).toBe('faults: fail-rate 1 with 504-after-create; seed 3');
      expect((await create(url)).status).toBe(504);
      const list = await fetch(`${url}/deviceAppManagement/vppTokens`, { headers: AUTH });
      expect(((await list.json()) as { value: unknown[] }).value).toHaveLength(1);
    });
  });

  it('prints a random seed when none is given, so that a run can be repeated', async () => {
    await serve(['--rate-limit', '1/60', '--latency', '0-5'], async (url, lines) => {
      expect(lines[1]).toMatch(/^faults: rate limit 1 per 60 s; latency 0-5 ms; seed \d+$/);
      expect((await create(url)).status).toBe(201);
      const throttled = await create(url);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  it('answers 507 past --max-tokens', async () => {
    await serve(['--max-tokens', '1', '--quiet'], async (url) => {
      expect((await create(url)).status).toBe(201);
      expect((await create(url)).status).toBe(507);
    });
  });

  it('refuses each bad fault option with one line and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['--fail-rate', '2'], '--fail-rate must be a number from 0 to 1, such as 0.2 (got "2")'],
      [['--fail-rate', '0.1', '--fail-with', '429,418'], '--fail-with must be kinds from 429, 500, 502, 503, 504, 504-after-create, reset-after-create, separated by commas (got "418")'],
      [['--fail-with', '429'], '--fail-with needs --fail-rate: it says which kinds the failures are drawn from'],
      [['--rate-limit', '10'], '--rate-limit must be N/SECONDS, N requests (at least 1) per window of SECONDS (above 0, at most 86400), such as 10/1 (got "10")'],
      [['--latency', '80-50'], '--latency must be MS or MIN-MAX, whole milliseconds from 0 to 600000 with the minimum first, such as 200 or 50-500 (got "80-50")'],
      [['--seed', '3'], '--seed needs --fail-rate, --rate-limit or --latency: it seeds their draws'],
      [['--faults', 'no-such-faults.json'], '--faults no-such-faults.json: no such file or folder (ENOENT)'],
    ];
    // In parallel: each is a process start. The parsers' other refusals are tested in faults.test.ts.
    const results = await Promise.all(cases.map(([args]) => vppkit(['serve', '--port', '0', ...args])));
    results.forEach((result, i) => {
      const [args, message] = cases[i];
      expect({ args, code: result.code, line: result.stderr.split('\n')[0], stdout: result.stdout }).toEqual({ args, code: 2, line: `vppkit: ${message}`, stdout: '' });
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }, 60_000);
});
