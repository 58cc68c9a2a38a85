import type { Command } from 'commander';
import { unreadBearerVariableNote } from './bearer-variable';
import type { ConsumerVersionSelector, VerifyOptions, VerifyResult } from '../verification';
import type { CheckedPact } from '../verification/setup';
import { failsTheRun, failureLines, interactionFailureLine } from '../verification/failures';
import { colourWanted } from './colour';
import { noWriterNote, type CliContext } from './context';
import { EXIT, UsageError, collect, headerOption, parseSeconds, writeReportFile, checkOutputFile, systemReason } from './errors';
import { profileMismatch, profileOption, recordedProfileNote } from './profile';
import { publicHostOption } from './public-host';
import { addTrustOptions, trustFrom } from './trust';
import type { Profile } from '../schemas';
import { shownOption } from '../net/option';

interface VerifyFlags {
  providerBaseUrl?: string;
  pact?: string[];
  brokerUrl?: string;
  brokerToken?: string;
  brokerUsername?: string;
  brokerPassword?: string;
  consumerVersionSelector?: string[];
  enablePending?: boolean;
  includeWipPactsSince?: string;
  publish?: boolean;
  providerVersion?: string;
  providerBranch?: string;
  provider: string;
  bearer?: string;
  header?: string[];
  publicHost?: string[];
  interaction?: string;
  providerStatesSetupUrl?: string;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  profile: Profile;
  timeout: number;
  totalTimeout: number;
  maxThrottleWait: number;
  ca?: string;
  insecure?: boolean;
  json?: boolean;
  junit?: string;
}

/** The shape of `vppkit verify --json` (README "Verifying your server"). */
export interface VerifyJson {
  command: 'verify';
  passed: boolean;
  exitCode: number;
  providerBaseUrl: string;
  embedded: boolean;
  interactions: { description: string; passed: boolean; mismatches: string[]; setupFailure?: string }[];
  failures: string[];
  /** Interactions whose provider state could not be set up: not judged (exit 2 when nothing failed). */
  setupFailed: number;
  /** Provider-state teardowns that failed, each reason once: the verdicts stand (exit 2 when nothing failed). */
  teardownFailures?: string[];
  /** The throttling waited out (429, or 503 with Retry-After): answers, milliseconds spent waiting, the bound. */
  throttling?: { answers: number; waitedMs: number; maxWaitMs: number };
  summary: string;
  /** The one likely cause when every failed interaction got the same set-up status (src/net likelyCause). */
  likelyCause?: string;
  /** With --publish: the broker (its public URL), the provider version, how many pacts' results, all passed or not. */
  published?: { brokerUrl: string; providerVersion: string; pacts: number; success: boolean };
  /** The interactions that are not HTTP (V4 messages), left out as compare leaves them (decision 0511). */
  leftOut?: { file: string; description: string; type: string }[];
}

function parseSelector(text: string): ConsumerVersionSelector {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as ConsumerVersionSelector;
  } catch {
    // reported below
  }
  throw new UsageError(`--consumer-version-selector takes a JSON object such as '{"mainBranch":true}' (got ${shownOption(text)})`);
}

function toOptions(pacts: string[], flags: VerifyFlags, tls: VerifyOptions['tls']): VerifyOptions {
  const pactFiles = [...pacts, ...(flags.pact ?? [])];
  const useBroker = pactFiles.length === 0 && flags.brokerUrl;
  if (flags.publish && !useBroker) throw new UsageError('--publish needs a Pact Broker (--broker-url or PACT_BROKER_BASE_URL) and no pact files');
  if (!['trace', 'debug', 'info', 'warn', 'error'].includes(flags.logLevel ?? 'error')) {
    throw new UsageError(`--log-level must be one of trace, debug, info, warn, error (got ${shownOption(flags.logLevel)})`);
  }
  const headers = headerOption(flags.header);
  return {
    providerBaseUrl: flags.providerBaseUrl,
    pactFiles: pactFiles.length ? pactFiles : undefined,
    broker: useBroker
      ? {
          url: flags.brokerUrl!,
          token: flags.brokerToken,
          username: flags.brokerUsername,
          password: flags.brokerPassword,
          consumerVersionSelectors: flags.consumerVersionSelector?.map(parseSelector),
          enablePending: flags.enablePending,
          includeWipPactsSince: flags.includeWipPactsSince,
          publish: flags.publish,
          providerVersion: flags.providerVersion,
          providerBranch: flags.providerBranch,
        }
      : undefined,
    provider: flags.provider,
    bearer: flags.bearer,
    headers,
    publicHosts: flags.publicHost,
    interaction: flags.interaction,
    providerStatesSetupUrl: flags.providerStatesSetupUrl,
    logLevel: flags.logLevel,
    profile: flags.profile,
    timeoutMs: Math.round(flags.timeout * 1000),
    totalTimeoutMs: Math.round(flags.totalTimeout * 1000),
    maxThrottleWaitMs: Math.round(flags.maxThrottleWait * 1000),
    tls,
  };
}

/**
 * The mistakes found without Pact or the network, found here before the verification process starts (fast, one
 * line); the pact arguments come back expanded (folders, globs), so the process reads exactly the files checked,
 * and read (`checked`: what each records). The process probes the provider itself, once.
 */
async function precheck(options: VerifyOptions): Promise<{ options: VerifyOptions; checked: CheckedPact[]; notes: string[] }> {
  const { VerificationSetupError, checkVerifyInputs, leftOutNotHttpNote, otherProvidersNote } = await import('../verification/setup');
  try {
    const { providerFiles, checked, otherProviders, again, notHttp } = checkVerifyInputs(options, options.pactFiles ?? []);
    // Pacts for another provider are left out here, said once (outside tester K23): the process gets only this one's;
    // a pact named twice is verified once (outside finding R42); a V4 message is left out, as compare leaves it (R31).
    const left = [otherProvidersNote(otherProviders, options.provider), leftOutNotHttpNote(notHttp)].filter((note): note is string => note !== undefined);
    // The process reads the provider's pacts, a pact of messages only too: its result names what it left out (leftOut).
    return { options: { ...options, pactFiles: options.pactFiles ? providerFiles : undefined }, checked, notes: [...again, ...left] };
  } catch (error) {
    if (error instanceof VerificationSetupError) throw new UsageError(error.message);
    throw error;
  }
}

/** `  <description>: <what failed, where>; ...`, one line per interaction that failed or was not judged. */
function writeFailedInteractions(out: CliContext['stdout'], result: VerifyResult): void {
  const failed = result.interactions.filter(failsTheRun);
  const pending = result.interactions.filter((i) => i.pending);
  const teardowns = result.teardownFailures ?? [];
  if (pending.length > 0) {
    out.write('\nPending interactions that failed (pending: they do not fail the run):\n');
    for (const i of pending) out.write(`  ${interactionFailureLine(i)}\n`);
  }
  if (failed.length === 0 && result.failures.length === 0 && teardowns.length === 0) return;
  if (failed.length > 0 || result.failures.length > 0) {
    // Pact's report strips colour codes (SGR), the provider's with them: said when a line shows one (decision 0328).
    const escaped = failed.some((i) => i.pactMismatches.some((m) => WRITTEN_COLOUR.test(m)));
    const dropped = escaped ? "; Pact's report above drops the colour codes of the provider's values with its own, so a value there is not the one sent: these lines write them out" : '';
    out.write(`\nFailed interactions (the kit's words; Pact's diff above also shows differences that are not failures${dropped}):\n`);
    for (const i of failed) out.write(`  ${interactionFailureLine(i)}\n`);
    for (const failure of result.failures) out.write(`  ${failure}\n`);
  }
  // After the verdicts, which a failed teardown does not change (decision 0176).
  if (teardowns.length > 0) out.write(`\nAfter the interactions:\n${teardowns.map((line) => `  ${line}\n`).join('')}`);
}

/** A colour code (SGR) as the kit's lines write it out: one of the provider's that Pact's printed report drops. */
const WRITTEN_COLOUR = /\\u001b\[[0-9;]*m/;

/**
 * 0 every interaction passed; 1 one failed the contract; 2 nothing failed but a provider state could not be set up
 * or torn down (the run's own machinery, not the provider under test).
 */
export function verifyExitCode(result: VerifyResult): number {
  if (result.passed) return EXIT.ok;
  const failed = result.interactions.some((i) => failsTheRun(i) && i.setupFailure === undefined) || result.failures.length > 0;
  return !failed && (result.setupFailed > 0 || (result.teardownFailures?.length ?? 0) > 0) ? EXIT.couldNotRun : EXIT.failed;
}

/**
 * verify, its pact files on a pipe (`verify <(curl .../latest)`) read once into a copy that the checks and Pact
 * read (outside tester R38: read twice, the second read found the pipe empty and called the pact "not JSON"); a
 * message names the file as given.
 */
async function verifyCommand(ctx: CliContext, pacts: string[], flags: VerifyFlags, profileGiven: boolean): Promise<void> {
  const { readableAgain } = await import('../validation/stream-file');
  const copies: Array<{ named: (message: string) => string; remove: () => void }> = [];
  const named = (message: string) => copies.reduce((said, copy) => copy.named(said), message);
  const again = async (files: string[]) => {
    const paths: string[] = [];
    for (const file of files) {
      try {
        const copy = await readableAgain(file, { signal: ctx.signal, onNoWriter: noWriterNote(ctx) });
        copies.push(copy);
        paths.push(copy.path);
      } catch (error) {
        throw new UsageError(`cannot read pact file ${file}: ${systemReason(error)}`);
      }
    }
    return paths;
  };
  try {
    await verifyPactFiles(ctx, await again(pacts), { ...flags, ...(flags.pact ? { pact: await again(flags.pact) } : {}) }, profileGiven, named);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(named(error.message), error.exitCode, error.json);
    throw error;
  } finally {
    for (const copy of copies) copy.remove();
  }
}

async function verifyPactFiles(ctx: CliContext, pacts: string[], flags: VerifyFlags, profileGiven: boolean, named: (message: string) => string): Promise<void> {
  checkOutputFile('--junit', flags.junit);
  const { options, checked, notes } = await precheck(toOptions(pacts, flags, await trustFrom(flags, ctx)));
  for (const note of notes) ctx.stderr.write(`vppkit: note: ${named(note)}\n`);
  unreadBearerVariableNote(ctx, 'verify', flags.bearer);
  const { verifyInWorker, VerificationInterrupted } = await import('../verification/worker');
  const { VerificationSetupError } = await import('../verification/setup');
  // Each pact is judged by the profile it records (outside tester J31); a --profile given for others is said once.
  if (profileGiven) {
    for (const { file, profile: recorded } of checked) {
      const note = recordedProfileNote(named(file), recorded, flags.profile);
      if (note) ctx.stderr.write(`vppkit: ${note}\n`);
    }
  }
  const { verifyJUnit } = await import('../verification/junit');
  const report = flags.json ? ctx.stderr : ctx.stdout;
  // The worker stops on an interrupt, and the run ends with 130 when it has.
  ctx.handleInterrupts();
  const result = await (ctx.verification ?? verifyInWorker)(options, { report, warnings: ctx.stderr, colour: colourWanted(report, ctx.env), signal: ctx.signal, env: ctx.env }).catch((error: unknown) => {
    if (error instanceof VerificationInterrupted) throw new UsageError(error.message, EXIT.interrupted);
    // What was published before the rest could not be is said in --json too (decision 0793).
    if (error instanceof VerificationSetupError) throw new UsageError(error.message, EXIT.couldNotRun, error.published ? { published: error.published } : undefined);
    throw error;
  });
  const exitCode = verifyExitCode(result);
  if (flags.junit) writeReportFile(flags.junit, verifyJUnit(result, flags.provider), 'JUnit');
  const embedded = !flags.providerBaseUrl;
  if (flags.json) {
    const json: VerifyJson = {
      command: 'verify',
      passed: result.passed,
      exitCode,
      providerBaseUrl: result.providerBaseUrl,
      embedded,
      interactions: result.interactions,
      // Every reason the run did not pass, as check-client's `failures` (outside tester H33, decision 0207).
      failures: failureLines(result),
      setupFailed: result.setupFailed,
      ...(result.teardownFailures ? { teardownFailures: result.teardownFailures } : {}),
      ...(result.throttling ? { throttling: result.throttling } : {}),
      summary: result.summary,
      // The likely cause, as conform's and check-client's --json carry it (outside attacker R112: one rule).
      ...(result.likelyCause ? { likelyCause: result.likelyCause } : {}),
      ...(result.published ? { published: result.published } : {}),
      ...(result.leftOut ? { leftOut: result.leftOut.map((i) => ({ ...i, file: named(i.file) })) } : {}),
    };
    ctx.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    // The kit's own line per failed interaction, after Pact's report (whose diff also shows differences that are
    // not failures): Pact's mismatches with their place, then the schemas' judgement of the answer (0013).
    writeFailedInteractions(ctx.stdout, result);
    if (result.likelyCause) ctx.stderr.write(`vppkit: ${result.likelyCause}\n`);
    ctx.stdout.write(`vppkit verify: ${result.summary}${embedded ? ' (embedded reference provider)' : ''}\n`);
    if (result.published) {
      const { brokerUrl, providerVersion, pacts, success } = result.published;
      ctx.stdout.write(`vppkit verify: the run's verdicts published to the Pact Broker at ${brokerUrl} as provider version ${providerVersion}: ${pacts} pact${pacts === 1 ? '' : 's'}, ${success ? 'passed' : 'failed'}\n`);
    }
  }
  ctx.exitCode = exitCode;
}

export function registerVerify(program: Command, ctx: CliContext): void {
  const command = program
    .command('verify')
    .description('Verify a provider of POST /deviceAppManagement/vppTokens against vppkit\'s Pact contracts')
    .argument('[pact-files...]', 'Pact files, folders (their *.json) or globs to verify, as with --pact (default: the canonical contract shipped with vppkit)')
    .option('--provider-base-url <url>', 'the server under test, a base path allowed (http://host:port/beta); default: start the embedded reference provider')
    .option('--pact <file...>', 'Pact files, folders or globs to verify (default: the canonical contract shipped with vppkit)')
    .option('--interaction <text>', 'verify only the interactions whose description contains TEXT (case matters)')
    .option('--provider-states-setup-url <url>', 'Pact\'s state change: POST {state, params, action} here before (setup) and after (teardown) each interaction')
    .option('--header <name=value>', 'add a header to every request to the provider, repeatable (a gateway\'s key; the value is never printed, but a plain field\'s such as Prefer)', collect)
    .option('--broker-url <url>', 'fetch pacts from a Pact Broker (env PACT_BROKER_BASE_URL)')
    .option('--broker-token <token>', 'Pact Broker bearer token (env PACT_BROKER_TOKEN)')
    .option('--broker-username <name>', 'Pact Broker basic-auth user (env PACT_BROKER_USERNAME)')
    .option('--broker-password <password>', 'Pact Broker basic-auth password (env PACT_BROKER_PASSWORD)')
    .option('--consumer-version-selector <json>', 'which consumer pacts to verify, repeatable (default: {"mainBranch":true} and {"deployedOrReleased":true})', collect)
    .option('--enable-pending', 'pending pacts do not fail the build')
    .option('--include-wip-pacts-since <date>', 'also verify work-in-progress pacts since this date (YYYY-MM-DD)')
    .option('--publish', "publish the run's verdicts to the broker, the kit's judgement included (needs --provider-version)")
    .option('--provider-version <version>', 'the provider version the results are published under, e.g. a git sha')
    .option('--provider-branch <branch>', 'the provider branch the results are published under')
    .option('--provider <name>', 'the provider name in the pacts; pact files for another provider are left out, with a note', 'microsoft-graph-vpptokens')
    .option('--bearer <token>', 'replace the Authorization token of authenticated requests (unauthenticated ones stay so, and so does a credential only interactions expecting 401 or 403 carry)')
    .option(...publicHostOption)
    .option(...profileOption)
    .option('--timeout <seconds>', 'how long the provider gets to answer each request; the first request past it ends the run', parseSeconds('--timeout'), 30)
    .option('--total-timeout <seconds>', 'how long the whole verification may take', parseSeconds('--total-timeout'), 600)
    .option('--max-throttle-wait <seconds>', 'the longest the run waits in all when the provider throttles (429, or 503 with Retry-After, then the request is sent again); past it verify stops with exit code 2', parseSeconds('--max-throttle-wait'), 120)
    .option('--json', 'print one JSON summary on stdout; Pact\'s report goes to stderr')
    .option('--junit <file>', 'also write the results as JUnit XML, one testcase per interaction')
    .option('--log-level <level>', 'Pact log level: trace, debug, info, warn, error', 'error');
  addTrustOptions(command, 'provider or broker')
    .addHelpText(
      'after',
      `
Pact's per-interaction report comes first, then one summary line. Exit code 0 only when every interaction
passed, 1 when any failed, 2 when the verification could not run (bad option, missing or broken pact file,
unreachable provider or broker, a provider that did not answer within --timeout, an untrusted certificate, a
provider that throttled past --max-throttle-wait or 25 times in a row to one request) or
when nothing failed but a provider state could not be set up (reported as set-up, not as a contract failure).
Certificates of https targets are checked: add a private CA with --ca, or skip the check with --insecure.
Pact arguments may be folders (their *.json files) or globs the shell did not expand, as validate reads them.

Examples:
  vppkit verify                                              # canonical contract vs the embedded reference provider
  vppkit verify --provider-base-url http://127.0.0.1:8080/beta --bearer "$TOKEN"
  vppkit verify --provider-base-url http://127.0.0.1:8080 pacts/my-app-microsoft-graph-vpptokens.json
  vppkit verify --provider-base-url https://localhost:8443/beta --ca dev-ca.pem --timeout 10 --junit verify.xml
  vppkit verify --provider-base-url http://127.0.0.1:8080 'pacts/*.json' --interaction 'only its token'
  vppkit verify --provider-base-url http://127.0.0.1:8080 pacts/ \\
    --provider-states-setup-url http://127.0.0.1:8080/_pact/provider-states --header "Ocp-Apim-Subscription-Key=$KEY"
  PACT_BROKER_BASE_URL=https://broker.example PACT_BROKER_TOKEN=... \\
    vppkit verify --provider-base-url http://127.0.0.1:8080 --publish --provider-version "$GIT_SHA" --provider-branch main`,
    )
    .action(async (pacts: string[], flags: VerifyFlags) => {
      const mismatch = profileMismatch(flags.profile, flags.providerBaseUrl, '--provider-base-url');
      if (mismatch) ctx.stderr.write(`vppkit: ${mismatch}\n`);
      // With --json, a run that could not be done still leaves one JSON object on stdout: main() writes it.
      await verifyCommand(ctx, pacts, flags, command.getOptionValueSource('profile') === 'cli');
    });
}
