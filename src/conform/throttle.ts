import { retryAfterMs } from '../wire';
import type { Outcome } from './http';

/** Statuses that throttle rather than fail when they carry Retry-After: Graph's 429 and 503 (its throttling guidance). */
const THROTTLING = new Set([429, 503]);
/** Throttled answers in a row to one request before conform gives up on it. */
export const MAX_THROTTLED_IN_A_ROW = 25;

/** Conform could not get answers within the throttling it allows: the run stops (exit code 2). */
export class ThrottledTooLong extends Error {
  override readonly name = 'ThrottledTooLong';
}

/** How long an answer asks to wait before the request is sent again, or undefined when it is not throttling. */
export function throttledFor(outcome: Outcome): number | undefined {
  if (!outcome.answer || !THROTTLING.has(outcome.answer.status)) return undefined;
  const value = outcome.answer.headers['retry-after'];
  return retryAfterMs(typeof value === 'number' ? String(value) : value);
}

/**
 * One pause shared by every request of a run, as a well-behaved client throttles: a Retry-After holds every
 * request back, not only the one that got it. The time spent waiting is the length of the pauses (not their sum
 * over the requests held), bounded by `maxWaitMs` for the run.
 */
export class Throttle {
  private until = 0;
  /** Answers that throttled (429 or 503 with Retry-After). */
  answers = 0;
  /** Milliseconds the run was held back. */
  waitedMs = 0;

  constructor(readonly maxWaitMs: number) {}

  /** Resolves when requests may be sent again. */
  async ready(): Promise<void> {
    for (let wait = this.until - Date.now(); wait > 0; wait = this.until - Date.now()) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Holds requests back for `ms` from now; throws when that would pass the run's bound. */
  hold(ms: number): void {
    this.answers++;
    const now = Date.now();
    const from = Math.max(now, this.until);
    const to = Math.max(this.until, now + ms);
    const added = Math.max(0, to - from);
    if (this.waitedMs + added > this.maxWaitMs) {
      throw new ThrottledTooLong(
        `the provider throttled for longer than conform waits: Retry-After asked for ${seconds(ms)} after ${seconds(this.waitedMs)} spent waiting, more than the ${seconds(this.maxWaitMs)} allowed (--max-throttle-wait); rerun later or allow more`,
      );
    }
    this.waitedMs += added;
    this.until = to;
  }
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
