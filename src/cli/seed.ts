import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import type { VppTokenTrait } from '../fixtures';
import { fileSeedInputs, generatedSeedInputs, readReport, seedVppTokens, type ReportEntry, type SeedCounts } from '../seed';
import type { InputFormat } from '../validation';
import { UsageError, oneOf, parseInteger } from './errors';
import { traitHelp, traitOption } from './generate';
import { openInput } from './validate';
import { checkTraits, profileOption } from './profile';
import type { Profile } from '../schemas';

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
  report: string;
  resume?: boolean;
  retryUnknown?: boolean;
  timeout: number;
  maxAttempts: number;
}

/** A bar on a terminal, a plain line every few seconds otherwise; both on stderr. */
function progress(total: number | undefined): { update: (c: SeedCounts) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let last = started;
  const line = (c: SeedCounts) => {
    const rate = c.created / Math.max(0.001, (Date.now() - started) / 1000);
    return `${c.total}${total === undefined ? '' : `/${total}`} done: ${c.created} created, ${c.failed} failed, ${c.unknown} unknown, ${c.invalid} invalid (${rate.toFixed(0)}/s)`;
  };
  return {
    update(c) {
      const now = Date.now();
      if (now - last < (tty ? 100 : 5000)) return;
      last = now;
      if (tty) {
        const width = 24;
        const filled = total ? Math.round((c.total / total) * width) : 0;
        process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${line(c)}\u001b[K`);
      } else process.stderr.write(`seed: ${line(c)}\n`);
    },
    done() {
      if (tty) process.stderr.write('\r\u001b[K');
    },
  };
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('Create vppTokens on a server under test: POST each record, with retries, and report every record')
    .requiredOption('--target <url>', 'base URL of the server, a version prefix allowed (http://127.0.0.1:8080/beta)')
    .option('--count <n>', 'create n generated records', parseInteger('--count', 0))
    .option('--offset <k>', 'first generated record: records k .. k+n-1 of the data set', parseInteger('--offset', 0), 0)
    .option('--from <file>', 'create the records of a JSON, JSON-array or NDJSON file (- for stdin) instead')
    .option('--format <format>', 'format of --from: auto, json or ndjson', oneOf('--format', ['auto', 'json', 'ndjson'] as const), 'auto')
    .option('--seed <s>', 'seed of the generated data set', parseInteger('--seed', 0, 0xffffffff), 1)
    .option('--trait <trait>', 'trait of the generated records, repeatable', traitOption)
    .option(...profileOption)
    .option('--concurrency <c>', 'requests in flight at once', parseInteger('--concurrency', 1, 256), 8)
    .option('--bearer <token>', 'access token sent as Authorization: Bearer (env VPPKIT_BEARER)', process.env.VPPKIT_BEARER)
    .option('--report <file>', 'NDJSON report, one line per record', 'seed-report.ndjson')
    .option('--resume', 'read the --report of an earlier run and skip the records it shows as created')
    .option('--retry-unknown', 'with --resume, send again the records left unknown (check the server for them first)')
    .option('--timeout <ms>', 'per-request timeout', parseInteger('--timeout', 1), 30_000)
    .option('--max-attempts <n>', 'tries per record for 429, 503 and refused connections', parseInteger('--max-attempts', 1, 100), 5)
    .addHelpText(
      'after',
      `
Traits:
${traitHelp}

Each record ends in the report exactly once, with its index: created (with the server's id), failed (status,
Graph error code and message), invalid (not a valid create request: not sent), unknown (the connection broke
after the request was sent: it may exist, so it is never sent again blindly) or not-sent (interrupted).
429 and 503 wait as Retry-After says, or back off exponentially with jitter; refused connections are retried;
other answers are final. Ctrl-C stops new requests, waits for those in flight and writes the report.
Token values never appear in output or the report. Exit code 0 only when every record was created.

Examples:
  vppkit seed --target http://127.0.0.1:8080/beta --count 1000 --bearer "$TOKEN"
  vppkit seed --target http://127.0.0.1:8080 --from tokens.ndjson --report load.ndjson
  vppkit seed --target http://127.0.0.1:8080 --count 1000 --report load.ndjson --resume`,
    )
    .action(async (flags: SeedFlags) => {
      if ((flags.count === undefined) === (flags.from === undefined)) throw new UsageError('give either --count N (generated records) or --from FILE');
      if (flags.from !== undefined && (flags.trait || flags.offset)) throw new UsageError('--trait and --offset go with --count, not --from');
      if (flags.retryUnknown && !flags.resume) throw new UsageError('--retry-unknown goes with --resume');
      let target: URL;
      try {
        target = new URL(flags.target);
      } catch {
        throw new UsageError(`--target must be a URL such as http://127.0.0.1:8080/beta (got ${JSON.stringify(flags.target)})`);
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new UsageError(`--target must use http or https (got ${target.protocol})`);
      let previous: Map<number, ReportEntry> | undefined;
      if (flags.resume) {
        if (!existsSync(flags.report)) throw new UsageError(`--resume needs the earlier report ${flags.report}, which does not exist`);
        previous = await readReport(createReadStream(flags.report)).catch((error: Error) => {
          throw new UsageError(`cannot resume from ${flags.report}: ${error.message}`);
        });
      }
      if (!flags.bearer) process.stderr.write('seed: no --bearer (or VPPKIT_BEARER): requests carry no Authorization header\n');

      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write('\nseed: stopping: waiting for the requests in flight (Ctrl-C again to quit at once)\n');
        controller.abort();
      };
      process.on('SIGINT', onSigint);

      checkTraits(flags.profile, flags.trait);
      const input = flags.from !== undefined ? fileSeedInputs(await openInput(flags.from), flags.format, flags.profile) : generatedSeedInputs({ count: flags.count!, offset: flags.offset, seed: flags.seed, traits: flags.trait, signal: controller.signal, profile: flags.profile });
      // A resumed run writes its complete report beside the old one and replaces it at the end.
      const reportPath = flags.resume ? `${flags.report}.resuming` : flags.report;
      const report = createWriteStream(reportPath);
      const bar = progress(flags.count);
      try {
        const summary = await seedVppTokens({
          target: flags.target,
          records: input,
          concurrency: flags.concurrency,
          bearer: flags.bearer,
          timeoutMs: flags.timeout,
          maxAttempts: flags.maxAttempts,
          previous,
          retryUnknown: flags.retryUnknown,
          report: (entry) => report.write(`${JSON.stringify(entry)}\n`),
          onProgress: bar.update,
          signal: controller.signal,
        });
        report.end();
        await finished(report);
        if (flags.resume) renameSync(reportPath, flags.report);
        bar.done();
        const seconds = summary.elapsedMs / 1000;
        process.stdout.write(
          `vppkit seed: ${summary.total} record${summary.total === 1 ? '' : 's'}: ${summary.created} created, ${summary.failed} failed, ${summary.invalid} invalid, ${summary.unknown} unknown, ${summary.notSent} not sent in ${seconds.toFixed(1)} s (${summary.rate.toFixed(0)} created/s)${summary.interrupted ? ', interrupted' : ''}; report: ${flags.report}\n`,
        );
        process.exitCode = summary.interrupted ? 130 : summary.created === summary.total ? 0 : 1;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
