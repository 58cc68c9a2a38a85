// Tiny clients for the behaviour checks (tests/client-check/clients/habits.js): one correct, and one for each
// check that breaks exactly that check. In process, they wait by moving the provider's fake clock.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type FaultOptions, type ProviderClock } from '../../src/provider';

export interface Habits {
  /** Waits what Retry-After says after a 429 or 503 (otherwise 100 ms). */
  honoursRetryAfter: boolean;
  /** After a 504 or a reset (unknown outcome), reads the vppTokens back before re-sending. */
  readsBackAfterUnknown: boolean;
  /** Attempts per token before giving up. */
  maxAttempts: number;
  /** Says so when it gave up on a token (the exit code a process would have). */
  reportsFailure: boolean;
  /** How it reads back: the whole list (default), or a list answered 200 that cannot show its vppToken. */
  readBack?: 'whole list' | 'first page' | 'another filter' | 'ids only';
  /** On a 429 or 503, sets the create aside and sends the next token at once; waits the longest Retry-After after each round (outside tester H27). */
  setsAsideThrottled?: boolean;
  /** Creates this many at once, each worker backing off its own throttled create. */
  parallel?: number;
  /** Once every create is done, reads the list until it is answered 200, waiting out each throttled read as a create. */
  readsListAtEnd?: boolean;
  /** With readsListAtEnd: re-sends a throttled read 5 ms after its 429 or 503, whatever Retry-After said (outside tester J11). */
  rereadsAtOnce?: boolean;
}

/** The client itself is plain JavaScript, so that check-client can run it as a process too. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createAll } = require('../client-check/clients/habits.js') as {
  createAll(options: { base: string; habits: Habits; bodies: { token: string }[]; wait: (ms: number) => void | Promise<void> }): Promise<boolean>;
};

export const CORRECT: Habits = { honoursRetryAfter: true, readsBackAfterUnknown: true, maxAttempts: 10, reportsFailure: true };
/** One client per check, each breaking that check alone. */
export const BREAKS = {
  'retry-after': { ...CORRECT, honoursRetryAfter: false },
  'no duplicate': { ...CORRECT, readsBackAfterUnknown: false },
  'bounded retries': { ...CORRECT, maxAttempts: 15 },
  'no silent loss': { ...CORRECT, maxAttempts: 1, reportsFailure: false },
} as const satisfies Record<string, Habits>;

/** A client that honours Retry-After only for the token it was given on (outside tester H27), and a correct one in parallel. */
export const THROTTLED_FOR_OTHERS: Habits = { ...CORRECT, setsAsideThrottled: true };
export const CORRECT_IN_PARALLEL: Habits = { ...CORRECT, parallel: 3 };

/** Clients that read the list once their creates are done: one waits out a throttled read, one re-sends it at once (outside tester J11). */
export const READS_LIST: Habits = { ...CORRECT, readsListAtEnd: true };
export const REREADS_AT_ONCE: Habits = { ...READS_LIST, rereadsAtOnce: true };

/** Clients that read back after an unknown outcome, but read what cannot show their vppToken (outside tester H3). */
export const BLIND_READS = {
  'first page': { ...CORRECT, readBack: 'first page' },
  'another filter': { ...CORRECT, readBack: 'another filter' },
  'ids only': { ...CORRECT, readBack: 'ids only' },
} as const satisfies Record<string, Habits>;

/** Plain 504s, which store nothing: a blind re-send creates no second vppToken here, as it would at Graph. */
export const PLAIN_504: FaultOptions = { failRate: 0.4, failWith: [504], retryAfter: 0, seed: 6 };

/** Settings under which every check but `no duplicate` can be broken: every request fails with 503, Retry-After 1. */
export const ALWAYS_503: FaultOptions = { failRate: 1, failWith: [503], retryAfter: 1, seed: 1 };
/**
 * Every request fails with 503 and Retry-After: 0, which paces nothing: how often a client retries is all that counts
 * (a re-send that waited out a Retry-After of more than none is what Graph asks, and counts toward no bound: 0435).
 */
export const ALWAYS_503_AT_ONCE: FaultOptions = { failRate: 1, failWith: [503], retryAfter: 0, seed: 1 };
/** Half the requests are throttled, 429 or 503 with Retry-After: 1. */
export const THROTTLED_HALF: FaultOptions = { failRate: 0.5, failWith: [429, 503], retryAfter: 1, seed: 3 };
/** Half the requests fail, with every kind a create can meet. */
export const MIXED: FaultOptions = { failRate: 0.5, failWith: [429, 503, '504-after-create', 'reset-after-create'], retryAfter: 1, seed: 8 };

/** A clock that moves only when told, from the real time it was made at (the proxy judges a real target's times by it). */
export function fakeClock(): ProviderClock & { advance(ms: number): void } {
  let now = Date.now();
  return { now: () => now, sleep: async () => undefined, advance: (ms) => void (now += ms) };
}

/** The bodies the tiny clients create. */
export const bodies = (count = 8) => Array.from({ length: count }, (_, i) => createRequestFactory.withSeed(77).buildAt(i));

/** Starts a provider with these faults and a fake clock, runs the tiny client, and hands back the traffic. */
export async function runTinyClient(faults: FaultOptions, habits: Habits) {
  const clock = fakeClock();
  const provider = await startReferenceProvider({ faults, clock });
  try {
    const succeeded = await createAll({ base: `${provider.url}/beta/deviceAppManagement/vppTokens`, habits, bodies: bodies(), wait: (ms) => clock.advance(ms) });
    return { succeeded, traffic: provider.traffic!, created: provider.vppTokens.size };
  } finally {
    await provider.close();
  }
}
