import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, linkSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReport, readSeedReport, runDifference, type SeedRun } from 'vpptokens-contract-kit/seed';
import { publicUrl } from '../../src/net';

// Its real path: the lock is named by the report's (a system whose temporary folder is a link names it so too).
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'vppkit-report-')));
const run: SeedRun = { source: { generated: { kind: 'request', seed: 1, count: 5, offset: 0, traits: [] } }, target: 'http://127.0.0.1:8080/beta' };

// What this process writes in a lock: its pid, its boot and its start time in clock ticks (Linux's /proc).
const BOOT = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const STAT = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
const START = STAT.slice(STAT.lastIndexOf(')') + 2).split(' ')[19];
const OWN_LOCK = `${process.pid} ${BOOT}/${START}\n`;

describe('seed reports', () => {
  it('resumes after a line torn by a kill: the torn line is skipped and new lines start on their own line', async () => {
    const path = join(dir, 'torn.ndjson');
    writeFileSync(path, `${JSON.stringify({ vppkitSeedReport: 1, run })}\n{"index":0,"status":"sending"}\n{"index":0,"status":"created","id":"a","httpStatus":201,"attempts":1}\n{"index":1,"status":"sending"}\n{"index":1,"sta`);
    const report = await openReport(path, run, { resume: true });
    expect([...report.previous!.entries()]).toEqual([
      [0, { index: 0, status: 'created', id: 'a', httpStatus: 201, attempts: 1 }],
      [1, { index: 1, status: 'sending' }],
    ]);
    report.write({ index: 1, status: 'unknown', reason: 'r', attempts: 1 });
    report.close();
    expect(readFileSync(path, 'utf8').endsWith('{"index":1,"sta\n{"index":1,"status":"unknown","reason":"r","attempts":1}\n')).toBe(true);
    const again = await readSeedReport(createReadStream(path));
    expect(again.header?.run).toEqual(run);
    expect(again.entries.get(1)).toMatchObject({ status: 'unknown' });
  });

  // Outside tester Q18: a second --resume while the first run still sent: both sent the same records.
  it('is held by one seed at a time: a second open is refused while a live process holds it, one left by a dead process is taken over', async () => {
    const path = join(dir, 'held.ndjson');
    const first = await openReport(path, run);
    try {
      for (const mode of [{ resume: true }, { force: true }]) {
        await expect(openReport(path, run, mode)).rejects.toThrow(`the report ${path} is in use by another seed (process ${process.pid}): wait for it to end, or stop it first`);
      }
      // The refused opens left the holder's lock in place.
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(OWN_LOCK);
    } finally {
      first.close();
    }
    expect(existsSync(`${path}.lock`)).toBe(false);
    // A lock whose process is gone (kill -9): taken over, and released on close.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(`${path}.lock`, `${gone}\n`);
    const resumed = await openReport(path, run, { resume: true });
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(OWN_LOCK);
    resumed.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  // Outside tester R34: a seed killed as a container's process 1 left a lock naming process 1, which process 1 of every
  // later container (and init on the host) seemed to hold: the report was locked for ever. A pid that now names
  // another process than the one that took the lock is taken over; the process that took it still holds it.
  it('takes over a lock whose pid now names another process (a container\'s process 1, a pid reused after a reboot)', async () => {
    const path = join(dir, 'reused.ndjson');
    writeFileSync(path, `${JSON.stringify({ vppkitSeedReport: 1, run })}\n`);
    for (const left of [`1 ${BOOT}/1\n`, `${process.pid} ${BOOT}/1\n`, `${process.pid} 00000000-0000-0000-0000-000000000000/${START}\n`]) {
      writeFileSync(`${path}.lock`, left);
      const resumed = await openReport(path, run, { resume: true });
      expect([left, readFileSync(`${path}.lock`, 'utf8')]).toEqual([left, OWN_LOCK]);
      resumed.close();
    }
    // This very process's lock (a second open in one process: two runSeed calls on one report) is held, by either form.
    for (const held of [OWN_LOCK, `${process.pid}\n`]) {
      writeFileSync(`${path}.lock`, held);
      await expect(openReport(path, run, { resume: true })).rejects.toThrow(`the report ${path} is in use by another seed (process ${process.pid})`);
    }
  });

  // Outside tester R5: a second --resume through a symbolic link (CI's "latest report") or a hard link to a running
  // seed's report was not refused: the lock was taken by the name given. Both runs sent the same records.
  it('is held by the file, whatever name it is opened by: a symbolic or a hard link to a held report is refused', async () => {
    const path = join(dir, 'linked.ndjson');
    const first = await openReport(path, run);
    try {
      symlinkSync(path, join(dir, 'latest.ndjson'));
      linkSync(path, join(dir, 'hard.ndjson'));
      for (const name of ['latest.ndjson', 'hard.ndjson']) {
        await expect(openReport(join(dir, name), run, { resume: true })).rejects.toThrow(`the report ${join(dir, name)} is in use by another seed (process ${process.pid})`);
      }
    } finally {
      first.close();
    }
    // Released with the report: the link opens it now.
    const resumed = await openReport(join(dir, 'hard.ndjson'), run, { resume: true });
    resumed.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses to resume a file that is not a report of a run', async () => {
    const path = join(dir, 'old.ndjson');
    writeFileSync(path, '{"index":0,"status":"created","id":"a","httpStatus":201,"attempts":1}\n');
    await expect(openReport(path, run, { resume: true })).rejects.toThrow(`cannot resume from ${path}: its first line does not say which run it belongs to`);
  });

  it('names every difference between two runs', () => {
    const other: SeedRun = { source: { generated: { kind: 'request', seed: 2, count: 5, offset: 3, traits: ['expired'] } }, target: 'http://127.0.0.1:8080/beta' };
    expect(runDifference(run, run)).toBeUndefined();
    expect(runDifference(run, other)).toBe('--seed: report 1, this run 2; --offset: report 0, this run 3; --trait: report (none), this run expired');
    expect(runDifference(run, { source: { from: '/a.ndjson', sha256: 'f'.repeat(64) }, target: run.target })).toContain('source: report generated (--count), this run --from FILE');
  });

  it('shows a target without credentials, query or trailing slash', () => {
    expect(publicUrl('https://me:secret@graph.example/beta/?k=v#x')).toBe('https://graph.example/beta');
  });
});
