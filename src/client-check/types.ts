// What check-client takes and what it gives back.
import type { Writable } from 'node:stream';
import type { BehaviourCheckName, BehaviourVerdict, TrafficEntry } from '../behaviour';
import type { ClientRequestKind, RequestProblem } from '../judgement';
import type { FaultOptions } from '../provider';
import type { Profile } from '../schemas';

export interface CheckClientOptions {
  /** The client to run, with its arguments: any program in any language. */
  command: string;
  args?: string[];
  /** Consumer name for the Pact file written on success. */
  consumer?: string;
  provider?: string;
  /** Where the consumer's Pact file goes (`<consumer>-<provider>.json`); default ./pacts. */
  pactDir?: string;
  /** Stop the client's process group after this many milliseconds (default 120,000). */
  timeoutMs?: number;
  /** How long the client's process group gets between SIGTERM and SIGKILL (default 2,000 ms). */
  killGraceMs?: number;
  /** Extra environment for the client; VPPKIT_MOCK_URL is always set. */
  env?: NodeJS.ProcessEnv;
  /**
   * The Graph profile the client's requests are judged by (default beta). The client may keep the version prefix
   * of its profile (/beta, or /v1.0: the classic client's default) or leave it out; another one is refused.
   */
  profile?: Profile;
  /**
   * Aborting stops the client's process group and ends the check as interrupted (`interrupted` says by what: the
   * abort reason when it is a signal's name, such as the CLI's SIGINT). The library installs no signal handler.
   */
  signal?: AbortSignal;
  /** `inherit` (default) lets the client print to this terminal; `pipe` collects its output in the result (at most MAX_OUTPUT_BYTES). */
  stdio?: 'inherit' | 'pipe';
  /**
   * With `stdio: 'inherit'`: where the client's output goes instead of this process's stdout and stderr (a
   * stream with a file descriptor gets it directly, any other stream through a pipe). `--json` sends both to
   * stderr, keeping stdout for the report.
   */
  output?: { stdout: Writable; stderr: Writable };
  /**
   * Run the client against a faulty provider (the options of `serve`) and judge its behaviour from the traffic:
   * retry-after, no duplicate, bounded retries, no silent loss, and the timeout (decision 0060).
   */
  faults?: FaultOptions;
  /** With faults: most requests one token may be sent in (default 10). */
  maxAttempts?: number;
  /** The most requests the client runs at once (default 8): `retry-after` counts its workers by it (decisions 0206, 0244). */
  concurrency?: number;
  /**
   * Judge the client's tokens by the schema alone (any non-empty string), for a client checked against a service
   * that takes any token. By default the mock refuses a token that is no Apple sToken with Graph's 400, as Intune
   * does, and the client fails for it (decision 0216).
   */
  schemaTokens?: boolean;
}

export interface CheckedRequest {
  method: string;
  /** The path as the client sent it, version prefix included. */
  path: string;
  /** The query string, without `?` ('' when none); an access_token's value is not shown. */
  query?: string;
  /** With a request inside a JSON batch: its id in the batch (it is listed after its batch, its path routed under the batch's version). */
  batchId?: string;
  /** A create, a read of what the client created (list or by id), a preflight, or a JSON batch; undefined for none of these. */
  kind?: ClientRequestKind;
  /** The version prefix the client used (`beta` or `v1.0`), when it used one. */
  version?: Profile;
  /** The status the mock answered with; null when there was no answer (a reset, with faults). */
  status: number | null;
  /** What broke the contract; a request the mock refused (not by an injected fault) is never without one (`answer`). */
  problems: RequestProblem[];
  /** The fault injected into it, with faults (`504-after-create`, `429`, `rate-limit`...). */
  fault?: string;
  /** A query the mock does not model ($search, a lambda in $filter...): answered 501, not judged (docs/decisions/0146). */
  notModelled?: string;
  /** Why the request was not judged at all: the client closed the connection before the mock answered (its body cut). */
  notJudged?: string;
  /**
   * Why a request inside a JSON batch was not run: `refused with its batch (400): not run` (its batch carries the
   * fault, decision 0462), or `a request it depends on failed (424 Failed Dependency): not run` (that request is
   * judged). Not judged itself: counted in `counts.notRun` (decision 0680).
   */
  notRun?: string;
}

/** One check of the client's behaviour, by name: the four of judgeClientBehaviour, then `timeout`. */
export interface NamedCheck {
  name: BehaviourCheckName | 'timeout';
  passed: boolean;
  findings: string[];
  /** Why the check did not apply: no silent loss for a client that failed loudly (passed), or no create to judge (not passed). */
  skipped?: string;
}

/** check-client's requests counted by verdict (CheckClientResult.counts). */
export interface RequestCounts {
  checked: number;
  kept: number;
  broke: number;
  notJudged: number;
  closedByClient: number;
  /** Requests inside a JSON batch that were not run: answered 424 for a request they depend on, or refused with their batch (decision 0680). */
  notRun: number;
  notModelled: number;
}

export interface CheckClientResult {
  passed: boolean;
  /** The client's exit code; null when it was killed (signal or timeout). */
  exitCode: number | null;
  /** The signal that ended the client, when one did. */
  signal?: NodeJS.Signals | null;
  /** True when the client ran past timeoutMs and was stopped. */
  timedOut?: boolean;
  /** Set when the client could not be started at all (vppkit could not do the job: exit code 2). */
  startError?: string;
  /** Set when the run was interrupted (options.signal aborted): the signal's name, or 'the caller' (exit code 130). */
  interrupted?: string;
  requests: CheckedRequest[];
  /**
   * The requests counted apart: `kept` the contract, `broke` it, and `notJudged`, of which `closedByClient` (the client
   * closed the connection before the answer), `notRun` (inside a JSON batch, answered 424 or refused with the batch:
   * decision 0680) and `notModelled` (what the mock does not model, answered 501: decisions 0183, 0520). `kept`,
   * `broke` and `notJudged` add up to `checked`.
   */
  counts: RequestCounts;
  /** Why the check failed as a whole (no request made, bad exit, timeout). */
  failures: string[];
  /** Set when the client made no request, or no create, and nothing else failed (why): no verdict, exit code 2 (decision 0220). */
  nothingJudged?: string;
  pactFile?: string;
  /**
   * Set when the run's pact could not be written (a full disk): what and why, and that the pact there is kept. The
   * verdict stands; the CLI exits 2, as for any output it can't write (outside tester Q12).
   */
  pactUnwritten?: string;
  /**
   * Why a run that passed wrote no pact: no create was answered, the client closed each first (outside testers P17, Q3;
   * decision 0433), and the pact an earlier run left, when there is one, kept untouched. The CLI exits 2 for it (0661).
   */
  noPact?: string;
  output?: string;
  summary: string;
  /** With faults: what was injected and with which seed (so that a failing run can be repeated). */
  faults?: { seed: number; description: string };
  /** Each behaviour check and the timeout, by name, in every run that started the client (faults or none: decision 0205). */
  checks?: NamedCheck[];
  /** When every request that broke the contract got the same 401, 404, 405 or 415: what to check, once. */
  likelyCause?: string;
  /** The verdict on the client's behaviour, in every run that started the client. */
  behaviour?: BehaviourVerdict;
  /** With faults: the traffic the verdict was judged from (the client's credentials in it, as sent). */
  traffic?: readonly TrafficEntry[];
}
