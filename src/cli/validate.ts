import { existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import { distinctFiles, expandFileArguments, matchesNothing } from '../validation/files';
import { DEFAULT_MAX_RECORD_BYTES, INPUT_FORMATS, InputError, readRecords, repeatedTokenChecker, validateRecords, type InputFormat, type InputRecord, type RecordsSummary } from '../validation';
import type { Problem } from '../validation/problems';
import { ProblemDigest } from '../validation/digest';
import { noWriterNote, type CliContext, type CliInput } from './context';
import { openInputFile, type InputWait } from '../validation/stream-file';
import { UsageError, oneOf, parseBytes, systemErrorLine, systemReason } from './errors';
import { profileOption } from './profile';
import { holdsSToken } from '../net/redact';
import type { Profile } from '../schemas';

/** Opens FILE, or `stdin` for `-`; a file that can't be opened is a usage error (exit 2). */
export async function openInput(file: string | undefined, stdin: CliInput, wait: InputWait = {}): Promise<Readable> {
  if (file === undefined || file === '-') {
    if (file === undefined && stdin.isTTY) throw new UsageError('give a FILE, or pipe records into stdin (use - to read stdin explicitly)');
    return stdin;
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`cannot read ${file}: ${systemReason({ code: 'EISDIR' })}`);
  try {
    return await openInputFile(file, wait);
  } catch (caught) {
    const error = caught as NodeJS.ErrnoException;
    throw new UsageError(
      // A VPP token given where a file goes (P15): said what it is, never shown (main hides it), and what validate takes.
      error.code === 'ENOENT' && holdsSToken(file)
        ? `cannot read ${file}: it is a VPP token (an sToken), not a file: validate takes files of records (echo '{"token":"..."}' | vppkit validate -)`
        : `cannot read ${file}: ${error.code === 'ENOENT' && matchesNothing(file) ? 'no file matches this pattern' : systemReason(error)}`,
    );
  }
}

/** The shape of `vppkit validate --json` (README "Validating records"). */
export interface ValidateJsonFile extends Partial<RecordsSummary> {
  file: string;
  /** Why the file could not be read as records; the other counts are then absent. */
  error?: string;
  records?: { index: number; line: number; problems?: Problem[]; notJson?: { line: number; column: number; message: string } }[];
}

export interface ValidateJson {
  command: 'validate';
  kind: string;
  passed: boolean;
  exitCode: number;
  total: RecordsSummary & { files: number; unreadable: number };
  files: ValidateJsonFile[];
}

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Check JSON, JSON-array or NDJSON records against the schemas and list every problem')
    .argument('[files...]', 'files or glob patterns to read, - for stdin (default: stdin when it is not a terminal)')
    .option('--kind <kind>', 'request, response or error', oneOf('--kind', ['request', 'response', 'error'] as const), 'request')
    .option('--format <format>', 'auto, json (one document or an array) or ndjson', oneOf('--format', INPUT_FORMATS), 'auto')
    .option(...profileOption)
    .option('--max-record-bytes <n>', 'longest record accepted (an NDJSON line, an array element), in bytes or with KiB/MiB/GiB (default 64MiB)', parseBytes('--max-record-bytes'))
    // The option's name before it bounded array elements too; kept so that scripts using it still work.
    .addOption(new Option('--max-line-bytes <n>').hideHelp().argParser(parseBytes('--max-line-bytes')))
    .option('--json', 'print one JSON summary (every file, every invalid record with its problems) instead of text')
    .option('--schema-tokens', 'with --kind request: take any non-empty token, as the schema does; by default a token that is no Apple sToken is invalid, as Intune refuses it')
    .addHelpText(
      'after',
      `
For each invalid record: its line (NDJSON, one document) or its index and line (array), then each problem as a
JSON pointer, what is wrong and what is allowed; each problem in full once, a repeated one at the end as one
line with its count and first records (--json keeps them all). Then a summary per file, and a total.
A create request's token must be an Apple sToken (base64 of {"token","expDate","orgName"}), as Intune
refuses any other with 400; --schema-tokens takes any non-empty token, as the schema does. A create request that
sets a read-only property (id, lastModifiedDateTime) is invalid, as check-client fails a client that sends one.
Token values are never printed. A glob the shell did not expand ("tokens/*.ndjson") is expanded by vppkit.
Exit code 0 when every record of every file is valid, 1 when any is invalid, 2 when any file can't be read or
parsed (the other files are still checked and reported).

Examples:
  vppkit validate tokens.ndjson
  vppkit validate good.ndjson more/*.ndjson
  vppkit generate --count 100 | vppkit validate -
  vppkit validate --kind response --json created.json`,
    )
    .action(async (args: string[], opts: { kind: 'request' | 'response' | 'error'; format: InputFormat; maxRecordBytes?: number; maxLineBytes?: number; json?: boolean; schemaTokens?: boolean; profile: Profile }) => {
      // No ignored arguments: the token rule is a create request's.
      if (opts.schemaTokens && opts.kind !== 'request') throw new UsageError(`--schema-tokens applies to --kind request only (got --kind ${opts.kind})`);
      const maxRecordBytes = opts.maxRecordBytes ?? opts.maxLineBytes ?? DEFAULT_MAX_RECORD_BYTES;
      // A file named twice is read once, said (outside finding R42): its records are not duplicates of themselves.
      const distinct = distinctFiles(args.length ? expandFileArguments(args) : []);
      for (const line of distinct.again) ctx.stderr.write(`vppkit: note: ${line}\n`);
      const files = args.length ? distinct.files : [undefined];
      if (files.filter((f) => f === '-' || f === undefined).length > 1) throw new UsageError('stdin (-) can be read only once');
      const several = files.length > 1;
      const report: ValidateJson = {
        command: 'validate',
        kind: opts.kind,
        passed: false,
        exitCode: 0,
        total: { files: files.length, unreadable: 0, read: 0, valid: 0, invalid: 0, notJson: 0 },
        files: [],
      };
      // The files of one run are one data set (decision 0428): a token repeated across them is created twice as well.
      const repeated = opts.kind === 'request' ? repeatedTokenChecker() : undefined;
      const out: string[] = [];
      const flush = () => {
        if (out.length && !opts.json) ctx.stdout.write(`${out.join('\n')}\n`);
        out.length = 0;
      };
      for (const file of files) {
        const name = file ?? '-';
        const entry: ValidateJsonFile = { file: name };
        report.files.push(entry);
        const prefix = several ? `${name}: ` : '';
        try {
          const input = await openInput(file, ctx.stdin, { signal: ctx.signal, onNoWriter: noWriterNote(ctx) });
          const records: NonNullable<ValidateJsonFile['records']> = [];
          // Each problem in full once, then one line per problem repeated on several records.
          const digest = new ProblemDigest();
          const summary = await validateRecords(opts.kind, readRecords(input, opts.format, { maxRecordBytes }), (record: InputRecord, problems) => {
            const where = `${prefix}record ${record.index} (line ${record.line})`;
            if (record.syntaxError) {
              const e = record.syntaxError;
              if (opts.json) records.push({ index: record.index, line: record.line, notJson: { line: e.line, column: e.column, message: e.message } });
              else out.push(`${where}: not JSON: line ${e.line}, column ${e.column}: ${e.message}`);
            } else {
              if (opts.json) records.push({ index: record.index, line: record.line, problems });
              else out.push(...digest.record(where, record.index, opts.kind, problems));
            }
            if (out.length > 256) flush();
          }, opts.profile, { schemaTokens: opts.schemaTokens, ...(repeated ? { dataSet: { repeated, file: file === undefined || file === '-' ? 'stdin' : file } } : {}) });
          if (!opts.json) out.push(...digest.repeated());
          flush();
          Object.assign(entry, summary, { records });
          for (const key of ['read', 'valid', 'invalid', 'notJson'] as const) report.total[key] += summary[key];
          if (!opts.json) {
            ctx.stdout.write(
              `vppkit validate: ${prefix}${summary.read} record${summary.read === 1 ? '' : 's'} read: ${summary.valid} valid, ${summary.invalid} invalid${summary.notJson ? `, ${summary.notJson} not JSON` : ''}\n`,
            );
          }
        } catch (error) {
          flush();
          // A file is named even when it is the only one (outside tester G23); standard input has no name.
          const line =
            error instanceof UsageError ? error.message : error instanceof InputError ? `cannot read the records${several || (file !== undefined && file !== '-') ? ` of ${name}` : ''}: ${error.message}${error.recordLimit !== undefined ? ', or raise the limit with --max-record-bytes' : ''}` : systemErrorLine(error);
          if (line === undefined) throw error;
          entry.error = line;
          report.total.unreadable++;
          if (!several && !opts.json) throw new UsageError(line);
          if (!opts.json) ctx.stderr.write(`vppkit: ${line}\n`);
        }
      }
      const t = report.total;
      report.exitCode = t.unreadable > 0 || t.notJson > 0 ? 2 : t.invalid > 0 ? 1 : 0;
      report.passed = report.exitCode === 0;
      if (opts.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (several) {
        ctx.stdout.write(
          `vppkit validate: ${files.length} files, ${t.read} record${t.read === 1 ? '' : 's'} read: ${t.valid} valid, ${t.invalid} invalid${t.notJson ? `, ${t.notJson} not JSON` : ''}${t.unreadable ? `, ${t.unreadable} file${t.unreadable === 1 ? '' : 's'} unreadable` : ''}\n`,
        );
      }
      ctx.exitCode = report.exitCode;
    });
}
