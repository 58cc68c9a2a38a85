/**
 * The time a run reads and waits by: the system's, or a test's own that moves when it is waited on (the reference
 * provider's rate limit and latency, the proxy, conform's throttling waits).
 */
export interface Clock {
  now(): number;
  /**
   * Resolves after `ms`, or as soon as `signal` aborts: a wait its waiter gave up on (a request whose client went
   * away, a provider closed) leaves no timer behind to hold the process open (docs/decisions/0445).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * A whole turn of the event loop, with a poll phase in it: what a timer, a socket's data or close, or a signal's
 * handler (Ctrl-C, SIGTERM) had to say is said before it resolves. One setImmediate is not enough: awaited while the
 * loop handles I/O (its poll phase), it resolves in the same turn's check phase, before the loop's timers and poll
 * come again; the second one resolves after them (decisions 0127, 1211).
 */
export const aWholeTurn = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
