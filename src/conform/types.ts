import type { Profile } from '../schemas';
import type { Clock, TlsTrust } from '../net';
import type { ReplayData, ReplayFinding } from './select';
import type { AnswerCheck } from '../judgement';
import type { Placed } from '../wire';

/**
 * The checks conform reports, after Schemathesis': the answer checks shared with verify and check-client
 * (src/judgement), and three only a run of many requests can make.
 */
export type ConformCheck = AnswerCheck | 'unique id' | 'negative data rejected' | 'read-back';

/** A problem a run found: its check, its place (src/wire/place.ts: `status`, `connection`, a header, `body /pointer`, `GET by id` or `collection`) and what. */
export interface ConformProblem extends Placed {
  check: ConformCheck;
  message: string;
}

export interface ConformOptions {
  /** The provider under test, a base path allowed (http://127.0.0.1:8080/beta). Without it the embedded reference provider runs. Text or a `URL`. */
  providerBaseUrl?: string | URL;
  /** The access token sent as `Authorization: Bearer ...`; never printed or written. */
  bearer?: string;
  /**
   * The Graph profile (default beta): the request schema requests are drawn from, the rules answers are judged
   * by, and the version path of the embedded reference provider (/v1.0 for v1.0). In a profile other than beta,
   * each beta-only property sent must be refused with 400 as an unknown property.
   */
  profile?: Profile;
  /** Same seed, same requests, on any machine. Default: a random one, reported for the rerun. */
  seed?: number;
  /** Valid requests drawn from the schema (default 200); the other families add about 150 requests. */
  runs?: number;
  /** Fail when the provider does not answer GET (read-back is skipped otherwise). */
  requireReadBack?: boolean;
  /** Per-request timeout in milliseconds (default 10000). */
  timeoutMs?: number;
  /** How to trust an https provider: a CA to add, or no certificate check at all. An untrusted one stops the run (ConformSetupError). */
  trust?: TlsTrust;
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Largest body the provider must take; one byte more must get 413 (default 4 MiB: Graph's 4 MB). */
  bodyLimit?: number;
  /**
   * The longest the run waits in all when the provider throttles (429, or 503 with Retry-After), in milliseconds
   * (default 120,000). Throttling is not a finding: each throttled request is sent again after the wait, and the
   * time is reported; past this bound the run stops (ConformSetupError).
   */
  maxThrottleWaitMs?: number;
  /**
   * What throttling waits are read and waited by (Retry-After, the backoff of a 429 without one), and the time budget
   * (`timeBudgetMs`) is measured by, waits included: the system's by default; a test of a throttling provider may
   * give one that moves when it is waited on, as the reference provider's `clock`. The timeout is the system's.
   */
  clock?: Clock;
  /**
   * Draw `token` from the request schema alone (any non-empty string) instead of as Apple sTokens (base64 of
   * `{"token","expDate","orgName"}`, what Intune takes; the default). For providers that take any token.
   */
  schemaTokens?: boolean;
  /**
   * At most this many findings of each check are shrunk and shown (default 5). Each distinct failure (check, place,
   * and the family the request was drawn from) is a finding; those past the cap are counted (`CheckSummary.notShown`)
   * and kept unshrunk in `ConformResult.notShown`, which --replay sends too (docs/decisions/0240).
   */
  maxFindings?: number;
  /** Only these checks are judged and reported (default: every one of CONFORM_CHECKS). */
  checks?: readonly ConformCheck[];
  /** These checks are not judged (reported as skipped). */
  excludeChecks?: readonly ConformCheck[];
  /** Headers added to every request, e.g. a gateway's key; never printed (reproductions read them from the shell). */
  headers?: Record<string, string>;
  /**
   * Hosts the provider names itself by behind a gateway (`gw.example`, `gw.example:8443`): a 201's Location and
   * @odata.context may name them, besides the host asked and Graph's own (docs/decisions/0190).
   */
  publicHosts?: readonly string[];
  /** Stop drawing once this many requests were sent (read-back and shrinking included); report what was done. */
  maxRequests?: number;
  /**
   * Stop drawing after this many milliseconds; report what was done. A throttling wait (Retry-After, a backoff) that
   * would end past it is not waited: the run ends there (`stopped: '--time-budget 5 s spent: the provider throttled
   * ...'`), or, nothing judged yet, is a ConformSetupError.
   */
  timeBudgetMs?: number;
  /**
   * Stops the run when aborted (decision 0357): the requests in flight are dropped and not judged, no other is sent,
   * a throttling wait ends, nothing more is shrunk or read back, and the result says what was judged before it
   * (`stopped: 'interrupted: ...'`); aborted before a request was judged, the run is a ConformSetupError.
   */
  signal?: AbortSignal;
  /** Send exactly the requests of a report's findings, those it did not show included (readConformReport), instead of drawing any. */
  replay?: { file: string; findings: readonly ReplayFinding[]; notShown?: readonly ReplayFinding[] };
}

export interface Finding extends Placed {
  check: ConformCheck;
  message: string;
  /** The family the request was drawn from, e.g. `valid` or `wrong type /displayName: a string`. */
  family: string;
  request: { method: 'POST'; url: string; headers: Record<string, string | string[]>; body?: string; bodyBytes: number };
  answer: { status?: number; contentType?: string; body?: string; fault?: string };
  /**
   * A read-back finding's read (GET of the vppToken by id, or a page of the collection) and its answer, which the
   * finding is about: `answer` is the create's (decision 0366).
   */
  readAnswer?: { request: string; status: number; contentType?: string; body?: string };
  /** Reproduces the request; the bearer is `$TOKEN`. */
  curl: string;
  /** fast-check's shrink steps from the first failing request to this one. */
  shrinks: number;
  /** False when the request passed when sent again (a failure that comes and goes): shown as first seen. */
  reproduced: boolean;
  /** Why the request was not shrunk, when it was not tried. */
  notShrunk?: string;
  /** What --replay needs to send the same request again and judge it the same way. */
  replay: ReplayData;
}

export interface CheckSummary {
  check: ConformCheck;
  judged: number;
  failed: number;
  /** Why the check did not run (read-back against a provider without GET). */
  skipped?: string;
  /** Distinct failures of this check past the cap (`ConformResult.maxFindings`): not shown, listed in `ConformResult.notShown`. */
  notShown?: number;
}

export interface ConformResult {
  passed: boolean;
  seed: number;
  runs: number;
  /** The Graph profile the requests were drawn from and the answers judged by. */
  profile: Profile;
  providerBaseUrl: string;
  embedded: boolean;
  /** Requests sent, read-back and shrinking included. */
  requests: number;
  /** Cases judged in the run (before shrinking). */
  cases: number;
  durationMs: number;
  readBack: { supported: boolean; reason?: string };
  /** Answers that throttled (429, or 503 with Retry-After) and the time the run was held back by them. */
  throttling: { answers: number; waitedMs: number; maxWaitMs: number };
  /** The body limit the run held the provider to (413 one byte over it). */
  bodyLimit: number;
  checks: CheckSummary[];
  /** Each distinct failure (check, place, family), at most `maxFindings` of a check, shrunk. */
  findings: Finding[];
  /** The most findings of one check shown (ConformOptions.maxFindings). */
  maxFindings: number;
  /** The distinct failures past that cap, each its first request, not shrunk: --replay sends them with the findings. */
  notShown: Finding[];
  /** What the run could not look at, without failing for it (a collection too long to read to its end). */
  notes: string[];
  /** The command that reruns exactly these requests. */
  rerun: string;
  /** Why the run stopped drawing before every request was sent (--max-requests, --time-budget, `signal`). */
  stopped?: string;
  /** Requests of a report sent again (--replay), instead of drawn ones. */
  replayed?: number;
  /** When every request that failed got the same 401, 403, 404, 405 or 415: what to check, once (src/net likelyCause). */
  likelyCause?: string;
  summary: string;
}
