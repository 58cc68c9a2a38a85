import { isSToken } from './redact';

// The one rule for the library's number options (factories, the reference provider and its faults, the behaviour
// judgement, conform, verify, the proxy): a number is a JavaScript number, never a string that spells one, and a
// refused value is shown so that it cannot be read as another (outside finding M5: `withSeed('7')` was refused with
// "(got 7)", a message that contradicts itself, while `port: '0'` and `bodyLimit: '1000'` were taken).

/** A whole number (a safe integer) from `min` to `max`. */
export const isWholeNumber = (value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;

/** A number from `min` to `max` (neither NaN nor a string). */
export const isNumberFrom = (value: unknown, min: number, max: number): value is number => typeof value === 'number' && value >= min && value <= max;

/**
 * A refused option's or word's value as its error shows it, after `(got `, by one rule (decisions 0760, 0871, 0890):
 * a number as JavaScript writes it (NaN, -1, 1.5), a bigint with its `n`, a Date as `a Date` (`an invalid Date`
 * when it holds no time), anything else by its kind; a string quoted only when it cannot be a credential (at most 24
 * characters of a word's: letters, digits, `_ . + # -`, space, and `/ , ;` of the options' own syntax (`--rate-limit
 * 10/0`, `--fail-with 429;503`): `"7"` is told from 7, `"responses"` and `"v2"` are seen), else by its length alone,
 * an sToken named as one. Every option's refused value is shown by it, the CLI's words and numbers too (0962). A string given for a number or word option may be a
 * credential as any other (swapped options put a bearer where the seed goes): it was shown up to 37 characters.
 */
export function shownOption(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') {
    if (/^[\w .+#/,;-]{0,24}$/.test(value)) return JSON.stringify(value);
    return isSToken(value) ? `a string of ${value.length} characters that is a VPP token (an sToken), not shown` : `a string of ${value.length} characters, not shown: it may hold a credential`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (Array.isArray(value)) return 'an array';
  // Named by its kind where "an object" would hide the slip: a token file read without an encoding is a Buffer (decision 1025).
  const builtIn = builtInKind(value);
  if (builtIn !== undefined) return `a ${builtIn}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The name of a built-in object that holds no members of its own to read (bytes, a Map, a Set, a RegExp, a Promise), or undefined. */
function builtInKind(value: unknown): string | undefined {
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (ArrayBuffer.isView(value)) return value.constructor.name || 'typed array';
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  for (const kind of [Map, Set, WeakMap, WeakSet, RegExp, Promise, Date] as const) if (value instanceof kind) return kind.name;
  return undefined;
}

/**
 * What to change when a refused value spells an allowed one of another JSON kind (decision 0963; outside attacker
 * R110): `"429"` where the number 429 is allowed (as `--fail-with 429` writes it) is `: 429 without quotes, a number,
 * not a string`, a number where its text is allowed `: "7" in quotes, a string, not a number`; nothing otherwise (a
 * string spelt otherwise, `" 429"` or `"429.0"`, spells no allowed value). Said after a list of what is allowed,
 * which shows both alike. The one rule of the schemas' enum problems and checkFaultOptions.
 */
export function otherKindHint(value: unknown, allowed: readonly unknown[]): string {
  if (typeof value === 'string' && /^(0|[1-9]\d*)$/.test(value) && allowed.includes(Number(value))) return `: ${value} without quotes, a number, not a string`;
  if (typeof value === 'number' && allowed.includes(String(value))) return `: "${value}" in quotes, a string, not a number`;
  return '';
}

/**
 * The longest delay Node's timers take, 2^31 - 1 ms (about 24.8 days): setTimeout runs a longer one (or one under
 * 1 ms, or NaN) after 1 ms, so a timeout of 3e9 ms would end a request at once.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Why a whole-number option can't be taken (`concurrency must be a whole number of at least 1 (got "8")`), or
 * undefined when it is absent (its default is used) or fits.
 */
export function wholeOptionProblem(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): string | undefined {
  if (value === undefined || isWholeNumber(value, min, max)) return undefined;
  return `${name} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`} (got ${shownOption(value)})`;
}

/**
 * Why an option in milliseconds can't be taken, or undefined when it is absent or fits: a number, fractions allowed,
 * above 0 (a timeout: none of 0 ms is meant) or `from 0` (a wait, which may be none), and at most MAX_TIMER_MS.
 */
export function millisecondsOptionProblem(name: string, value: unknown, least: 'above 0' | 'from 0' = 'above 0'): string | undefined {
  if (value === undefined || (isNumberFrom(value, 0, MAX_TIMER_MS) && (least === 'from 0' || value > 0))) return undefined;
  return `${name} must be a number of milliseconds ${least} and at most ${MAX_TIMER_MS} (got ${shownOption(value)})`;
}

/** Why a server's `port` or `bodyLimit` can't be taken (the reference provider's, the proxy's), or undefined when both can. */
export function serverOptionProblem(options: { port?: unknown; bodyLimit?: unknown }): string | undefined {
  const { port, bodyLimit } = options;
  const badPort = wholeOptionProblem('port', port, 0, 65_535);
  if (badPort) return badPort;
  if (bodyLimit !== undefined && !isWholeNumber(bodyLimit, 1)) return `bodyLimit must be a whole number of bytes of at least 1 (got ${shownOption(bodyLimit)})`;
  return undefined;
}

/**
 * Why a word option can't be taken (`kind must be one of request, response, error (got "responses")`), or undefined
 * when it is absent or one of `allowed`, spelt as given (no case folding: the CLI refuses `--format JSON` too).
 */
export function oneOfProblem(name: string, value: unknown, allowed: readonly string[]): string | undefined {
  if (value === undefined || allowed.includes(value as string)) return undefined;
  return `${name} must be one of ${allowed.join(', ')} (got ${shownOption(value)})`;
}

/**
 * Why a function's options can't be taken, or undefined when they are absent or an object of only the names it
 * knows: a bare value (`toBoundRetries(2)`) or a misspelt name (`{ maxAttemps: 2 }`) would otherwise leave the
 * default in force without a word (outside finding P7). A string given for the options (or for the stream, list or
 * function of the rules below) is said as `a string`, never its text (shownArgument; outside finding Y1: a bearer
 * handed over by swapped arguments was shown). `required`: absent is refused too (generateText has no
 * default count). Thrown as a TypeError by the caller.
 */
export function optionsObjectProblem(name: string, value: unknown, known: readonly string[], given: 'optional' | 'required' = 'optional'): string | undefined {
  if (value === undefined && given === 'optional') return undefined;
  if (known.length === 0) return `${name} takes no options (got ${shownArgument(value)})`;
  const takes = `${name} takes its options in an object { ${known.join(', ')} }`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${takes} (got ${shownArgument(value)})`;
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length === 0) return undefined;
  return `${takes}: ${unknown.map((key) => shownOption(key)).join(', ')} ${unknown.length === 1 ? 'is not one of them' : 'are not among them'}`;
}

/**
 * Why a list of paths (comparePacts' files, verifyProvider's pactFiles) can't be taken, or undefined when it is an
 * array of non-empty strings: `comparePacts('p.json')` failed inside with Node's `args.flatMap is not a function`
 * (outside finding R83). The one rule of an argument's shape: said in the argument's own words, thrown as a TypeError.
 */
export function pathListProblem(name: string, value: unknown): string | undefined {
  if (!Array.isArray(value)) return `${name} must be an array of paths (got ${shownArgument(value)})`;
  const bad = value.findIndex((path) => typeof path !== 'string' || path === '');
  return bad === -1 ? undefined : `${name}[${bad}] must be a path, a string that is not empty (got ${shownOption(value[bad])})`;
}

/** Why a path argument (`readPactFile(file)`) can't be taken, or undefined when it is a non-empty string. */
export function pathProblem(name: string, value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? undefined : `${name} must be a path, a string that is not empty (got ${shownOption(value)})`;
}

/**
 * Why a stream or sequence argument can't be iterated with `for await` (seed's records, the records validateRecords
 * judges, the stream readRecords reads), or undefined when it can: said with what is taken, `such` (decision 0760).
 */
export function asyncIterableProblem(name: string, value: unknown, such: string): string | undefined {
  const iterable = value !== null && typeof value === 'object' && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
  return iterable ? undefined : `${name} must be ${such} (got ${shownArgument(value)})`;
}

/** Why a callback argument can't be called (seed's `report`, validateRecords' `report`), or undefined when it is a function. */
export function functionProblem(name: string, value: unknown, what: string): string | undefined {
  return typeof value === 'function' ? undefined : `${name} must be a function, ${what} (got ${shownArgument(value)})`;
}

/** The kinds of argument `argumentProblem` tells apart, each said as its words show. */
const ARGUMENT_KINDS = {
  string: 'a string',
  object: 'an object',
  record: 'an object { ... }',
  array: 'an array',
  bytes: 'a Uint8Array, such as a Buffer',
  function: 'a function',
  number: 'a number',
  boolean: 'true or false',
  date: 'a Date that holds a time',
  strings: 'an array of strings',
  signal: 'an AbortSignal, such as AbortSignal.timeout(ms)',
  writable: 'a writable stream, such as process.stdout',
  readable: 'a readable stream, such as process.stdin',
  url: 'an http or https URL, a string or a URL object',
  clock: 'a Clock, an object of the functions now() and sleep(ms, signal)',
} as const;
export type ArgumentKind = keyof typeof ARGUMENT_KINDS;

const isKind = (value: unknown, kind: ArgumentKind): boolean =>
  kind === 'object' ? value !== null && typeof value === 'object' && !Array.isArray(value)
  : kind === 'record' ? value !== null && typeof value === 'object' && !Array.isArray(value) && builtInKind(value) === undefined
  : kind === 'array' ? Array.isArray(value)
  : kind === 'bytes' ? value instanceof Uint8Array
  : kind === 'date' ? value instanceof Date && !Number.isNaN(value.getTime())
  : kind === 'strings' ? Array.isArray(value) && value.every((item) => typeof item === 'string')
  : kind === 'signal' ? hasMethods(value, 'addEventListener', 'removeEventListener') && typeof (value as { aborted?: unknown }).aborted === 'boolean'
  // What Node's pipe() calls of its destination (checkClient's output.stdout: `{ write, on }` died in pipe's own emit).
  : kind === 'writable' ? hasMethods(value, 'write', 'on', 'once', 'emit')
  : kind === 'readable' ? hasMethods(value, 'on', 'pipe')
  : kind === 'url' ? typeof value === 'string' || value instanceof URL
  // What the kit calls on a Clock (src/net/clock.ts): a `clock` of `{}` failed at the first throttled wait (decision 1182).
  : kind === 'clock' ? hasMethods(value, 'now', 'sleep')
  : typeof value === kind;

const hasMethods = (value: unknown, ...names: string[]): boolean =>
  value !== null && typeof value === 'object' && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/**
 * An argument of the wrong kind as its error shows it: as shownOption, but a string by its kind alone (`a string`),
 * as headerLines says it: an argument is often data from the wire (a header's text, a body), where a credential
 * may stand, and a secret is never printed (decision 0800).
 */
export function shownArgument(value: unknown): string {
  return typeof value === 'string' ? 'a string' : shownOption(value);
}

/**
 * Why a positional argument of an exported function can't be taken, or undefined when it is of its kind (decision
 * 0800): `lines must be an array of header lines, such as headerLines(rawHeaders) (got undefined)`, said before the
 * function reads it, where it failed inside with `Cannot read properties of undefined (reading 'filter')` or took a
 * number for a text. `what` says the argument in the kit's words (default: the kind's own words); `given`
 * `optional` takes undefined too (an argument with a default). Only the argument's kind at the top is asked: what it
 * holds is the judgement's to say. Thrown as a TypeError by `refuseArguments`. The same rule asks each member a
 * function reads of an options object (`now must be a Date that holds a time (got a string)`) or of an object
 * argument (`report.findings must be an array ...`), before it is read (decision 0891).
 */
export function argumentProblem(name: string, value: unknown, kind: ArgumentKind, what?: string, given: 'required' | 'optional' = 'required'): string | undefined {
  if ((value === undefined && given === 'optional') || isKind(value, kind)) return undefined;
  return `${name} must be ${what ?? ARGUMENT_KINDS[kind]} (got ${shownArgument(value)})`;
}

/** A member's kind, and what it is in the kit's words where the kind's own words say too little. */
export type MemberKind = ArgumentKind | readonly [ArgumentKind, string] | NestedMembers;

/**
 * A member that is itself an object of known members (`tls: { ca, insecure }`, `output: { stdout, stderr }`,
 * `broker: { url, token, ... }`): `what` says it (`an object of ca and insecure`), `members` the kind of each. Asked
 * as an options object is (decision 1120): a name it does not know refused (`{ rejectUnauthorized: false }`, Node's
 * own name, did nothing without a word), and each member by its path (`tls.ca must be ...`).
 */
export interface NestedMembers {
  readonly what: string;
  readonly members: Readonly<Record<string, MemberKind>>;
  /** What its members must be together, or each beyond its kind, asked once each is of its kind (`name` is its path). */
  readonly check?: (value: Readonly<Record<string, unknown>>, name: string) => string | undefined;
}

const isNested = (spec: MemberKind): spec is NestedMembers => typeof spec === 'object' && !Array.isArray(spec);

/**
 * Why a member of an options object can't be taken (decision 0891), or undefined when each of `kinds` is absent or
 * of its kind: `log must be a function (got 42)`, asked before anything runs, where a member of the wrong kind failed
 * inside (`options.signal?.addEventListener is not a function`), ran on with the wrong value (`offset: '1'` counted
 * from record "10") or was taken without a word. A member that is an object of its own (NestedMembers) is asked
 * member by member, each named by its path (`tls.ca`, `broker.token`; decision 1120). The options themselves are
 * asked first by optionsObjectProblem; numbers and words keep their own rules (wholeOptionProblem,
 * millisecondsOptionProblem, oneOfProblem, toProfile).
 */
export function membersProblem(options: unknown, kinds: Readonly<Record<string, MemberKind>>, path = ''): string | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  for (const [name, spec] of Object.entries(kinds)) {
    const value = (options as Record<string, unknown>)[name];
    const problem = isNested(spec) ? nestedProblem(`${path}${name}`, value, spec) : argumentProblem(`${path}${name}`, value, ...kindAndWhat(spec), 'optional');
    if (problem) return problem;
  }
  return undefined;
}

const kindAndWhat = (spec: ArgumentKind | readonly [ArgumentKind, string]): [ArgumentKind, string | undefined] => (typeof spec === 'string' ? [spec, undefined] : [spec[0], spec[1]]);

/** Why a nested options object (`tls`) can't be taken: not a plain object, a name it does not know, a member of the wrong kind. */
export function nestedProblem(name: string, value: unknown, spec: NestedMembers): string | undefined {
  if (value === undefined) return undefined;
  const kind = argumentProblem(name, value, 'record', spec.what);
  if (kind) return kind;
  const unknown = unknownMembersWords(value as object, Object.keys(spec.members));
  if (unknown) return `${name} must be ${spec.what}: ${unknown}`;
  return membersProblem(value, spec.members, `${name}.`) ?? spec.check?.(value as Record<string, unknown>, name);
}

/**
 * The names of `value` that are none of `known`, said after what the object must be (`"burst" is not one of them`),
 * or undefined when it holds no other: the one wording of a nested options object's (nestedProblem) and a faults
 * object's unknown members (decisions 1120, 1121). Each name by the shown-value rule: a name may be a pasted secret.
 */
export function unknownMembersWords(value: object, known: readonly string[]): string | undefined {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length === 0) return undefined;
  return `${unknown.map((key) => shownOption(key)).join(', ')} ${unknown.length === 1 ? 'is not one of them' : 'are not among them'}`;
}

/** Throws the first of `problems` (each an argument's, from the rules above) as a TypeError; nothing when there is none. */
export function refuseArguments(...problems: (string | undefined)[]): void {
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) throw new TypeError(problem);
}
