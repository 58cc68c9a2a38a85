// How Pact's core reads a regex matcher (decision 0501). pact_matching (pact-js 16 and 17 run it through pact_ffi)
// compiles a matcher's regex with the `onig` crate, Oniguruma in its default (Ruby) syntax, and calls `is_match`,
// which holds only when the whole value matches: `[0-9a-f]{8}` does not admit a GUID, `a|ab` admits `ab`. Oniguruma's
// dialect is not JavaScript's: `\A`, `\z`, `\Z` anchor the text, `^` and `$` a line, `.` is anything but `\n`, `\d`,
// `\w`, `\s` and the POSIX classes are Unicode's (`\h` is a hex digit), a class may hold classes, POSIX brackets and
// `&&` (intersection). Each of these is written here as the JavaScript (`u` flag) that matches exactly the same code
// points; what has no exact JavaScript (possessive and atomic groups, back-references, `\K`, `\R`, `\X`, inline
// flags past the start, full case folding under `(?i)`) is another dialect's, and its matcher is noted, not judged.

/** A Pact regex the kit cannot read as Pact reads it (a construct JavaScript has no exact form of): its matcher is not judged. */
export class PactRegexDialectError extends Error {
  override readonly name = 'PactRegexDialectError';
}

/** A set of code points: a JavaScript class body, the complement of a set, a union or an intersection of sets. */
type CharSet = { chars: string } | { not: CharSet } | { or: CharSet[] } | { and: CharSet[] };

// Oniguruma's Unicode classes, each compared code point by code point with Pact's core (pact_ffi's check_regex; the
// code points Unicode assigned after the version Oniguruma was built with aside, decision 0501). \w takes Latin-1's
// superscripts and fractions, which [[:word:]] does not.
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}';
const WORD_ESCAPE = `${WORD}\\xb2\\xb3\\xb9\\xbc-\\xbe`;
const DIGIT = '\\p{Nd}';
const SPACE = '\\t\\n\\v\\f\\r\\x85\\p{Zs}\\p{Zl}\\p{Zp}';
const HEX = '0-9A-Fa-f';
const ESCAPE_SETS: Record<string, CharSet> = {
  d: { chars: DIGIT },
  D: { not: { chars: DIGIT } },
  w: { chars: WORD_ESCAPE },
  W: { not: { chars: WORD_ESCAPE } },
  s: { chars: SPACE },
  S: { not: { chars: SPACE } },
  h: { chars: HEX },
  H: { not: { chars: HEX } },
};
const POSIX: Record<string, CharSet> = {
  alnum: { chars: '\\p{Alphabetic}\\p{Nd}' },
  alpha: { chars: '\\p{Alphabetic}' },
  ascii: { chars: '\\x00-\\x7F' },
  blank: { chars: '\\t\\p{Zs}' },
  cntrl: { chars: '\\p{Cc}' },
  digit: { chars: DIGIT },
  graph: { not: { chars: '\\p{White_Space}\\p{Cc}\\p{Cn}\\p{Cs}' } },
  lower: { chars: '\\p{Lowercase}' },
  print: { not: { chars: '\\t-\\r\\x85\\p{Zl}\\p{Zp}\\p{Cc}\\p{Cn}\\p{Cs}' } },
  punct: { chars: '\\p{P}\\p{S}' },
  space: { chars: SPACE },
  upper: { chars: '\\p{Uppercase}' },
  xdigit: { chars: HEX },
  word: { chars: WORD },
};
/** Escapes of one character, in a class and out of one. */
const CONTROL_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d, a: 0x07, e: 0x1b };

/** A code point as JavaScript writes it in a pattern with the `u` flag, in a class or out of one. */
const literal = (cp: number): string => (/[A-Za-z0-9]/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`);

/** JavaScript matching one code point of the set. */
function emit(set: CharSet): string {
  if ('chars' in set) return `[${set.chars}]`;
  if ('not' in set) return 'chars' in set.not ? `[^${set.not.chars}]` : `(?:(?!${emit(set.not)})[\\s\\S])`;
  if ('and' in set) return `(?:${set.and.slice(1).map((s) => `(?=${emit(s)})`).join('')}${emit(set.and[0])})`;
  const chars = set.or.filter((s): s is { chars: string } => 'chars' in s).map((s) => s.chars).join('');
  const others = set.or.filter((s) => !('chars' in s)).map(emit);
  return others.length === 0 ? `[${chars}]` : `(?:${[...(chars ? [`[${chars}]`] : []), ...others].join('|')})`;
}

/** A Unicode property `\p{name}` (`\p{^name}`, `\P{name}`) as JavaScript reads it, where it names the same property. */
function property(source: string, at: number): { set: CharSet; end: number } {
  const m = /^\\([pP])\{(\^?)([A-Za-z_]+)\}/.exec(source.slice(at));
  if (!m) throw new PactRegexDialectError(`${source.slice(at, at + 3)}: a Unicode property written without braces`);
  try {
    new RegExp(`\\p{${m[3]}}`, 'u');
  } catch {
    throw new PactRegexDialectError(`\\p{${m[3]}}: a Unicode property JavaScript does not name so`);
  }
  const negated = (m[1] === 'P') !== (m[2] === '^');
  const chars = `\\p{${m[3]}}`;
  return { set: negated ? { not: { chars } } : { chars }, end: at + m[0].length };
}

/** One escape at `at` (a backslash) as a code point or a set, read as Oniguruma reads it; `inClass` for `\b` (backspace). */
function escape(source: string, at: number, inClass: boolean): { cp?: number; set?: CharSet; end: number } {
  const c = source[at + 1];
  if (c === undefined) throw new SyntaxError('a pattern ends in a backslash');
  if (c in ESCAPE_SETS) return { set: ESCAPE_SETS[c], end: at + 2 };
  if (c === 'p' || c === 'P') return property(source, at);
  if (c in CONTROL_ESCAPES) return { cp: CONTROL_ESCAPES[c], end: at + 2 };
  if (c === 'b' && inClass) return { cp: 0x08, end: at + 2 };
  const hex = /^\\(?:x\{([0-9A-Fa-f]{1,8})\}|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{4}))/.exec(source.slice(at));
  if (hex) {
    const cp = parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new PactRegexDialectError(`${hex[0]}: no code point JavaScript matches`);
    return { cp, end: at + hex[0].length };
  }
  // Any other ASCII letter or digit escaped is an Oniguruma construct (a back-reference, \K, \R, \X, \G, \Q...).
  if (/[A-Za-z0-9]/.test(c)) throw new PactRegexDialectError(`\\${c}: an escape JavaScript has no exact form of`);
  const cp = source.codePointAt(at + 1)!;
  return { cp, end: at + 1 + String.fromCodePoint(cp).length };
}

/** A bracketed class at `at` (its `[`), as a set: ranges, escapes, POSIX brackets, nested classes and `&&`. */
function bracket(source: string, at: number): { set: CharSet; end: number } {
  let i = at + 1;
  const negated = source[i] === '^';
  if (negated) i++;
  const operands: CharSet[] = [];
  let items: CharSet[] = [];
  let chars = '';
  let first = true;
  const close = () => {
    operands.push(items.length === 0 ? { chars } : { or: [...(chars ? [{ chars }] : []), ...items] });
    [items, chars] = [[], ''];
  };
  for (;;) {
    if (i >= source.length) throw new SyntaxError('premature end of char-class');
    const c = source[i];
    if (c === ']' && !first) break;
    first = false;
    if (source.startsWith('&&', i)) {
      close();
      i += 2;
      continue;
    }
    if (source.startsWith('[:', i)) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(source.slice(i));
      if (!posix) throw new PactRegexDialectError(`${source.slice(i, i + 8)}: a bracket JavaScript reads otherwise`);
      if (!(posix[2] in POSIX)) throw new PactRegexDialectError(`[:${posix[2]}:]: a POSIX class Oniguruma does not name`);
      const set = POSIX[posix[2]];
      items.push(posix[1] ? { not: set } : set);
      i += posix[0].length;
      continue;
    }
    if (c === '[') {
      const nested = bracket(source, i);
      items.push(nested.set);
      i = nested.end;
      continue;
    }
    const from = readOne(source, i);
    i = from.end;
    if (from.set) {
      items.push(from.set);
      continue;
    }
    if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
      const to = readOne(source, i + 1);
      if (to.set) throw new PactRegexDialectError('a range ending in a class');
      if (to.cp! < from.cp!) throw new SyntaxError('empty range in char class');
      chars += `${literal(from.cp!)}-${literal(to.cp!)}`;
      i = to.end;
      continue;
    }
    chars += literal(from.cp!);
  }
  close();
  const set: CharSet = operands.length === 1 ? operands[0] : { and: operands };
  return { set: negated ? { not: set } : set, end: i + 1 };
}

/** One character of a class (a literal or an escape). */
function readOne(source: string, at: number): { cp?: number; set?: CharSet; end: number } {
  if (source[at] === '\\') return escape(source, at, true);
  const cp = source.codePointAt(at)!;
  return { cp, end: at + String.fromCodePoint(cp).length };
}

const INTERVAL = /^\{(?:(\d+)(?:(,)(\d*))?|,(\d+))\}/;

/** The pattern's body (after its leading flags) as JavaScript matching what Oniguruma matches. */
function translate(source: string, dotAll: boolean): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      const anchors: Record<string, string> = { A: '(?<![\\s\\S])', z: '(?![\\s\\S])', Z: '(?=\\n?(?![\\s\\S]))' };
      if (next !== undefined && next in anchors) {
        out += anchors[next];
        i += 2;
        continue;
      }
      if (next === 'b' || next === 'B') {
        const word = `[${WORD_ESCAPE}]`;
        out += next === 'b' ? `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))` : `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`;
        i += 2;
        continue;
      }
      const read = escape(source, i, false);
      out += read.set ? emit(read.set) : literal(read.cp!);
      i = read.end;
    } else if (c === '[') {
      const read = bracket(source, i);
      out += emit(read.set);
      i = read.end;
    } else if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (c === '^') {
      out += '(?<![^\\n])';
      i++;
    } else if (c === '$') {
      out += '(?![^\\n])';
      i++;
    } else if (c === '(') {
      const group = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>))?/.exec(source.slice(i))![0];
      if (source.startsWith('(?#', i)) {
        const end = source.indexOf(')', i);
        if (end < 0) throw new SyntaxError('end pattern in group');
        i = end + 1;
        continue;
      }
      if (source[i + 1] === '?' && group === '(') throw new PactRegexDialectError(`${source.slice(i, i + 4)}: a group JavaScript has no exact form of (atomic, conditional, inline flags, or another name syntax)`);
      out += group;
      i += group.length;
    } else if (c === '{') {
      const interval = INTERVAL.exec(source.slice(i));
      if (interval) {
        out += interval[4] !== undefined ? `{0,${interval[4]}}` : interval[0];
        i += interval[0].length;
        if (source[i] === '+') throw new PactRegexDialectError('a repeat of a repeat ({n,m}+)');
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
    } else if ((c === '*' || c === '+' || c === '?') && source[i + 1] === '+') {
      throw new PactRegexDialectError(`${c}+: a possessive repeat`);
    } else {
      const cp = source.codePointAt(i)!;
      const text = String.fromCodePoint(cp);
      out += text;
      i += text.length;
    }
  }
  return out;
}

/** A pattern's translation (the JavaScript source and flags), or why it has none: the class and message it throws. */
type Translation = { source: string; flags: string } | { error: typeof PactRegexDialectError | typeof SyntaxError; message: string };

/**
 * Translations by Pact pattern. compare reads each matcher's regex once for each question it asks of it (read at all,
 * admits its example, admits a value Graph gives) in every interaction of every pact, and the same few patterns recur:
 * the canonical beta pact has 179 regex matchers of 18 patterns, the longest 1,080 characters, translated in 2-11 ms
 * each (decision 0620). A RegExp is made anew for each call from the translation (V8 keeps the compiled pattern by
 * its source and flags), so no caller shares an object another may change.
 */
const translations = new Map<string, Translation>();
/** How many translations are kept: past it the oldest goes (a pact of many distinct generated patterns stays bounded). */
const TRANSLATIONS_KEPT = 1024;

function translationOf(pattern: string): Translation {
  const inline = /^\(\?([imx]+)\)/.exec(pattern);
  const flags = new Set(inline?.[1] ?? '');
  if (flags.has('x')) throw new PactRegexDialectError('the x flag (whitespace and comments in the pattern)');
  const body = pattern.slice(inline ? inline[0].length : 0);
  // Oniguruma folds case fully (ß is ss), JavaScript simply: the same only where every letter is ASCII.
  if (flags.has('i') && /[^\x00-\x7f]/.test(body)) throw new PactRegexDialectError('(?i) with a letter beyond ASCII, which Oniguruma folds fully and JavaScript simply');
  const source = `^(?:${translate(body, flags.has('m'))})$`;
  const jsFlags = `${flags.has('i') ? 'i' : ''}u`;
  try {
    new RegExp(source, jsFlags);
  } catch (error) {
    throw new SyntaxError((error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, ''));
  }
  return { source, flags: jsFlags };
}

/**
 * A Pact regex as a JavaScript RegExp whose `test` is Pact's verdict on a value: the whole value matched (pact_matching's
 * `is_match`), the pattern read in Oniguruma's dialect. Leading inline flags (`(?i)`, `(?m)`: Oniguruma's `m` is
 * JavaScript's `s`) are flags. A pattern with a construct JavaScript has no exact form of throws PactRegexDialectError;
 * one broken in every dialect (`^[a-`), SyntaxError. Each call gives a RegExp of its own.
 */
export function pactRegex(pattern: string): RegExp {
  let known = translations.get(pattern);
  if (!known) {
    try {
      known = translationOf(pattern);
    } catch (error) {
      if (error instanceof PactRegexDialectError) known = { error: PactRegexDialectError, message: error.message };
      else if (error instanceof SyntaxError) known = { error: SyntaxError, message: error.message };
      else throw error;
    }
    if (translations.size >= TRANSLATIONS_KEPT) translations.delete(translations.keys().next().value!);
    translations.set(pattern, known);
  }
  if ('error' in known) throw new known.error(known.message);
  return new RegExp(known.source, known.flags);
}

/**
 * How long one Pact regex may take on one value before its matcher is said not judged (decision 0841). JavaScript's
 * engine, like Oniguruma, backtracks: `^([A-Za-z0-9]+\s?)+$` against a 61-character name that fails at its end runs
 * for hours, and a synchronous match would hold the process deaf to SIGTERM and Ctrl-C meanwhile (outside finding
 * R88). A linear pattern on any value a pact holds takes microseconds to milliseconds.
 */
export const PACT_REGEX_TIME_BOUND_MS = 1000;
/**
 * The bound in force: PACT_REGEX_TIME_BOUND_MS, or a shorter one a test sets (setPactRegexTimeBound). A pattern that
 * runs out of time keeps its thread busy to the bound, so each such test cost a second of CPU (decision 1210).
 */
let timeBoundMs = PACT_REGEX_TIME_BOUND_MS;
/** How long the thread that runs them may take to start (it is started once, and again after one ran out of time). */
const RUNNER_START_BOUND_MS = 30_000;

/**
 * For tests (decision 1210): the bound in force from now on, in milliseconds (an integer from 1 to
 * PACT_REGEX_TIME_BOUND_MS); returns what puts the one before it back. Not an entry point's export: users keep 1 s.
 */
export function setPactRegexTimeBound(ms: number): () => void {
  if (!Number.isInteger(ms) || ms < 1 || ms > PACT_REGEX_TIME_BOUND_MS) throw new RangeError(`the regex time bound must be an integer from 1 to ${PACT_REGEX_TIME_BOUND_MS} ms (got ${String(ms)})`);
  const before = timeBoundMs;
  timeBoundMs = ms;
  return () => void (timeBoundMs = before);
}

/** What a regex that ran out of time did not do, with the bound in force: "did not give its verdict on a value within 1 s". */
export const pactRegexTimeWords = (): string => `did not give its verdict on a value within ${timeBoundMs / 1000} s`;

/** A Pact regex that did not give its verdict on a value within the bound (1 s): its matcher is not judged. */
export class PactRegexTimeError extends PactRegexDialectError {
  constructor() {
    super(`it ${pactRegexTimeWords()}: a pattern that backtracks without bound (a repeat inside a repeat that can match the same text two ways), which Pact's own engine also backtracks on`);
  }
}

// The thread that runs the matches: the caller waits on a shared flag for at most the bound, and a thread still
// matching past it is terminated (V8 interrupts a running regex), so compare stays synchronous and bounded.
const RUNNER_SOURCE = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.signal);
const done = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
workerData.port.on('message', ({ source, flags, value }) => {
  workerData.port.postMessage(new RegExp(source, flags).test(value));
  done();
});
done();
`;
interface Runner {
  worker: import('node:worker_threads').Worker;
  port: import('node:worker_threads').MessagePort;
  flag: Int32Array;
}
/** Where the process's one runner is kept: a slot every copy of this module finds (decision 0930). */
interface RunnerSlot {
  runner?: Runner;
}
/** The slot's name: a protocol that changes (RUNNER_SOURCE's messages) takes a new one, so copies never share across it. */
const RUNNER_SLOT = Symbol.for('vpptokens-contract-kit.pact-regex-runner.v1');

/**
 * The process's one runner slot (decision 0930). jest loads every module again for each test file (a user's suite
 * does the same with the kit), so a runner kept in this module started one thread per file: idle, unreferenced,
 * never ended, each started at about 30-75 ms of CPU and stopped one by one when the process ends. The slot is kept
 * on Node's own worker_threads module, the one object every copy of this module gets the same.
 */
function runnerSlot(): RunnerSlot {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = require('node:worker_threads') as Record<symbol, RunnerSlot | undefined>;
  return (threads[RUNNER_SLOT] ??= {});
}
/** Slow patterns, found once: each is not judged again in this process (its next value would cost the bound again). */
const slowPatterns = new Set<string>();
/** Verdicts by pattern and value: compare asks the same questions of the same few patterns in every interaction. */
const verdicts = new Map<string, boolean>();
const VERDICTS_KEPT = 8192;

function startRunner(): Runner | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MessageChannel, Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(RUNNER_SOURCE, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  port1.unref();
  if (Atomics.wait(flag, 0, 0, RUNNER_START_BOUND_MS) === 'timed-out') {
    void worker.terminate();
    return undefined;
  }
  return { worker, port: port1, flag };
}

/**
 * Pact's verdict on `value` by the regex `pattern` (pactRegex's reading: the whole value, Oniguruma's dialect), given
 * within the bound (1 s) or not at all: throws PactRegexTimeError (a PactRegexDialectError: the matcher is
 * not judged) for a pattern that ran out of time, on this value or an earlier one; PactRegexDialectError and
 * SyntaxError as pactRegex does.
 */
export function pactRegexAdmits(pattern: string, value: string): boolean {
  return boundedTest(pactRegex(pattern), value, pattern);
}

/**
 * `regex.test(value)` within the bound (1 s), or PactRegexTimeError; `slowKey` names the pattern the regex
 * was made from (a Pact regex, or `time:` and a date matcher's Java pattern), remembered slow once it ran out of time.
 */
export function boundedTest(regex: RegExp, value: string, slowKey: string): boolean {
  if (slowPatterns.has(slowKey)) throw new PactRegexTimeError();
  const key = `${regex.source}\u0000${regex.flags}\u0000${value}`;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const slot = runnerSlot();
  const runner = (slot.runner ??= startRunner());
  if (!runner) {
    slowPatterns.add(slowKey);
    throw new PactRegexTimeError();
  }
  const { receiveMessageOnPort } = require('node:worker_threads') as typeof import('node:worker_threads'); // eslint-disable-line @typescript-eslint/no-require-imports
  Atomics.store(runner.flag, 0, 0);
  runner.port.postMessage({ source: regex.source, flags: regex.flags, value });
  const waited = Atomics.wait(runner.flag, 0, 0, timeBoundMs);
  const reply = waited === 'timed-out' ? undefined : receiveMessageOnPort(runner.port);
  if (reply === undefined) {
    void runner.worker.terminate();
    slot.runner = undefined;
    slowPatterns.add(slowKey);
    throw new PactRegexTimeError();
  }
  const verdict = reply.message === true;
  if (verdicts.size >= VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, verdict);
  return verdict;
}

/** The thread id of the process's regex runner, or undefined before the first question and after one ran out of time (for tests). */
export function pactRegexRunnerThreadId(): number | undefined {
  return runnerSlot().runner?.worker.threadId;
}

/** Whether `pattern` (a Pact regex, or `time:` and a date matcher's pattern) ran out of time on some value in this process (its matcher is then not judged). */
export function pactRegexTooSlow(pattern: string): boolean {
  return slowPatterns.has(pattern);
}
