// Outside tester R19 (decision 0475): seed meeting the process's limit of open files (EMFILE) ended with the path of
// a module inside dist/ and no summary: a validator the kit loads when first asked for could not be opened. The run
// now loads what it reads of its own before it opens a connection, and a connection EMFILE refuses stops the run: the
// summary, the report, what the limit is and what to do, exit 2. The limit is the process itself, so it runs as one:
// bash lowers it, and the child holds every descriptor but FREE_FDS before it starts vppkit.
import { spawn } from 'node:child_process';
import { BIN } from '../support/cli';
import { cleanUp, readReport, reportPath, target } from '../support/seed-cli';

afterAll(cleanUp);

const CHILD = `const { openSync, closeSync } = require('node:fs');
const held = [];
try { for (;;) held.push(openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
for (const fd of held.splice(0, Number(process.env.FREE_FDS))) closeSync(fd);
process.argv = [process.argv[0], process.env.VPPKIT_BIN, ...JSON.parse(process.env.SEED_ARGS)];
require(process.env.VPPKIT_BIN);`;

/** vppkit seed in a process limited to 512 open files, all but `free` of them held before it starts. */
function seedWithFreeFiles(free: number, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `ulimit -n 512 && exec "${process.execPath}" -e "$CHILD"`], {
      env: { ...process.env, CHILD, FREE_FDS: String(free), VPPKIT_BIN: BIN, SEED_ARGS: JSON.stringify(args) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('stops at the limit of open files with the summary, the report and what to do: exit 2; with room, creates every record', async () => {
  const t = await target(() => ({ kind: 'create', delayMs: 50 }));
  const report = reportPath();
  const args = (file: string) => ['seed', '--target', t.url, '--count', '40', '--concurrency', '32', '--bearer', 'open-files-bearer', '--report', file];
  const limited = await seedWithFreeFiles(8, args(report));
  expect(limited.stderr).not.toMatch(/dist[\\/]|internal error/);
  expect(limited.stderr).toContain("vppkit: seed stopped: this process's limit of open files was reached (EMFILE) at --concurrency 32: raise it (ulimit -n shows it) or lower --concurrency, then --resume\n");
  expect(limited.stdout).toMatch(/^vppkit seed: 40 records: \d+ created, 0 failed, 0 invalid, 0 unknown, \d+ not sent in [\d.]+ s \(\d+ created\/s\), stopped; report: /m);
  expect(limited.code).toBe(2);
  const { final } = readReport(report);
  expect(final).toHaveLength(40);
  const notSent = final.filter((e) => e.status === 'not-sent');
  expect(notSent.length).toBeGreaterThan(0);
  expect(final.filter((e) => e.status !== 'created' && e.status !== 'not-sent')).toEqual([]);
  expect(notSent[0].reason).toBe('EMFILE: too many open files, so no connection could be opened; nothing was created');
  expect(t.created).toHaveLength(final.filter((e) => e.status === 'created').length);
  // --resume with room sends the rest.
  const resumed = await seedWithFreeFiles(400, [...args(report), '--resume']);
  expect([resumed.stderr.replace(/^seed: no --bearer.*\n/m, ''), resumed.code]).toEqual(['', 0]);
  expect(readReport(report).final.every((e) => e.status === 'created')).toBe(true);
  expect(new Set(t.created).size).toBe(40);
}, 30_000);
