import type { Command } from 'commander';
import { noWriterNote, type CliContext } from './context';
import type { CompareResult } from '../compare';
import type { Profile } from '../schemas';
import { UsageError, systemErrorLine, verdictExitCode, writeReportFile } from './errors';
import { junitXml, type JUnitCase } from '../junit';
import { profileOption, recordedProfileNote } from './profile';

/** One JUnit test case per interaction, one suite for the run. */
export function compareJunit(result: CompareResult): string {
  const cases = result.pacts.flatMap((pact) =>
    pact.interactions
      .filter((i) => i.judged)
      .map((i): JUnitCase => {
        const base = { classname: 'microsoft-graph-vpptokens', name: `${pact.consumer}: ${i.description}` };
        if (i.passed) return base;
        const text = i.findings.map((f) => `${f.side} ${f.pointer || '(body)'}: ${f.message}`).join('\n');
        return { ...base, failure: { message: text.split('\n')[0], text } };
      }),
  );
  return junitXml({ name: 'vppkit compare', suites: [{ name: `pacts against ${result.against}`, cases }] });
}

export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description('Check consumer pacts against the contract without running anything: requests Graph accepts, answers it could give, matchers it satisfies')
    .argument('<pact...>', 'pact files, folders of them (*.json) or globs (pact-js, PactNet, pact-jvm, or downloaded from a broker); a file named twice is judged once')
    .option(...profileOption)
    .option('--json', 'print the result as one JSON object')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per interaction)')
    .option('--no-comparator', 'leave out PactFactory\'s openapi-pact-comparator (the kit\'s judgement alone)')
    .option('--schema-tokens', 'take any non-empty token in a create, as the schema does; by default a create whose token is no Apple sToken is one Graph refuses with 400, as Intune does')
    .addHelpText(
      'after',
      `
For every interaction that creates a vppToken (POST /deviceAppManagement/vppTokens, with or without /beta or
/v1.0) or reads one: the request must be one Graph accepts, or one it refuses with the status the pact expects
(401 without a bearer token, 415 for another media type, 400 for a body that breaks the schema, or whose token
is no Apple sToken or an sToken that has expired, as Intune refuses them; --schema-tokens takes any token); a read's
query options as Graph reads them ($select: only the properties selected come back); the expected
answer must be one Graph could give (its schema, values the client set coming back, no property Graph never
answers); each matcher must admit a value Graph gives. PactFlow's openapi-pact-comparator also checks each pact
against the exported OpenAPI document. Findings name the interaction, the side and the JSON pointer.
Each pact is judged by the Graph version it records (its metadata vppkit.profile, which every pact the kit
writes records); --profile is for pacts that record none (hand-written, or written by another tool).

Exit codes: 0 every interaction passed, 1 a finding, 2 a file is missing or not a pact, or nothing judged (no
interaction creates or reads a vppToken: no verdict).

Examples:
  vppkit compare pacts/my-app-microsoft-graph-vpptokens.json
  vppkit compare --profile v1.0 pacts/*.json --junit compare.xml
  vppkit compare my-app.json --json > compare.json`,
    )
    .action(async (files: string[], opts: { profile: Profile; json?: boolean; junit?: string; comparator: boolean; schemaTokens?: boolean }, command: Command) => {
      const { comparePacts, formatCompareResult, PactFileError } = await import('../compare');
      let result: CompareResult;
      try {
        result = await comparePacts(files, { profile: opts.profile, comparator: opts.comparator, schemaTokens: opts.schemaTokens === true, signal: ctx.signal, onNoWriter: noWriterNote(ctx) });
      } catch (error) {
        // A file that cannot be read is said as every command says it (`<file>: no such file or folder (ENOENT)`).
        const unreadable = systemErrorLine(error);
        const usage = error instanceof PactFileError ? new UsageError(error.message) : unreadable !== undefined ? new UsageError(unreadable) : error;
        // With --json, a run that could not be done still leaves one JSON object on stdout (outside tester H33): main() writes it.
        throw usage;
      }
      // A file named twice was judged once: said as verify and validate say it (decision 0485).
      for (const note of result.again ?? []) ctx.stderr.write(`vppkit: note: ${note}\n`);
      // Each pact is judged by the profile it records, as verify judges it (decision 0231); a --profile given for
      // the others is said once.
      if (command.getOptionValueSource('profile') === 'cli') {
        for (const pact of result.pacts) {
          const note = recordedProfileNote(pact.file, pact.recordedProfile, opts.profile);
          if (note) ctx.stderr.write(`vppkit: ${note}\n`);
        }
      }
      const exitCode = verdictExitCode(result);
      if (opts.junit) writeReportFile(opts.junit, compareJunit(result), 'JUnit');
      ctx.stdout.write(opts.json ? `${JSON.stringify({ command: 'compare', exitCode, ...result })}\n` : `${formatCompareResult(result)}\n`);
      ctx.exitCode = exitCode;
    });
}
