// What verify takes and what it gives back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Profile } from '../schemas';
import type { AnswerProblem } from '../judgement';
import type { Clock, Throttling, TlsTrust } from '../net';

/** Express-style middleware (pact-js's requestFilter): change the request, then call next(). */
export type RequestFilter = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  deployedOrReleased?: boolean;
  deployed?: boolean;
  released?: boolean;
  environment?: string;
  tag?: string;
  latest?: boolean;
  consumer?: string;
  fallbackTag?: string;
}

export interface BrokerOptions {
  /** The broker's base URL, as text or a `URL` (decision 0804). */
  url: string | URL;
  token?: string;
  username?: string;
  password?: string;
  /** Which consumer pacts to verify; default DEFAULT_CONSUMER_VERSION_SELECTORS (the main branch, and what is deployed or released). */
  consumerVersionSelectors?: ConsumerVersionSelector[];
  enablePending?: boolean;
  includeWipPactsSince?: string;
  /** Publish the verification results to the broker (needs providerVersion). */
  publish?: boolean;
  providerVersion?: string;
  providerBranch?: string;
}

/** A provider state handler: `{ setup, teardown }` or a setup function, as pact-js takes them. */
export type StateHandler =
  | ((params?: unknown) => Promise<Record<string, unknown> | undefined | void>)
  | { setup?: (params?: unknown) => Promise<Record<string, unknown> | undefined | void>; teardown?: (params?: unknown) => Promise<Record<string, unknown> | undefined | void> };

export interface VerifyOptions {
  /** The provider under test, e.g. http://127.0.0.1:8080/beta, as text or a `URL`. Without it the embedded reference provider is started. */
  providerBaseUrl?: string | URL;
  /**
   * The Graph profile (default beta): which canonical contract is verified when no pact files or broker are
   * given, and the version path of the embedded reference provider (/v1.0 for v1.0).
   */
  profile?: Profile;
  /**
   * Pact files to verify, folders (their *.json files) and globs; the canonical contract when neither these nor
   * a broker are given. A glob or folder that gives no file is a VerificationSetupError.
   */
  pactFiles?: string[];
  /** Verify only the interactions whose description contains this text (case matters); verifications at the same time in one process each keep their own. */
  interaction?: string;
  /**
   * Headers added to every request to the provider, e.g. a gateway's subscription key; never printed. The
   * contract's own (Authorization, Content-Type, ...) can't be replaced: the bearer has its own option.
   */
  headers?: Record<string, string>;
  /**
   * Hosts the provider names itself by behind a gateway (`gw.example`, `gw.example:8443`): a 201's Location and
   * @odata.context may name them, besides the host asked and Graph's own (docs/decisions/0190).
   */
  publicHosts?: readonly string[];
  /**
   * Pact's provider-state set-up URL: POSTed `{ state, params, action }` before each interaction (`setup`) and
   * after it (`teardown`). A set-up that fails is reported as such (InteractionResult.setupFailure), not as a
   * contract failure; a teardown that fails as itself (VerifyResult.teardownFailures), the verdict kept. Not
   * together with stateHandlers.
   */
  providerStatesSetupUrl?: string | URL;
  broker?: BrokerOptions;
  /** Provider name in the pacts and at the broker. */
  provider?: string;
  /**
   * Replaces the token of every request that carries an Authorization header (unauthenticated ones stay so),
   * except a credential the pact files mean to be refused: one only interactions expecting 401 or 403 carry.
   */
  bearer?: string;
  stateHandlers?: Record<string, StateHandler>;
  /** Express middleware run on every request before it reaches the provider. */
  requestFilter?: RequestFilter;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Per-request timeout in milliseconds (default 30,000): a provider that does not answer in time ends the run. */
  timeoutMs?: number;
  /** The whole verification's bound in milliseconds (default 600,000). */
  totalTimeoutMs?: number;
  /**
   * The longest the run waits in all when the provider throttles (429, or 503 with Retry-After), in milliseconds
   * (default 120,000), as conform's option of the same name. Throttling is not a failure: the request is sent again
   * after the wait and Pact judges the answer after it; past this bound, or 25 throttled answers in a row to one
   * request, the run stops (VerificationSetupError, exit code 2). A 429 without Retry-After is backed off from (decision 0232); a 503 without one is judged as it is.
   */
  maxThrottleWaitMs?: number;
  /**
   * What the throttling waits are read and waited by (`{ now(), sleep(ms) }`, the reference provider's `clock` type),
   * an HTTP-date Retry-After read against its `now()`; the system's by default. The timeouts stay the system's: a
   * request's is the socket's, the run's (`totalTimeoutMs`) the user's wall time. Not in a worker (verifyInWorker):
   * a function, which a process can't take. docs/decisions/0316.
   */
  clock?: Clock;
  /** How to trust an https provider: a CA to add, or no certificate check at all. */
  tls?: TlsTrust;
}

/** The names VerifyOptions takes: any other is refused, never left without a word (decisions 0408, 0760). */
export const VERIFY_OPTION_NAMES = Object.keys({
  providerBaseUrl: true, profile: true, pactFiles: true, interaction: true, headers: true, publicHosts: true, providerStatesSetupUrl: true, broker: true, provider: true,
  bearer: true, stateHandlers: true, requestFilter: true, logLevel: true, timeoutMs: true, totalTimeoutMs: true, maxThrottleWaitMs: true, clock: true, tls: true,
} satisfies Record<keyof VerifyOptions, true>);

export interface InteractionResult {
  description: string;
  passed: boolean;
  /** What did not match, as Pact words it, then what the schemas say of the answer; empty when it passed. */
  mismatches: string[];
  /** The answer judged by the schemas (src/judgement): a 201 body by the response schema and the values the
   * client set, a 4xx body by Graph's error schema. Also in `mismatches`, formatted. */
  answerProblems: AnswerProblem[];
  /** Pact's own mismatches alone: what any Pact verifier reading the same pact file reports. */
  pactMismatches: string[];
  /** Why the provider state could not be set up: the interaction was not judged by the contract. */
  setupFailure?: string;
  /**
   * Set on an interaction that failed while pending (a pact the broker marks pending, with `enablePending`, or a
   * V4 interaction marked `"pending": true`): its mismatches are reported, and it does not fail the run.
   */
  pending?: true;
}

export interface VerifyResult {
  passed: boolean;
  providerBaseUrl: string;
  interactions: InteractionResult[];
  /** Failures that belong to no interaction, such as a pact that could not be loaded from the broker. */
  failures: string[];
  /** Interactions whose provider state could not be set up (providerStatesSetupUrl). */
  setupFailed: number;
  /**
   * Provider-state teardowns that failed, each reason once with how often (`provider state teardown failed (18
   * times): POST ... answered 500: ...`). The interactions they followed keep their verdicts; the run does not pass.
   */
  teardownFailures?: string[];
  /** The throttling the run waited out (429, or 503 with Retry-After): answers, time spent, the bound. */
  throttling?: Throttling;
  /** One line: `N interactions verified against URL: N passed, N failed`, then the throttling waited out, if any. */
  summary: string;
  /**
   * When every failed interaction got the same set-up status (404 everywhere: the base path; 401: the bearer),
   * what to check, once (src/net likelyCause).
   */
  likelyCause?: string;
  /** With --publish: where the run's own verdicts went (the broker's public URL), under which version, how many pacts. */
  published?: PublishedResults;
  /**
   * The interactions of the pact files that are not HTTP (V4 `Asynchronous/Messages`, `Synchronous/Messages`), left
   * out as compare leaves them (decision 0511): no verdict, each named.
   */
  leftOut?: { file: string; description: string; type: string }[];
}

/** The verification results a run published to a Pact Broker: its public URL (no credentials), the version, each pact's verdict in one. */
export interface PublishedResults {
  brokerUrl: string;
  providerVersion: string;
  /** How many pacts' results were published (one POST each). */
  pacts: number;
  /** Whether every published result was a success. */
  success: boolean;
  /**
   * Only on a VerificationSetupError when some pacts' results were published and some not (decision 0793): the
   * pacts whose results the broker took (each by the path it was fetched from), and each one's not, with why.
   */
  publishedPacts?: string[];
  notPublished?: { pact: string; why: string }[];
}
