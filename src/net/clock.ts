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
