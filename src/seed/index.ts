import { setTimeout as sleep } from 'node:timers/promises';
import type { VppTokenCreateRequest } from '../generated/types';
import { createRequestFactory, DEFAULT_SEED, type VppTokenTrait } from '../fixtures';
import { InputError, formatProblem, problemsOf, readRecords, type InputFormat, type InputRecord } from '../validation';
import type { Readable } from 'node:stream';
import type { Profile } from '../schemas';
import { createPoster, retryAfterMs, type PostOutcome } from './http';

export { retryAfterMs } from './http';

/** One record to create: a valid request, or why the input record can't be sent. */
export interface SeedInput {
  index: number;
  request?: VppTokenCreateRequest;
  /** Set when the input record is not a valid create request: it is reported, never sent. */
  invalid?: string[];
}

/** One line of the report: what became of one input record. Never holds a token. */
export type ReportEntry =
  | { index: number; status: 'created'; id: string | null; httpStatus: number; attempts: number; resumed?: true }
  | { index: number; status: 'failed'; httpStatus: number | null; code: string; message: string; attempts: number }
  | { index: number; status: 'invalid'; problems: string[] }
  | { index: number; status: 'unknown'; reason: string; attempts: number; resumed?: true }
  | { index: number; status: 'not-sent'; reason: string };

export type ReportStatus = ReportEntry['status'];

export interface SeedCounts {
  total: number;
  created: number;
  failed: number;
  invalid: number;
  unknown: number;
  notSent: number;
}

export interface SeedSummary extends SeedCounts {
  elapsedMs: number;
  /** Creates per second over the run (records carried over by --resume are not counted). */
  rate: number;
  interrupted: boolean;
}

export interface SeedOptions {
  /** Base URL of the server, a version prefix allowed: http://127.0.0.1:8080/beta. */
  target: string;
  records: AsyncIterable<SeedInput>;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Access token for `Authorization: Bearer ...`; none is sent without it. */
  bearer?: string;
  /** Per-request timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Tries per record for 429, 503 and refused connections (default 5). */
  maxAttempts?: number;
  /** First backoff step in ms (default 250); doubles each try, with full jitter, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After honoured (default 60 s); a longer one fails the record. */
  maxRetryAfterMs?: number;
  /** What an earlier run's report says, by index: created records are not sent again. */
  previous?: Map<number, ReportEntry>;
  /** Send again the records an earlier run left `unknown` (they may exist on the server already). */
  retryUnknown?: boolean;
  /** Called once per record, in completion order. */
  report: (entry: ReportEntry) => void;
  onProgress?: (counts: SeedCounts) => void;
  /** Aborting stops new requests; those in flight finish; the rest are reported `not-sent`. */
  signal?: AbortSignal;
}

const count = (counts: SeedCounts, status: ReportStatus) => {
  counts.total++;
  if (status === 'not-sent') counts.notSent++;
  else counts[status]++;
};

function redact(text: string, token: string | undefined): string {
  const clipped = text.length > 500 ? `${text.slice(0, 497)}...` : text;
  return token && token.length >= 4 ? clipped.split(token).join('[token]') : clipped;
}

/**
 * Creates vppTokens on a server by POSTing each record to `target`/deviceAppManagement/vppTokens, with bounded
 * concurrency over keep-alive connections. 429 and 503 wait as Retry-After says (or back off exponentially with
 * jitter); a refused connection is retried; other answers are final. A request whose connection broke after it
 * was sent is `unknown` and never sent again here: POST is not idempotent. Every record gets one report entry.
 */
export async function seedVppTokens(options: SeedOptions): Promise<SeedSummary> {
  const url = new URL(`${options.target.replace(/\/+$/, '')}/deviceAppManagement/vppTokens`);
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelay = options.baseDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const poster = createPoster(url, concurrency, options.timeoutMs ?? 30_000);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  const counts: SeedCounts = { total: 0, created: 0, failed: 0, invalid: 0, unknown: 0, notSent: 0 };
  let freshlyCreated = 0;
  const started = Date.now();
  const aborted = () => options.signal?.aborted === true;

  const record = (entry: ReportEntry) => {
    count(counts, entry.status);
    options.report(entry);
    options.onProgress?.({ ...counts });
  };

  async function createOne(input: SeedInput): Promise<ReportEntry> {
    const { index, request } = input;
    const body = JSON.stringify(request);
    for (let attempt = 1; ; attempt++) {
      const outcome: PostOutcome = await poster.post(body, headers);
      let wait: number | undefined;
      if (outcome.kind === 'error') {
        if (outcome.sent) {
          return { index, status: 'unknown', reason: `the connection broke after the request was sent (${outcome.code}); it may have been created`, attempts: attempt };
        }
        if (attempt >= maxAttempts) return { index, status: 'failed', httpStatus: null, code: outcome.code, message: redact(outcome.message, request?.token), attempts: attempt };
      } else if (outcome.status >= 200 && outcome.status < 300) {
        let id: string | null = null;
        try {
          const created = JSON.parse(outcome.body) as { id?: unknown };
          id = typeof created.id === 'string' ? created.id : null;
        } catch {
          // a 2xx without a JSON body: created, but the id is unknown
        }
        return { index, status: 'created', id, httpStatus: outcome.status, attempts: attempt };
      } else {
        let code = `HTTP${outcome.status}`;
        let message = outcome.body.slice(0, 200);
        try {
          const error = (JSON.parse(outcome.body) as { error?: { code?: string; message?: string } }).error;
          code = error?.code ?? code;
          message = error?.message ?? message;
        } catch {
          // not Graph's error body: keep the start of the text
        }
        const failed = (why = message) => ({ index, status: 'failed' as const, httpStatus: outcome.status, code, message: redact(why, request?.token), attempts: attempt });
        if (outcome.status !== 429 && outcome.status !== 503) return failed();
        if (attempt >= maxAttempts) return failed(`${message} (gave up after ${attempt} tries)`);
        wait = retryAfterMs(outcome.headers['retry-after']);
        if (wait !== undefined && wait > maxRetryAfter) return failed(`${message} (Retry-After ${Math.round(wait / 1000)} s is longer than the ${maxRetryAfter / 1000} s allowed)`);
        if (aborted()) return failed(`${message} (interrupted before retrying)`);
      }
      const delay = wait ?? Math.random() * Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        return { index, status: 'not-sent', reason: 'interrupted while waiting to retry; nothing was created' } as ReportEntry;
      }
    }
  }

  const iterator = options.records[Symbol.asyncIterator]();
  async function worker(): Promise<void> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const input = next.value;
      const before = options.previous?.get(input.index);
      if (before?.status === 'created' || (before?.status === 'unknown' && !options.retryUnknown)) {
        record({ ...before, resumed: true });
      } else if (input.invalid) {
        record({ index: input.index, status: 'invalid', problems: input.invalid });
      } else if (aborted()) {
        record({ index: input.index, status: 'not-sent', reason: 'interrupted before it was sent' });
      } else {
        const entry = await createOne(input);
        if (entry.status === 'created') freshlyCreated++;
        record(entry);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  } finally {
    poster.close();
  }
  const elapsedMs = Date.now() - started;
  return { ...counts, elapsedMs, rate: elapsedMs > 0 ? (freshlyCreated * 1000) / elapsedMs : 0, interrupted: aborted() };
}

/** Create requests from the fixture factory: records offset .. offset+count-1 of the data set for a seed. */
export async function* generatedSeedInputs(options: { count: number; offset?: number; seed?: number; traits?: VppTokenTrait[]; signal?: AbortSignal; profile?: Profile }): AsyncGenerator<SeedInput> {
  const factory = (createRequestFactory.withProfile(options.profile ?? 'beta') as typeof createRequestFactory).withSeed(options.seed ?? DEFAULT_SEED).withTraits(...(options.traits ?? []));
  const offset = options.offset ?? 0;
  for (let i = 0; i < options.count; i++) {
    // Once interrupted, the rest are only accounted for: no need to build them.
    yield options.signal?.aborted ? { index: offset + i } : { index: offset + i, request: factory.buildAt(offset + i) };
  }
}

/** Create requests read from a file or stdin (JSON, JSON array or NDJSON); invalid ones are marked, not dropped. */
export async function* fileSeedInputs(input: Readable, format: InputFormat = 'auto', profile?: Profile): AsyncGenerator<SeedInput> {
  for await (const record of readRecords(input, format) as AsyncIterable<InputRecord>) {
    if (record.syntaxError) {
      const e = record.syntaxError;
      yield { index: record.index, invalid: [`line ${e.line}, column ${e.column}: not JSON: ${e.message}`] };
      continue;
    }
    const problems = problemsOf('request', record.value, profile);
    yield problems.length ? { index: record.index, invalid: problems.map(formatProblem) } : { index: record.index, request: record.value as VppTokenCreateRequest };
  }
}

/** Reads an earlier report (NDJSON of ReportEntry) into a map by index; the last line for an index wins. */
export async function readReport(input: Readable): Promise<Map<number, ReportEntry>> {
  const entries = new Map<number, ReportEntry>();
  const records = readRecords(input, 'ndjson');
  try {
    for await (const record of records) add(record);
  } catch (error) {
    if (!(error instanceof InputError)) throw error; // an empty report: nothing to resume
  }
  return entries;

  function add(record: InputRecord): void {
    const entry = record.value as ReportEntry | undefined;
    if (record.syntaxError || !entry || typeof entry.index !== 'number' || typeof entry.status !== 'string') {
      throw new Error(`line ${record.line} of the report is not a vppkit seed report entry`);
    }
    entries.set(entry.index, entry);
  }
}
