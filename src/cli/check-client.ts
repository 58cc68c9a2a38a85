import type { Command } from 'commander';
import { parseInteger } from './errors';
import { profileOption } from './profile';
import type { Profile } from '../schemas';

export function registerCheckClient(program: Command): void {
  program
    .command('check-client')
    .description('Run any client against a mock of Graph and check every request it makes against the contract')
    .argument('<command...>', 'the client to run, after --, with its arguments')
    .option('--consumer <name>', 'consumer name for the Pact file written on success', 'vpptokens-client')
    .option('--pact-dir <dir>', 'where the consumer Pact file goes', 'pacts')
    .option('--timeout <seconds>', 'stop the client after this long', parseInteger('--timeout', 1), 120)
    .option(...profileOption)
    .addHelpText(
      'after',
      `
The client gets VPPKIT_MOCK_URL (no version prefix, e.g. http://127.0.0.1:40123) and must POST to
$VPPKIT_MOCK_URL/deviceAppManagement/vppTokens with Content-Type: application/json and a Bearer token.
It passes when it made at least one request, every request kept the contract and it exited 0; then the
consumer's own Pact file (<pact-dir>/<consumer>-microsoft-graph-vpptokens.json) describes what it really sent.
Exit code 0 on a pass, 1 on a failure.

Examples:
  vppkit check-client -- node my-client.js
  vppkit check-client --consumer intune-onboarding -- python3 create_token.py`,
    )
    .action(async (command: string[], flags: { consumer: string; pactDir: string; timeout: number; profile: Profile }) => {
      const [{ checkClient }, { formatRequestProblem }] = await Promise.all([import('../client-check'), import('../judgement')]);
      const result = await checkClient({
        command: command[0],
        args: command.slice(1),
        consumer: flags.consumer,
        pactDir: flags.pactDir,
        timeoutMs: flags.timeout * 1000,
        profile: flags.profile,
      });
      result.requests.forEach((r, i) => {
        const verdict = r.problems.length ? 'BROKE THE CONTRACT' : 'ok';
        process.stdout.write(`request ${i + 1}: ${r.method} ${r.path} -> ${r.status} ${verdict}\n`);
        for (const p of r.problems) process.stdout.write(`  ${formatRequestProblem(p)}\n`);
      });
      for (const failure of result.failures) process.stdout.write(`check-client: ${failure}\n`);
      if (result.pactFile) process.stdout.write(`wrote ${result.pactFile}\n`);
      process.stdout.write(`vppkit check-client: ${result.passed ? 'passed' : 'failed'}: ${result.summary}\n`);
      process.exitCode = result.passed ? 0 : 1;
    });
}
