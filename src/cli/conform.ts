import type { Command } from 'commander';
import { unreadBearerVariableNote } from './bearer-variable';
import { interruptName, noWriterNote, type CliContext } from './context';
import { EXIT, UsageError, collect, headerOption, parseBytes, parseInteger, parseSeconds, writeReportFile, checkOutputFile, inputFileFlag } from './errors';
import { addTrustOptions, trustFrom } from './trust';
import { profileMismatch, profileOption } from './profile';
import { publicHostOption } from './public-host';
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
  bodyLimit?: number;
  maxThrottleWait: number;
  schemaTokens?: boolean;
  checks?: string;
  excludeChecks?: string;
  header?: string[];
  publicHost?: string[];
  maxRequests?: number;
  timeBudget?: number;
  replay?: string;
  maxFindings?: number;
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
    .option('--json', 'print one JSON summary (every check, every finding, one request of each failure not shown) on stdout instead of the report')
    .option('--timeout <seconds>', 'how long each request may take, fractions allowed; no answer in time is a finding', parseSeconds('--timeout', 600), 10)
    .option('--concurrency <n>', 'requests in flight at once', parseInteger('--concurrency', 1, 256), 16)
    .option('--body-limit <bytes>', "the largest body the provider takes: a valid create of that many bytes must get 201, one byte more 413; in bytes or with KiB/MiB; default Graph's 4 MB (4,000,000 bytes taken, 4MiB + 1 refused)", parseBytes('--body-limit', 1024))
    .option('--max-throttle-wait <seconds>', 'the longest the run waits in all when the provider throttles (429, or 503 with Retry-After); past it conform stops with exit code 2', parseSeconds('--max-throttle-wait'), 120)
    .option('--schema-tokens', 'draw each token from the schema alone (any non-empty string) instead of as an Apple sToken, which Intune requires; for providers that take any token')
    .option('--checks <list>', 'judge only these checks, separated by commas (names as reported; - or _ for a space)')
    .option('--exclude-checks <list>', 'judge every check but these, separated by commas')
    .option('--header <name=value>', 'add a header to every request, repeatable (a gateway\'s key; never printed: reproductions read $NAME)', collect)
    .option('--max-requests <n>', 'stop drawing once N requests were sent (read-back included), and report what was done', parseInteger('--max-requests', 1))
    .option('--time-budget <seconds>', 'stop drawing after this long (a throttling wait past it is not waited), and report what was done', parseSeconds('--time-budget'))
    .option('--replay <report>', 'send exactly the requests of a report conform --json wrote, judged as they were: one of each failure it found, those it did not show included')
    .option('--max-findings <n>', 'at most N findings of each check are shrunk and shown (default 5); the others are counted, and --json keeps one request of each for --replay', parseInteger('--max-findings', 1))
    .option(...publicHostOption)
    .option(...profileOption);
  addTrustOptions(command, 'provider')
    .addHelpText(
      'after',
      `
Checks: not a server error, status, content type, response headers, response schema, resource identity, values
back, credentials not echoed, unique id, negative data rejected, read-back. Each distinct failure is a finding
(a check at a place; how a refused request is answered, per family of faults; a valid create's status, per status
answered), shrunk to the smallest request that still fails and printed with the answer and a curl command (the
bearer as "$TOKEN"); at most --max-findings (5) of a check are shown, the report says how many more it left out,
and --json keeps one request of each. Throttling is not a finding: a 429 or 503 with Retry-After is waited out
(every request pauses) and the request sent again; a 429 without Retry-After is backed off from (0.25 s, doubling,
at most 32 s); the time is reported. Compressed answers
(gzip, deflate, br) are read. Exit code 0 when every check passed, 1 when one failed, 2 when conform could not
run (bad option, unreachable provider, every request refused with 401/403: give --bearer, throttled past
--max-throttle-wait, an untrusted certificate: give its CA with --ca, or --insecure for a throwaway test server),
130 when interrupted: the first Ctrl-C stops sending and reports what was judged (--json, --junit too), a second
ends the run at once.

--checks and --exclude-checks take the check names above (response-schema, not_a_server_error also do); the
others are reported as skipped. --max-requests and --time-budget stop drawing new requests (every family gets
its turn first) and report what was judged; a finding is then not shrunk. --replay REPORT sends again, byte for
byte but for each create's sToken (new, as a provider may take a token once), one request of each failure the
report found, those it did not show included (give --bearer and each --header again), against --provider-base-url
or the report's provider: a provider fixed for every failure found passes, one fixed for some of them fails.

Use verify for the contract (CI, Pact Broker); use conform to find the bugs the contract's examples miss.

Examples:
  vppkit conform                                             # against the embedded reference provider
  vppkit conform --provider-base-url http://127.0.0.1:8080/beta --bearer "$TOKEN" --seed 42
  vppkit conform --profile v1.0 --provider-base-url http://127.0.0.1:8080/v1.0   # v1.0: beta-only properties get 400
  vppkit conform --provider-base-url http://127.0.0.1:8080 --runs 1000 --junit conform.xml --json > conform.json
  vppkit conform --provider-base-url https://localhost:8443/beta --ca dev-ca.pem --timeout 2.5
  vppkit conform --provider-base-url http://127.0.0.1:8080/beta --checks status,response-schema --max-requests 100
  vppkit conform --provider-base-url https://gateway.example/beta --header "Ocp-Apim-Subscription-Key=$KEY" --time-budget 60
  vppkit conform --provider-base-url http://127.0.0.1:8080/beta --json > findings.json; vppkit conform --replay findings.json`,
    )
    .action(async (flags: ConformFlags, cmd: Command) => {
      const mismatch = profileMismatch(flags.profile, flags.providerBaseUrl, '--provider-base-url');
      if (mismatch) ctx.stderr.write(`vppkit: ${mismatch}\n`);
      const trust = await trustFrom(flags, ctx);
      checkOutputFile('--junit', flags.junit);
      const { conform, formatConformResult, conformJUnit, conformJson, ConformSetupError, ConformOptionError, parseCheckList, readConformReportInput, CONFORM_CHECKS } = await import('../conform');
      try {
        let headers: Record<string, string> | undefined;
        let checks: (typeof CONFORM_CHECKS)[number][] | undefined;
        let excludeChecks: typeof checks;
        let replay: Awaited<ReturnType<typeof readConformReportInput>> | undefined;
        try {
          headers = headerOption(flags.header);
          checks = flags.checks === undefined ? undefined : parseCheckList(flags.checks, '--checks', CONFORM_CHECKS);
          excludeChecks = flags.excludeChecks === undefined ? undefined : parseCheckList(flags.excludeChecks, '--exclude-checks', CONFORM_CHECKS);
          replay = flags.replay === undefined ? undefined : await readConformReportInput(inputFileFlag('--replay', flags.replay), { signal: ctx.signal, onNoWriter: noWriterNote(ctx) });
        } catch (error) {
          if (error instanceof ConformOptionError) throw new UsageError(error.message);
          throw error;
        }
        if (replay) {
          const drawing = ['seed', 'runs', 'profile', 'schemaTokens'].filter((o) => cmd.getOptionValueSource(o) === 'cli');
          if (drawing.length) throw new UsageError(`--replay sends the report's requests as they were: --${drawing[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply`);
        }
        unreadBearerVariableNote(ctx, 'conform', flags.bearer);
        // Interrupted before the run began: main() has said so and ended the run; nothing is started.
        if (ctx.signal.aborted) return;
        // From here an interrupt is conform's own: the first stops sending and reports what was judged (exit 130,
        // decision 0020), the second ends the run at once (issue 15).
        ctx.handleInterrupts();
        const said = () => void ctx.stderr.write(`vppkit: interrupted by ${interruptName(ctx.signal)}: stopping: what was judged is reported (${interruptName(ctx.signal) === 'SIGINT' ? 'Ctrl-C' : interruptName(ctx.signal)} again to end at once)\n`);
        ctx.signal.addEventListener('abort', said, { once: true });
        const cut = new Promise<'cut'>((resolve) => {
          if (ctx.abandon?.aborted) resolve('cut');
          else ctx.abandon?.addEventListener('abort', () => resolve('cut'), { once: true });
        });
        const running = conform({
          providerBaseUrl: flags.providerBaseUrl ?? (replay && !replay.embedded ? replay.providerBaseUrl : undefined),
          bearer: flags.bearer,
          seed: flags.seed,
          runs: flags.runs,
          checks,
          excludeChecks,
          headers,
          publicHosts: flags.publicHost,
          maxRequests: flags.maxRequests,
          maxFindings: flags.maxFindings,
          timeBudgetMs: flags.timeBudget === undefined ? undefined : Math.round(flags.timeBudget * 1000),
          replay,
          requireReadBack: flags.requireReadBack,
          timeoutMs: Math.round(flags.timeout * 1000),
          concurrency: flags.concurrency,
          profile: replay ? (replay.profile as Profile) : flags.profile,
          trust,
          bodyLimit: flags.bodyLimit,
          maxThrottleWaitMs: Math.round(flags.maxThrottleWait * 1000),
          schemaTokens: flags.schemaTokens,
          signal: ctx.signal,
        });
        const outcome = await Promise.race([running, cut]).finally(() => ctx.signal.removeEventListener('abort', said));
        if (outcome === 'cut') {
          // The run, aborted, ends by itself; nothing of it is waited for, printed or written.
          running.catch(() => undefined);
          ctx.stderr.write('vppkit: interrupted again: ended at once, nothing reported\n');
          ctx.exitCode = EXIT.interrupted;
          return;
        }
        const result = outcome;
        const exitCode = ctx.signal.aborted ? EXIT.interrupted : result.passed ? EXIT.ok : EXIT.failed;
        if (flags.junit) writeReportFile(flags.junit, conformJUnit(result), 'JUnit');
        ctx.stdout.write(flags.json ? conformJson(result, exitCode) : formatConformResult(result));
        if (result.likelyCause) ctx.stderr.write(`vppkit: ${result.likelyCause}\n`);
        ctx.exitCode = exitCode;
      } catch (error) {
        const usage = error instanceof ConformSetupError ? new UsageError(error.message, ctx.signal.aborted ? EXIT.interrupted : EXIT.couldNotRun) : error;
        // With --json, a run that could not be done still leaves one JSON object on stdout: main() writes it.
        throw usage;
      }
    });
}
