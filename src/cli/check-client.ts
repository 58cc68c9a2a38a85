import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { EXIT, UsageError, parseSeconds } from './errors';
import { profileOption } from './profile';
import type { Profile } from '../schemas';

/** The shape of `vppkit check-client --json` (README "Checking your client"). */
export interface CheckClientJson {
  command: 'check-client';
  passed: boolean;
  exitCode: number;
  client: { exitCode: number | null; signal: string | null; timedOut: boolean; startError?: string };
  requests: { method: string; path: string; query: string; kind?: 'create' | 'list' | 'read'; version?: string; status: number; problems: string[] }[];
  failures: string[];
  pactFile?: string;
  summary: string;
}

export function registerCheckClient(program: Command, ctx: CliContext): void {
  program
    .command('check-client')
    .description('Run any client against a mock of Graph and check every request it makes against the contract')
    .argument('<command...>', 'the client to run, after --, with its arguments')
    .option('--consumer <name>', 'consumer name for the Pact file written on success', 'vpptokens-client')
    .option('--pact-dir <dir>', 'where the consumer Pact file goes', 'pacts')
    .option('--timeout <seconds>', 'stop the client (and everything it started) after this long, fractions allowed', parseSeconds('--timeout'), 120)
    .option('--json', "print one JSON summary instead of the request lines (the client's own output goes to stderr)")
    .option(...profileOption)
    .addHelpText(
      'after',
      `
The client gets VPPKIT_MOCK_URL (no version prefix, e.g. http://127.0.0.1:40123) and must POST to
$VPPKIT_MOCK_URL/deviceAppManagement/vppTokens with Content-Type: application/json and a Bearer token.
It may keep the version prefix of its --profile (/beta, or /v1.0) or use none, and may read back what it
created (GET .../vppTokens, with $top and $skiptoken, or .../vppTokens/{id}): reads are judged as reads and
answered from the mock's store. A request the mock refuses fails the client.
It passes when it made at least one request, every request kept the contract and it exited 0; then the
consumer's own Pact file (<pact-dir>/<consumer>-microsoft-graph-vpptokens.json) describes what it really sent.
The client runs in its own process group: on --timeout, on Ctrl-C and when it exits, whatever it started is
stopped too (SIGTERM, then SIGKILL 2 s later).
Exit code 0 on a pass; 1 on a failure (a broken request, no request, a non-zero exit, a signal, the timeout);
2 when the client can't be started or --pact-dir is not a folder; 130 when interrupted.

Examples:
  vppkit check-client -- node my-client.js
  vppkit check-client --timeout 30 --json --consumer intune-onboarding -- python3 create_token.py`,
    )
    .action(async (command: string[], flags: { consumer: string; pactDir: string; timeout: number; json?: boolean; profile: Profile }) => {
      // Checked before the client runs, not after it has done its work.
      if (existsSync(flags.pactDir) && !statSync(flags.pactDir).isDirectory()) throw new UsageError(`--pact-dir ${flags.pactDir} is a file, not a folder`);
      const [{ checkClient }, { formatRequestProblem }] = await Promise.all([import('../client-check'), import('../judgement')]);
      ctx.handleInterrupts();
      const result = await checkClient({
        command: command[0],
        args: command.slice(1),
        consumer: flags.consumer,
        pactDir: flags.pactDir,
        timeoutMs: Math.round(flags.timeout * 1000),
        profile: flags.profile,
        env: ctx.env,
        // The client's process group is stopped on an interrupt, and the run ends with 130 when it is.
        signal: ctx.signal,
        // With --json, stdout is the report's: the client's own output goes to stderr.
        stdio: flags.json ? 'stderr' : 'inherit',
        stderr: ctx.stderr,
      });
      const exitCode = result.interrupted ? EXIT.interrupted : result.startError ? EXIT.couldNotRun : result.passed ? EXIT.ok : EXIT.failed;
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
            ...(r.kind ? { kind: r.kind } : {}),
            ...(r.version ? { version: r.version } : {}),
            status: r.status,
            problems: r.problems.map(formatRequestProblem),
          })),
          failures: result.failures,
          ...(result.pactFile ? { pactFile: result.pactFile } : {}),
          summary: result.summary,
        };
        ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        result.requests.forEach((r, i) => {
          const verdict = r.problems.length ? 'BROKE THE CONTRACT' : 'ok';
          const notes = [
            ...(r.kind === 'list' || r.kind === 'read' ? ['a read of what it created'] : []),
            ...(r.version && r.problems.every((p) => p.where !== 'path') ? [`the /${r.version} prefix is fine under --profile ${flags.profile}`] : []),
          ];
          ctx.stdout.write(`request ${i + 1}: ${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${r.status} ${verdict}${notes.length ? ` (${notes.join('; ')})` : ''}\n`);
          for (const p of r.problems) ctx.stdout.write(`  ${formatRequestProblem(p)}\n`);
        });
        for (const failure of result.failures) ctx.stdout.write(`check-client: ${failure}\n`);
        if (result.pactFile) ctx.stdout.write(`wrote ${result.pactFile}\n`);
        ctx.stdout.write(`vppkit check-client: ${result.passed ? 'passed' : 'failed'}: ${result.summary}\n`);
      }
      if (result.startError && !flags.json) ctx.stderr.write(`vppkit: ${result.startError}\n`);
      ctx.exitCode = exitCode;
    });
}
