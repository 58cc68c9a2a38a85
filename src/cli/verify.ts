import type { Command } from 'commander';
import type { ConsumerVersionSelector } from '../verification';
import { UsageError, collect } from './errors';
import { profileOption } from './profile';
import type { Profile } from '../schemas';

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
  provider?: string;
  bearer?: string;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  profile: Profile;
}

function parseSelector(text: string): ConsumerVersionSelector {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as ConsumerVersionSelector;
  } catch {
    // reported below
  }
  throw new UsageError(`--consumer-version-selector takes a JSON object such as '{"mainBranch":true}' (got ${JSON.stringify(text)})`);
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Verify a provider of POST /deviceAppManagement/vppTokens against vppkit\'s Pact contracts')
    .option('--provider-base-url <url>', 'the server under test, a base path allowed (http://host:port/beta); default: start the embedded reference provider')
    .option('--pact <file...>', 'Pact files to verify (default: the canonical contract shipped with vppkit)')
    .option('--broker-url <url>', 'fetch pacts from a Pact Broker (env PACT_BROKER_BASE_URL)', process.env.PACT_BROKER_BASE_URL)
    .option('--broker-token <token>', 'Pact Broker bearer token (env PACT_BROKER_TOKEN)', process.env.PACT_BROKER_TOKEN)
    .option('--broker-username <name>', 'Pact Broker basic-auth user (env PACT_BROKER_USERNAME)', process.env.PACT_BROKER_USERNAME)
    .option('--broker-password <password>', 'Pact Broker basic-auth password (env PACT_BROKER_PASSWORD)', process.env.PACT_BROKER_PASSWORD)
    .option('--consumer-version-selector <json>', 'which consumer pacts to verify, repeatable (default: {"mainBranch":true} and {"deployedOrReleased":true})', collect)
    .option('--enable-pending', 'pending pacts do not fail the build')
    .option('--include-wip-pacts-since <date>', 'also verify work-in-progress pacts since this date (YYYY-MM-DD)')
    .option('--publish', 'publish the verification results to the broker (needs --provider-version)')
    .option('--provider-version <version>', 'the provider version the results are published under, e.g. a git sha')
    .option('--provider-branch <branch>', 'the provider branch the results are published under')
    .option('--provider <name>', 'the provider name in the pacts', 'microsoft-graph-vpptokens')
    .option('--bearer <token>', 'replace the Authorization token of authenticated requests (unauthenticated ones stay so)')
    .option('--log-level <level>', 'Pact log level: trace, debug, info, warn, error', 'error')
    .option(...profileOption)
    .addHelpText(
      'after',
      `
Pact's per-interaction report comes first, then one summary line. Exit code 0 only when every interaction
passed, 1 when any failed, 2 when the verification could not run (bad option, missing pact file, ...).

Examples:
  vppkit verify                                              # canonical contract vs the embedded reference provider
  vppkit verify --profile v1.0 --provider-base-url http://127.0.0.1:8080/v1.0   # the Graph v1.0 contract
  vppkit verify --provider-base-url http://127.0.0.1:8080/beta --bearer "$TOKEN"
  vppkit verify --provider-base-url http://127.0.0.1:8080 --pact pacts/my-app-microsoft-graph-vpptokens.json
  PACT_BROKER_BASE_URL=https://broker.example PACT_BROKER_TOKEN=... \\
    vppkit verify --provider-base-url http://127.0.0.1:8080 --publish --provider-version "$GIT_SHA" --provider-branch main`,
    )
    .action(async (flags: VerifyFlags) => {
      const useBroker = !flags.pact && flags.brokerUrl;
      if (flags.publish && !useBroker) throw new UsageError('--publish needs a Pact Broker (--broker-url or PACT_BROKER_BASE_URL) and no --pact');
      if (!['trace', 'debug', 'info', 'warn', 'error'].includes(flags.logLevel ?? 'error')) {
        throw new UsageError(`--log-level must be one of trace, debug, info, warn, error (got ${flags.logLevel})`);
      }
      // Pact's native core loads only for the commands that use it: the others start faster.
      const { verifyProvider, VerificationSetupError } = await import('../verification');
      const { formatAnswerProblem } = await import('../judgement');
      try {
        const result = await verifyProvider({
          providerBaseUrl: flags.providerBaseUrl,
          pactFiles: flags.pact,
          broker: useBroker
            ? {
                url: flags.brokerUrl!,
                token: flags.brokerToken,
                username: flags.brokerUsername,
                password: flags.brokerPassword,
                consumerVersionSelectors: (flags.consumerVersionSelector ?? ['{"mainBranch":true}', '{"deployedOrReleased":true}']).map(parseSelector),
                enablePending: flags.enablePending,
                includeWipPactsSince: flags.includeWipPactsSince,
                publish: flags.publish,
                providerVersion: flags.providerVersion,
                providerBranch: flags.providerBranch,
              }
            : undefined,
          provider: flags.provider,
          bearer: flags.bearer,
          logLevel: flags.logLevel,
          profile: flags.profile,
        });
        // The schemas' judgement of the answers (docs/decisions/0013), after Pact's own report.
        for (const i of result.interactions) for (const p of i.answerProblems) process.stdout.write(`${i.description}: ${formatAnswerProblem(p)}\n`);
        const target = flags.providerBaseUrl ? '' : ' (embedded reference provider)';
        process.stdout.write(`vppkit verify: ${result.summary}${target}\n`);
        process.exitCode = result.passed ? 0 : 1;
      } catch (error) {
        if (error instanceof VerificationSetupError) throw new UsageError(error.message);
        throw error;
      }
    });
}
