// The jest matchers and their registration on jest's global `expect` (src/jest/index.ts says how to use them).
import { checkBehaviourOptions, judgeClientBehaviour, NothingToJudgeError, type BehaviourCheckName, type BehaviourOptions, type BehaviourVerdict, type TrafficEntry } from '../behaviour';
import { DEFAULT_PROFILE, toProfile, type Profile, type SchemaKind } from '../schemas';
import { formatProblems, problemsOf } from '../validation';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Passes when the value is a valid body of POST /deviceAppManagement/vppTokens in Graph `profile` (default beta). */
      toBeValidVppTokenCreateRequest(profile?: Profile): R;
      /** Passes when the value is a valid created vppToken (a 201 body) in Graph `profile` (default beta). */
      toBeValidVppToken(profile?: Profile): R;
      /** Passes when the value is Graph's error body: `{ error: { code, message, ... } }`. */
      toBeGraphError(profile?: Profile): R;
      /**
       * On a provider's traffic: every create or read re-sent after a 429 or 503 waited its Retry-After (less 50 ms),
       * and no create or read was sent while more requests waited out a Retry-After, with those in flight, than
       * `concurrency` (8).
       */
      toHonourRetryAfter(options?: Pick<BehaviourOptions, 'concurrency'>): R;
      /** On a provider's traffic: no token value was created twice (no blind retry after an unknown outcome). */
      toCreateEachTokenOnce(): R;
      /** On a provider's traffic: at most `maxAttempts` (10) requests per token, re-sends that waited out a Retry-After not counted, none at once after a 429 or 503 without Retry-After. */
      toBoundRetries(options?: Pick<BehaviourOptions, 'maxAttempts'>): R;
      /** On a provider's traffic: every token sent was created (unless `clientSucceeded: false`: the client failed loudly). */
      toLoseNoTokenSilently(options?: Pick<BehaviourOptions, 'clientSucceeded'>): R;
      /** On a provider's traffic: all four behaviour checks pass. */
      toBehaveUnderFailure(options?: BehaviourOptions): R;
    }
  }
}

/** What the traffic matchers take: the traffic, or the provider that recorded it. */
type TrafficSource = readonly TrafficEntry[] | { traffic?: readonly TrafficEntry[] } | undefined;

function trafficOf(received: unknown): readonly TrafficEntry[] | undefined {
  if (Array.isArray(received)) return received as TrafficEntry[];
  if (typeof received === 'object' && received !== null && 'traffic' in received) return (received as { traffic?: readonly TrafficEntry[] }).traffic;
  return undefined;
}

const CHECK_WORDS: Record<BehaviourCheckName, string> = {
  'retry-after': 'honour Retry-After',
  'no duplicate': 'create each token once',
  'bounded retries': 'bound its retries',
  'no silent loss': 'lose no token silently',
};

/** The options each traffic matcher takes (its declaration's): any other, or a bare value, is refused, never dropped. */
const MATCHER_OPTIONS: Record<string, readonly (keyof BehaviourOptions)[]> = {
  toHonourRetryAfter: ['concurrency'],
  toCreateEachTokenOnce: [],
  toBoundRetries: ['maxAttempts'],
  toLoseNoTokenSilently: ['clientSucceeded'],
  toBehaveUnderFailure: ['maxAttempts', 'clientSucceeded', 'concurrency', 'profile'],
};

function judgeTraffic(context: MatcherContext, name: keyof typeof MATCHER_OPTIONS, received: unknown, checks: readonly BehaviourCheckName[], given?: unknown): MatcherResult {
  const hint = context.utils.matcherHint(name, 'traffic', '', { isNot: context.isNot });
  // Before the traffic: a wrong option is the suite's mistake whatever the traffic holds, and `.not` throws it too.
  const options = checkBehaviourOptions(name, given, MATCHER_OPTIONS[name]);
  // Nothing to judge is neither verdict (outside tester G6): the matcher throws, so `.not` fails as surely as the
  // plain matcher does.
  const traffic = trafficOf(received as TrafficSource);
  if (traffic === undefined) {
    throw new Error(`${hint}\n\nExpected a reference provider's traffic (an array, or a provider with \`traffic\`), but there is none: start the provider with \`faults\` or \`recordTraffic: true\`.`);
  }
  let verdict: BehaviourVerdict;
  try {
    verdict = judgeClientBehaviour(traffic, options);
  } catch (error) {
    // The usual wiring mistake: no create reached the provider (a base URL without /beta, another server).
    if (!(error instanceof NothingToJudgeError)) throw error;
    throw new Error(`${hint}

Expected the client's traffic to hold at least one create of a vppToken (POST .../deviceAppManagement/vppTokens), but it holds none (${error.held}): is the client pointed at provider.url?`);
  }
  const judged = verdict.checks.filter((c) => checks.includes(c.name));
  const findings = judged.flatMap((c) => c.findings);
  const pass = findings.length === 0;
  const words = checks.length === 1 ? CHECK_WORDS[checks[0]] : 'behave under failure (retry-after, no duplicate, bounded retries, no silent loss)';
  const { creates, tokens } = verdict.counts;
  return {
    pass,
    message: () =>
      pass
        ? `${hint}\n\nExpected the client not to ${words}, but it did (${creates} create${creates === 1 ? '' : 's'} of ${tokens} token${tokens === 1 ? '' : 's'}).`
        : `${hint}\n\nExpected the client to ${words}, but found ${findings.length} finding${findings.length === 1 ? '' : 's'}:\n${judged
            .flatMap((c) => c.findings.map((f) => `  ${c.name}: ${f.message}`))
            .join('\n')}`,
  };
}



interface MatcherContext {
  isNot: boolean;
  utils: { matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string };
}

interface MatcherResult {
  pass: boolean;
  message(): string;
}

const what: Record<Exclude<SchemaKind, 'actionResult'>, string> = {
  request: 'vppToken create request',
  response: 'vppToken',
  error: 'error body',
};

function judge(context: MatcherContext, name: string, kind: Exclude<SchemaKind, 'actionResult'>, received: unknown, profile: Profile | undefined): MatcherResult {
  const chosen = toProfile(profile ?? DEFAULT_PROFILE);
  const problems = problemsOf(kind, received, chosen);
  const pass = problems.length === 0;
  const hint = context.utils.matcherHint(name, undefined, profile === undefined ? '' : JSON.stringify(profile), { isNot: context.isNot });
  const label = `a valid Graph ${chosen} ${what[kind]}`;
  return {
    pass,
    message: () =>
      pass
        ? `${hint}\n\nExpected the value not to be ${label}, but it is.`
        : `${hint}\n\nExpected ${label}, but found ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n')}`,
  };
}

/** The matchers, for `expect.extend(vppkitMatchers)` where the automatic registration does not fit. */
export const vppkitMatchers = {
  toBeValidVppTokenCreateRequest(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return judge(this, 'toBeValidVppTokenCreateRequest', 'request', received, profile);
  },
  toBeValidVppToken(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return judge(this, 'toBeValidVppToken', 'response', received, profile);
  },
  toBeGraphError(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return judge(this, 'toBeGraphError', 'error', received, profile);
  },
  toHonourRetryAfter(this: MatcherContext, received: unknown, options?: Pick<BehaviourOptions, 'concurrency'>): MatcherResult {
    return judgeTraffic(this, 'toHonourRetryAfter', received, ['retry-after'], options);
  },
  toCreateEachTokenOnce(this: MatcherContext, received: unknown, ...rest: unknown[]): MatcherResult {
    return judgeTraffic(this, 'toCreateEachTokenOnce', received, ['no duplicate'], rest.length ? rest[0] : undefined);
  },
  toBoundRetries(this: MatcherContext, received: unknown, options?: Pick<BehaviourOptions, 'maxAttempts'>): MatcherResult {
    return judgeTraffic(this, 'toBoundRetries', received, ['bounded retries'], options);
  },
  toLoseNoTokenSilently(this: MatcherContext, received: unknown, options?: Pick<BehaviourOptions, 'clientSucceeded'>): MatcherResult {
    return judgeTraffic(this, 'toLoseNoTokenSilently', received, ['no silent loss'], options);
  },
  toBehaveUnderFailure(this: MatcherContext, received: unknown, options?: BehaviourOptions): MatcherResult {
    return judgeTraffic(this, 'toBehaveUnderFailure', received, ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss'], options);
  },
};

const globalExpect = (globalThis as { expect?: { extend(matchers: object): void } }).expect;
if (globalExpect && typeof globalExpect.extend === 'function') globalExpect.extend(vppkitMatchers);
