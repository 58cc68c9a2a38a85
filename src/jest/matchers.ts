// The jest matchers and their registration on jest's global `expect` (src/jest/index.ts says how to use them).
import { checkBehaviourOptions, judgeClientBehaviour, NothingToJudgeError, type BehaviourCheckName, type BehaviourOptions, type BehaviourVerdict, type TrafficEntry } from '../behaviour';
import { DEFAULT_PROFILE, toProfile, type Profile, type SchemaKind } from '../schemas';
import { formatProblems, problemsOf } from '../validation';

/** The kit's matchers as jest declares them: `R` is what a matcher returns (`void`, or `any` for an asymmetric one). */
interface VppkitMatchers<R> {
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

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface Matchers<R> extends VppkitMatchers<R> {}
    // The asymmetric forms (`expect.toBeValidVppToken()` inside toEqual or toHaveBeenCalledWith) return `any`, as
    // jest's own (`expect.anything()`), so they stand in any typed position (decision 0750).
    // eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-explicit-any
    interface Expect extends VppkitMatchers<any> {}
    // eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-explicit-any
    interface InverseAsymmetricMatchers extends VppkitMatchers<any> {}
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

/** A matcher's verdict, said without jest's hint: the direct form puts the hint above it, the asymmetric form none. */
interface Verdict {
  pass: boolean;
  say(): string;
}

function judgeTraffic(hint: string, name: keyof typeof MATCHER_OPTIONS, received: unknown, checks: readonly BehaviourCheckName[], given?: unknown): Verdict {
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
    say: () =>
      pass
        ? `Expected the client not to ${words}, but it did (${creates} create${creates === 1 ? '' : 's'} of ${tokens} token${tokens === 1 ? '' : 's'}).`
        : `Expected the client to ${words}, but found ${findings.length} finding${findings.length === 1 ? '' : 's'}:\n${judged
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

function judge(kind: Exclude<SchemaKind, 'actionResult'>, received: unknown, profile: Profile | undefined): Verdict {
  const chosen = toProfile(profile ?? DEFAULT_PROFILE);
  const problems = problemsOf(kind, received, chosen);
  const pass = problems.length === 0;
  const label = `a valid Graph ${chosen} ${what[kind]}`;
  return {
    pass,
    say: () =>
      pass
        ? `Expected the value not to be ${label}, but it is.`
        : `Expected ${label}, but found ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n')}`,
  };
}

type MatcherName = keyof VppkitMatchers<void>;

/** Each matcher's verdict on what it received and was given, under jest's hint for it (its errors name it). */
function verdictOf(context: MatcherContext, name: MatcherName, received: unknown, given: unknown[]): { hint: string; verdict: Verdict } {
  const isNot = context.isNot;
  if (name === 'toBeValidVppTokenCreateRequest' || name === 'toBeValidVppToken' || name === 'toBeGraphError') {
    const profile = given[0] as Profile | undefined;
    const hint = context.utils.matcherHint(name, undefined, profile === undefined ? '' : JSON.stringify(profile), { isNot });
    const kind = name === 'toBeValidVppTokenCreateRequest' ? 'request' : name === 'toBeValidVppToken' ? 'response' : 'error';
    return { hint, verdict: judge(kind, received, profile) };
  }
  const hint = context.utils.matcherHint(name, 'traffic', '', { isNot });
  const checks: readonly BehaviourCheckName[] = {
    toHonourRetryAfter: ['retry-after'],
    toCreateEachTokenOnce: ['no duplicate'],
    toBoundRetries: ['bounded retries'],
    toLoseNoTokenSilently: ['no silent loss'],
    toBehaveUnderFailure: ['retry-after', 'no duplicate', 'bounded retries', 'no silent loss'],
  }[name] as BehaviourCheckName[];
  return { hint, verdict: judgeTraffic(hint, name, received, checks, given.length ? given[0] : undefined) };
}

function matcherResult(context: MatcherContext, name: MatcherName, received: unknown, given: unknown[]): MatcherResult {
  const { hint, verdict } = verdictOf(context, name, received, given);
  return { pass: verdict.pass, message: () => `${hint}\n\n${verdict.say()}` };
}

/** The matchers, for `expect.extend(vppkitMatchers)` where the automatic registration does not fit. */
export const vppkitMatchers = {
  toBeValidVppTokenCreateRequest(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return matcherResult(this, 'toBeValidVppTokenCreateRequest', received, profile === undefined ? [] : [profile]);
  },
  toBeValidVppToken(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return matcherResult(this, 'toBeValidVppToken', received, profile === undefined ? [] : [profile]);
  },
  toBeGraphError(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return matcherResult(this, 'toBeGraphError', received, profile === undefined ? [] : [profile]);
  },
  toHonourRetryAfter(this: MatcherContext, received: unknown, ...given: unknown[]): MatcherResult {
    return matcherResult(this, 'toHonourRetryAfter', received, given);
  },
  toCreateEachTokenOnce(this: MatcherContext, received: unknown, ...given: unknown[]): MatcherResult {
    return matcherResult(this, 'toCreateEachTokenOnce', received, given);
  },
  toBoundRetries(this: MatcherContext, received: unknown, ...given: unknown[]): MatcherResult {
    return matcherResult(this, 'toBoundRetries', received, given);
  },
  toLoseNoTokenSilently(this: MatcherContext, received: unknown, ...given: unknown[]): MatcherResult {
    return matcherResult(this, 'toLoseNoTokenSilently', received, given);
  },
  toBehaveUnderFailure(this: MatcherContext, received: unknown, ...given: unknown[]): MatcherResult {
    return matcherResult(this, 'toBehaveUnderFailure', received, given);
  },
};

/** How many of an asymmetric matcher's verdicts its failure says; the rest are counted. */
const SAID_VERDICTS = 10;

/**
 * A matcher as jest's asymmetric matcher (`expect.toBeValidVppToken()` inside toEqual or toHaveBeenCalledWith, and
 * `expect.not.…`). jest's own form for an extended matcher keeps only pass or fail and prints `toBeValidVppToken<>`
 * (outside finding R80); this one keeps the verdict on each value that failed it and prints them where jest prints
 * what was expected (decision 0750). A verdict is kept once by its words: jest judges deep copies of the values again
 * to print its diff (a value's identity is lost), and copies this matcher too, all but its Set.
 */
class KitAsymmetricMatcher {
  readonly $$typeof = Symbol.for('jest.asymmetricMatcher');
  private readonly verdicts = new Set<string>();

  constructor(
    private readonly name: MatcherName,
    readonly sample: unknown[],
    readonly inverse: boolean,
  ) {}

  asymmetricMatch(received: unknown): boolean {
    const prefix = this.inverse ? 'not.' : '';
    const context: MatcherContext = {
      isNot: this.inverse,
      utils: { matcherHint: (name, _received, expected) => `expect.${prefix}${name}(${expected ?? ''})` },
    };
    const { verdict } = verdictOf(context, this.name, received, this.sample);
    const matched = verdict.pass !== this.inverse;
    if (!matched) this.verdicts.add(verdict.say());
    return matched;
  }

  toString(): string {
    return `${this.inverse ? 'not.' : ''}${this.name}`;
  }

  getExpectedType(): string {
    return 'any';
  }

  toAsymmetricMatcher(): string {
    const head = `${this.toString()}<${this.sample.map(String).join(', ')}>`;
    const indent = (text: string, by: number) => text.split('\n').join(`\n${' '.repeat(by)}`);
    const said = [...this.verdicts].slice(0, SAID_VERDICTS);
    if (said.length === 0) return head;
    if (said.length === 1) return `${head}\n  ${indent(said[0], 2)}`;
    const unsaid = this.verdicts.size - said.length;
    return `${head}, failed ${this.verdicts.size} ways:\n${said.map((words, i) => `  ${i + 1}. ${indent(words, 5)}`).join('\n')}${unsaid > 0 ? `\n  and ${unsaid} more` : ''}`;
  }
}

interface GlobalExpect {
  extend(matchers: object): void;
  not?: object;
}

const globalExpect = (globalThis as { expect?: GlobalExpect }).expect;
if (globalExpect && typeof globalExpect.extend === 'function') {
  globalExpect.extend(vppkitMatchers);
  // After jest's extend, which defined its own asymmetric forms of each: these replace them.
  for (const name of Object.keys(vppkitMatchers) as MatcherName[]) {
    const form = { configurable: true, enumerable: true, writable: true };
    Object.defineProperty(globalExpect, name, { ...form, value: (...sample: unknown[]) => new KitAsymmetricMatcher(name, sample, false) });
    if (globalExpect.not) Object.defineProperty(globalExpect.not, name, { ...form, value: (...sample: unknown[]) => new KitAsymmetricMatcher(name, sample, true) });
  }
}
