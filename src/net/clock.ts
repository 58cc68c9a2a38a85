/**
 * The time a run reads and waits by: the system's, or a test's own that moves when it is waited on (the reference
 * provider's rate limit and latency, the proxy, conform's throttling waits).
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
