import type { Command } from 'commander';
import type { VppTokenTrait } from '../fixtures';
import { bearerProblem } from '../seed/send';
import { seedTarget } from '../seed/run';
import { addTrustOptions, trustFrom } from './trust';
import { INPUT_FORMATS, type InputFormat } from '../validation';
import { interruptName, noWriterNote, type CliContext } from './context';
import { UsageError, collect, headerOption, oneOf, parseInteger, parseSeconds } from './errors';
import { traitHelp, traitOption } from './generate';
import { RECORDS_PER_SEED } from '../fixtures/record-range';
import { checkTraits, profileMismatch, profileOption } from './profile';
import type { Profile } from '../schemas';
import { escapeData } from '../net/redact';

interface SeedFlags {
  target: string;
  profile: Profile;
  count?: number;
  offset: number;
  from?: string;
  format: InputFormat;
  seed: number;
  trait?: VppTokenTrait[];
  concurrency: number;
  bearer?: string;
  header?: string[];
  report: string;
  resume?: boolean;
  retryUnknown?: boolean;
  force?: boolean;
  timeout: number;
  maxAttempts: number;
  maxRetryAfter: number;
  maxConsecutiveFailures: number;
  ca?: string;
  insecure?: boolean;
  schemaTokens?: boolean;
}

export function registerSeed(program: Command, ctx: CliContext): void {
  const command = program
    .command('seed')
    .description('Create vppTokens on a server under test: POST each record, with retries, and report every record')
    .requiredOption('--target <url>', 'base URL of the server, a version prefix allowed (http://127.0.0.1:8080/beta)')
    .option('--count <n>', 'create n generated records', parseInteger('--count', 0))
    .option('--offset <k>', `first generated record: records k .. k+n-1 of the data set (0 to ${RECORDS_PER_SEED - 1})`, parseInteger('--offset', 0, RECORDS_PER_SEED - 1), 0)
    .option('--from <file>', 'create the records of a JSON, JSON-array or NDJSON file (- for stdin) instead')
    .option('--format <format>', 'format of --from: auto, json or ndjson', oneOf('--format', INPUT_FORMATS), 'auto')
    .option('--schema-tokens', 'with --from: take any non-empty token, as the schema does; by default a record whose token is no Apple sToken is invalid and not sent, as Intune refuses it')
    .option('--seed <s>', 'seed of the generated data set', parseInteger('--seed', 0, 0xffffffff), 1)
    .option('--trait <trait>', 'trait of the generated records, repeatable', traitOption)
    .option(...profileOption)
    .option('--concurrency <c>', 'requests in flight at once', parseInteger('--concurrency', 1, 256), 8)
    .option('--bearer <token>', 'access token sent as Authorization: Bearer (default: env VPPKIT_BEARER)')
    .option('--header <name=value>', "add a header to every request, repeatable (a gateway's key; the value is never printed, but a plain field's such as Prefer)", collect)
    .option('--report <file>', 'NDJSON report: the run on line 1, then a line as each record settles', 'seed-report.ndjson')
    .option('--resume', 'continue the run of an existing --report: skip what it shows created or possibly created')
    .option('--retry-unknown', "with --resume, read the target's vppTokens back, then send again only the records left unknown that it does not hold")
    .option('--force', 'overwrite an existing --report (a new run)')
    .option('--timeout <seconds>', 'how long each request may take, fractions allowed: a request unanswered by then is unknown', parseSeconds('--timeout'), 15)
    .option('--max-attempts <n>', 'tries per record for 429, 503 and refused connections', parseInteger('--max-attempts', 1, 100), 5)
    .option('--max-consecutive-failures <n>', 'stop the run after n connection failures in a row', parseInteger('--max-consecutive-failures', 1), 10)
    .option('--max-retry-after <seconds>', 'the longest Retry-After a 429 or 503 may ask one record to wait; a longer one fails the record', parseSeconds('--max-retry-after'), 60);
  addTrustOptions(command, 'target')
    .addHelpText(
      'after',
      `
Traits:
${traitHelp}

The report's first line says which run it belongs to (the --from file's sha256, or --seed, --count, --offset and
--trait; the target). Then, as each record settles, one line with its index: created (with the server's id),
failed (status, Graph error code and message), invalid (not a valid create request as validate judges it: not sent), unknown (the
connection broke or timed out after the request was sent, a 500, 502 or 504 came after it was sent (a gateway
may give up after the service committed), or a 201 came without the vppToken: it may exist, so it is never sent
again blindly) or
not-sent. A "sending" line precedes each record's first request: if vppkit is killed, --resume treats it as
unknown. The last line for an index is that record's state. --retry-unknown reads the target's vppTokens back
first and sends again only the unknown records whose token it does not list; when the list can't be read, none.
A 201 whose state is duplicateLocationId (the target already held the token) is created again, never clean.
429 and 503 wait as Retry-After says, or back off 0.25 s, doubling per try (at most 32 s, no jitter); refused
connections are retried.
The run stops after --max-consecutive-failures connection failures in a row (exit 2 when no request reached the
target; 1 when creates were sent whole and left unanswered: they are unknown), and at once for an unknown host or
an untrusted certificate (exit 2). Ctrl-C or SIGTERM: no new request starts, those in flight finish,
exit 130; a second one abandons those in flight (unknown); a third quits at once. Tokens and the bearer never
appear in output or the report. Exit codes: 0 every record created, none again; 1 some were not (failed, invalid, unknown) or were created again (the 201 said duplicateLocationId); 2 could not run
(bad option, --count 0, unreadable input, report in the way, target unreachable); 130 interrupted.

Examples:
  vppkit seed --target http://127.0.0.1:8080/beta --count 1000 --bearer "$TOKEN" --report generated.ndjson
  vppkit seed --target http://127.0.0.1:8080/beta --from tokens.ndjson --bearer "$TOKEN" --report from-file.ndjson
  vppkit seed --target http://127.0.0.1:8080/beta --count 1000 --bearer "$TOKEN" --report generated.ndjson --resume
  vppkit seed --target https://localhost:8443/beta --ca ca.pem --count 10 --bearer "$TOKEN" --report tls.ndjson`,
    )
    .action(async (flags: SeedFlags) => {
      const mismatch = profileMismatch(flags.profile, flags.target, '--target');
      if (mismatch) ctx.stderr.write(`vppkit: ${mismatch}\n`);
      if ((flags.count === undefined) === (flags.from === undefined)) throw new UsageError('give either --count N (generated records) or --from FILE');
      if (flags.from !== undefined && (flags.trait || flags.offset)) throw new UsageError('--trait and --offset go with --count, not --from');
      // No ignored option: generated records are the kit's sTokens, judged by nothing a file's are.
      if (flags.from === undefined && flags.schemaTokens) throw new UsageError('--schema-tokens goes with --from: generated records hold Apple sTokens');
      if (flags.retryUnknown && !flags.resume) throw new UsageError('--retry-unknown goes with --resume');
      if (flags.resume && flags.force) throw new UsageError('--resume continues the run of a report and --force starts a new one: give one of them');
      const target = seedTarget(flags.target, (message) => new UsageError(message));
      if ((flags.ca !== undefined || flags.insecure) && target.protocol !== 'https:') throw new UsageError('--ca and --insecure apply to an https --target only');
      const trust = await trustFrom(flags, ctx);
      const bearer = flags.bearer ?? ctx.env.VPPKIT_BEARER;
      const badBearer = bearerProblem(bearer);
      if (badBearer) throw new UsageError(`${flags.bearer === undefined ? 'VPPKIT_BEARER' : '--bearer'}: ${badBearer}`);
      const headers = headerOption(flags.header);

      if (flags.from === '-' && ctx.stdin.isTTY) throw new UsageError('--from - reads stdin: pipe the records into it');
      checkTraits(flags.profile, flags.trait);
      const { runSeed, createProgress, SeedReportError, SeedSetupError } = await import('../seed');
      // The first interrupt stops the run (those in flight finish), the second abandons those in flight. (bin quits
      // at a third: every line written so far is on disk; records without an outcome line are `sending`, unknown
      // to --resume, or absent, never sent.)
      const onInterrupt = () => {
        const signal = interruptName(ctx.signal);
        ctx.stderr.write(`\nseed: ${signal}: stopping: waiting for the requests in flight (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to abandon them)\n`);
      };
      const onAbandon = () => ctx.stderr.write(`\nseed: ${interruptName(ctx.abandon!)} again: abandoning the requests in flight (reported unknown)\n`);
      let bar: ReturnType<typeof createProgress> | undefined;
      try {
        const summary = await runSeed({
          target: flags.target,
          profile: flags.profile,
          ...(flags.from !== undefined ? { from: flags.from, stdin: ctx.stdin, format: flags.format, schemaTokens: flags.schemaTokens } : { generate: { count: flags.count!, offset: flags.offset, seed: flags.seed, traits: flags.trait } }),
          report: flags.report,
          resume: flags.resume,
          retryUnknown: flags.retryUnknown,
          force: flags.force,
          concurrency: flags.concurrency,
          bearer,
          headers,
          timeoutMs: Math.round(flags.timeout * 1000),
          maxAttempts: flags.maxAttempts,
          maxConsecutiveFailures: flags.maxConsecutiveFailures,
          maxRetryAfterMs: Math.round(flags.maxRetryAfter * 1000),
          trust,
          signal: ctx.signal,
          abandon: ctx.abandon,
          onNoWriter: noWriterNote(ctx),
          onStart: ({ total }) => {
            // From here on an interrupt is one of the run; before, nothing was sent and ending at once is right.
            ctx.handleInterrupts();
            ctx.signal.addEventListener('abort', onInterrupt, { once: true });
            ctx.abandon?.addEventListener('abort', onAbandon, { once: true });
            if (!bearer) ctx.stderr.write('seed: no --bearer (or VPPKIT_BEARER): requests carry no Authorization header\n');
            bar = createProgress(ctx.stderr, total);
          },
          onProgress: (counts) => bar?.update(counts),
        }).catch((error: Error) => {
          if (error instanceof SeedSetupError) throw new UsageError(error.message);
          if (error instanceof SeedReportError) throw new UsageError(`cannot write the report ${flags.report}: ${error.message}; the run stopped`);
          throw error;
        });
        bar?.done();
        const seconds = summary.elapsedMs / 1000;
        ctx.stdout.write(
          `vppkit seed: ${summary.total} record${summary.total === 1 ? '' : 's'}: ${summary.created} created, ${summary.failed} failed, ${summary.invalid} invalid, ${summary.unknown} unknown, ${summary.notSent} not sent in ${seconds.toFixed(1)} s (${summary.rate.toFixed(0)} created/s)${summary.interrupted ? ', interrupted' : summary.stopped ? ', stopped' : ''}; report: ${flags.report}\n`,
        );
        // Why the records that were not created were not: the most frequent reasons, then the likely cause.
        // A reason quotes the answer (its error code, its message): data, shown with its control characters escaped (K10).
        if (summary.readBack?.found) ctx.stdout.write(`  ${summary.readBack.found} created: found on reading the target's vppTokens back, not sent again\n`);
        for (const r of summary.reasons) ctx.stdout.write(`  ${escapeData(`${r.count} ${r.status}: ${r.reason}`)}\n`);
        if (summary.likelyCause) ctx.stderr.write(`vppkit: ${summary.likelyCause}\n`);
        if (summary.stopped && !summary.interrupted) ctx.stderr.write(`vppkit: seed stopped: ${summary.stopped}\n`);
        // A run that stopped before any request reached the target could not run (2); once it took one, the records
        // say how it went, unknown ones included (1; decision 0426).
        ctx.exitCode = summary.interrupted ? 130 : (summary.stopped && !summary.reached) || summary.machineLimit ? 2 : summary.created === summary.total && summary.createdAgain === 0 ? 0 : 1;
      } finally {
        ctx.signal.removeEventListener('abort', onInterrupt);
        ctx.abandon?.removeEventListener('abort', onAbandon);
      }
    });
}
