// Header lines as they crossed the wire, and the one rule per header the kit judges (docs/decisions/0080).
// Node's `req.headers` is a convenience that loses what a verdict needs: it keeps the first of two
// `Authorization` or `Content-Type` lines and drops the second without a word. Node's `rawHeaders` keeps every
// line, so the kit reads those.

import { atHeader, type Placed } from './place';
import { argumentProblem, refuseArguments, shownArgument } from '../net/option';

/** Node's `rawHeaders`: name, value, name, value, ... in the order received, repeats kept. */
export type RawHeaders = readonly string[];

/** One header line: its name as sent (any case) and its value without surrounding whitespace. */
export interface HeaderLine {
  name: string;
  value: string;
}

/** A header field's value as a record or a Map holds it: a repeat as an array, a number as Node keeps some. */
export type HeaderValue = string | readonly string[] | number | undefined;

/**
 * [name, value] pairs: a Fetch API `Headers` (what a fetch-style server has in hand: Hono, Next.js route handlers,
 * undici, Deno, Bun), a `Map`, or an array of pairs. A `Headers` joins repeated lines into one value with ", ", so
 * two Authorization lines read as one value the bearer grammar refuses: raw lines say more.
 */
export type HeaderPairs = Iterable<readonly [string, HeaderValue]>;

/** What a message's headers can be given as: raw lines (preferred), [name, value] pairs, or a record (a repeat as an array). */
export type HeaderSource = RawHeaders | HeaderPairs | Readonly<Record<string, HeaderValue>>;

const SHAPES = "Node's rawHeaders (an array of names and values), an object of names and values, a Headers, a Map or an array of [name, value] pairs";

const linesOf = (name: string, value: HeaderValue): HeaderLine[] =>
  value === undefined ? [] : (Array.isArray(value) ? (value as string[]) : [String(value)]).map((v) => ({ name, value: v.replace(OWS, '') }));

const isPair = (item: unknown): item is readonly [string, HeaderValue] => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string';

/** One way a message breaks a rule the kit reads it by: where (a header, the body, a JSON pointer: src/wire/place.ts) and what. */
export interface WireProblem extends Placed {
  message: string;
  /** The rule, by a stable name (conform's cases and the symmetry test refer to it). */
  rule: WireRule;
  /** The offset of the first byte that is not UTF-8, for the rule `utf-8`. */
  byte?: number;
}

/** The rules of the reader. Each is refused alike in a request and in an answer (docs/decisions/0081). */
export const WIRE_RULES = [
  'repeated header',
  'header syntax',
  'media type',
  'charset',
  'bearer credentials',
  'content coding',
  'decoded size',
  'utf-8',
  'byte order mark',
  'json syntax',
  'trailing data',
  'nesting depth',
  'duplicate name',
  'lone surrogate',
  'number range',
  'content length',
  'transfer coding',
] as const;
export type WireRule = (typeof WIRE_RULES)[number];

const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Every header line, in order, repeats kept; a record's or a pair's array values become one line each. Headers of
 * any other shape are a TypeError naming the shapes taken, never read as none (outside finding P19: a `Headers`
 * was read as a record with no entries, and its request judged to lack Content-Type and Authorization).
 */
export function headerLines(source: HeaderSource): HeaderLine[] {
  if (Array.isArray(source)) {
    const raw = source as readonly unknown[];
    if (raw.every((item) => typeof item === 'string')) {
      const lines: HeaderLine[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) lines.push({ name: raw[i] as string, value: (raw[i + 1] as string).replace(OWS, '') });
      return lines;
    }
    if (raw.every(isPair)) return raw.flatMap(([name, value]) => linesOf(name, value));
    throw new TypeError(`headers must be ${SHAPES} (got an array of other things)`);
  }
  if (typeof source !== 'object' || source === null) throw new TypeError(`headers must be ${SHAPES} (got ${shownArgument(source)})`);
  if (Symbol.iterator in source) {
    const lines: HeaderLine[] = [];
    for (const item of source as Iterable<unknown>) {
      if (!isPair(item)) throw new TypeError(`headers must be ${SHAPES} (got an iterable of other things)`);
      lines.push(...linesOf(item[0], item[1]));
    }
    return lines;
  }
  return Object.entries(source as Record<string, HeaderValue>).flatMap(([name, value]) => linesOf(name, value));
}

/** The values of every line named `name` (field names are case-insensitive, RFC 9110 §5.1). */
export function headerValues(lines: readonly HeaderLine[], name: string): string[] {
  refuseArguments(argumentProblem('lines', lines, 'array', 'an array of header lines, such as headerLines(rawHeaders)'), argumentProblem('name', name, 'string'));
  const wanted = name.toLowerCase();
  return lines.filter((l) => l.name.toLowerCase() === wanted).map((l) => l.value);
}

/**
 * Headers that hold one value, never a list (RFC 9110: Content-Type §8.3, Content-Length §8.6, Authorization
 * §11.6.2, Location §10.2.2, Retry-After §10.2.3, Host §7.2, Date §6.6.1, ETag §8.8.3, Content-Location §8.7,
 * Last-Modified §8.8.2; OData 4.01 Protocol §8.3.3 OData-EntityId and §8.1.5 OData-Version). RFC 9110 §5.3: a
 * sender must not give one of them on two lines. Two lines leave the message ambiguous (Node keeps the first Date
 * and drops the second; an HTTP-date Retry-After is read against Date, decision 0450): the kit refuses it, in a
 * request and in an answer, whatever the two values are (decision 0561).
 */
export const SINGLETON_HEADERS = ['Content-Type', 'Content-Length', 'Authorization', 'Location', 'Retry-After', 'Host', 'OData-EntityId', 'OData-Version', 'Date', 'ETag', 'Content-Location', 'Last-Modified'] as const;

/** A problem per singleton header given on more than one line. Values are never shown (one may be a bearer). */
export function repeatedHeaderProblems(lines: readonly HeaderLine[]): WireProblem[] {
  refuseArguments(argumentProblem('lines', lines, 'array', 'an array of header lines, such as headerLines(rawHeaders)'));
  return SINGLETON_HEADERS.flatMap((name) => {
    const count = headerValues(lines, name).length;
    return count > 1 ? [{ ...atHeader(name), rule: 'repeated header' as const, message: `is given ${count} times: it takes one value (RFC 9110), so the message is ambiguous` }] : [];
  });
}

/** The one value of a singleton header; undefined when absent or repeated (repeatedHeaderProblems says so). */
export function singleHeader(lines: readonly HeaderLine[], name: string): string | undefined {
  refuseArguments(argumentProblem('lines', lines, 'array', 'an array of header lines, such as headerLines(rawHeaders)'), argumentProblem('name', name, 'string'));
  const values = headerValues(lines, name);
  return values.length === 1 ? values[0] : undefined;
}

/** A regex matching `word` in any letter case, written for both JavaScript and Pact's Rust regexes (no flags). */
const anyCase = (word: string): string => word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);

// RFC 9110 §5.6.2 token, §5.6.4 quoted-string (obs-text as the latin1 code points Node reads header bytes to),
// §5.6.3 OWS. Written in the common part of JavaScript's and Rust's regex syntax: `[` escaped in a class, `-` last.
const TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
export const TOKEN = `${TCHAR}+`;
export const QUOTED_STRING = '"([\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*"';
const RULE_OWS = '[ \\t]*';

/**
 * `application/json` as RFC 9110 §8.3.1 gives a media type: type and subtype in any case, then any parameters
 * (`;` with optional whitespace around it, `name=token` or `name="quoted string"`). A `charset` changes nothing:
 * JSON is UTF-8 (RFC 8259 §8.1, §11), and the body is read as UTF-8 whatever it says. The ONE rule: the judgement
 * (`isJsonMediaType`), the reference provider and the pact files' matchers all use this pattern.
 */
export const JSON_MEDIA_TYPE_PATTERN = `^${anyCase('application')}/${anyCase('json')}${RULE_OWS}(;${RULE_OWS}(${TOKEN}=(${TOKEN}|${QUOTED_STRING})${RULE_OWS})?)*$`;

/**
 * `Authorization: Bearer <token>` as RFC 6750 §2.1 gives it: the scheme in any case (RFC 9110 §11.1), one or
 * more spaces, then a b64token (letters, digits, `-._~+/`, then any `=`). Used by the judgement, the reference
 * provider and the pact files' matchers.
 */
export const BEARER_CREDENTIALS_PATTERN = `^${anyCase('bearer')} +[A-Za-z0-9._~+/-]+=*$`;

/** A tchar other than `letter` in either case: TCHAR's class with the letter's two cases cut out of its ranges. */
function tcharOtherThan(letter: string): string {
  const cut = (from: string, to: string, c: string): string => {
    const char = (code: number) => String.fromCharCode(code);
    const range = (a: number, b: number) => (a > b ? '' : a === b ? char(a) : `${char(a)}-${char(b)}`);
    return range(from.charCodeAt(0), c.charCodeAt(0) - 1) + range(c.charCodeAt(0) + 1, to.charCodeAt(0));
  };
  return `[!#$%&'*+.^_\`|~0-9${cut('A', 'Z', letter.toUpperCase())}${cut('a', 'z', letter.toLowerCase())}-]`;
}

/**
 * A token that is not `word` in any case, without a lookahead (Pact's Rust regexes have none): a proper beginning of
 * it, another character at the first place it differs, or the word and more. The three are disjoint and each reads a
 * token one way, so an engine that backtracks (JavaScript's, Oniguruma, java.util.regex) tries each once: a value
 * failing late costs linear time, never doubling per parameter (outside finding R88, decision 0841).
 */
function tokenOtherThan(word: string): string {
  let differs = tcharOtherThan(word[word.length - 1]);
  for (let i = word.length - 2; i >= 0; i--) differs = `(${tcharOtherThan(word[i])}|${anyCase(word[i])}${differs})`;
  let beginning = anyCase(word[word.length - 2]);
  for (let i = word.length - 3; i >= 0; i--) beginning = `${anyCase(word[i])}(${beginning})?`;
  return `(${beginning}|${differs}${TCHAR}*|${anyCase(word)}${TCHAR}+)`;
}

/** `utf-8` or `utf8` in any case, and quoted with any of its characters escaped (charsetProblem unquotes it so). */
const UTF8 = `${anyCase('utf')}-?8`;
const QUOTED_UTF8 = `"${['u', 't', 'f'].map((c) => `\\\\?${anyCase(c)}`).join('')}(\\\\?-)?\\\\?8"`;

/**
 * An answer's `application/json`: what JSON_MEDIA_TYPE_PATTERN takes, but the media type in lowercase with nothing
 * between it and its first `;` (decision 0130, outside tester G7: Microsoft's Graph JavaScript client reads JSON only
 * then), and a `charset` parameter, if any, UTF-8 (decision 0148: Graph's reader decodes a body by it). The
 * judgement's rules for answers (`contentTypeProblems`, `charsetProblem`), written as the pacts' response matcher so
 * that any Pact verifier asks what `vppkit verify` asks (outside tester I6; the charset since decision 0363). A
 * charset given twice, both UTF-8, is the judgement's alone.
 */
const PARAMETER = `(${tokenOtherThan('charset')}=(${TOKEN}|${QUOTED_STRING})|${anyCase('charset')}=(${UTF8}|${QUOTED_UTF8}))`;
export const JSON_ANSWER_MEDIA_TYPE_PATTERN = `^application/json(${RULE_OWS}|(;${RULE_OWS}(${PARAMETER}${RULE_OWS})?)+)$`;

/**
 * A request's `application/json` as the judgement takes it, written as the pacts' request matcher: what
 * JSON_MEDIA_TYPE_PATTERN takes (any case, whitespace around `;`), with a `charset` parameter, if any, UTF-8, as
 * `charsetProblem` asks of a request too (decision 0148: Graph's reader decodes the body by it). Pact's mock in a
 * consumer test then refuses `charset=utf-16` as check-client does (round 10's leftover: it took it). A charset given
 * twice, both UTF-8, is the judgement's alone.
 */
export const JSON_REQUEST_MEDIA_TYPE_PATTERN = `^${anyCase('application')}/${anyCase('json')}${RULE_OWS}(;${RULE_OWS}(${PARAMETER}${RULE_OWS})?)*$`;

/**
 * One `WWW-Authenticate` field line that holds a challenge (RFC 9110 §11.6.1: `#challenge`, a challenge being
 * `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`): a list element, commas inside quoted strings separating
 * nothing, that is an auth-scheme alone or followed by a space and more, not `name=value`. What `challengeSchemes`
 * finds a scheme in, as a regex Pact's verifier can apply (outside finding N2): the pacts' 401 interactions require
 * the header by it, as the judgement's "must carry a Bearer challenge on a 401" requires it (RFC 9110 §15.5.2: "MUST
 * send a WWW-Authenticate header field"). That the scheme is Bearer stays the judgement's (decision 0361): Pact
 * applies a header's rule to each of its field lines alone, and a 401 answering `Bearer` and `Negotiate` in two lines
 * (as ASP.NET Core does with two schemes) is correct.
 */
export const CHALLENGE_LINE_PATTERN = `^(([^,"]|${QUOTED_STRING})*,)*${RULE_OWS}${TOKEN}(${RULE_OWS}(,.*)?|[ ]${RULE_OWS}[^=, \\t].*)$`;

const jsonMediaType = new RegExp(JSON_MEDIA_TYPE_PATTERN);
const bearerCredentials = new RegExp(BEARER_CREDENTIALS_PATTERN);

/** True for `application/json` with any parameters, in any case (JSON_MEDIA_TYPE_PATTERN). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  refuseArguments(argumentProblem('contentType', contentType, 'string', undefined, 'optional'));
  return contentType !== undefined && jsonMediaType.test(contentType.replace(OWS, ''));
}

/**
 * A JSON media type (isJsonMediaType) written the plainest way RFC 9110 §5.6.6 allows, for readers with a narrower
 * parser than the rule: type and subtype as sent, then each parameter as `;name=value`, without the optional
 * whitespace around `;` and without empty parameters (`application/json;\todata.metadata=minimal` and
 * `application/json;;charset=utf-8` are both legal, and Pact's verifier reads them as text/plain: outside tester J14,
 * decision 0233). The same media type, the same parameters in the same order. Undefined when it is not JSON.
 */
export function plainJsonMediaType(contentType: string | undefined): string | undefined {
  if (!isJsonMediaType(contentType)) return undefined;
  const value = contentType!.replace(OWS, '');
  const type = /^[^; \t]+/.exec(value)![0];
  const parameters = value.slice(type.length).match(jsonParameter) ?? [];
  return type + parameters.map((p) => `;${p}`).join('');
}
const jsonParameter = new RegExp(`${TOKEN}=(${TOKEN}|${QUOTED_STRING})`, 'g');

/**
 * What is wrong with the charset a JSON media type declares, or undefined: none, or UTF-8 (any case, quoted or
 * not, `utf8` too), is right. RFC 8259 §11 says the parameter has no effect on a compliant recipient, but Graph's
 * reader is ASP.NET Core's input formatter, which decodes the body by it (and .NET's ReadAsStringAsync does the
 * same with an answer): UTF-8 bytes declared utf-16 are garbage there, latin1 is refused. A header that
 * contradicts the bytes is the lie a wrong Content-Encoding is (docs/decisions/0148).
 */
export function charsetProblem(contentType: string): string | undefined {
  const charsets = [...contentType.matchAll(/;[ \t]*charset[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[^; \t]*)/gi)].map((m) => m[1].replace(/^"(.*)"$/s, '$1').replace(/\\(.)/g, '$1'));
  if (charsets.length > 1) return `declares charset ${charsets.length} times (${charsets.map((c) => JSON.stringify(c)).join(', ')}): a reader takes one`;
  const [charset] = charsets;
  if (charset === undefined || /^utf-?8$/i.test(charset)) return undefined;
  return `declares charset=${charset}, but JSON is UTF-8 (RFC 8259 §8.1) and Graph's reader (ASP.NET Core) decodes a body by the charset it declares: send charset=utf-8 or none`;
}

/** True for `Bearer <b64token>`, the scheme in any case (BEARER_CREDENTIALS_PATTERN). */
export function isBearerCredentials(authorization: string | undefined): boolean {
  refuseArguments(argumentProblem('authorization', authorization, 'string', undefined, 'optional'));
  return authorization !== undefined && bearerCredentials.test(authorization.replace(OWS, ''));
}

/** The token of `Bearer <token>` credentials; undefined when they are not bearer credentials. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  refuseArguments(argumentProblem('authorization', authorization, 'string', undefined, 'optional'));
  return isBearerCredentials(authorization) ? authorization!.replace(OWS, '').replace(/^\S+ +/, '') : undefined;
}

const LIST_ELEMENT = new RegExp(`(${QUOTED_STRING}|[^,"])+`, 'g');

/**
 * The elements of a list field's value (RFC 9110 §5.6.1: `#element`), split at commas outside quoted strings, empty
 * ones dropped: the one reader of a list for WWW-Authenticate's challenges and Prefer's preferences.
 */
export function listElements(value: string): string[] {
  return (value.match(LIST_ELEMENT) ?? []).filter((element) => element.trim() !== '');
}

/**
 * The auth-schemes of every challenge in a message's `WWW-Authenticate` lines (RFC 9110 §11.6.1: `#challenge`,
 * a challenge being `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`), lowercased: a list element that is not an
 * `auth-param` (`name=value`) starts a challenge. Commas inside quoted strings separate nothing.
 */
export function challengeSchemes(lines: readonly HeaderLine[]): string[] {
  const schemes: string[] = [];
  for (const value of headerValues(lines, 'WWW-Authenticate')) {
    for (const element of listElements(value)) {
      const item = element.replace(OWS, '');
      if (new RegExp(`^${TOKEN}${RULE_OWS}=`).test(item)) continue;
      const scheme = new RegExp(`^(${TOKEN})( |$)`).exec(item);
      if (scheme) schemes.push(scheme[1].toLowerCase());
    }
  }
  return schemes;
}
