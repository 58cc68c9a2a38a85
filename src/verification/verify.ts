import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifierOptions } from '@pact-foundation/pact';
import { VPP_TOKENS_PROVIDER, canonicalConsumer } from '../contract/names';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';
import { formatAnswerProblem, ownDataOf, type AnswerProblem } from '../judgement';
import { judgeRecordedAnswers, type JudgedAnswer } from './answers';
import { startReferenceProvider } from '../provider';
import { DEFAULT_MAX_THROTTLE_WAIT_MS, MAX_THROTTLED_IN_A_ROW, urlText, Throttle, likelyCause, refusalQuestions, maxThrottleWaitProblem, millisecondsOptionProblem, publicUrl, redact, targetQuestions, throttlingLine, type CauseQuestions, type Secrets, type Throttling, type TlsTrust } from '../net';
import { optionsObjectProblem } from '../net/option';
import { startForwarder, type ForwardedExchange } from './forwarder';
import { startBrokerRelay, type BrokerRelay } from './broker-relay';
import { ownResults, unsentPacts } from './publish';
import { startStateChangeRelay } from './states';
import { failsTheRun } from './failures';
import { bearerFilter, refusedCredentials } from './bearer';
import { escapeControls } from '../net/redact';
import { headerLines, headerValues } from '../wire';
import { VerificationSetupError, checkVerifyOptions, verifyMembersProblem, leftOutNotHttpNote, NOTHING_VERIFIED, onlyInMessages, otherProvidersNote, pactsByProfile, secretsOfVerify, type CheckedPact } from './setup';
import { httpInteractionsOnly } from '../compare/pact-file';
import type { RequestFilter, ConsumerVersionSelector, BrokerOptions, StateHandler, VerifyOptions, InteractionResult, VerifyResult, PublishedResults } from './types';
import { VERIFY_OPTION_NAMES } from './types';

/**
 * The Verifier's own module (the class pact-js's root exports; the root also loads the consumer DSL: GraphQL,
 * ramda, ...). The same path in pact-js 16 and 17. It starts an express proxy in front of the provider for state
 * handlers and request filters, and is loaded only when a verification has either.
 */
const PACT_VERIFIER = '@pact-foundation/pact/src/dsl/verifier/verifier';

/** The part of pact-core, the native verifier pact-js's Verifier calls, that vppkit calls itself. */
interface PactCore {
  logLevel(level: string): unknown;
  verifyPacts(options: Record<string, unknown>): Promise<string>;
}

/**
 * Runs Pact's verification. Without state handlers or a request filter (functions, which only pact-js's proxy can
 * call), pact-core's verifier is called directly, as pact-js's Verifier itself calls it but for the proxy: the
 * proxy answered state changes with nothing and passed every request on unchanged, two more HTTP hops per
 * interaction and express loaded for nothing. `npm start` (18 interactions) cost 1.0-1.2 s of CPU that way, 0.4-0.5 s
 * this way (docs/decisions/0135). pact-core is the one pact-js itself requires (resolved from pact-js's Verifier).
 */
async function runPact(options: Record<string, unknown>, filter: string | undefined): Promise<string> {
  if (options.stateHandlers !== undefined || options.requestFilter !== undefined) {
    const { Verifier } = (await import(PACT_VERIFIER)) as typeof import('@pact-foundation/pact/src/dsl/verifier/verifier');
    const verifier = new Verifier(options as unknown as VerifierOptions);
    // pact-js's Verifier starts its proxy before it calls pact-core: the filter stays set for the whole run.
    if (filter === undefined) return verifier.verifyProvider();
    const restore = setPactDescription(filter);
    try {
      return await verifier.verifyProvider();
    } finally {
      restore();
    }
  }
  const core = (createRequire(require.resolve(PACT_VERIFIER))('@pact-foundation/pact-core') as { default: PactCore }).default;
  if (typeof options.logLevel === 'string') core.logLevel(options.logLevel);
  if (filter === undefined) return core.verifyPacts(options);
  // pact-core reads the filter while verifyPacts sets the verification up, before it returns: set for that call
  // only, so that verifications running at the same time in one process do not take each other's filter.
  const restore = setPactDescription(filter);
  try {
    return core.verifyPacts(options);
  } finally {
    restore();
  }
}

/**
 * Pact's verifier takes its interaction filter from the environment only (PACT_DESCRIPTION, a regular expression):
 * sets it and returns what puts the value before back. Set for a whole run, two runs at once in one process (a
 * library user's concurrent tests, the suite's in-process CLI runs) crossed: the second kept the first's filter as
 * its "before" and put it back after both ended, and every later run verified only the first's interactions
 * (decision 0253).
 */
function setPactDescription(filter: string): () => void {
  const before = process.env.PACT_DESCRIPTION;
  process.env.PACT_DESCRIPTION = filter;
  return () => {
    if (before === undefined) delete process.env.PACT_DESCRIPTION;
    else process.env.PACT_DESCRIPTION = before;
  };
}

/** The canonical contract of a Graph profile, shipped with the package. */
export const canonicalPact = (profile: Profile = DEFAULT_PROFILE): string =>
  join(__dirname, '..', '..', 'pacts', `${canonicalConsumer(toProfile(profile))}-${VPP_TOKENS_PROVIDER}.json`);
/** The canonical contract of Graph beta. */
export const CANONICAL_PACT = canonicalPact(DEFAULT_PROFILE);

/**
 * The consumer pacts a broker is asked for when no selector is given, by the library and the CLI alike: each
 * consumer's main branch, and what is deployed or released (Pact's recommended selection for a provider's build).
 */
export const DEFAULT_CONSUMER_VERSION_SELECTORS: readonly ConsumerVersionSelector[] = Object.freeze([{ mainBranch: true }, { deployedOrReleased: true }]);

interface PactCoreResult {
  result?: boolean;
  interactionResults?: { description: string; result: string }[];
  errors?: PactCoreError[];
  /** The failures of pending pacts (--enable-pending) and of V4 interactions marked pending: they fail no build. */
  pendingErrors?: PactCoreError[];
}

interface PactCoreError {
  interaction: string;
  mismatch?: { mismatches?: PactCoreMismatch[]; message?: string; type?: string };
}

interface PactCoreMismatch {
  type?: string;
  mismatch?: string;
  description?: string;
  path?: string;
  key?: string;
  parameter?: string;
  actual?: unknown;
}

/**
 * One of Pact's mismatches as `where: what` (`status: expected 201 but was 404`, `body $.id: ...`,
 * `header Content-Type: ...`): the place as the kit's own lines name it, Pact's words for what.
 */
/** Status first, then headers and query, then the body: the order of the answer, the most telling first. */
const PLACE_ORDER = ['StatusMismatch', 'HeaderMismatch', 'QueryMismatch', 'BodyTypeMismatch', 'BodyMismatch'];
const byPlace = (a: PactCoreMismatch, b: PactCoreMismatch): number => rank(a) - rank(b);
const rank = (m: PactCoreMismatch): number => (PLACE_ORDER.indexOf(m.type ?? '') + PLACE_ORDER.length + 1) % (PLACE_ORDER.length + 1);

function placedMismatch(m: PactCoreMismatch): string {
  const what = m.mismatch ?? m.description ?? 'mismatch';
  const where =
    m.type === 'StatusMismatch' ? 'status'
    : m.type === 'HeaderMismatch' && m.key ? `header ${m.key}`
    : m.type === 'QueryMismatch' && m.parameter ? `query ${m.parameter}`
    : m.type === 'BodyTypeMismatch' ? 'body'
    : m.path ? (m.type === 'BodyMismatch' ? `body ${m.path}` : m.path)
    : undefined;
  return where ? `${where}: ${what}` : what;
}

/** The throttling of a run's part: what `after` adds to `before`. */
const throttlingSince = (before: Throttling, after: Throttling): Throttling => ({ ...after, answers: after.answers - before.answers, waitedMs: after.waitedMs - before.waitedMs });

/** Adds the extra headers to every request, after Pact (whose logs never see them). */
function headersFilter(headers: Record<string, string>, next?: RequestFilter): RequestFilter {
  return (req, res, done) => {
    for (const [name, value] of Object.entries(headers)) req.headers[name.toLowerCase()] = value;
    if (next) next(req, res, done);
    else done();
  };
}

/**
 * Verifies a provider against vppkit's Pact contracts (the canonical one, given files, or a Pact Broker's).
 * Pact prints its per-interaction report to stdout; the result carries the same verdicts as data.
 */
export async function verifyProvider(options: VerifyOptions = {}): Promise<VerifyResult> {
  // Its options' shape by the library's one rule (src/net/option.ts, decision 0760): a bare value or a misspelt name
  // was taken as no options, and the default run made (`verifyProvider('x')`).
  const shape = optionsObjectProblem('verifyProvider', options, VERIFY_OPTION_NAMES) ?? verifyMembersProblem(options);
  if (shape) throw new TypeError(shape);
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const profile = toProfile(options.profile ?? DEFAULT_PROFILE);
  if (options.broker?.publish && !options.broker.providerVersion) {
    throw new VerificationSetupError('publishing verification results needs a provider version (--provider-version)');
  }
  const maxThrottleWaitMs = options.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS;
  const waitProblem = maxThrottleWaitProblem(maxThrottleWaitMs) ?? millisecondsOptionProblem('timeoutMs', options.timeoutMs) ?? millisecondsOptionProblem('totalTimeoutMs', options.totalTimeoutMs);
  if (waitProblem) throw new VerificationSetupError(waitProblem);
  const setup = await checkVerifyOptions(options, options.pactFiles ?? (options.broker ? [] : [canonicalPact(profile)]));
  const totalMs = options.totalTimeoutMs ?? 600_000;
  // One run, however many profiles its pacts record: the options checked and the targets probed once, the
  // throttling waited (--max-throttle-wait) and the time taken (--total-timeout) bounded for the whole run.
  const run: Run = { ...setup, throttle: new Throttle(maxThrottleWaitMs, 'verify', options.clock), totalMs, deadline: Date.now() + totalMs };
  // Each pact is judged by the Graph profile it records, `profile` being the default for one that records none
  // (outside tester J31): pacts of two profiles are verified one profile after the other, each against its own
  // embedded provider's /beta or /v1.0 when none is given.
  // A pact's V4 messages are left out, as compare leaves them (outside finding R31, decision 0511): Pact reads a copy
  // of the pact that holds its HTTP interactions only, each byte for byte.
  const copies = httpOnlyCopies(setup.checked);
  try {
    const groups = pactsByProfile(setup.checked.map((pact) => ({ ...pact, file: copies.of(pact.file) })), profile);
    const verified = groups.size > 1 ? await verifyEachProfile(options, groups, run) : await verifyPacts(options, groups.keys().next().value ?? profile, setup.pactFiles.map(copies.of), run);
    // A file's messages, and a broker's pact's (the broker relay leaves them out of what Pact gets).
    const leftOut = [...setup.notHttp, ...(verified.leftOut ?? [])];
    const result = { ...verified, summary: copies.named(verified.summary), failures: verified.failures.map(copies.named), ...(leftOut.length ? { leftOut } : {}) };
    // Pacts for another provider (outside tester K23) and messages were left out: said in the summary, never a verdict.
    const notes = [otherProvidersNote(setup.otherProviders, options.provider), leftOutNotHttpNote(leftOut)].filter((note): note is string => note !== undefined);
    return notes.length ? { ...result, summary: [result.summary, ...notes].join('; ') } : result;
  } finally {
    copies.remove();
  }
}

/**
 * A copy of each pact that holds interactions that are not HTTP, with its HTTP interactions only (httpInteractionsOnly),
 * in a temporary folder: `of` gives the file Pact reads for a pact file, `named` puts the pact file's name back into
 * a message that names its copy, `remove` deletes the copies.
 */
function httpOnlyCopies(pacts: readonly CheckedPact[]): { of: (file: string) => string; named: (text: string) => string; remove: () => void } {
  const copies = new Map<string, string>();
  let dir: string | undefined;
  for (const pact of pacts) {
    if (!pact.notHttp?.length || copies.has(pact.file)) continue;
    dir ??= mkdtempSync(join(tmpdir(), 'vppkit-http-only-'));
    // One folder per copy: two pacts of one name in two folders keep their names.
    const folder = join(dir, String(copies.size));
    mkdirSync(folder);
    const copy = join(folder, basename(pact.file));
    writeFileSync(copy, httpInteractionsOnly(readFileSync(pact.file, 'utf8')) ?? readFileSync(pact.file));
    copies.set(pact.file, copy);
  }
  return {
    of: (file) => copies.get(file) ?? file,
    named: (text) => [...copies].reduce((said, [file, copy]) => said.split(copy).join(file), text),
    remove: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What one verification run shares between the profiles of its pacts: its checked set-up and its budgets. */
interface Run {
  statesUrl?: URL;
  publicHosts: string[];
  throttle: Throttle;
  totalMs: number;
  /** When the run must have finished (`Date.now()` time): `totalMs` after it began. */
  deadline: number;
}

/** Verifies `pactFiles`, all judged by `profile`, as part of `run`. */
async function verifyPacts(options: VerifyOptions, profile: Profile, pactFiles: string[], run: Run): Promise<VerifyResult> {
  const { statesUrl, publicHosts, throttle, totalMs } = run;
  const maxThrottleWaitMs = throttle.maxWaitMs;
  // This part's own throttling, for its summary line; the run's bound counts every part's.
  const before = throttle.throttling;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const relay = statesUrl ? await startStateChangeRelay(statesUrl, { timeoutMs, tls: options.tls }) : undefined;
  const embedded = options.providerBaseUrl === undefined ? await startReferenceProvider() : undefined;
  const providerBaseUrl = (urlText(options.providerBaseUrl) ?? `${embedded!.url}${profile === DEFAULT_PROFILE ? '' : `/${profile}`}`).replace(/\/+$/, '');
  // Between Pact and the provider: certificate checks, a bound on each request, fail-fast after one, and every
  // exchange recorded as raw header lines and bytes for the judgement.
  const exchanges: ForwardedExchange[] = [];
  // Teardowns that failed (state handlers'; the relay keeps its own): reported beside the verdicts they follow.
  const teardowns: string[] = [];
  const forwarder = await startForwarder(new URL(providerBaseUrl), { timeoutMs, tls: options.tls, onExchange: (exchange) => exchanges.push(exchange), throttle, secrets: secretsOfVerify(options), pactData: pactDataOf(pactFiles) });
  let totalTimer: NodeJS.Timeout | undefined;
  // Pact's verifier takes its interaction filter as a regular expression: the text escaped.
  const filter = options.interaction?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const broker = options.broker;
  let brokerRelay: BrokerRelay | undefined;
  try {
    // Between Pact and the broker too (outside finding K3): each request bounded by --timeout, a silent or failing
    // broker named, the kit's trust; with --publish, Pact's results held, and the run's own verdicts published in
    // their place (decisions 0286, 0269).
    brokerRelay = broker
      ? await startBrokerRelay(new URL(broker.url), { timeoutMs, tls: options.tls, token: broker.token, username: broker.username, password: broker.password, hold: broker.publish === true })
      : undefined;
    const verifierOptions = {
      provider: options.provider ?? VPP_TOKENS_PROVIDER,
      providerBaseUrl: forwarder.url,
      ...(pactFiles.length ? { pactUrls: pactFiles } : {}),
      ...(broker
        ? {
            pactBrokerUrl: brokerRelay!.url,
            pactBrokerToken: broker.token,
            pactBrokerUsername: broker.username,
            pactBrokerPassword: broker.password,
            consumerVersionSelectors: [...(broker.consumerVersionSelectors ?? DEFAULT_CONSUMER_VERSION_SELECTORS)],
            enablePending: broker.enablePending,
            includeWipPactsSince: broker.includeWipPactsSince,
            publishVerificationResult: broker.publish || undefined,
            providerVersion: broker.providerVersion,
            providerVersionBranch: broker.providerBranch,
          }
        : {}),
      stateHandlers: options.stateHandlers && keepingVerdicts(options.stateHandlers, teardowns),
      // Pact's own state-change protocol, sent to the relay (pact-js passes this URL straight to its verifier).
      providerStatesSetupUrl: relay?.url,
      requestFilter: filtersOf(options, pactFiles),
      logLevel: options.logLevel ?? 'error',
      // Pact's own bound sits above the forwarder's (each send and the throttling waited out between sends), so a
      // hanging provider is reported by the forwarder.
      timeout: MAX_THROTTLED_IN_A_ROW * timeoutMs + maxThrottleWaitMs + 5_000,
      failIfNoPactsFound: true,
    };
    // Pact's option checks count a key set to undefined as given (a token "conflicts" with an unset password).
    const defined = Object.fromEntries(Object.entries(verifierOptions).filter(([, value]) => value !== undefined));
    // pact-js types stateHandlers too narrowly for { setup, teardown } with parameters (pact-js#1164).
    const overdue = new Promise<never>((_, reject) => {
      totalTimer = setTimeout(() => reject(new VerificationSetupError(`the verification did not finish within ${totalMs / 1000} s (--total-timeout)`)), Math.max(0, run.deadline - Date.now()));
    });
    const given = await Promise.race([
      runPact(defined, filter).then(
        (text) => text,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      overdue,
    ]);
    const lasting = brokerRelay?.failure() ?? forwarder.failure() ?? relay?.lasting();
    if (lasting) throw new VerificationSetupError(lasting);
    // Pact's messages name the broker by the relay's address: said as the broker's own.
    const raw = brokerRelay ? given.split(brokerRelay.origin).join(new URL(broker!.url).origin) : given;
    if (broker) {
      // A broker that refused the credentials is the run's set-up, not a verdict (exit 2, decision 0020).
      const refused = /pact broker[^]*?\b(401 Unauthorized|403 Forbidden)\b/i.exec(withoutEscapes(raw));
      if (refused) {
        throw new VerificationSetupError(
          `the Pact Broker at ${publicUrl(broker.url)} refused the credentials given (${refused[1]}): is --broker-token (PACT_BROKER_TOKEN), or --broker-username and --broker-password, right for it?`,
        );
      }
    }
    // What is printed or written (summary, --json, JUnit) names the provider without credentials.
    // Pact's mismatches quote the answer, which may echo a credential the run was given: redacted.
    const result = withoutSecrets(toResult(raw, publicUrl(providerBaseUrl), judgeRecordedAnswers(exchanges, profile, publicHosts), relay?.failureOf, [...teardowns, ...(relay?.teardownFailures() ?? [])], throttlingSince(before, throttle.throttling), refusalsOf(exchanges, options)), secretsOfVerify(options));
    // A broker that gave no pact to verify (none for the provider and selectors, or an answer Pact could not load
    // pacts from) is the run's input, not a verdict on the provider: exit 2 in one line, as a folder without pacts
    // (outside tester I3; decision 0193).
    if (result.interactions.length === 0 && result.failures.length > 0) {
      const said = result.failures[0].replace(/^Failed to load pact:\s*/i, '');
      // A pact file Pact could not load (a matcher it does not know, a file its parser refuses) is the run's input too
      // (outside tester N18: "0 interactions verified ... 1 other failure", exit 1, blamed the provider; decision 0385).
      if (!broker) throw new VerificationSetupError(`Pact could not load the pacts given (${said.slice(0, 300)}): nothing was verified`);
      throw new VerificationSetupError(
        /no pacts found/i.test(said)
          ? `the Pact Broker at ${publicUrl(broker.url)} gave no pact for ${options.provider ?? VPP_TOKENS_PROVIDER} matching ${(broker.consumerVersionSelectors ?? DEFAULT_CONSUMER_VERSION_SELECTORS).length ? `the consumer version selectors ${JSON.stringify(broker.consumerVersionSelectors ?? DEFAULT_CONSUMER_VERSION_SELECTORS)}` : "the broker's default selection"}: nothing was verified (Pact says so both when there is none yet and when it could not read the broker's answer, such as one without HAL _links: --log-level debug shows its reason)`
          : `could not load pacts from the Pact Broker at ${publicUrl(broker.url)} (${said.slice(0, 300)}): nothing was verified`,
      );
    }
    const brokerLeftOut = brokerRelay?.leftOut() ?? [];
    if (options.interaction !== undefined && result.interactions.length === 0 && result.failures.length === 0) {
      // In a message of a broker's pact only: said as for a file's (decision 0792).
      throw onlyInMessages(options.interaction, brokerLeftOut) ?? new VerificationSetupError(`--interaction ${JSON.stringify(options.interaction)} is in no interaction's description (case matters): nothing was verified`);
    }
    if (brokerLeftOut.length) result.leftOut = brokerLeftOut;
    // The broker's pacts held messages and nothing HTTP: nothing to verify (exit 2), as for files (decision 0511).
    if (brokerLeftOut.length && result.interactions.length === 0 && result.failures.length === 0) {
      throw new VerificationSetupError(`the Pact Broker at ${publicUrl(broker!.url)} gave pacts that hold no HTTP interaction: ${leftOutNotHttpNote(brokerLeftOut)!.replace(/^[^:]*: /, '')} ${brokerLeftOut.length === 1 ? 'is a message' : 'are messages'}, which verify leaves alone as compare does; nothing was verified`);
    }
    // No interaction verified and nothing failed (a broker's pact with none; a page Pact read as an empty pact): no
    // verdict, exit 2, as compare's "nothing judged" (outside finding R73, decision 0721); a file's is refused before.
    if (result.interactions.length === 0 && result.failures.length === 0) {
      const empty = brokerRelay?.fetched().filter((pact) => pact.interactions.length === 0) ?? [];
      const which = empty.length ? ` (${empty.map((pact) => `the pact at ${pact.path ?? '(unknown path)'}`).join(', ')} ${empty.length === 1 ? 'has' : 'have'} none)` : '';
      throw new VerificationSetupError(`${broker ? `the Pact Broker at ${publicUrl(broker.url)} gave pacts that hold no interaction${which}` : 'the pacts given hold no interaction'}: ${NOTHING_VERIFIED}`);
    }
    if (brokerRelay && broker?.publish) {
      // The run's own verdicts, each pact's in place of Pact's (decision 0269): the kit's findings included.
      const published: PublishedResults = { brokerUrl: publicUrl(broker.url), providerVersion: broker.providerVersion ?? '', pacts: 0, success: true };
      // Each pact's results are published on their own, as Pact publishes them: a refusal does not stop the next
      // (outside finding R91, decision 0793), and what was taken and what not is said.
      const taken: { pact: string; success: boolean }[] = [];
      const notPublished: { pact: string; why: string }[] = [];
      for (const { path, body, pact } of ownResults(brokerRelay.held(), brokerRelay.fetched(), result.interactions, result.passed, options.interaction)) {
        // Each text of it redacted as every output is (a text at a time: a pattern never spans two JSON strings).
        const shown = JSON.parse(JSON.stringify(body), (_key, value: unknown) => (typeof value === 'string' ? redact(value, secretsOfVerify(options)) : value)) as Record<string, unknown>;
        const refused = await brokerRelay.publish(path, shown);
        if (refused) {
          notPublished.push({ pact: pact.path ?? path, why: refused });
          continue;
        }
        taken.push({ pact: pact.path ?? path, success: shown.success === true });
        published.pacts += 1;
        if (shown.success !== true) published.success = false;
      }
      // A pact Pact verified and sent no results for (it records --provider-branch first, and sends nothing when the
      // broker has no link for it) is a publication that did not happen: exit 2, as a refused one (decision 0720).
      const held = brokerRelay.held();
      for (const unsent of unsentPacts(brokerRelay.fetched(), held, options.interaction)) notPublished.push({ pact: unsent.path ?? '(unknown path)', why: brokerRelay.unsent(unsent, broker.providerBranch) });
      if (notPublished.length > 0) {
        const pacts = (list: readonly { pact: string }[]) => list.map((p) => `the pact at ${p.pact}`).join(', ');
        // Nothing taken: as before. Some taken: which were and which were not (the broker holds the first).
        const said =
          taken.length === 0 ? 'the verification results were not published'
          : `the verification results were not published for ${notPublished.length} of ${notPublished.length + taken.length} pacts (${pacts(notPublished)}); they were for ${taken.length} (${taken.map((t) => `the pact at ${t.pact}, ${t.success ? 'passed' : 'failed'}`).join('; ')})`;
        throw new VerificationSetupError(`${notPublished[0].why}: ${said} (${result.summary})`, taken.length > 0 ? { ...published, publishedPacts: taken.map((t) => t.pact), notPublished } : undefined);
      }
      if (published.pacts > 0) result.published = published;
    }
    return result;
  } finally {
    clearTimeout(totalTimer);
    await brokerRelay?.close();
    await relay?.close();
    await forwarder.close();
    await embedded?.close();
  }
}

/**
 * One verification per Graph profile, in turn, as one result: every interaction, failure and throttled answer of
 * each, passed when each passed. An `interaction` filter applies to the profiles whose pacts hold it.
 */
async function verifyEachProfile(options: VerifyOptions, groups: Map<Profile, CheckedPact[]>, run: Run): Promise<VerifyResult> {
  const results: { profile: Profile; result: VerifyResult }[] = [];
  for (const [profile, pacts] of groups) {
    if (options.interaction !== undefined && !pacts.some((pact) => pact.descriptions.some((d) => d.includes(options.interaction!)))) continue;
    results.push({ profile, result: await verifyPacts(options, profile, pacts.map((pact) => pact.file), run) });
  }
  const all = results.map(({ result }) => result);
  const interactions = all.flatMap((r) => r.interactions);
  const failures = all.flatMap((r) => r.failures);
  const teardownFailures = all.flatMap((r) => r.teardownFailures ?? []);
  const throttling = run.throttle.throttling;
  const setupFailed = all.reduce((n, r) => n + r.setupFailed, 0);
  const failed = interactions.filter((i) => failsTheRun(i) && i.setupFailure === undefined).length;
  const pendingFailed = interactions.filter((i) => i.pending && i.setupFailure === undefined).length;
  const each = results.map(({ profile, result }) => `Graph ${profile}: ${result.summary}`).join('; ');
  const causes = [...new Set(all.map((r) => r.likelyCause).filter((c): c is string => c !== undefined))];
  return {
    passed: all.every((r) => r.passed),
    providerBaseUrl: all.map((r) => r.providerBaseUrl).join(', '),
    interactions,
    failures,
    setupFailed,
    ...(teardownFailures.length ? { teardownFailures } : {}),
    throttling,
    summary: `${interactions.length} interaction${interactions.length === 1 ? '' : 's'} verified, each pact by the Graph version it records: ${interactions.length - failed - pendingFailed - setupFailed} passed, ${failed} failed${pendingFailed ? `, ${pendingFailed} pending failed (does not fail the run)` : ''} (${each})`,
    ...(causes.length === 1 ? { likelyCause: causes[0] } : {}),
  };
}

/**
 * State handlers whose teardown cannot throw a verdict away: Pact's core replaces an interaction's result with a
 * failed teardown's error, though the interaction was already judged (outside tester G23, decision 0176). What it
 * threw is kept in `teardowns`.
 */
function keepingVerdicts(handlers: Record<string, StateHandler>, teardowns: string[]): Record<string, StateHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => {
      if (typeof handler === 'function' || handler.teardown === undefined) return [state, handler];
      const teardown = handler.teardown;
      return [
        state,
        {
          ...handler,
          teardown: async (params?: unknown) => {
            try {
              return await teardown(params);
            } catch (error) {
              teardowns.push(`the teardown of ${JSON.stringify(state)} threw: ${error instanceof Error ? error.message : String(error)}`);
              return undefined;
            }
          },
        },
      ];
    }),
  );
}

/**
 * The request filters of the options, in order: extra headers, the bearer (which keeps the credentials the pact
 * files mean to be refused), the caller's own.
 */
function filtersOf(options: VerifyOptions, pactFiles: readonly string[]): RequestFilter | undefined {
  const own = options.requestFilter;
  const withBearer = options.bearer ? bearerFilter(options.bearer, refusedCredentials(pactFiles), own) : own;
  return options.headers && Object.keys(options.headers).length ? headersFilter(options.headers, withBearer) : withBearer;
}

/**
 * The data of the pact files (every string, each sToken's orgName and expDate: ownDataOf), whose examples Pact's
 * report prints as the expected side: a credential that is part of it is not hidden from what Pact compares
 * (decision 0770). A file that can't be read gives none (setup has refused it already).
 */
function pactDataOf(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    try {
      return ownDataOf(JSON.parse(readFileSync(file, 'utf8')) as unknown);
    } catch {
      return [];
    }
  });
}

/** Every text of a result with the run's credentials redacted. */
function withoutSecrets(result: VerifyResult, secrets: Secrets): VerifyResult {
  const clean = (text: string) => redact(text, secrets);
  return {
    ...result,
    interactions: result.interactions.map((i) => ({
      ...i,
      mismatches: i.mismatches.map(clean),
      pactMismatches: i.pactMismatches.map(clean),
      answerProblems: i.answerProblems.map((p) => ({ ...p, message: clean(p.message) })),
      ...(i.setupFailure === undefined ? {} : { setupFailure: clean(i.setupFailure) }),
    })),
    failures: result.failures.map(clean),
    ...(result.teardownFailures ? { teardownFailures: result.teardownFailures.map(clean) } : {}),
    summary: clean(result.summary),
  };
}

const STATE_CHANGE_FAILED = /One or more of the (setup|teardown) state change handlers has failed/;

/** ANSI escape codes, real or as Rust's debug text writes them (`\x1b[31m`): no message carries one. */
const ESCAPES = /(?:\u001b|\\x1b|\\u001b|\\u\{1b\}|\\e)\[[0-9;?]*[A-Za-z]/g;
export const withoutEscapes = (text: string): string => text.replace(ESCAPES, '');
/** An escape code only as Rust's debug text writes it into Pact's log lines: Pact's noise, never a provider's byte. */
const WRITTEN_ESCAPES = /(?:\\x1b|\\u001b|\\u\{1b\}|\\e)\[[0-9;?]*[A-Za-z]/g;

/**
 * A text of Pact's result (a mismatch, a failure) as the kit shows it: escape codes Pact's log wrote out as text
 * removed, every control character written out (`\u001b[31m`, `\u0007`), ESC included. Pact's texts carry no colour
 * of their own (its colour is in its printed report); a real ESC in one is the provider's, or the pact's, byte,
 * which was deleted with the colour codes, so the value shown was not the value sent (outside tester L2; decision 0328).
 */
const pactText = (text: string): string => escapeControls(text.replace(WRITTEN_ESCAPES, '')).replace(/\u001b/g, '\\u001b');

/**
 * What a run's 401s challenged for (each one's WWW-Authenticate, from its raw lines) and the headers given with
 * --header: the likely cause of a run refused everywhere names a gateway's key, as conform's and seed's do (outside
 * attacker R112; src/net's refusalQuestions).
 */
function refusalsOf(exchanges: readonly ForwardedExchange[], options: VerifyOptions): CauseQuestions {
  const challenges = exchanges.filter((e) => e.status === 401 && !e.dropped && !e.headProblem).map((e) => headerValues(headerLines(e.rawHeaders), 'WWW-Authenticate').join(', ') || undefined);
  return refusalQuestions(targetQuestions('--provider-base-url'), challenges, Object.keys(options.headers ?? {}));
}

function toResult(raw: string, providerBaseUrl: string, judged: JudgedAnswer[], stateFailure: ((action: string, state: string) => string | undefined) | undefined, teardowns: string[], throttling: Throttling, questions: CauseQuestions = targetQuestions('--provider-base-url')): VerifyResult {
  let parsed: PactCoreResult;
  try {
    // Every text Pact gives (mismatches, failures) without escape codes.
    // ...and with the provider's control characters escaped, as the report is (outside tester H19).
    parsed = JSON.parse(raw, (_key, value: unknown) => (typeof value === 'string' ? pactText(value) : value)) as PactCoreResult;
  } catch {
    throw new VerificationSetupError(`the Pact verifier could not run: ${withoutEscapes(raw)}`);
  }
  // A pending pact's or interaction's failure is one of Pact's `pendingErrors` (outside finding K26): the
  // interaction's own, as any other, but it fails no build.
  const pendingOnes = new Set(parsed.pendingErrors ?? []);
  const errors = [...(parsed.errors ?? []), ...(parsed.pendingErrors ?? [])].map((error) => ({
    // Pact names the interaction as "Verifying a pact between A and B Given <state> - <description>".
    interaction: error.interaction,
    pending: pendingOnes.has(error),
    message: error.mismatch?.message,
    status: error.mismatch?.mismatches?.find((m) => m.type === 'StatusMismatch')?.actual,
    lines: error.mismatch?.mismatches ? [...error.mismatch.mismatches].sort(byPlace).map(placedMismatch) : [error.mismatch?.message ?? 'failed'],
  }));
  const results = parsed.interactionResults ?? [];
  const owns = (e: (typeof errors)[number], description: string) => e.interaction === description || e.interaction.endsWith(` - ${description}`);
  // Each interaction's own errors. A pact may give one description to several interactions (V4 tells them apart by
  // `key`; outside finding K33), and Pact names an error by its description alone: it reports one error per failed
  // interaction, in the order it verified them, so each failed interaction takes the first error of its description
  // not yet taken, and an interaction Pact passed takes none. An error left over (a second one of an interaction)
  // goes to the first interaction of its description, as before.
  const claimed = new Set<(typeof errors)[number]>();
  const ownErrors = results.map((r) => {
    const own = r.result === 'OK' ? undefined : errors.find((e) => !claimed.has(e) && owns(e, r.description));
    if (own) claimed.add(own);
    return own ? [own] : [];
  });
  for (const e of errors) {
    if (claimed.has(e)) continue;
    const i = results.findIndex((r) => owns(e, r.description));
    if (i < 0) continue;
    ownErrors[i].push(e);
    claimed.add(e);
  }
  // Pact's state-change failures: the interaction was not judged by the contract (a failed setup: not even sent).
  const setups = results.map((r, i): { action: string; message: string } | undefined => {
    for (const e of ownErrors[i]) {
      const m = STATE_CHANGE_FAILED.exec(e.message ?? '');
      if (!m) continue;
      const state = / Given (.*) - /.exec(e.interaction.slice(0, -r.description.length))?.[1] ?? '';
      return { action: m[1], message: `provider state ${m[1]} failed: ${stateFailure?.(m[1], state) ?? e.message!}` };
    }
    return undefined;
  });
  // Pact verifies interactions one after another, in the order it reports them: the n-th recorded answer is the
  // n-th sent interaction's (one whose set-up failed was not sent). When the counts differ (an interaction that is
  // not a create), the problems stand alone.
  const sent = results.map((_, i) => setups[i]?.action !== 'setup');
  const paired = judged.length === sent.filter(Boolean).length;
  let answerIndex = 0;
  const interactions = results.map((r, i): InteractionResult => {
    const own = ownErrors[i];
    const answer = paired && sent[i] ? judged[answerIndex++] : undefined;
    const answerProblems = answer?.problems ?? [];
    const setup = setups[i];
    // Without an HTTP answer from the provider, Pact compared the forwarder's own 502: only the kit's words count.
    // The token the create sent and any other are told apart (both were `[token]`), neither shown (decision 0347).
    const pactMismatches = setup || answer?.noAnswer ? [] : own.flatMap((e) => e.lines).map((line) => (answer?.sentToken === undefined ? line : redact(line, { sent: answer.sentToken })));
    if (r.result !== 'OK' && pactMismatches.length === 0 && !setup && answerProblems.length === 0) pactMismatches.push('failed');
    const mismatches = [...pactMismatches, ...answerProblems.map(formatAnswerProblem)];
    const passed = mismatches.length === 0 && !setup;
    return {
      description: r.description,
      passed,
      ...(!passed && own.length > 0 && own.every((e) => e.pending) ? { pending: true } : {}),
      mismatches,
      answerProblems,
      pactMismatches,
      ...(setup ? { setupFailure: setup.message } : {}),
    };
  });
  const failures = errors.filter((e) => !claimed.has(e)).map((e) => [e.interaction, ...e.lines].filter(Boolean).join(': '));
  if (!paired) judged.forEach(({ problems }, i) => problems.length && failures.push(`answer ${i + 1}: ${problems.map(formatAnswerProblem).join('; ')}`));
  const setupFailed = interactions.filter((i) => i.setupFailure !== undefined).length;
  const pendingFailed = interactions.filter((i) => i.pending && i.setupFailure === undefined).length;
  const failed = interactions.filter(failsTheRun).length - setupFailed;
  // Each reason once, with how often (one teardown per interaction and state: the same reason 18 times is one line).
  const teardownFailures = [...new Set(teardowns)].map((why) => {
    const n = teardowns.filter((t) => t === why).length;
    return `provider state teardown failed${n > 1 ? ` (${n} times)` : ''}: ${why}`;
  });
  const passed = parsed.result === true && failed === 0 && setupFailed === 0 && failures.length === 0 && teardownFailures.length === 0 && interactions.length > 0;
  const unloaded = failures.length ? `; ${failures.length} other failure${failures.length === 1 ? '' : 's'} (${failures.join('; ')})` : '';
  const notSetUp = (['setup', 'teardown'] as const)
    .map((action) => {
      const n = setups.filter((s) => s?.action === action).length;
      return n ? `, ${n} not judged: provider state ${action === 'setup' ? 'set-up' : 'teardown'} failed` : '';
    })
    .join('');
  // The status each failed interaction got when the status is what failed (Pact's status mismatch); for one that
  // failed for something else, the status its answer had, when known (outside attacker R112: src/net's one rule).
  const failedStatuses: (number | undefined)[] = [];
  const otherStatuses: (number | undefined)[] = [];
  let answerAt = 0;
  results.forEach((_, i) => {
    const answer = paired && sent[i] ? judged[answerAt++] : undefined;
    if (!failsTheRun(interactions[i]) || setups[i] !== undefined) return;
    // The forwarder's 502 is no status of the provider's.
    if (interactions[i].pactMismatches.length === 0 && interactions[i].answerProblems.length > 0) return void failedStatuses.push(undefined);
    const status = ownErrors[i].find((e) => typeof e.status === 'number')?.status;
    if (typeof status === 'number') failedStatuses.push(status);
    else otherStatuses.push(answer?.noAnswer === false ? answer.status : undefined);
  });
  const cause = failures.length === 0 ? likelyCause(failedStatuses, questions, interactions.length - setupFailed, otherStatuses) : undefined;
  const tornDown = teardowns.length ? `; ${teardowns.length} provider state teardown${teardowns.length === 1 ? '' : 's'} failed` : '';
  const throttled = throttling.answers > 0 ? `; ${throttlingLine(throttling)}` : '';
  const summary = `${interactions.length} interaction${interactions.length === 1 ? '' : 's'} verified against ${providerBaseUrl}: ${interactions.length - failed - pendingFailed - setupFailed} passed, ${failed} failed${pendingFailed ? `, ${pendingFailed} pending failed (does not fail the run)` : ''}${notSetUp}${unloaded}${tornDown}${throttled}`;
  return { passed, providerBaseUrl, interactions, failures, setupFailed, ...(teardownFailures.length ? { teardownFailures } : {}), throttling, summary, ...(cause ? { likelyCause: cause } : {}) };
}
