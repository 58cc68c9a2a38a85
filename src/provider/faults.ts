import { randomInt } from 'node:crypto';
import { createRandomizer } from '../fixtures/randomizer';
import { graphErrorCode } from '../fixtures/graph-error';
import { JsonFileError, readJsonFile, readJsonInputFile } from '../validation/json-file';
import { inputFileProblem, type InputWait } from '../validation/stream-file';
import { formatProblem } from '../validation/problems';
import { kitChecker } from '../validation/kit-checkers';
import { systemClock, type Clock } from '../net/clock';
import { argumentProblem, isNumberFrom, isWholeNumber, optionsObjectProblem, pathProblem, shownArgument, shownOption, otherKindHint, unknownMembersWords } from '../net/option';

/**
 * Faults on demand, in the manner of Microsoft's Dev Proxy for Graph: random failures, a rate limit and latency.
 * Deterministic under a seed: request n's failure and latency depend only on the seed and n (the rate limit also
 * depends on the clock, which tests can replace).
 */
export interface FaultOptions {
  /** Share of requests answered with a failure instead, 0 to 1. */
  failRate?: number;
  /**
   * The failures drawn from (default 429, 503, 504): statuses, and the two that happen after the service committed,
   * `504-after-create` (the vppToken is stored, then 504) and `reset-after-create` (stored, then the connection is
   * destroyed without an answer). Those two hit only creates; a read draws from the statuses alone.
   */
  failWith?: (number | AfterCreateFault)[];
  /** N requests per window of S seconds; the rest of the window gets 429 with Retry-After. */
  rateLimit?: { requests: number; seconds: number };
  /** Milliseconds before each answer: a fixed number, or a range drawn from per request. */
  latency?: number | { min: number; max: number };
  /** Seed of the draws; a random one when left out (ReferenceProvider.faults.seed says which). */
  seed?: number;
  /** Retry-After, in seconds, on a drawn 429 or 503 (default 1). */
  retryAfter?: number;
}

/** The clock the rate limit and the latency use; tests pass a fake one (the kit's one Clock, src/net). */
export type ProviderClock = Clock;
export { systemClock };

/** The statuses --fail-with accepts, with Graph's error code for each: the fixtures' (graphErrorKinds), one vocabulary. */
export const FAULT_STATUSES: Readonly<Record<number, { code: string; message: string }>> = {
  429: { code: graphErrorCode(429)!, message: 'Too many requests; retry after the time Retry-After gives.' },
  500: { code: graphErrorCode(500)!, message: 'The service failed to process the request (injected fault).' },
  502: { code: 'BadGateway', message: 'The service received an invalid answer upstream (injected fault).' },
  503: { code: graphErrorCode(503)!, message: 'The service is temporarily unavailable; retry after the time Retry-After gives.' },
  504: { code: graphErrorCode(504)!, message: 'The service did not answer in time (injected fault).' },
};
export const DEFAULT_FAIL_WITH: FailureKind[] = [429, 503, 504];

/** The statuses --fail-with accepts. */
export type FaultStatus = 429 | 500 | 502 | 503 | 504;
/** The failures that happen after the vppToken was stored: the outcome is unknown to the client. */
export type AfterCreateFault = '504-after-create' | 'reset-after-create';
/** One kind --fail-with accepts. */
export type FailureKind = FaultStatus | AfterCreateFault;
export const AFTER_CREATE_FAULTS: readonly AfterCreateFault[] = ['504-after-create', 'reset-after-create'];
/** Every kind --fail-with accepts, as it is spelled there. */
export const FAILURE_KINDS: readonly string[] = [...Object.keys(FAULT_STATUSES), ...AFTER_CREATE_FAULTS];

export const isAfterCreateFault = (kind: unknown): kind is AfterCreateFault => AFTER_CREATE_FAULTS.includes(kind as AfterCreateFault);
const isFailureKind = (kind: unknown): kind is FailureKind => (typeof kind === 'number' && kind in FAULT_STATUSES) || isAfterCreateFault(kind);
const MAX_LATENCY_MS = 600_000;

/** A fault option that cannot be used: the message says what was wrong and what is allowed. */
export class FaultOptionError extends Error {
  override readonly name = 'FaultOptionError';
}

/** The names FaultOptions takes (its type's every key: a new one cannot be left out). */
const FAULT_OPTION_NAMES = Object.keys({ failRate: true, failWith: true, rateLimit: true, latency: true, seed: true, retryAfter: true } satisfies Record<keyof FaultOptions, true>);

/** Checks structured fault options; throws FaultOptionError naming the option. */
export function checkFaultOptions(options: FaultOptions): void {
  // Its shape by the library's one rule (decision 0800): `faults: 42` was taken as no fault, `{ failRat: 0.2 }` too.
  const shape = optionsObjectProblem('faults', options, FAULT_OPTION_NAMES, 'required');
  if (shape) throw new TypeError(shape);
  const { failRate, failWith, rateLimit, latency, seed, retryAfter } = options;
  if (failRate !== undefined && !isNumberFrom(failRate, 0, 1)) {
    throw new FaultOptionError(`failRate must be a number from 0 to 1 (got ${shownOption(failRate)})`);
  }
  if (failWith !== undefined) {
    if (failRate === undefined) throw new FaultOptionError('failWith needs failRate: it says which kinds the failures are drawn from');
    if (!Array.isArray(failWith)) throw new FaultOptionError(`failWith must be an array of the failures' kinds, such as [500, 503] (got ${shownArgument(failWith)})`);
    if (failWith.length === 0) throw new FaultOptionError('failWith must list at least one status');
    for (const kind of failWith) {
      if (!isFailureKind(kind)) throw new FaultOptionError(`failWith: ${shownOption(kind)} is not one of ${FAILURE_KINDS.join(', ')}${otherKindHint(kind, [...Object.keys(FAULT_STATUSES).map(Number), ...AFTER_CREATE_FAULTS])}`);
    }
  }
  if (rateLimit !== undefined) {
    // An object of requests and seconds, asked before its members are read (decision 0891): `rateLimit: 42` was said as
    // `rateLimit.requests ... (got undefined)`. Its names are the faults file's (decision 1121): `burst` was taken.
    const what = 'rateLimit must be an object of requests and seconds, such as { requests: 5, seconds: 1 }';
    if (argumentProblem('rateLimit', rateLimit, 'record')) throw new FaultOptionError(`${what} (got ${shownArgument(rateLimit)})`);
    const unknown = unknownMembersWords(rateLimit, Object.keys(FAULTS_FILE_SCHEMA.properties.rateLimit.properties));
    if (unknown) throw new FaultOptionError(`${what}: ${unknown}`);
    if (!isWholeNumber(rateLimit.requests, 1, Number.MAX_SAFE_INTEGER)) throw new FaultOptionError(`rateLimit.requests must be a whole number of at least 1 (got ${shownOption(rateLimit.requests)})`);
    if (!(isNumberFrom(rateLimit.seconds, 0, 86_400) && rateLimit.seconds > 0)) {
      throw new FaultOptionError(`rateLimit.seconds must be a number above 0 and at most 86400 (got ${shownOption(rateLimit.seconds)})`);
    }
  }
  if (latency !== undefined) {
    const what = `latency must be whole milliseconds from 0 to ${MAX_LATENCY_MS}, a number or a range { min, max } with its minimum first`;
    // A range is an object of min and max, by the faults file's names (decision 1121): `jitter` was taken, `null` failed inside.
    // A string keeps the rule's words below, which show `"10"` as text (0963).
    if (typeof latency === 'object' && argumentProblem('latency', latency, 'record')) throw new FaultOptionError(`${what} (got ${shownArgument(latency)})`);
    const unknown = typeof latency === 'object' ? unknownMembersWords(latency, Object.keys(FAULTS_FILE_SCHEMA.properties.latency.else.properties)) : undefined;
    if (unknown) throw new FaultOptionError(`${what}: ${unknown}`);
    const [min, max] = typeof latency === 'number' ? [latency, latency] : [latency.min, latency.max];
    if (!isWholeNumber(min, 0, MAX_LATENCY_MS) || !isWholeNumber(max, 0, MAX_LATENCY_MS) || min > max) {
      throw new FaultOptionError(`latency must be whole milliseconds from 0 to ${MAX_LATENCY_MS}, a range with its minimum first (got ${typeof latency === 'object' && latency !== null ? `${shownOption(min)}-${shownOption(max)}` : shownOption(latency)})`);
    }
  }
  if (seed !== undefined && !isWholeNumber(seed, 0, 2 ** 32 - 1)) throw new FaultOptionError(`seed must be a whole number from 0 to ${2 ** 32 - 1} (got ${shownOption(seed)})`);
  if (retryAfter !== undefined && !isWholeNumber(retryAfter, 0, 3600)) throw new FaultOptionError(`retryAfter must be whole seconds from 0 to 3600 (got ${shownOption(retryAfter)})`);
}

// Parsers for the command line's text; each throws FaultOptionError with what is allowed.
export function parseFailRate(text: string): number {
  const value = Number(text);
  if (!/^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) || !(value >= 0 && value <= 1)) throw new FaultOptionError(`must be a number from 0 to 1, such as 0.2 (got ${shownOption(text)})`);
  return value;
}

export function parseFailWith(text: string): FailureKind[] {
  const parts = text.split(',').map((p) => p.trim());
  const kinds = parts.map((p) => (/^\d{3}$/.test(p) ? Number(p) : p.toLowerCase()));
  const wrong = parts.find((_, i) => !isFailureKind(kinds[i]));
  if (wrong !== undefined) throw new FaultOptionError(`must be kinds from ${FAILURE_KINDS.join(', ')}, separated by commas (got ${shownOption(wrong)})`);
  return [...new Set(kinds as FailureKind[])];
}

export function parseRateLimit(text: string): { requests: number; seconds: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const requests = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(requests) || requests < 1 || seconds <= 0 || seconds > 86_400) {
    throw new FaultOptionError(`must be N/SECONDS, N requests (at least 1) per window of SECONDS (above 0, at most 86400), such as 10/1 (got ${shownOption(text)})`);
  }
  return { requests, seconds };
}

export function parseLatency(text: string): number | { min: number; max: number } {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (!match || min > MAX_LATENCY_MS || max > MAX_LATENCY_MS || min > max) {
    throw new FaultOptionError(`must be MS or MIN-MAX, whole milliseconds from 0 to ${MAX_LATENCY_MS} with the minimum first, such as 200 or 50-500 (got ${shownOption(text)})`);
  }
  return match[2] === undefined ? min : { min, max };
}

/** The shape of a fault profile file (`--faults FILE`): FaultOptions as JSON, the flags' options by their library names. */
export const FAULTS_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    failRate: { type: 'number', minimum: 0, maximum: 1 },
    failWith: { type: 'array', minItems: 1, items: { enum: [...Object.keys(FAULT_STATUSES).map(Number), '504-after-create', 'reset-after-create'] } },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['requests', 'seconds'],
      properties: { requests: { type: 'integer', minimum: 1 }, seconds: { type: 'number', exclusiveMinimum: 0, maximum: 86_400 } },
    },
    latency: {
      type: ['integer', 'object'],
      if: { type: 'integer' },
      then: { type: 'integer', minimum: 0, maximum: MAX_LATENCY_MS },
      else: {
        type: 'object',
        additionalProperties: false,
        required: ['min', 'max'],
        properties: { min: { type: 'integer', minimum: 0, maximum: MAX_LATENCY_MS }, max: { type: 'integer', minimum: 0, maximum: MAX_LATENCY_MS } },
      },
    },
    seed: { type: 'integer', minimum: 0, maximum: 2 ** 32 - 1 },
    retryAfter: { type: 'integer', minimum: 0, maximum: 3600 },
  },
} as const;

let checkFaultsFile: ReturnType<typeof kitChecker> | undefined;

/**
 * Reads a fault profile (`--faults FILE`): a JSON object with FaultOptions' properties, e.g.
 * `{ "failRate": 0.2, "failWith": [429, 503], "rateLimit": { "requests": 10, "seconds": 1 }, "seed": 7 }`.
 * Every command with fault options reads its file here. A mistake is a FaultOptionError of one line naming the
 * file, the JSON pointer (or line and column) and what is allowed. How the options combine (failWith needs
 * failRate) is checked by checkFaultOptions once the command's flags are merged in.
 */
export function readFaultsFile(file: string): FaultOptions {
  const notPath = pathProblem('file', file);
  if (notPath) throw new TypeError(notPath);
  let data: unknown;
  try {
    data = readJsonFile(file);
  } catch (error) {
    throw faultsFileError(file, error);
  }
  return faultsOfFile(file, data);
}

/**
 * readFaultsFile by the interruptible reader of decision 0530 (the CLI's `--faults`): a FIFO no process writes to
 * yet is waited for (said by `onNoWriter`) and `signal` ends the wait, where a synchronous read blocked the thread.
 */
export async function readFaultsInputFile(file: string, wait: InputWait = {}): Promise<FaultOptions> {
  // Asked as readFaultsFile and readConformReportInput ask (decision 1332): a wrong argument is no file's mistake.
  const wrong = inputFileProblem('readFaultsInputFile', file, wait);
  if (wrong) throw new TypeError(wrong);
  let data: unknown;
  try {
    data = await readJsonInputFile(file, wait);
  } catch (error) {
    throw faultsFileError(file, error);
  }
  return faultsOfFile(file, data);
}

function faultsFileError(file: string, error: unknown): unknown {
  if (!(error instanceof JsonFileError)) return error;
  return new FaultOptionError(error.kind === 'syntax' ? `${file} ${error.message}` : `${file}: ${error.detail}`);
}

/** The fault options a file's JSON value gives, or a FaultOptionError naming the file, the pointer and what is allowed. */
function faultsOfFile(file: string, data: unknown): FaultOptions {
  checkFaultsFile ??= kitChecker('faults');
  const problems = checkFaultsFile(data);
  if (problems.length) throw new FaultOptionError(`${file}: ${problems.map(formatProblem).join('; ')}`);
  const options = data as FaultOptions;
  // What the schema can't say. How options combine (failWith needs failRate) is checked once the flags are in.
  if (typeof options.latency === 'object' && options.latency.min > options.latency.max) {
    throw new FaultOptionError(`${file}: /latency: must have its min at most its max (got min ${options.latency.min}, max ${options.latency.max})`);
  }
  return options;
}

/** A fault to answer with instead of the real answer. */
export interface InjectedFault {
  /** What was drawn: a status, or a failure after the create. */
  failure: FailureKind;
  /** The status answered (504-after-create: 504); undefined for reset-after-create, which answers nothing. */
  status?: number;
  code: string;
  message: string;
  /** Retry-After in seconds, when the answer carries one. */
  retryAfter?: number;
  /** The answer's own headers: Retry-After, and on a rate-limited 429 the RateLimit-* fields. */
  headers: Record<string, string>;
  /** Why: a drawn failure or the rate limit. */
  kind: 'fail-rate' | 'rate-limit';
}

const AFTER_CREATE: Record<AfterCreateFault, { status?: number; code: string; message: string }> = {
  '504-after-create': { status: 504, ...FAULT_STATUSES[504] },
  'reset-after-create': { code: 'ConnectionReset', message: 'The connection was reset after the vppToken was created (injected fault).' },
};

/** Draws the faults for a provider, one request at a time, in arrival order. */
export class FaultInjector {
  readonly seed: number;
  private readonly failDraws = createRandomizer();
  private readonly latencyDraws = createRandomizer();
  private readonly failWith: FailureKind[];
  private windowStart = Number.NaN;
  private windowCount = 0;

  constructor(
    private readonly options: FaultOptions,
    private readonly clock: ProviderClock,
  ) {
    checkFaultOptions(options);
    this.seed = options.seed ?? randomInt(2 ** 32 - 1);
    // Separate streams, so that adding latency does not change which requests fail.
    this.failDraws.seed([this.seed, 1]);
    this.latencyDraws.seed([this.seed, 2]);
    this.failWith = (options.failWith as FailureKind[] | undefined) ?? DEFAULT_FAIL_WITH;
  }

  /** Whether any fault or latency is configured. */
  get active(): boolean {
    return this.options.failRate !== undefined || this.options.rateLimit !== undefined || this.options.latency !== undefined;
  }

  /** The delay before the next answer, drawn once per request. */
  nextLatency(): number {
    const { latency } = this.options;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    return latency.min + (this.latencyDraws.uint32() % (latency.max - latency.min + 1));
  }

  /**
   * The fault for the next request that reached a route, if any. A create may draw a failure after the create
   * (the caller stores the vppToken first, and applies it only if the create succeeds); a read draws from the
   * statuses alone. A request inside a JSON batch (`inBatch`) draws as one sent alone, but for a reset, which would
   * end the whole batch's connection (decision 0436).
   */
  nextFault(isCreate = false, inBatch = false): InjectedFault | undefined {
    // Drawn for every request, so that request n's failure depends only on the seed and n.
    const failDraw = this.failDraws.next();
    const pickDraw = this.failDraws.uint32();
    const { rateLimit, failRate } = this.options;
    if (rateLimit) {
      const now = this.clock.now();
      const windowMs = rateLimit.seconds * 1000;
      if (!(now < this.windowStart + windowMs)) {
        this.windowStart = now;
        this.windowCount = 0;
      }
      if (this.windowCount >= rateLimit.requests) {
        const retryAfter = Math.max(1, Math.ceil((this.windowStart + windowMs - now) / 1000));
        // The draft IETF RateLimit fields (draft-03, the version Graph's SharePoint workload sends), beside Retry-After.
        const headers = { 'Retry-After': String(retryAfter), 'RateLimit-Limit': String(rateLimit.requests), 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(retryAfter) };
        return { failure: 429, status: 429, ...FAULT_STATUSES[429], retryAfter, headers, kind: 'rate-limit' };
      }
      this.windowCount++;
    }
    const applicable = this.failWith.filter((kind) => (isCreate ? !(inBatch && kind === 'reset-after-create') : !isAfterCreateFault(kind)));
    if (failRate !== undefined && failDraw < failRate && applicable.length > 0) {
      const failure = applicable[pickDraw % applicable.length];
      if (isAfterCreateFault(failure)) return { failure, ...AFTER_CREATE[failure], headers: {}, kind: 'fail-rate' };
      const retryAfter = failure === 429 || failure === 503 ? (this.options.retryAfter ?? 1) : undefined;
      const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
      return { failure, status: failure, ...FAULT_STATUSES[failure], ...(retryAfter === undefined ? {} : { retryAfter }), headers, kind: 'fail-rate' };
    }
    return undefined;
  }

  /** One line saying what is configured, for the log. */
  describe(): string {
    const { failRate, rateLimit, latency } = this.options;
    const parts: string[] = [];
    if (failRate !== undefined) parts.push(`fail-rate ${failRate} with ${this.failWith.join(',')}`);
    if (rateLimit) parts.push(`rate limit ${rateLimit.requests} per ${rateLimit.seconds} s`);
    if (latency !== undefined) parts.push(`latency ${typeof latency === 'number' ? latency : `${latency.min}-${latency.max}`} ms`);
    return `faults: ${parts.join('; ')}; seed ${this.seed}`;
  }
}
