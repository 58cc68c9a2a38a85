import { headerLines, headerValues, retryAfterMs } from '../wire';
import { systemClock, type Clock } from './clock';
import { isNumberFrom, shownOption } from './option';

/**
 * Throttling, read once for the kit (seed, conform and verify; decisions 0085, 0210, 0232, 0249). A 429 means the request was not
 * processed (RFC 6585 §4); Graph's throttling guidance: wait the seconds of Retry-After, then send again, for 429
 * and 503 alike; and "if no Retry-After header is provided by the response, we recommend implementing an
 * exponential backoff retry policy". Retry-After is optional on a 429 (RFC 6585 §4: "MAY include"): a 429 without
 * one is throttling too, waited out on `backoffMs`. A 503 without Retry-After is not: it says the service failed, not
 * that the client was too fast, and may come from a gateway after the create was processed (decision 0232): no
 * command of the kit sends it again.
 */
const THROTTLING = new Set([429, 503]);
/** Throttled answers in a row to one request before the run gives up on it. */
export const MAX_THROTTLED_IN_A_ROW = 25;
/** A backoff schedule: `firstMs` for the first answer in a row, doubling for each one after it, at most `maxMs`. */
export interface BackoffSchedule {
  firstMs: number;
  maxMs: number;
}
/** The kit's backoff: 250 ms, doubling, at most 32 s (a library caller of seed may give another: baseDelayMs, maxDelayMs). */
export const BACKOFF: BackoffSchedule = { firstMs: 250, maxMs: 32_000 };
/**
 * The backoff for the `inARow`-th answer in a row to one request that asks to wait without saying how long. Fixed,
 * without jitter, so the same seed makes the same run (decisions 0232, 0249).
 */
export const backoffMs = (inARow: number, schedule: BackoffSchedule = BACKOFF): number => Math.min(schedule.firstMs * 2 ** Math.max(0, inARow - 1), schedule.maxMs);
/** The longest a run waits in all, by default (`--max-throttle-wait`, `maxThrottleWaitMs`). */
export const DEFAULT_MAX_THROTTLE_WAIT_MS = 120_000;
/** The longest `maxThrottleWaitMs` may be: a day. */
const LONGEST_MAX_THROTTLE_WAIT_MS = 86_400_000;

/** The run could not get answers within the throttling it allows: it stops (exit code 2). */
export class ThrottledTooLong extends Error {
  override readonly name = 'ThrottledTooLong';
}

/** How long to wait before a throttled request is sent again, and why: its Retry-After, or the backoff of a 429 without one. */
export interface ThrottleWait {
  ms: number;
  retryAfter: boolean;
}

/** The Retry-After and Date lines of an answer's raw header lines, as `retryWait` reads them (decision 0450). */
export function throttleFieldsOf(rawHeaders: readonly string[] = []): { retryAfter: string[]; date: string[] } {
  const lines = headerLines(rawHeaders);
  return { retryAfter: headerValues(lines, 'Retry-After'), date: headerValues(lines, 'Date') };
}

/**
 * How long the kit waits before it sends a request again after throttling (Graph's errors: "You may repeat the
 * request after a delay, the length of which may be specified in a Retry-After header"): a 429's or 503's
 * Retry-After, read as `retryAfterMs` reads it, or a 429's backoff without one (`backoffMs(inARow)`); undefined for
 * anything else. A 503 without a Retry-After it can read is not throttling but a failure, which may have come after
 * the create was stored (decision 0232): verify and conform judge it as it is, and seed records the create unknown
 * (outside tester L11). `inARow`: the answers in a row to this request that asked to wait, this one included. `date`:
 * the answer's Date, which an HTTP-date Retry-After is read against (decision 0450). The one rule under every command
 * that sends (seed, conform, verify; decision 0249).
 */
export function retryWait(status: number, retryAfter: string | readonly string[] | number | undefined, inARow: number, schedule: BackoffSchedule = BACKOFF, now = Date.now(), date?: string | readonly string[]): ThrottleWait | undefined {
  if (!THROTTLING.has(status)) return undefined;
  const ms = retryAfterMs(typeof retryAfter === 'number' ? String(retryAfter) : retryAfter, now, date);
  if (ms !== undefined) return { ms, retryAfter: true };
  return status === 429 ? { ms: backoffMs(inARow, schedule), retryAfter: false } : undefined;
}

/** Why `maxThrottleWaitMs` can't be taken, or undefined when it can. */
export function maxThrottleWaitProblem(maxWaitMs: number): string | undefined {
  if (isNumberFrom(maxWaitMs, 0, LONGEST_MAX_THROTTLE_WAIT_MS)) return undefined;
  const got = typeof maxWaitMs === 'number' && !Number.isNaN(maxWaitMs) ? `${maxWaitMs / 1000} s` : shownOption(maxWaitMs);
  return `the longest throttling wait must be from 0 to ${LONGEST_MAX_THROTTLE_WAIT_MS / 1000} s (got ${got})`;
}

/** What a run says of the throttling it waited out (conform's report, verify's summary). */
export interface Throttling {
  /** Answers that throttled (429, or 503 with Retry-After). */
  answers: number;
  /** Milliseconds the run was held back. */
  waitedMs: number;
  /** The bound on `waitedMs` (`--max-throttle-wait`). */
  maxWaitMs: number;
}

/** `throttled: 3 answers (429, or 503 with Retry-After), each request sent again after waiting; 1.0 s spent waiting (at most 120 s)`. */
export const throttlingLine = ({ answers, waitedMs, maxWaitMs }: Throttling): string =>
  `throttled: ${answers} answer${answers === 1 ? '' : 's'} (429, or 503 with Retry-After), each request sent again after waiting; ${(waitedMs / 1000).toFixed(1)} s spent waiting (at most ${maxWaitMs / 1000} s)`;

/**
 * One pause shared by every request of a run, as a well-behaved client throttles: a Retry-After holds every
 * request back, not only the one that got it. The time spent waiting is the length of the pauses (not their sum
 * over the requests held), bounded by `maxWaitMs` for the run. `runner` names the command in its messages.
 */
export class Throttle {
  private until = 0;
  /** Answers that throttled (429, or 503 with Retry-After). */
  answers = 0;
  /** Milliseconds the run was held back. */
  waitedMs = 0;

  constructor(
    readonly maxWaitMs: number,
    private readonly runner: 'conform' | 'verify',
    /** What the pauses are read and waited by (conform's and verify's `clock`), and a Retry-After date read against. */
    readonly clock: Clock = systemClock,
  ) {}

  /** What the run says of its throttling. */
  get throttling(): Throttling {
    return { answers: this.answers, waitedMs: this.waitedMs, maxWaitMs: this.maxWaitMs };
  }

  /**
   * Resolves when requests may be sent again: true; or false, at once, when the pause would last longer than
   * `leftMs()` (a run's budget of time, conform's --time-budget), which is not waited out.
   */
  async ready(leftMs: () => number = () => Infinity): Promise<boolean> {
    for (let wait = this.until - this.clock.now(); wait > 0; wait = this.until - this.clock.now()) {
      if (wait > leftMs()) return false;
      await this.clock.sleep(wait);
    }
    return true;
  }

  /**
   * Holds requests back for `wait.ms` from now, for the `inARow`-th throttled answer in a row to one request (`what`,
   * such as `one request`); throws when that passes the run's bound or the answers in a row allowed.
   */
  hold(wait: ThrottleWait, inARow: number, what: string, status: number): void {
    const ms = wait.ms;
    const how = wait.retryAfter ? 'with Retry-After' : 'without Retry-After';
    if (inARow >= MAX_THROTTLED_IN_A_ROW) {
      throw new ThrottledTooLong(`the provider throttled ${what} ${MAX_THROTTLED_IN_A_ROW} times in a row (${status} ${how}): ${this.runner} cannot judge it`);
    }
    this.answers++;
    const now = this.clock.now();
    const from = Math.max(now, this.until);
    const to = Math.max(this.until, now + ms);
    const added = Math.max(0, to - from);
    if (this.waitedMs + added > this.maxWaitMs) {
      throw new ThrottledTooLong(
        `the provider throttled for longer than ${this.runner} waits: ${wait.retryAfter ? 'Retry-After asked for' : `a ${status} without Retry-After, backing off`} ${seconds(ms)} after ${seconds(this.waitedMs)} spent waiting, more than the ${seconds(this.maxWaitMs)} allowed (--max-throttle-wait); rerun later or allow more`,
      );
    }
    this.waitedMs += added;
    this.until = to;
  }
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
