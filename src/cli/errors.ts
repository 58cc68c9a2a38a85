import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileWhole } from '../net/file';
import { systemReason } from '../net/system-error';
import { oneOfProblem, shownOption } from '../net/option';
import { HeaderOptionError, parseHeaderArguments } from '../net/headers';

export { systemErrorLine, systemReason } from '../net/system-error';

/**
 * vppkit's one exit-code policy (README "Exit codes", `vppkit --help`, decision 0020):
 * 0 success, 1 the check failed, 2 vppkit could not do the job, 130 interrupted.
 */
export const EXIT = { ok: 0, failed: 1, couldNotRun: 2, interrupted: 130 } as const;

/**
 * A verdict's exit code, one rule for every command (decision 0220): a failure found is 1, whatever else; a run that
 * found none and judged nothing (no create, no interaction, no request: `nothingJudged` says why) is no verdict, 2.
 */
export function verdictExitCode(verdict: { passed: boolean; nothingJudged?: string }): number {
  return verdict.passed ? EXIT.ok : verdict.nothingJudged !== undefined ? EXIT.couldNotRun : EXIT.failed;
}

/** How a verdict reads in a summary line: `passed`, `failed`, or `no verdict` (nothing judged). */
export function verdictWord(verdict: { passed: boolean; nothingJudged?: string }): string {
  return verdict.passed ? 'passed' : verdict.nothingJudged !== undefined ? 'no verdict' : 'failed';
}

/** A mistake in how vppkit was called or in its input: printed as one line, no stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.couldNotRun,
    /** What `--json` says beside `error` (verify's `published` when some results were published before the rest could not be: decision 0793). */
    readonly json?: Record<string, unknown>,
  ) {
    super(message);
  }
}


/**
 * The one object a `--json` run that could not be done leaves on stdout (README: "when the run could not be done,
 * `{ command, passed: false, exitCode: 2, error }`"), so that a program reading stdout never reads nothing.
 */
export function couldNotRunJson(command: string, error: UsageError, more: Record<string, unknown> = error.json ?? {}): string {
  return `${JSON.stringify({ command, passed: false, exitCode: error.exitCode, error: error.message, ...more }, null, 2)}\n`;
}


/**
 * An output file must be writable where it is asked for: checked before the run, not after a long one whose
 * verdict would then be lost (decision 0310). A disk that fills meanwhile is still said when the file is written.
 */
export function checkOutputFile(option: string, file: string | undefined): void {
  if (file === undefined) return;
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${option} ${file} is a folder, not a file`);
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${option} ${file}: the folder ${folder} does not exist`);
}

/**
 * A file named on the command line to read (--faults, --ca, --replay): an empty value names none, a usage error (exit
 * 2), where the library's reader says it as a TypeError, which the CLI would call a bug (decision 1333).
 */
export function inputFileFlag(option: string, file: string): string {
  if (file === '') throw new UsageError(`${option} needs a file (got an empty value)`);
  return file;
}

/** Writes a report file (--junit, --json FILE) whole or not at all; a file that can't be written is one line, exit 2. */
export function writeReportFile(file: string, text: string, what: string): void {
  try {
    writeFileWhole(file, text);
  } catch (error) {
    throw new UsageError(`cannot write the ${what} report to ${file}: ${systemReason(error)}`);
  }
}


export function parseInteger(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got ${shownOption(text)})`);
    }
    return value;
  };
}

/**
 * A positive number of seconds, fractions allowed (`--timeout 1.5`), of at least a millisecond: the library takes whole
 * milliseconds, and `0.0004` rounded to 0 ms, which the library then refused in its own words (`timeoutMs ... (got 0)`),
 * or check-client as an internal error (outside tester R12).
 */
export function parseSeconds(name: string, max = 86_400) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value >= 0.001) || value > max) {
      throw new UsageError(`${name} must be a number of seconds from 0.001 (a millisecond) to ${max} (got ${shownOption(text)})`);
    }
    return value;
  };
}

/** A size in bytes, with an optional KiB/MiB/GiB suffix (`--max-record-bytes 64MiB`). */
export function parseBytes(name: string, min = 1) {
  return (text: string): number => {
    const match = /^\s*(\d+)\s*(B|KiB|MiB|GiB)?\s*$/i.exec(text);
    const unit = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[(match?.[2] ?? 'b').toLowerCase() as 'b'];
    const value = match ? Number(match[1]) * unit : NaN;
    if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${name} must be a number of bytes, at least ${min}, such as 1048576 or 64MiB (got ${shownOption(text)})`);
    return value;
  };
}

/** --header's NAME=VALUE arguments as headers (undefined when none given), a wrong one as the kit's usage error. */
export function headerOption(args: readonly string[] | undefined): Record<string, string> | undefined {
  try {
    return args ? parseHeaderArguments(args) : undefined;
  } catch (error) {
    if (error instanceof HeaderOptionError) throw new UsageError(error.message);
    throw error;
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (text: string): T => {
    const problem = oneOfProblem(name, text, allowed);
    if (problem) throw new UsageError(problem);
    return text as T;
  };
}
