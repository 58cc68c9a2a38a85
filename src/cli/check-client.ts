import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { EXIT, UsageError, parseInteger, parseSeconds, systemReason, verdictExitCode, verdictWord, writeReportFile, checkOutputFile } from './errors';
import { addFaultOptions, faultOptionsOf, type FaultFlags } from './faults';
import { profileOption } from './profile';
import type { Profile } from '../schemas';
import type { RequestProblem } from '../judgement';
import { escapeData, shownProgram } from '../net/redact';

/** The shape of `vppkit check-client --json` (README "Checking your client"). */
export interface CheckClientJson {
  command: 'check-client';
  passed: boolean;
  exitCode: number;
  client: { exitCode: number | null; signal: string | null; timedOut: boolean; startError?: string };
  /** status is null for a request that got no answer (reset-after-create); fault names what was injected. */
  requests: { method: string; path: string; query?: string; batchId?: string; kind?: 'create' | 'list' | 'read' | 'preflight' | 'batch'; version?: string; status: number | null; fault?: string; notModelled?: string; notJudged?: string; notRun?: string; problems: string[]; details: RequestProblem[] }[];
  /** The requests by verdict: kept, broke, not judged (closed by the client, not modelled by the mock); they add up to checked. */
  counts: { checked: number; kept: number; broke: number; notJudged: number; closedByClient: number; notRun: number; notModelled: number };
  failures: string[];
  /** The client made no request, or no create, and nothing else failed: no verdict, exit code 2 (decision 0220). */
  nothingJudged?: string;
  /** With fault options: what was injected, with its seed. */
  faults?: { seed: number; description: string };
  /** Every run that started the client: retry-after, no duplicate, bounded retries, no silent loss, timeout. */
  checks?: { name: string; passed: boolean; findings: string[]; skipped?: string }[];
  pactFile?: string;
  pactUnwritten?: string;
  noPact?: string;
  /** When every request that broke the contract got the same 401, 404, 405 or 415: what the client should check. */
  likelyCause?: string;
  summary: string;
}

interface CheckClientFlags extends FaultFlags {
  consumer: string;
  pactDir: string;
  timeout: number;
  json?: boolean;
  junit?: string;
  maxAttempts?: number;
  concurrency?: number;
  schemaTokens?: boolean;
  profile: Profile;
}

export function registerCheckClient(program: Command, ctx: CliContext): void {
  const command = program
    .command('check-client')
    .description('Run any client against a mock of Graph and check every request it makes against the contract')
    .argument('<command...>', 'the client to run, after --, with its arguments')
    .option('--consumer <name>', 'consumer name for the Pact file written on success', 'vpptokens-client')
    .option('--pact-dir <dir>', 'where the consumer Pact file goes', 'pacts')
    .option('--timeout <seconds>', 'stop the client (and everything it started) after this long, fractions allowed', parseSeconds('--timeout'), 120)
    .option('--json', "print one JSON summary instead of the request lines (the client's own output goes to stderr)")
    .option('--junit <file>', 'also write JUnit XML: one test case per request, and per behaviour check')
    .option('--max-attempts <n>', 'under faults: most requests one token may be sent in, re-sends that waited out a Retry-After not counted (bounded retries; default 10)', parseInteger('--max-attempts', 1))
    .option('--concurrency <n>', 'the most requests the client runs at once (retry-after counts its workers by it; default 8)', parseInteger('--concurrency', 1))
    .option('--schema-tokens', 'take any non-empty token, as the schema does; by default the mock refuses a token that is no Apple sToken with 400, as Intune does')
    .option(...profileOption);
  addFaultOptions(command)
    .addHelpText(
      'after',
      `
The client gets VPPKIT_MOCK_URL (no version prefix, e.g. http://127.0.0.1:40123) and must POST to
$VPPKIT_MOCK_URL/deviceAppManagement/vppTokens with Content-Type: application/json and a Bearer token.
It may keep the version prefix of its --profile (/beta, or /v1.0) or use none, and may read back what it
created (GET .../vppTokens, with $top and $skiptoken, or .../vppTokens/{id}): reads are judged as reads and
answered from the mock's store. A request the mock refuses fails the client. Each token must be an Apple
sToken (base64 of {"token","expDate","orgName"}, as Apple Business Manager gives it): Intune refuses any other
with 400, and so does the mock, unless --schema-tokens.
It passes when it made at least one create, every request kept the contract, it created no token twice (the
behaviour checks below run in every run, faults or none) and it exited 0; then the
consumer's own Pact file (<pact-dir>/<consumer>-microsoft-graph-vpptokens.json) describes what it really sent.
The client runs in its own process group: on --timeout, on Ctrl-C and when it exits, whatever it started is
stopped too (SIGTERM, then SIGKILL 2 s later).
Exit code 0 on a pass with this run's pact written; 1 on a failure (a broken request, a non-zero exit, a signal,
the timeout); 2 when the client can't be started or --pact-dir is not a folder, or made no create and nothing else
failed (no verdict), or passed with no pact written (no create answered, or the pact can't be written: an earlier
run's pact is kept); 130 when interrupted.

With fault options (the same as serve's), the mock fails as asked, and what the client does about it is judged
from the traffic (these checks judge a run without faults too): retry-after (a token or a read re-sent after a 429 or 503 waits
Retry-After, less 50 ms, and no create or read is sent while more requests wait out a Retry-After, with the
requests in flight, than the client runs at once: --concurrency, default 8),
no duplicate (no token created twice: after a 504 or a reset the outcome is unknown, so read the vppTokens back
and re-send only what is missing), bounded retries (at most --max-attempts requests per token, a re-send that
waited out the Retry-After it was given not counted, as Graph asks for it; no create or read re-sent sooner than
100 ms after a 429 or 503 without Retry-After), no silent loss (a client exiting 0 created every token it
sent), and the timeout. A client that gives up after a fault and exits non-zero is not failed for that alone.
Reads (GET of the list or of one vppToken) are allowed. The Pact file describes every create the client sent
that was answered, a fault's answer included: the same creates write the same file under any --seed.

Examples:
  vppkit check-client -- node my-client.js
  vppkit check-client --timeout 30 --json --consumer intune-onboarding -- python3 create_token.py
  vppkit check-client --fail-rate 0.3 --fail-with 504-after-create,reset-after-create --seed 7 -- node my-client.js
  vppkit check-client --rate-limit 5/1 --junit client.xml -- node my-client.js`,
    )
    .action(async (command: string[], flags: CheckClientFlags) => {
      let faults: Awaited<ReturnType<typeof faultOptionsOf>>;
      try {
        // Checked before the client runs, not after it has done its work.
        const { pactFileProblem, VPP_TOKENS_PROVIDER } = await import('../contract/names');
        const named = pactFileProblem({ consumer: flags.consumer, provider: VPP_TOKENS_PROVIDER });
        if (named) throw new UsageError(named);
        checkOutputFile('--junit', flags.junit);
        if (existsSync(flags.pactDir) && !statSync(flags.pactDir).isDirectory()) throw new UsageError(`--pact-dir ${flags.pactDir} is a file, not a folder`);
        const { preparePactDir } = await import('../client-check/pact-dir');
        try {
          preparePactDir(flags.pactDir);
        } catch (error) {
          throw new UsageError(`cannot write the pact to ${flags.pactDir}: ${systemReason(error)}`);
        }
        faults = await faultOptionsOf(flags, ctx);
        if (flags.maxAttempts !== undefined && !faults) throw new UsageError('--max-attempts needs fault options (--fail-rate, --rate-limit, --latency or --faults): it bounds retries after a fault');
      } catch (error) {
        // With --json, a run that could not start still leaves one JSON object on stdout: main() writes it.
        throw error;
      }
      const [{ checkClient, checkClientJUnit, notJudgedReason, readOfCreated }, { formatRequestProblem }] = await Promise.all([import('../client-check'), import('../judgement')]);
      ctx.handleInterrupts();
      const result = await checkClient({
        command: command[0],
        args: command.slice(1),
        consumer: flags.consumer,
        pactDir: flags.pactDir,
        timeoutMs: Math.round(flags.timeout * 1000),
        profile: flags.profile,
        env: ctx.env,
        // With --json, stdout is the report's: the client's own output goes to stderr.
        output: { stdout: flags.json ? ctx.stderr : ctx.stdout, stderr: ctx.stderr },
        // The client's process group is stopped on an interrupt, and the run ends with 130 when it is.
        signal: ctx.signal,
        faults,
        maxAttempts: flags.maxAttempts,
        concurrency: flags.concurrency,
        schemaTokens: flags.schemaTokens,
      });
      // A pact it could not write is output it can't write: 2, after the verdict is shown (the pact there is kept); so
      // is a run that passed with no create answered to describe: exit 0 says this run's pact was written (R69, 0661).
      const exitCode = result.interrupted ? EXIT.interrupted : result.startError || result.pactUnwritten || result.noPact ? EXIT.couldNotRun : verdictExitCode(result);
      if (flags.json) {
        const report: CheckClientJson = {
          command: 'check-client',
          passed: result.passed,
          exitCode,
          client: { exitCode: result.exitCode, signal: result.signal ?? null, timedOut: result.timedOut ?? false, ...(result.startError ? { startError: result.startError } : {}) },
          requests: result.requests.map((r) => ({
            method: r.method,
            path: r.path,
            query: r.query,
            ...(r.batchId !== undefined ? { batchId: r.batchId } : {}),
            ...(r.kind ? { kind: r.kind } : {}),
            ...(r.version ? { version: r.version } : {}),
            status: r.status,
            ...(r.fault ? { fault: r.fault } : {}),
            ...(r.notModelled ? { notModelled: r.notModelled } : {}),
            ...(r.notJudged ? { notJudged: r.notJudged } : {}),
            ...(r.notRun ? { notRun: r.notRun } : {}),
            problems: r.problems.map(formatRequestProblem),
            // The same problems as fields (part, header, pointer), for a program that decides by where they are.
            details: r.problems,
          })),
          counts: result.counts,
          failures: result.failures,
          ...(result.nothingJudged ? { nothingJudged: result.nothingJudged } : {}),
          ...(result.faults ? { faults: result.faults } : {}),
          ...(result.checks ? { checks: result.checks } : {}),
          ...(result.pactFile ? { pactFile: result.pactFile } : {}),
          ...(result.pactUnwritten ? { pactUnwritten: result.pactUnwritten } : {}),
          ...(result.noPact ? { noPact: result.noPact } : {}),
          ...(result.likelyCause ? { likelyCause: result.likelyCause } : {}),
          summary: result.summary,
        };
        ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else if (!result.startError) {
        // (A client that never started has nothing to report: its one line goes to stderr below.)
        if (result.faults) ctx.stdout.write(`${result.faults.description}\n`);
        // A list of what is allowed is read once: later lines say "as above".
        const { allowedListedOnce } = await import('../validation/digest');
        const lists = new Set<string>();
        // A request inside a batch goes by its batch's number and its id, as the behaviour checks' findings name it.
        let number = 0;
        result.requests.forEach((r) => {
          if (r.batchId === undefined) number += 1;
          const verdict = r.problems.length ? 'BROKE THE CONTRACT' : notJudgedReason(r) !== undefined ? 'not judged' : 'ok';
          const answer = `${r.status ?? 'no answer'}${r.fault ? ` (injected fault: ${r.fault})` : ''}`;
          const notes = [
            ...(readOfCreated(r) ? [r.method === 'HEAD' ? 'the head of a read of what it created' : 'a read of what it created'] : []),
            ...(r.kind === 'preflight' ? ['a CORS preflight: not a create, not in the pact'] : []),
            ...(r.kind === 'batch' ? ['a JSON batch: each request inside it is judged below'] : []),
            // A request inside a batch has its batch's prefix: said once, on the batch's line.
            ...(r.version && r.batchId === undefined && r.problems.every((p) => p.part !== 'path') ? [`the /${r.version} prefix is fine under --profile ${flags.profile}`] : []),
            ...(r.notModelled ? [`not judged: ${r.notModelled}`] : []),
            ...(r.notJudged ? [r.notJudged] : []),
            ...(r.notRun ? [r.notRun] : []),
          ];
          const inside = r.batchId !== undefined ? ` ($batch id ${JSON.stringify(r.batchId)})` : '';
          // A batch member's method and URL are the client's data, whatever bytes they hold (outside tester K10).
          ctx.stdout.write(`${escapeData(`request ${number}${inside}: ${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${answer} ${verdict}${notes.length ? ` (${notes.join('; ')})` : ''}`)}\n`);
          for (const p of r.problems) ctx.stdout.write(`  ${escapeData(formatRequestProblem({ ...p, message: allowedListedOnce(p, lists) }))}\n`);
        });
        for (const check of result.checks ?? []) {
          ctx.stdout.write(`check ${check.name}: ${check.skipped ? `not applicable (${check.skipped})` : check.passed ? 'passed' : 'FAILED'}\n`);
          for (const finding of check.findings) ctx.stdout.write(`  ${escapeData(finding)}\n`);
        }
        for (const failure of result.failures) ctx.stdout.write(`check-client: ${escapeData(failure)}\n`);
        if (result.pactFile) ctx.stdout.write(`wrote ${result.pactFile}\n`);
        ctx.stdout.write(`vppkit check-client: ${verdictWord(result)}: ${result.summary}\n`);
      }
      // The client by its program only, as messages show it: its arguments may carry a credential, and so may a
      // NAME=value word taken for the program (P3).
      if (flags.junit) writeReportFile(flags.junit, checkClientJUnit(result, shownProgram(command[0])), 'JUnit');
      if (result.startError && !flags.json) ctx.stderr.write(`vppkit: ${result.startError}\n`);
      if (result.likelyCause) ctx.stderr.write(`vppkit: ${result.likelyCause}\n`);
      if (result.pactUnwritten) ctx.stderr.write(`vppkit: ${result.pactUnwritten}\n`);
      if (result.noPact) ctx.stderr.write(`vppkit: ${result.noPact}\n`);
      ctx.exitCode = exitCode;
    });
}
