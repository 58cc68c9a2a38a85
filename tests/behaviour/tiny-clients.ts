// Tiny in-process clients for the behaviour checks: one correct, and one for each check that breaks exactly that
// check. They wait by moving the provider's fake clock, never the wall clock.
import { createRequestFactory } from 'vpptokens-contract-kit';
import { startReferenceProvider, type FaultOptions, type ProviderClock, type ReferenceProvider } from 'vpptokens-contract-kit/provider';

export interface Habits {
  /** Waits what Retry-After says after a 429 or 503 (otherwise 100 ms). */
  honoursRetryAfter: boolean;
  /** After a 504 or a reset (unknown outcome), reads the vppTokens back before re-sending. */
  readsBackAfterUnknown: boolean;
  /** Attempts per token before giving up. */
  maxAttempts: number;
  /** Says so when it gave up on a token (the exit code a process would have). */
  reportsFailure: boolean;
}

export const CORRECT: Habits = { honoursRetryAfter: true, readsBackAfterUnknown: true, maxAttempts: 10, reportsFailure: true };
/** One client per check, each breaking that check alone. */
export const BREAKS = {
  'retry-after': { ...CORRECT, honoursRetryAfter: false },
  'no duplicate': { ...CORRECT, readsBackAfterUnknown: false },
  'bounded retries': { ...CORRECT, maxAttempts: 15 },
  'no silent loss': { ...CORRECT, maxAttempts: 1, reportsFailure: false },
} as const satisfies Record<string, Habits>;

/** Settings under which every check but `no duplicate` can be broken: every request fails with 503, Retry-After 1. */
export const ALWAYS_503: FaultOptions = { failRate: 1, failWith: [503], retryAfter: 1, seed: 1 };
/** Half the requests fail, with every kind a create can meet. */
export const MIXED: FaultOptions = { failRate: 0.5, failWith: [429, 503, '504-after-create', 'reset-after-create'], retryAfter: 1, seed: 8 };

const AUTH = { Authorization: 'Bearer tiny', 'Content-Type': 'application/json' };

export function fakeClock(): ProviderClock & { advance(ms: number): void } {
  let now = 5_000_000;
  return { now: () => now, sleep: async () => undefined, advance: (ms) => void (now += ms) };
}

type Outcome = { status: number; retryAfter: string | null; json?: unknown } | 'unknown';

async function send(url: string, init?: RequestInit): Promise<Outcome> {
  try {
    const response = await fetch(url, init);
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json: await response.json() };
  } catch {
    return 'unknown';
  }
}

/**
 * Creates `count` vppTokens through `provider` with the given habits. Resolves with whether it reports success
 * (every token created, as far as it knows, or a failure it kept quiet about).
 */
export async function tinyClient(provider: ReferenceProvider, clock: ReturnType<typeof fakeClock>, habits: Habits, count = 8): Promise<boolean> {
  const base = `${provider.url}/beta/deviceAppManagement/vppTokens`;
  const wait = (outcome: Outcome) => {
    const seconds = outcome !== 'unknown' && outcome.retryAfter !== null ? Number(outcome.retryAfter) : undefined;
    clock.advance(habits.honoursRetryAfter && seconds !== undefined ? seconds * 1000 : 100);
  };
  /** The tokens on the provider, read page by page; undefined when a read failed (give up on this check). */
  const readBack = async (): Promise<Set<string> | undefined> => {
    const tokens = new Set<string>();
    let next: string | undefined = `${base}?$top=5`;
    for (let reads = 0; next !== undefined; reads++) {
      if (reads > 20) return undefined;
      const page = await send(next, { headers: AUTH });
      if (page === 'unknown' || page.status !== 200) {
        wait(page);
        continue;
      }
      const body = page.json as { value: { token: string }[]; '@odata.nextLink'?: string };
      for (const token of body.value) tokens.add(token.token);
      next = body['@odata.nextLink'];
    }
    return tokens;
  };
  let allCreated = true;
  const requests = createRequestFactory.withSeed(77);
  for (let i = 0; i < count; i++) {
    const body = requests.buildAt(i);
    let created = false;
    for (let attempt = 1; attempt <= habits.maxAttempts && !created; attempt++) {
      const outcome = await send(base, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
      if (outcome !== 'unknown' && outcome.status === 201) created = true;
      else if (outcome === 'unknown' || outcome.status === 504) {
        if (habits.readsBackAfterUnknown && (await readBack())?.has(body.token)) created = true;
        else wait(outcome);
      } else if (outcome.status === 429 || outcome.status === 503) wait(outcome);
      else break;
    }
    if (!created) allCreated = false;
  }
  return allCreated || !habits.reportsFailure;
}

/** Starts a provider with these faults and a fake clock, runs the tiny client, and hands back the traffic. */
export async function runTinyClient(faults: FaultOptions, habits: Habits) {
  const clock = fakeClock();
  const provider = await startReferenceProvider({ faults, clock });
  try {
    const succeeded = await tinyClient(provider, clock, habits);
    return { succeeded, traffic: provider.traffic!, created: provider.vppTokens.size };
  } finally {
    await provider.close();
  }
}
