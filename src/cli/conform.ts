import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context';
import { EXIT, UsageError, parseBytes, parseInteger, parseSeconds } from './errors';
import { addTrustOptions, trustFrom } from './trust';
import { profileOption } from './profile';
import type { Profile } from '../schemas';

interface ConformFlags {
  providerBaseUrl?: string;
  bearer?: string;
  seed?: number;
  runs: number;
  junit?: string;
  json?: boolean;
  requireReadBack?: boolean;
  ca?: string;
  insecure?: boolean;
  timeout: number;
  concurrency: number;
  profile: Profile;
  bodyLimit: number;
  maxThrottleWait: number;
  schemaTokens?: boolean;
}

function write(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write the ${what} report to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function registerConform(program: Command, ctx: CliContext): void {
  const command = program
    .command('conform')
    .description('Find bugs in a provider of POST /deviceAppManagement/vppTokens: hundreds of requests drawn from the schemas, every answer judged, each failure shrunk')
    .option('--provider-base-url <url>', 'the server under test, a base path allowed (http://host:port/beta); default: start the embedded reference provider')
    .option('--bearer <token>', 'the access token to send (never printed; reproductions use "$TOKEN")')
    .option('--seed <n>', 'the same seed sends the same requests on any machine (default: random, printed)', parseInteger('--seed', 0, 4294967295))
    .option('--runs <n>', 'valid requests drawn from the whole request schema; the other families (every enum member, trait and fault) add about 290 at the default', parseInteger('--runs', 1, 100000), 200)
    .option('--require-read-back', 'fail when the provider does not answer GET (read-back is skipped otherwise)')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per check)')
    .option('--json', 'print one JSON summary (every check, every finding) on stdout instead of the report')
    .option('--timeout <seconds>', 'how long each request may take, fractions allowed; no answer in time is a finding', parseSeconds('--timeout', 600), 10)
    .option('--concurrency <n>', 'requests in flight at once', parseInteger('--concurrency', 1, 256), 16)
    .option('--body-limit <bytes>', "the largest body the provider takes (one byte more must get 413), in bytes or with KiB/MiB; default Graph's 4 MB (4MiB)", parseBytes('--body-limit', 1024), 4 * 1024 * 1024)
    .option('--max-throttle-wait <seconds>', 'the longest the run waits in all when the provider throttles (429 or 503 with Retry-After); past it conform stops with exit code 2', parseSeconds('--max-throttle-wait'), 120)
    .option('--schema-tokens', 'draw each token from the schema alone (any non-empty string) instead of as an Apple sToken, which Intune requires; for providers that take any token')
    .option(...profileOption);
  addTrustOptions(command, 'provider')
    .addHelpText(
      'after',
      `
Checks: not a server error, status, content type, response schema, values back, unique id, negative data
rejected, read-back. Each finding is shrunk to the smallest request that still fails and printed with the
answer and a curl command (the bearer as "$TOKEN"). Throttling is not a finding: a 429 or 503 with Retry-After
is waited out (every request pauses) and the request sent again; the time is reported. Compressed answers
(gzip, deflate, br) are read. Exit code 0 when every check passed, 1 when one failed, 2 when conform could not
run (bad option, unreachable provider, every request refused with 401/403: give --bearer, throttled past
--max-throttle-wait, an untrusted certificate: give its CA with --ca, or --insecure for a throwaway test server).

Use verify for the contract (CI, Pact Broker); use conform to find the bugs the contract's examples miss.

Examples:
  vppkit conform                                             # against the embedded reference provider
  vppkit conform --provider-base-url http://127.0.0.1:8080/beta --bearer "$TOKEN" --seed 42
  vppkit conform --profile v1.0 --provider-base-url http://127.0.0.1:8080/v1.0   # v1.0: beta-only properties get 400
  vppkit conform --provider-base-url http://127.0.0.1:8080 --runs 1000 --junit conform.xml --json > conform.json
  vppkit conform --provider-base-url https://localhost:8443/beta --ca dev-ca.pem --timeout 2.5`,
    )
    .action(async (flags: ConformFlags) => {
      const trust = trustFrom(flags);
      const { conform, formatConformResult, conformJUnit, conformJson, ConformSetupError } = await import('../conform');
      try {
        const result = await conform({
          providerBaseUrl: flags.providerBaseUrl,
          bearer: flags.bearer,
          seed: flags.seed,
          runs: flags.runs,
          requireReadBack: flags.requireReadBack,
          timeoutMs: Math.round(flags.timeout * 1000),
          concurrency: flags.concurrency,
          profile: flags.profile,
          trust,
          bodyLimit: flags.bodyLimit,
          maxThrottleWaitMs: Math.round(flags.maxThrottleWait * 1000),
          schemaTokens: flags.schemaTokens,
        });
        const exitCode = result.passed ? EXIT.ok : EXIT.failed;
        if (flags.junit) write(flags.junit, conformJUnit(result), 'JUnit');
        ctx.stdout.write(flags.json ? conformJson(result, exitCode) : formatConformResult(result));
        ctx.exitCode = exitCode;
      } catch (error) {
        const usage = error instanceof ConformSetupError ? new UsageError(error.message) : error;
        // With --json, a run that could not be done still leaves one JSON object on stdout.
        if (flags.json && usage instanceof UsageError) ctx.stdout.write(`${JSON.stringify({ command: 'conform', passed: false, exitCode: usage.exitCode, error: usage.message }, null, 2)}\n`);
        throw usage;
      }
    });
}
