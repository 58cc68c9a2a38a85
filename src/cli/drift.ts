import type { Command } from 'commander';
import type { Profile } from '../schemas';
import { noWriterNote, type CliContext } from './context';
import { EXIT, UsageError, systemErrorLine } from './errors';
import { profileOption } from './profile';

export function registerDrift(program: Command, ctx: CliContext): void {
  program
    .command('drift')
    .description('Compare the kit\'s schemas with Microsoft\'s metadata of Graph (CSDL XML or OpenAPI YAML): what Graph changed')
    .requiredOption('--metadata <file>', 'Graph\'s CSDL ($metadata, msgraph-metadata\'s *.csdl or clean_*_metadata/*.xml) or OpenAPI (YAML or JSON)')
    .option(...profileOption)
    .option('--json', 'print the report as one JSON object')
    .addHelpText(
      'after',
      `
Compares vppToken (as answered and as sent), vppTokenActionResult with its derived types, and their enums:
properties added or removed, types and nullability changed, enum members added or removed. Each difference is
classified: breaking for clients (code built to the kit), breaking for providers (a provider that behaves as
Graph does, judged by the kit), or additive. Differences the kit keeps on purpose name the decision that
explains them and do not count as drift. The file is read as a stream, up to the end of what is needed:
msgraph-metadata's tens of megabytes take seconds and little memory.

Exit codes: 0 no drift, 1 drift, 2 the file could not be read or is not Graph's metadata.

Examples:
  vppkit drift --metadata beta-metadata.xml                 # beta, the default profile
  vppkit drift --metadata v1.0-Prod.csdl --profile v1.0
  vppkit drift --metadata openapi/v1.0/openapi.yaml --profile v1.0 --json`,
    )
    .action(async (opts: { metadata: string; profile: Profile; json?: boolean }) => {
      const { drift, formatDrift, MetadataError } = await import('../drift');
      const { readableAgain } = await import('../validation/stream-file');
      let report;
      // Metadata on a pipe (`curl ... | drift --metadata /dev/stdin`) is read once into a copy: the format is sniffed
      // from its head, then the text read (outside tester R39: a positional read on a pipe, ESPIPE; decision 0480).
      let copy: import('../validation/stream-file').ReadableAgain | undefined;
      try {
        copy = await readableAgain(opts.metadata, { signal: ctx.signal, onNoWriter: noWriterNote(ctx) });
        const read = await drift({ metadata: copy.path, profile: opts.profile });
        report = { ...read, metadata: { ...read.metadata, file: opts.metadata } };
      } catch (error) {
        const unreadable = systemErrorLine(error);
        const named = copy?.named ?? ((message: string) => message);
        const usage = error instanceof MetadataError ? new UsageError(named(error.message)) : unreadable !== undefined ? new UsageError(named(unreadable)) : error;
        // With --json, a run that could not be done still leaves one JSON object on stdout, as compare's (outside tester I23): main() writes it.
        throw usage;
      } finally {
        copy?.remove();
      }
      ctx.stdout.write(opts.json ? `${JSON.stringify({ command: 'drift', exitCode: report.passed ? EXIT.ok : EXIT.failed, ...report })}\n` : `${formatDrift(report)}\n`);
      ctx.exitCode = report.passed ? EXIT.ok : EXIT.failed;
    });
}
