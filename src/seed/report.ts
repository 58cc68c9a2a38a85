import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, realpathSync, rmSync, statSync, writeFileSync, writeSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { systemReason } from '../net/system-error';
import { readRecords } from '../validation';
import { argumentProblem, refuseArguments, pathProblem, membersProblem, optionsObjectProblem } from '../net/option';

/** One line of the report: what became of one input record. Never holds a token. */
export type ReportEntry =
  | {
      index: number;
      status: 'created';
      id: string | null;
      httpStatus: number;
      attempts: number;
      resumed?: true;
      /** The 201 said the target already held the token (Graph beta's `duplicateLocationId`): created again (decision 0429). */
      state?: 'duplicateLocationId';
      /** Found on reading the target's vppTokens back (`--retry-unknown`), not sent again: `attempts` 0, `httpStatus` the list's. */
      readBack?: true;
    }
  | { index: number; status: 'failed'; httpStatus: number | null; code: string; message: string; attempts: number; /** Why the kit gave the record up itself (a limit of its own, an interrupt), also at the end of `message`. */ gaveUp?: string }
  | { index: number; status: 'invalid'; problems: string[] }
  | { index: number; status: 'unknown'; reason: string; attempts: number; resumed?: true; httpStatus?: number; code?: string }
  | { index: number; status: 'not-sent'; reason: string };

/** Written just before a record's first request: a report whose last line for a record says this is `unknown`. */
export interface SendingEntry {
  index: number;
  status: 'sending';
}

export type ReportStatus = ReportEntry['status'];

/** What a run is: the records it sends and where. A report belongs to exactly one run; --resume checks it. */
export interface SeedRun {
  source:
    | { from: string; sha256: string }
    | { generated: { kind: 'request'; seed: number; count: number; offset: number; traits: string[] } };
  /** The target URL without credentials, query or trailing slash. */
  target: string;
  profile?: string;
}

/**
 * Why `run` is no seed run's settings (decisions 0891, 1041): the members runDifference and openReport read, each
 * asked by the one rule (`openReport(file, {})` wrote a report whose run named no source, which no resume matched).
 */
function seedRunProblem(name: string, run: unknown): string | undefined {
  const { source, target, profile } = (run ?? {}) as Partial<Record<keyof SeedRun, unknown>>;
  return (
    argumentProblem(name, run, 'object', "a seed run's settings, such as readSeedReport's run") ??
    argumentProblem(`${name}.source`, source, 'object', "an object of from or generate, such as readSeedReport's run.source") ??
    argumentProblem(`${name}.target`, target, 'string', 'the target URL, a string') ??
    argumentProblem(`${name}.profile`, profile, 'string', undefined, 'optional')
  );
}

/** The first line of every report. */
export interface ReportHeader {
  vppkitSeedReport: 1;
  run: SeedRun;
}

/** vppkit can't start the run as asked (a report that can't be written or belongs to another run, unreadable input). */
export class SeedSetupError extends Error {
  override readonly name = 'SeedSetupError';
}

function describe(run: SeedRun): Record<string, string> {
  const fields: Record<string, string> = { target: run.target, profile: run.profile ?? '(none)' };
  if ('from' in run.source) fields['--from content (sha256)'] = run.source.sha256;
  else {
    const g = run.source.generated;
    Object.assign(fields, { source: 'generated (--count)', '--seed': String(g.seed), '--count': String(g.count), '--offset': String(g.offset), '--trait': g.traits.join(',') || '(none)' });
  }
  if ('from' in run.source) fields.source = '--from FILE';
  return fields;
}

/** Undefined when both describe the same run; else what differs, for a one-line message. */
export function runDifference(report: SeedRun, now: SeedRun): string | undefined {
  refuseArguments(seedRunProblem('report', report), seedRunProblem('now', now));
  const a = describe(report);
  const b = describe(now);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
  if (keys.length === 0) return undefined;
  return keys.map((k) => `${k}: report ${a[k] ?? '(none)'}, this run ${b[k] ?? '(none)'}`).join('; ');
}

export interface SeedReportContents {
  header?: ReportHeader;
  /** The last line for each index; a record last seen `sending` was in flight when vppkit stopped. */
  entries: Map<number, ReportEntry | SendingEntry>;
}

/**
 * Reads a report: its header and, by index, the last line for each record (the report is append-only, so the
 * last line is the record's state). A torn line (vppkit killed while writing it) is skipped.
 */
export async function readSeedReport(input: Readable): Promise<SeedReportContents> {
  const entries = new Map<number, ReportEntry | SendingEntry>();
  let header: ReportHeader | undefined;
  try {
    for await (const record of readRecords(input, 'ndjson')) {
      // A torn line (vppkit killed while writing it) is skipped: the record's line before it, `sending`, or
      // none at all (killed before anything was sent) says what to do with it.
      if (record.syntaxError) continue;
      const value = record.value as Partial<ReportHeader & ReportEntry> | undefined;
      if (record.index === 0 && value && value.vppkitSeedReport === 1 && value.run) {
        header = value as ReportHeader;
        continue;
      }
      if (!value || typeof value.index !== 'number' || typeof value.status !== 'string') throw new SeedSetupError(`line ${record.line} of the report is not a vppkit seed report line`);
      entries.set(value.index, value as ReportEntry);
    }
  } catch (error) {
    if (error instanceof SeedSetupError) throw error;
    if ((error as Error).name !== 'InputError') throw error; // an empty report has no header: refused below
  }
  return { header, entries };
}

/**
 * Writes the whole line or throws: a file that reaches its size limit (a full disk, `ulimit -f`) takes part of a
 * write without an error, and only the next write throws EFBIG or ENOSPC. A `sending` line cut short was taken as
 * written, its create sent, and `--resume`, finding no whole line for the record, created it again (outside tester
 * Q11): the record must not be sent unless its line is whole.
 */
function writeWhole(fd: number, line: string): void {
  const bytes = Buffer.from(line);
  for (let at = 0; at < bytes.length; ) {
    const wrote = writeSync(fd, bytes, at, bytes.length - at);
    if (wrote <= 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
    at += wrote;
  }
}

export interface ReportWriter {
  /** What the earlier run left, by index, when resuming. */
  previous?: Map<number, ReportEntry | SendingEntry>;
  write(entry: ReportEntry | SendingEntry): void;
  /** Flushes the report to disk and closes it. */
  close(): void;
}

/** Why the report can't be opened, in the kit's words (src/net/system-error.ts); a missing folder and an earlier run's report say what to do. */
function openFailure(path: string, error: unknown): SeedSetupError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SeedSetupError(`cannot write the report ${path}: the folder ${dirname(resolve(path))} does not exist`);
  if (code === 'EEXIST') return new SeedSetupError(`the report ${path} already exists (an earlier run's): --resume continues that run, --force overwrites it, or give another --report`);
  return new SeedSetupError(`cannot write the report ${path}: ${systemReason(error)}`);
}

/**
 * Opens the report before anything is sent. A new run creates it (refusing an existing file unless `force`)
 * and writes the header; `resume` reads it, refuses one from another run, and appends. Lines are written with
 * one write(2) each, as each record settles, so a killed process leaves every settled line on disk; the file is
 * fsynced after the header and when closed.
 */
export async function openReport(path: string, run: SeedRun, mode: { resume?: boolean; force?: boolean } = {}): Promise<ReportWriter> {
  refuseArguments(pathProblem('path', path), seedRunProblem('run', run), argumentProblem('mode', mode, 'object'));
  refuseArguments(optionsObjectProblem("openReport's mode", mode, ['resume', 'force']), membersProblem(mode, { resume: 'boolean', force: 'boolean' }));
  // A folder is refused before an open that would say EEXIST (a new run) or EISDIR (a resumed one).
  if (existsSync(path) && statSync(path).isDirectory()) throw openFailure(path, { code: 'EISDIR' });
  // One seed at a time holds a report, by the file, not by the name it was given (outside tester R5: a symbolic or a
  // hard link to a running seed's report was not refused): its real path's lock, and, once the file is there, a lock
  // named by the file's device and inode, which every name of it shares.
  const locks = [lockReport(`${realPathOf(path)}.lock`, path)];
  const release = () => locks.forEach((unlock) => unlock());
  try {
    if (existsSync(path)) locks.push(lockReport(identityLockOf(path), path));
    const writer = await openLockedReport(path, run, mode);
    if (locks.length === 1) locks.push(lockReport(identityLockOf(path), path));
    return {
      ...writer,
      close() {
        try {
          writer.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** The path with its links resolved (the folder's, when the file is not there yet). */
function realPathOf(path: string): string {
  try {
    return existsSync(path) ? realpathSync(path) : join(realpathSync(dirname(resolve(path))), basename(path));
  } catch {
    return resolve(path);
  }
}

/** A lock every name of one file shares (hard links too): by its device and inode, in the system's temporary folder. */
function identityLockOf(path: string): string {
  const { dev, ino } = statSync(path);
  return join(tmpdir(), `vppkit-seed-report-${dev}-${ino}.lock`);
}

/**
 * Takes the report for this process: `lock` holding its pid and, where the system tells it, which process that was
 * (its boot and start time), made exclusively. A report another live seed holds is refused (outside tester Q18: a
 * second `--resume` while the first run still sent, both sending the same records, 35 vppTokens for 20); one left by
 * a process that is gone (kill -9) is taken over, and so is one whose pid now names another process (outside tester
 * R34: a seed killed as a container's process 1 left a lock that process 1 of every later container, and init on the
 * host, seemed to hold for ever). Returns the release.
 */
function lockReport(lock: string, path: string): () => void {
  const own = processStart(process.pid);
  const take = () => writeFileSync(lock, `${process.pid}${own === undefined ? '' : ` ${own}`}\n`, { flag: 'wx' });
  try {
    take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw openFailure(path, error);
    const [pidText, started] = readFileSync(lock, 'utf8').trim().split(' ');
    const holder = Number.parseInt(pidText, 10);
    if (Number.isSafeInteger(holder) && holder > 0 && isRunning(holder) && (started === undefined || started === processStart(holder))) {
      throw new SeedSetupError(`the report ${path} is in use by another seed (process ${holder}): wait for it to end, or stop it first; two runs on one report send the same records twice`);
    }
    // Left by a process that is gone, or whose pid another process has now: taken over.
    rmSync(lock, { force: true });
    try {
      take();
    } catch (again) {
      throw openFailure(path, again);
    }
  }
  return () => rmSync(lock, { force: true });
}

/**
 * Which process a pid names, where the system says (Linux's /proc): the boot and the start time in clock ticks
 * since boot (field 22 of /proc/PID/stat, after the command name in parentheses), so a pid reused by another
 * process, after a reboot or in another container, is told apart; undefined elsewhere.
 */
function processStart(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return /^\d+$/.test(start ?? '') && /^[0-9a-f-]+$/.test(boot) ? `${boot}/${start}` : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id runs (signal 0 only asks; EPERM: it runs as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openLockedReport(path: string, run: SeedRun, mode: { resume?: boolean; force?: boolean }): Promise<ReportWriter> {
  let fd: number;
  let previous: Map<number, ReportEntry | SendingEntry> | undefined;
  if (mode.resume) {
    if (!existsSync(path)) throw new SeedSetupError(`--resume needs the earlier report ${path}, which does not exist`);
    const { header, entries } = await readSeedReport(createReadStream(path));
    if (!header) throw new SeedSetupError(`cannot resume from ${path}: its first line does not say which run it belongs to (not a report of this vppkit version)`);
    const difference = runDifference(header.run, run);
    if (difference) throw new SeedSetupError(`cannot resume from ${path}: it belongs to another run (${difference})`);
    previous = entries;
    try {
      fd = openSync(path, 'a+');
    } catch (error) {
      throw openFailure(path, error);
    }
    // After a torn last line (killed mid-write), appended lines start on a line of their own.
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) writeSync(fd, '\n');
  } else {
    try {
      fd = openSync(path, mode.force ? 'w' : 'wx');
    } catch (error) {
      throw openFailure(path, error);
    }
    try {
      writeSync(fd, `${JSON.stringify({ vppkitSeedReport: 1, run } satisfies ReportHeader)}\n`);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      throw openFailure(path, error);
    }
  }
  let open = true;
  return {
    previous,
    write(entry) {
      if (open) writeWhole(fd, `${JSON.stringify(entry)}\n`);
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}
