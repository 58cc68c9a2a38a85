import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type ReferenceProvider } from 'vpptokens-contract-kit/provider';
import { BIN, vppkit } from '../support/cli';
import { startSeedTarget } from '../support/seed-target';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-seed-'));
const readReport = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number; status: string; id?: string });
let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider();
});
afterAll(() => provider.close());

describe('vppkit seed', () => {
  it('creates generated records on the reference provider, which can read them back', async () => {
    const report = join(dir, 'generated.ndjson');
    const result = await vppkit(['seed', '--target', `${provider.url}/beta`, '--count', '60', '--seed', '3', '--trait', 'education', '--bearer', 'cli-secret-bearer', '--report', report]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^vppkit seed: 60 records: 60 created, 0 failed, 0 invalid, 0 unknown, 0 not sent in [\d.]+ s \(\d+ created\/s\); report: /);
    const entries = readReport(report);
    expect(entries.map((e) => e.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    for (const e of entries) expect(provider.vppTokens.get(e.id!)?.vppTokenAccountType).toBe('education');
    const secrets = createRequestFactory.withSeed(3).withTraits('education').buildList(60).map((r) => r.token);
    const everything = result.stdout + result.stderr + readFileSync(report, 'utf8');
    for (const token of secrets) expect(everything).not.toContain(token);
    expect(everything).not.toContain('cli-secret-bearer');
  });

  it('creates the records of a file, reporting the invalid ones without sending them: exit 1', async () => {
    const file = join(dir, 'input.ndjson');
    writeFileSync(file, [JSON.stringify(createRequestFactory.buildAt(0)), '{"displayName":"no token"}', 'not json', JSON.stringify(createRequestFactory.buildAt(1))].join('\n'));
    const report = join(dir, 'from-file.ndjson');
    const result = await vppkit(['seed', '--target', provider.url, '--from', file, '--bearer', 't', '--report', report]);
    expect(result.code).toBe(1);
    const entries = readReport(report).sort((a, b) => a.index - b.index);
    expect(entries.map((e) => e.status)).toEqual(['created', 'invalid', 'invalid', 'created']);
  });

  it('on Ctrl-C stops new requests, finishes those in flight, reports every record and exits non-zero; --resume completes the rest', async () => {
    const slow = await startSeedTarget(() => ({ kind: 'create', delayMs: 40 }));
    try {
      const report = join(dir, 'interrupted.ndjson');
      const child = spawn(process.execPath, [BIN, 'seed', '--target', slow.url, '--count', '200', '--concurrency', '2', '--bearer', 't', '--report', report], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      while (slow.created.length < 6) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(130);
      expect(stdout).toContain(', interrupted; report: ');
      const entries = readReport(report);
      expect(entries.map((e) => e.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      const created = entries.filter((e) => e.status === 'created');
      expect(created.length).toBe(slow.created.length);
      expect(entries.filter((e) => e.status === 'not-sent').length).toBe(200 - created.length);

      const resumed = await vppkit(['seed', '--target', slow.url, '--count', '200', '--concurrency', '8', '--bearer', 't', '--report', report, '--resume']);
      expect(resumed.code).toBe(0);
      expect(readReport(report).filter((e) => e.status === 'created')).toHaveLength(200);
      expect(new Set(slow.created).size).toBe(200);
      expect(slow.created).toHaveLength(200);
    } finally {
      await slow.close();
    }
  });

  it('draws a progress bar on a terminal', async () => {
    const slow = await startSeedTarget(() => ({ kind: 'create', delayMs: 5 }));
    try {
      const report = join(dir, 'tty.ndjson');
      // script(1) gives the command a pseudo-terminal, as a person's shell would.
      const command = [process.execPath, BIN, 'seed', '--target', slow.url, '--count', '150', '--concurrency', '1', '--bearer', 't', '--report', report].map((a) => `'${a}'`).join(' ');
      const screen = await new Promise<string>((resolve, reject) => {
        const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (c: Buffer) => (text += c.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(text));
      });
      expect(screen).toMatch(/\r\[#* *\] \d+\/150 done: \d+ created, 0 failed, 0 unknown, 0 invalid \(\d+\/s\)/);
      expect(screen).toContain('vppkit seed: 150 records: 150 created');
      expect(screen).not.toMatch(/^seed: \d+\/150 done/m);
    } finally {
      await slow.close();
    }
  });

  it('says what is wrong with its options', async () => {
    expect((await vppkit(['seed', '--target', provider.url])).stderr).toContain('give either --count N (generated records) or --from FILE');
    expect((await vppkit(['seed', '--target', 'not a url', '--count', '1'])).stderr).toContain('--target must be a URL');
    expect((await vppkit(['seed', '--target', provider.url, '--count', '1', '--resume', '--report', join(dir, 'none.ndjson')])).stderr).toContain('which does not exist');
  });
});
