import { createReadStream, existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { InputError, formatProblem, readRecords, validateRecords, type InputFormat } from '../validation';
import { UsageError, oneOf } from './errors';
import { profileOption } from './profile';
import type { Profile } from '../schemas';

/** Opens FILE, or stdin for `-`; a file that can't be opened is a usage error (exit 2). */
export async function openInput(file: string | undefined): Promise<Readable> {
  if (file === undefined || file === '-') {
    if (file === undefined && process.stdin.isTTY) throw new UsageError('give a FILE, or pipe records into stdin (use - to read stdin explicitly)');
    return process.stdin;
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
  const stream = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(error.code === 'ENOENT' ? `cannot read ${file}: no such file` : error.code === 'EISDIR' ? `cannot read ${file}: it is a directory` : `cannot read ${file}: ${error.message}`)),
    );
  });
  return stream;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check JSON, JSON-array or NDJSON records against the schemas and list every problem')
    .argument('[file]', 'the file to read, or - for stdin')
    .option('--kind <kind>', 'request, response or error', oneOf('--kind', ['request', 'response', 'error'] as const), 'request')
    .option('--format <format>', 'auto, json (one document or an array) or ndjson', oneOf('--format', ['auto', 'json', 'ndjson'] as const), 'auto')
    .option(...profileOption)
    .addHelpText(
      'after',
      `
For each invalid record: its line (NDJSON, one document) or its index and line (array), then each problem as a
JSON pointer, what is wrong and what is allowed. Then a summary. Token values are never printed.
Exit code 0 when every record is valid, 1 when any is invalid, 2 when the input can't be read or parsed.

Examples:
  vppkit validate tokens.ndjson
  vppkit generate --count 100 | vppkit validate -
  vppkit validate --kind response created.json`,
    )
    .action(async (file: string | undefined, opts: { kind: 'request' | 'response' | 'error'; format: InputFormat; profile: Profile }) => {
      const input = await openInput(file);
      const out: string[] = [];
      const flush = () => {
        if (out.length) process.stdout.write(`${out.join('\n')}\n`);
        out.length = 0;
      };
      try {
        const summary = await validateRecords(opts.kind, readRecords(input, opts.format), (record, problems) => {
          const where = `record ${record.index} (line ${record.line})`;
          if (record.syntaxError) {
            const e = record.syntaxError;
            out.push(`${where}: not JSON: line ${e.line}, column ${e.column}: ${e.message}`);
          } else {
            out.push(`${where}: invalid ${opts.kind}, ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
            for (const p of problems) out.push(`  ${formatProblem(p)}`);
          }
          if (out.length > 256) flush();
        }, opts.profile);
        flush();
        process.stdout.write(
          `vppkit validate: ${summary.read} record${summary.read === 1 ? '' : 's'} read: ${summary.valid} valid, ${summary.invalid} invalid${summary.notJson ? `, ${summary.notJson} not JSON` : ''}\n`,
        );
        process.exitCode = summary.notJson > 0 ? 2 : summary.invalid > 0 ? 1 : 0;
      } catch (error) {
        flush();
        if (error instanceof InputError) throw new UsageError(`cannot read the records: ${error.message}`);
        throw error;
      }
    });
}
