// runSeed: a whole seed run as the CLI does it, for any program: its identity, the report, resume, interrupts.
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { VppTokenTrait } from '../fixtures/traits';
import { RECORDS_PER_SEED, recordRangeProblem } from '../fixtures/record-range';
import { baseUrlOf, publicUrl, urlText, wholeOptionProblem, type TlsTrust } from '../net';
import { optionsObjectProblem, pathProblem, membersProblem, oneOfProblem } from '../net/option';
import { TLS_TRUST_MEMBERS } from '../net/tls';
import { toProfile, type Profile } from '../schemas/profiles';
import { INPUT_FORMATS, type InputFormat } from '../validation';
import { SeedReportError, bearerProblem, fileSeedInputs, generatedSeedInputs, seedOptionProblem, seedVppTokens, type SeedOptions, type SeedSummary } from './send';
import { SeedSetupError, openReport, type ReportWriter, type SeedRun } from './report';
import { inspectSeedFile, spoolToFile } from './source';
import { cannotReadText } from '../net/system-error';
import { isStreamFile, readableAgain } from '../validation/stream-file';

/** The names RunSeedOptions takes: any other is refused, never left without a word (decision 0408). */
const RUN_SEED_OPTION_NAMES = Object.keys({
  target: true, generate: true, from: true, stdin: true, onNoWriter: true, format: true, profile: true, schemaTokens: true, report: true, resume: true, retryUnknown: true, force: true, onStart: true,
  concurrency: true, bearer: true, headers: true, timeoutMs: true, maxAttempts: true, maxRetryAfterMs: true, maxConsecutiveFailures: true, trust: true, onProgress: true, signal: true, abandon: true,
} satisfies Record<keyof RunSeedOptions, true>);

/** The options runSeed hands on to seedVppTokens as they are. */
type Sending = Pick<SeedOptions, 'concurrency' | 'bearer' | 'headers' | 'timeoutMs' | 'maxAttempts' | 'maxRetryAfterMs' | 'maxConsecutiveFailures' | 'trust' | 'retryUnknown' | 'onProgress' | 'signal' | 'abandon'>;

export interface RunSeedOptions extends Sending {
  /** Base URL of the server, a version prefix allowed: http://127.0.0.1:8080/beta. No query, fragment or other scheme. Text or a `URL`. */
  target: string | URL;
  /** Generated records: records offset .. offset+count-1 of the data set for a seed (what `--count` sends). */
  generate?: { count: number; offset?: number; seed?: number; traits?: VppTokenTrait[] };
  /** Or the records of a JSON, JSON-array or NDJSON file; `-` reads `stdin` (kept in a temporary file meanwhile). */
  from?: string;
  /** The stream `from: '-'` reads. */
  stdin?: Readable;
  /** Called when `from` is a FIFO no process has open for writing: the run waits for a writer, or `signal` (decision 0530). */
  onNoWriter?: (path: string) => void;
  /** The format of `from` (default auto). */
  format?: InputFormat;
  profile?: Profile;
  /** Take any non-empty token in a `from` file, as the schema does; by default a record whose token is no Apple sToken is invalid, never sent, as Intune refuses it (decision 0427). */
  schemaTokens?: boolean;
  /** The NDJSON report: the run on line 1, then a line as each record settles. */
  report: string;
  /** Continue the run of an existing report: skip what it shows created or possibly created. */
  resume?: boolean;
  /** With resume, send again the records left unknown. */
  retryUnknown?: boolean;
  /** Overwrite an existing report (a new run). */
  force?: boolean;
  /**
   * Called once everything that can stop the run before it starts was checked and the report is open, just
   * before the first request: the run's identity, how many records it has, and what an earlier run left.
   */
  onStart?: (start: { run: SeedRun; total: number; resumed: number }) => void;
}

export interface SeedRunResult extends SeedSummary {
  /** What the report's first line says this run is. */
  run: SeedRun;
  report: string;
}

/**
 * A seed run from start to end (what `vppkit seed` does): checks the options, identifies the run (the file's
 * sha256, or the generator's seed, count, offset and traits; the target without credentials), opens the report
 * (refusing one in the way or, with `resume`, one from another run), sends every record with `seedVppTokens`,
 * writing a line as each settles, and closes the report. SeedSetupError: the run could not start (nothing was
 * sent); SeedReportError: the report could not be written during the run (it stopped). An aborted `signal` ends
 * the run as interrupted (`interrupted: true`); the caller maps the summary to its verdict.
 */
export async function runSeed(options: RunSeedOptions): Promise<SeedRunResult> {
  // Its arguments' shapes by the library's one rule (src/net/option.ts, decision 0760), before the report is touched.
  const shape =
    optionsObjectProblem('runSeed', options, RUN_SEED_OPTION_NAMES, 'required') ??
    membersProblem(options, { from: ['string', 'a path, a string'], generate: ['object', 'an object of count, offset, seed and traits'], stdin: 'readable', onNoWriter: 'function', onStart: 'function', onProgress: 'function', signal: 'signal', abandon: 'signal', bearer: 'string', headers: ['object', 'an object of header names and values'], trust: TLS_TRUST_MEMBERS, schemaTokens: 'boolean', resume: 'boolean', retryUnknown: 'boolean', force: 'boolean' }) ??
    oneOfProblem('format', options.format, INPUT_FORMATS);
  if (shape) throw new TypeError(shape);
  const target = seedTarget(urlText(options.target));
  const noReport = pathProblem('report', options.report);
  if (noReport) throw new TypeError(noReport);
  if ((options.generate === undefined) === (options.from === undefined)) throw new SeedSetupError('give either --count N (generated records) or --from FILE');
  const asked = options.generate;
  const badGenerate = asked && (wholeOptionProblem('generate.count', asked.count, 0) ?? wholeOptionProblem('generate.offset', asked.offset, 0, RECORDS_PER_SEED - 1) ?? wholeOptionProblem('generate.seed', asked.seed, 0, 0xffffffff));
  if (badGenerate) throw new SeedSetupError(badGenerate);
  // A run that would send nothing has nothing to show: no verdict, refused before the report is touched (decision 0220).
  if (options.generate !== undefined && options.generate.count < 1) throw new SeedSetupError(`--count ${options.generate.count}: nothing to send (seed sends at least one record; give --count 1 or more)`);
  // Past a seed's 2^32 records the generator would send record 0's token again (outside tester L16; decision 0326).
  const beyond = options.generate === undefined ? undefined : recordRangeProblem(options.generate.offset ?? 0, options.generate.count);
  if (beyond) throw new SeedSetupError(`--offset ${options.generate!.offset ?? 0} --count ${options.generate!.count}: ${beyond}`);
  if (options.retryUnknown && !options.resume) throw new SeedSetupError('--retry-unknown goes with --resume');
  if (options.resume && options.force) throw new SeedSetupError('--resume continues the run of a report and --force starts a new one: give one of them');
  if (options.trust && target.protocol !== 'https:') throw new SeedSetupError('--ca and --insecure apply to an https --target only');
  const badBearer = bearerProblem(options.bearer);
  if (badBearer) throw new SeedSetupError(badBearer);
  const unfit = seedOptionProblem(options);
  if (unfit) throw new SeedSetupError(unfit);
  // The report would overwrite (or, resumed, be read from) the records of real tokens it is to seed: refused before
  // either file is touched, whatever the spelling (./, a link, another path to the same file).
  if (options.from !== undefined && options.from !== '-' && sameFile(options.from, options.report)) {
    throw new SeedSetupError(`--report ${options.report} is the --from file: give the report another name`);
  }
  // The profile, as the rest, before stdin is read or the report touched (decision 0941: a profile of "v2" was asked
  // after the report was written).
  const profile = options.profile === undefined ? 'beta' : toProfile(options.profile);
  const format = options.format ?? 'auto';

  let spool: { path: string; remove: () => void } | undefined;
  let report: ReportWriter | undefined;
  try {
    let run: SeedRun;
    let total: number;
    let inputPath: string | undefined;
    if (options.from !== undefined) {
      let path = options.from;
      if (options.from === '-') {
        if (!options.stdin) throw new SeedSetupError('--from - reads stdin: give the stream to read');
        spool = await spoolToFile(options.stdin);
        path = spool.path;
      } else if (isStreamFile(options.from)) {
        // A pipe (`--from <(vppkit generate ...)`, a FIFO) gives its bytes once: read once into a copy, hashed and
        // then sent from (outside tester R37: the second read found it empty, or blocked on a FIFO; decision 0480).
        try {
          spool = await readableAgain(options.from, { signal: options.signal, onNoWriter: options.onNoWriter });
        } catch (error) {
          if (options.signal?.aborted) throw new SeedSetupError(`interrupted while waiting for ${options.from}: nothing was sent`);
          throw new SeedSetupError(cannotReadText(options.from, error));
        }
        path = spool.path;
      }
      const file = await inspectSeedFile(path, format, options.from === '-' ? 'stdin' : options.from);
      run = { source: { from: options.from === '-' ? '-' : resolve(options.from), sha256: file.sha256 }, target: publicUrl(target), profile };
      total = file.records;
      inputPath = path;
    } else {
      const g = options.generate!;
      run = { source: { generated: { kind: 'request', seed: g.seed ?? 1, count: g.count, offset: g.offset ?? 0, traits: g.traits ?? [] } }, target: publicUrl(target), profile };
      total = g.count;
    }
    const opened = await openReport(options.report, run, { resume: options.resume, force: options.force });
    report = opened;
    options.onStart?.({ run, total, resumed: opened.previous?.size ?? 0 });
    const g = options.generate;
    const records =
      inputPath !== undefined
        ? fileSeedInputs(createReadStream(inputPath), format, profile, { schemaTokens: options.schemaTokens })
        : generatedSeedInputs({ count: g!.count, offset: g!.offset, seed: g!.seed, traits: g!.traits, signal: options.signal, profile });
    const { concurrency, bearer, headers, timeoutMs, maxAttempts, maxRetryAfterMs, maxConsecutiveFailures, trust, retryUnknown, onProgress, signal, abandon } = options;
    const sending: Sending = { concurrency, bearer, headers, timeoutMs, maxAttempts, maxRetryAfterMs, maxConsecutiveFailures, trust, retryUnknown, onProgress, signal, abandon };
    const summary = await seedVppTokens({
      ...sending,
      target: options.target,
      records,
      previous: opened.previous,
      // Records carried over from the earlier run already have their line.
      report: (entry) => ('resumed' in entry ? undefined : opened.write(entry)),
      onSending: (index) => opened.write({ index, status: 'sending' }),
    });
    opened.close();
    return { ...summary, run, report: options.report };
  } finally {
    report?.close();
    spool?.remove();
  }
}

/**
 * The target as a URL: http or https, a base path allowed, no query, fragment, user or password (seed takes the
 * bearer in --bearer and a gateway's key in --header). `fail` makes the caller's error (the CLI's is a usage error).
 */
export function seedTarget(text: string, fail: (message: string) => Error = (message) => new SeedSetupError(message)): URL {
  return baseUrlOf(text, '--target', fail);
}

/** Whether two paths name one existing file (same device and inode: links and other spellings included). */
function sameFile(a: string, b: string): boolean {
  // A path that can't be read (too long, a loop of links) names no file here: opening it says why (outside tester M7).
  const stat = (path: string) => {
    try {
      return statSync(path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  const first = stat(a);
  const second = stat(b);
  return first !== undefined && second !== undefined && first.dev === second.dev && first.ino === second.ino;
}
