import { isDeepStrictEqual } from 'node:util';
import { derefSchema, discriminatedUnion, flattenUnion, type JsonSchema } from '../schemas';
import { pointerSegment } from '../validation';
import type { PactRule } from './pact-file';
import { PactRegexDialectError, boundedTest, pactRegex, pactRegexAdmits, pactRegexTimeWords, pactRegexTooSlow } from './pact-regex';

/** A path's token as Pact parses it: a field (`.name`, `['name']`), an index (`[0]`), `*` (any) or `[*]` (any index). */
type PathToken = { kind: 'field'; name: string } | { kind: 'index'; name: string } | { kind: 'star' } | { kind: 'starIndex' };

/** `$.a.b[*]['@odata.type'][0]` as tokens after the root; undefined when it is no path Pact reads. */
function pathTokens(path: string): PathToken[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const tokens: PathToken[] = [];
  const re = /\.([A-Za-z0-9_@$-]+)|(\.\*)|(\[\*\])|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m || m.index !== at) return undefined;
    if (m[2]) tokens.push({ kind: 'star' });
    else if (m[3]) tokens.push({ kind: 'starIndex' });
    else if (m[4] !== undefined) tokens.push({ kind: 'index', name: m[4] });
    else tokens.push({ kind: 'field', name: m[1] ?? m[5]?.replace(/\\(.)/g, '$1') ?? m[6].replace(/\\(.)/g, '$1') });
  }
  return tokens;
}

/** `$.a.b[*]['@odata.type'][0]` as segments: `a`, `b`, `*`, `@odata.type`, `0`. */
export function pathSegments(path: string): string[] | undefined {
  return pathTokens(path)?.map((t) => (t.kind === 'star' || t.kind === 'starIndex' ? '*' : t.name));
}

/** A JSON pointer for segments (a wildcard stays `*`: every element). */
export const pointerOf = (segments: readonly string[]): string => segments.map((s) => `/${pointerSegment(s)}`).join('');

/** The schema at segments below `schema`, or undefined where the schema says nothing (an unknown property). */
export function schemaAt(schema: JsonSchema, segments: readonly string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = derefSchema(schema);
  for (const segment of segments) {
    if (!node) return undefined;
    // A rule on a union's items (the action results) holds for items of every type alike (decision 0105).
    const union = discriminatedUnion(node);
    if (union) node = flattenUnion(union);
    const properties = node.properties as Record<string, JsonSchema> | undefined;
    if (properties && segment in properties) node = derefSchema(properties[segment]);
    else if (node.items && (segment === '*' || /^\d+$/.test(segment))) node = derefSchema(node.items as JsonSchema);
    else return undefined;
  }
  return node;
}

/** The example value at segments (a wildcard takes the first element). */
export function valueAt(value: unknown, segments: readonly string[]): { found: boolean; value?: unknown } {
  let node = value;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[segment === '*' ? 0 : Number(segment)];
    else if (typeof node === 'object' && node !== null && segment in node) node = (node as Record<string, unknown>)[segment];
    else return { found: false };
    if (node === undefined) return { found: false };
  }
  return { found: true, value: node };
}

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : []);

export { PactRegexDialectError, PactRegexTimeError, pactRegex, pactRegexAdmits } from './pact-regex';

/** Why each regex of a rule cannot be read as Pact reads it (its matcher is then not judged); none when all can. */
export function unreadRegexes(rule: PactRule): string[] {
  const unread: string[] = [];
  for (const matcher of rule.matchers) {
    if (matcher.match !== 'regex') continue;
    try {
      pactRegex(String(matcher.regex ?? ''));
    } catch (error) {
      if (error instanceof PactRegexDialectError) unread.push(`the regex ${JSON.stringify(matcher.regex)} could not be read as Pact reads it (${error.message}): not judged`);
      continue;
    }
    if (pactRegexTooSlow(String(matcher.regex ?? ''))) unread.push(`the regex ${JSON.stringify(matcher.regex)} could not be judged in time (it ${pactRegexTimeWords()}: a pattern that backtracks without bound, as Pact's own engine does too): not judged`);
  }
  return unread;
}

/** Pact's matchers of a date or time by a Java DateTimeFormatter pattern (Pact V3 §matchers). */
const TIME_MATCHERS = new Set(['timestamp', 'datetime', 'date', 'time']);

/**
 * A Java DateTimeFormatter pattern (`yyyy-MM-dd'T'HH:mm:ss.SSSX`), as Pact reads a timestamp, date or time matcher,
 * as an anchored regular expression; undefined for a letter or form it does not read (the matcher is then noted,
 * not judged). Years, months, days, hours, minutes, seconds, fractions (`S` per digit), offsets (`X`, `XX`, `XXX`,
 * `Z`, `ZZZZZ`), quoted literals and optional `[...]` sections.
 */
export function timePatternRegex(pattern: string): RegExp | undefined {
  const LETTERS: Record<string, (n: number) => string | undefined> = {
    y: (n) => (n === 2 ? '\\d{2}' : '\\d{4}'),
    u: (n) => (n === 2 ? '\\d{2}' : '\\d{4}'),
    M: (n) => (n <= 2 ? '\\d{2}' : undefined),
    d: (n) => (n <= 2 ? '\\d{2}' : undefined),
    H: (n) => (n <= 2 ? '\\d{2}' : undefined),
    m: (n) => (n <= 2 ? '\\d{2}' : undefined),
    s: (n) => (n <= 2 ? '\\d{2}' : undefined),
    S: (n) => `\\d{${n}}`,
    X: (n) => (n === 1 ? '(?:Z|[+-]\\d{2}(?:\\d{2})?)' : n === 2 ? '(?:Z|[+-]\\d{4})' : n === 3 ? '(?:Z|[+-]\\d{2}:\\d{2})' : undefined),
    Z: (n) => (n <= 3 ? '[+-]\\d{4}' : n === 5 ? '(?:Z|[+-]\\d{2}:\\d{2})' : undefined),
  };
  let out = '';
  let open = 0;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) return undefined;
      const literal = end === i + 1 ? "'" : pattern.slice(i + 1, end);
      out += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = end + 1;
    } else if (c === '[') {
      out += '(?:';
      open++;
      i++;
    } else if (c === ']') {
      if (open === 0) return undefined;
      out += ')?';
      open--;
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      const part = LETTERS[c]?.(n);
      if (part === undefined) return undefined;
      out += part;
      i += n;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return open === 0 ? new RegExp(`^${out}$`) : undefined;
}

/** The pattern of a timestamp, date or time matcher, as pact files spell it (`timestamp`, `format`, `date`, `time`). */
const timePatternOf = (matcher: PactRule['matchers'][number]): string | undefined => {
  const pattern = matcher.format ?? matcher[matcher.match] ?? matcher.timestamp;
  return typeof pattern === 'string' ? pattern : undefined;
};

/** A semantic version as Pact's `semver` matcher takes one (the Rust semver crate: SemVer 2.0.0's own expression, semver.org). */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * The matchers compare reads and judges as Pact applies them (their names as the pact reader spells them,
 * src/compare/pact-file.ts); any other Pact loads (contentType, arrayContains, eachKey, eachValue, statusCode on a
 * value) is noted as not judged, never passed in silence (outside tester N19).
 */
const JUDGED = new Set(['regex', 'equality', 'include', 'type', 'number', 'integer', 'decimal', 'boolean', 'null', 'semver', 'values', 'notEmpty', ...TIME_MATCHERS]);

/**
 * Why each matcher of a rule is not judged by the kit (it passes it unread: Pact still applies it when verifying);
 * none when every one is read: a matcher compare does not read (JUDGED), a timestamp, date or time matcher whose
 * pattern the kit cannot read (outside attacker J8).
 */
export function unjudgedMatchers(rule: PactRule): string[] {
  return rule.matchers.flatMap((m) => {
    if (!JUDGED.has(m.match)) return [`the ${m.match} matcher is one compare does not judge (Pact applies it when verifying): not judged`];
    if (TIME_MATCHERS.has(m.match) && (timePatternOf(m) === undefined || timePatternRegex(timePatternOf(m)!) === undefined)) return [`the ${m.match} matcher's pattern ${JSON.stringify(timePatternOf(m) ?? null)} could not be read: not judged`];
    if (TIME_MATCHERS.has(m.match) && pactRegexTooSlow(`time:${timePatternOf(m)}`)) return [`the ${m.match} matcher's pattern ${JSON.stringify(timePatternOf(m))} could not be judged in time (it ${pactRegexTimeWords()}): not judged`];
    return [];
  });
}

/** The fewest items a matcher lets a collection have: a type matcher's `min`, one for `notEmpty`. */
export const leastItems = (matcher: PactRule['matchers'][number]): number => (matcher.match === 'notEmpty' ? 1 : Number(matcher.min ?? 0));

/** Whether a value is empty as Pact's notEmpty matcher sees it: an empty string, list or object, or null. */
const isEmpty = (value: unknown): boolean => value === null || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/**
 * Why no value the schema allows can satisfy `matcher`, or undefined when some can. Only what a matcher can
 * get wrong against a schema is looked at: a regex no enum member matches (or that does not compile), a
 * numeric, boolean or null matcher on a property of another type.
 */
function unsatisfiable(matcher: PactRule['matchers'][number], schema: JsonSchema | undefined, example: { found: boolean; value?: unknown }): string | undefined {
  const types = schema ? typesOf(schema) : [];
  const members = schema && Array.isArray(schema.enum) ? schema.enum.filter((m): m is string => typeof m === 'string') : undefined;
  switch (matcher.match) {
    case 'regex': {
      const pattern = String(matcher.regex ?? '');
      const regex = { test: (value: string) => pactRegexAdmits(pattern, value) };
      try {
        pactRegex(pattern);
        if (example.found && typeof example.value === 'string' && !regex.test(example.value)) return `its own example ${JSON.stringify(example.value)} does not match ${JSON.stringify(matcher.regex)} (Pact matches the whole value)`;
        if (members && !members.some((m) => regex.test(m))) return `no value Graph gives matches ${JSON.stringify(matcher.regex)} (one of ${members.join(', ')})`;
        if (schema && 'const' in schema && typeof schema.const === 'string' && !regex.test(schema.const)) return `Graph gives only ${JSON.stringify(schema.const)} here, which ${JSON.stringify(matcher.regex)} does not match`;
      } catch (error) {
        // Another dialect's pattern, or one that ran out of time, is not judged (unreadRegexes says so); one that
        // reads in none is broken.
        if (error instanceof PactRegexDialectError) return undefined;
        return `its regex ${JSON.stringify(matcher.regex)} does not compile (${(error as Error).message})`;
      }
      return undefined;
    }
    case 'integer':
      return schema && !types.includes('integer') && !types.includes('number') ? `Graph gives ${types.join(' or ') || 'no number'} here, never an integer` : undefined;
    case 'decimal':
    case 'number':
      return schema && !types.includes('number') && !types.includes('integer') ? `Graph gives ${types.join(' or ') || 'no number'} here, never a number` : undefined;
    case 'boolean':
      return schema && !types.includes('boolean') ? `Graph gives ${types.join(' or ') || 'no boolean'} here, never a boolean` : undefined;
    case 'null':
      return schema && !types.includes('null') ? `Graph never gives null here (${types.join(' or ') || 'a value'})` : undefined;
    case 'semver':
      if (schema && !types.includes('string') && types.length > 0) return `Graph gives ${types.join(' or ')} here, never a semantic version`;
      if (example.found && !(typeof example.value === 'string' && SEMVER.test(example.value))) return `its own example ${JSON.stringify(example.value)} is not a semantic version (SemVer 2.0.0, as Pact reads one)`;
      if (members && !members.some((m) => SEMVER.test(m))) return `no value Graph gives is a semantic version (one of ${members.join(', ')})`;
      return undefined;
    case 'notEmpty':
      return example.found && isEmpty(example.value) ? `its own example ${JSON.stringify(example.value)} is empty` : undefined;
    case 'include':
      if (example.found && typeof example.value === 'string' && !example.value.includes(String(matcher.value))) return `its own example ${JSON.stringify(example.value)} does not include ${JSON.stringify(matcher.value)}`;
      if (members && !members.some((m) => m.includes(String(matcher.value)))) return `no value Graph gives includes ${JSON.stringify(matcher.value)} (one of ${members.join(', ')})`;
      return undefined;
    default: {
      // A date or time by its pattern (outside attacker J8): its own example must match it.
      const pattern = TIME_MATCHERS.has(matcher.match) ? timePatternOf(matcher) : undefined;
      const regex = pattern === undefined ? undefined : timePatternRegex(pattern);
      try {
        if (regex && example.found && typeof example.value === 'string' && !boundedTest(regex, example.value, `time:${pattern}`)) return `its own example ${JSON.stringify(example.value)} does not match the pattern ${JSON.stringify(pattern)}`;
      } catch (error) {
        if (!(error instanceof PactRegexDialectError)) throw error; // out of time: noted, not judged
      }
      return undefined;
    }
  }
}

/** Why the rule (its matchers combined) admits nothing Graph gives, or undefined when it admits something. */
export function unsatisfiableRule(rule: PactRule, schema: JsonSchema | undefined, example: { found: boolean; value?: unknown }): string | undefined {
  const reasons = rule.matchers.map((m) => unsatisfiable(m, schema, example));
  if (rule.combine === 'OR') return reasons.every((r) => r !== undefined) ? reasons.join('; and ') : undefined;
  return reasons.find((r) => r !== undefined);
}

/** A short name for a rule, as a report shows it. */
export const describeRule = (rule: PactRule): string =>
  rule.matchers.map((m) => (m.match === 'regex' ? `regex ${JSON.stringify(m.regex)}` : m.match)).join(rule.combine === 'OR' ? ' or ' : ' and ');

/**
 * How much a rule's path weighs for the value at `segments`, as pact_models weighs it (DocPath::path_weight, and
 * MatchingRuleCategory::max_by_path): each token's weight multiplied (the root, a field or an index that names the
 * value's own 2, `*` and `[*]` on an index 1, any other 0), times the number of tokens, the root's counted; 0 when the
 * path does not lead to the value (or is longer than its path). `tokens` is the path's length after the root.
 */
function pathWeight(path: string, segments: readonly string[]): { weight: number; tokens: number } {
  const tokens = pathTokens(path);
  if (!tokens || tokens.length > segments.length) return { weight: 0, tokens: 0 };
  let weight = 2;
  for (const [i, token] of tokens.entries()) {
    const segment = segments[i];
    const isIndex = /^\d+$/.test(segment);
    if (token.kind === 'star') weight *= 1;
    else if (token.kind === 'starIndex') weight *= isIndex ? 1 : 0;
    else if (token.kind === 'index') weight *= isIndex && Number(segment) === Number(token.name) ? 2 : 0;
    else weight *= token.name === segment ? 2 : 0;
  }
  return { weight: weight * (tokens.length + 1), tokens: tokens.length };
}

/** The rule Pact applies at a value: its path, its matchers, and whether it is an ancestor's (cascaded, decision 0780). */
export interface RuleFound {
  path: string;
  rule: PactRule;
  /** The rule is written on an ancestor (`$.roleScopeTagIds` for `[0]`): Pact applies it there without a list's min or max. */
  cascaded: boolean;
}

/**
 * The rule Pact applies at `segments` (decision 0730, outside attacker R74): of the rules whose path leads to the
 * value (its own, or an ancestor's: a list's rule judges each member without one of its own, decision 0780), the one
 * whose path weighs most (pathWeight: `$.state` over `$.*`, `$.a` over `$.*.*`), in whatever order the pact writes
 * them; undefined when none does, and the example is then matched by equality. An ancestor's rule is `cascaded`, as
 * max_by_path marks it (its path shorter than the value's). Pact keeps its rules in a hash map, so of two paths that
 * weigh the same (`$.a.*` and `$.*.b`) which it applies is not fixed: the first written is taken.
 */
export function ruleAt(rules: Record<string, PactRule>, segments: readonly string[]): RuleFound | undefined {
  let best: (RuleFound & { weight: number }) | undefined;
  for (const [path, rule] of Object.entries(rules)) {
    const { weight, tokens } = pathWeight(path, segments);
    if (weight > 0 && (!best || weight > best.weight)) best = { path, rule, weight, cascaded: tokens !== segments.length };
  }
  return best && { path: best.path, rule: best.rule, cascaded: best.cascaded };
}

/** Whether one matcher admits `value` (a string), as Pact's matcher does; a matcher the kit does not read admits it (not judged). */
function admits(matcher: PactRule['matchers'][number], value: string, example: unknown): boolean {
  switch (matcher.match) {
    case 'regex':
      try {
        return pactRegexAdmits(String(matcher.regex ?? ''), value);
      } catch {
        return true; // another dialect (noted) or no regex at all (unsatisfiableRule says so)
      }
    case 'include':
      return value.includes(String(matcher.value));
    // `values` on a value that is no collection is Pact's equality (its example, as it is).
    case 'equality':
    case 'values':
      return value === example;
    case 'type':
      return typeof example === 'string';
    case 'notEmpty':
      return value !== '' && typeof example === 'string';
    case 'semver':
      return SEMVER.test(value);
    default: {
      // A date or time by its pattern: what the kit cannot read admits the value (noted, not judged).
      const pattern = TIME_MATCHERS.has(matcher.match) ? timePatternOf(matcher) : undefined;
      const regex = pattern === undefined ? undefined : timePatternRegex(pattern);
      try {
        return regex ? boundedTest(regex, value, `time:${pattern}`) : true;
      } catch (error) {
        if (error instanceof PactRegexDialectError) return true; // out of time: noted, not judged
        throw error;
      }
    }
  }
}

/** Whether one matcher takes `null` where its example stands, as Pact's does (a type matcher takes its example's type). */
export const takesNull = (matcher: PactRule['matchers'][number], example: unknown): boolean => matcher.match === 'null' || (['type', 'equality', 'values'].includes(matcher.match) && example === null);

/** A JSON value's kind as Pact's type matcher tells them apart. */
const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * Whether one matcher admits any JSON value, as Pact's does: a string as `admits` reads it, null as `takesNull`, and
 * another value by its type, by equality with the example, or by a type matcher of its own; what the kit does not
 * read admits it. A list by its own rule is judged as pact_matching's list matcher judges it (its members are
 * pactRefusal's): its kind, its length within a type matcher's min and max unless the rule is an ancestor's
 * (`cascaded`: MinType and MaxType ask no length then), not empty for notEmpty; a regex, include, number or time
 * matcher takes any list (pact_matching's `DoMatch<&[T]>`), and judges the members instead.
 */
function admitsValue(matcher: PactRule['matchers'][number], value: unknown, example: unknown, cascaded: boolean): boolean {
  if (value === null) return takesNull(matcher, example);
  if (matcher.match === 'null') return false;
  if (typeof value === 'string') return admits(matcher, value, example);
  switch (matcher.match) {
    case 'type': {
      if (kindOf(value) !== kindOf(example)) return false;
      return !Array.isArray(value) || cascaded || (value.length >= Number(matcher.min ?? 0) && value.length <= Number(matcher.max ?? Infinity));
    }
    case 'notEmpty':
      return !Array.isArray(value) || value.length > 0;
    case 'equality':
      return isDeepStrictEqual(value, example);
    case 'values':
      return Array.isArray(value) || isDeepStrictEqual(value, example);
    case 'boolean':
      return Array.isArray(value) || typeof value === 'boolean';
    case 'number':
    case 'decimal':
      return Array.isArray(value) || typeof value === 'number';
    case 'integer':
      return Array.isArray(value) || Number.isInteger(value);
    default:
      return true;
  }
}

/** The first of `values` (any JSON) the rule refuses (its matchers combined), or undefined when it takes them all. */
export function refusedJsonValue(rule: PactRule, values: readonly unknown[], example: unknown, cascaded = false): { value: unknown } | undefined {
  const refused = values.findIndex((value) => {
    const taken = rule.matchers.map((m) => admitsValue(m, value, example, cascaded));
    return rule.combine === 'OR' ? !taken.some(Boolean) : !taken.every(Boolean);
  });
  return refused === -1 ? undefined : { value: values[refused] };
}

/** Where Pact's comparison refuses a value: the rule that refuses it (none: compared as written), the value and its place. */
export interface PactRefusal {
  path?: string;
  rule?: PactRule;
  cascaded?: boolean;
  /** The refused value's segments: the value asked about, or one of its members. */
  at: readonly string[];
  value: unknown;
}

/**
 * Where Pact's comparison of a provider's `actual` with the pact's `example` at `segments` fails, as pact_matching
 * compares a body value (decisions 0731, 0780): by the rule Pact applies there (ruleAt: its own or an ancestor's);
 * a list under a rule by its kind and length (compare_lists_with_matchingrule: a list the example leaves empty is not
 * compared at all), then member by member, each by the rule at its place (its own, else the list's, cascaded) against
 * the example's member there (its first where the list is longer); without a rule, as written: a list of the
 * example's length, each member the one at its place, a value equal to the example. Undefined when Pact takes it.
 */
export function pactRefusal(rules: Record<string, PactRule>, segments: readonly string[], example: unknown, actual: unknown): PactRefusal | undefined {
  const found = ruleAt(rules, segments);
  const refusal = (by?: RuleFound): PactRefusal => ({ ...(by ? { path: by.path, rule: by.rule, cascaded: by.cascaded } : {}), at: segments, value: actual });
  if (Array.isArray(example) && Array.isArray(actual)) {
    if (found && example.length === 0) return undefined;
    if (found && refusedJsonValue(found.rule, [actual], example, found.cascaded)) return refusal(found);
    if (!found && example.length !== actual.length) return refusal();
    if (example.length === 0) return undefined;
    for (const [i, member] of actual.entries()) {
      const refused = pactRefusal(rules, [...segments, String(i)], example[i] ?? example[0], member);
      if (refused) return refused;
    }
    return undefined;
  }
  if (found) return refusedJsonValue(found.rule, [actual], example, found.cascaded) ? refusal(found) : undefined;
  return isDeepStrictEqual(actual, example) ? undefined : refusal();
}

/** The first of `values` the rule refuses (its matchers combined), or undefined when it takes them all. */
export function refusedValue(rule: PactRule, values: readonly string[], example: unknown): string | undefined {
  return values.find((value) => {
    const taken = rule.matchers.map((m) => admits(m, value, example));
    return rule.combine === 'OR' ? !taken.some(Boolean) : !taken.every(Boolean);
  });
}

/** Pact's status classes (pact_models' HttpStatus; V4 `statusCode` matcher): each its range, as Pact matches them. */
const STATUS_CLASSES: Record<string, { from: number; to: number; shown: string }> = {
  info: { from: 100, to: 199, shown: 'info (100-199)' },
  information: { from: 100, to: 199, shown: 'info (100-199)' },
  success: { from: 200, to: 299, shown: 'success (200-299)' },
  redirect: { from: 300, to: 399, shown: 'redirect (300-399)' },
  clientError: { from: 400, to: 499, shown: 'clientError (400-499)' },
  serverError: { from: 500, to: 599, shown: 'serverError (500-599)' },
  nonError: { from: 100, to: 399, shown: 'nonError (below 400)' },
  error: { from: 400, to: 599, shown: 'error (400 and above)' },
};

/** Whether one matcher of a response's status rule admits a status; a matcher other than `statusCode` is the example's equality. */
function statusMatcherAdmits(matcher: PactRule['matchers'][number], status: number, example: number): boolean {
  if (matcher.match !== 'statusCode') return status === example;
  const { status: wanted } = matcher;
  if (Array.isArray(wanted)) return wanted.some((code) => Number(code) === status);
  const range = typeof wanted === 'string' ? STATUS_CLASSES[wanted] : undefined;
  return range ? status >= range.from && status <= range.to : status === example;
}

/** Whether a response's status rule admits a status, its matchers combined as the rule says (AND unless OR). */
export const statusRuleAdmits = (rule: PactRule, status: number, example: number): boolean =>
  rule.combine === 'OR' ? rule.matchers.some((m) => statusMatcherAdmits(m, status, example)) : rule.matchers.every((m) => statusMatcherAdmits(m, status, example));

/** A status rule as a user reads it: `success (200-299)`, `one of 200, 201`. */
export const describeStatusRule = (rule: PactRule, example: number): string =>
  rule.matchers
    .map((m) => (m.match !== 'statusCode' ? `${m.match} ${example}` : Array.isArray(m.status) ? `one of ${m.status.join(', ')}` : (typeof m.status === 'string' && STATUS_CLASSES[m.status]?.shown) || JSON.stringify(m.status)))
    .join(rule.combine === 'OR' ? ' or ' : ' and ');

/**
 * Whether Pact takes `actual` for a parameterised header (Content-Type) expected as `expected` without a matcher, as
 * pact_matching's match_parameter_header does: the media type as written (case and all), and each parameter the
 * expectation names present under the same name, its value equal but for case.
 */
export function pactTakesParameterHeader(expected: string, actual: string): boolean {
  const parts = (value: string) => value.split(';').map((p) => p.trim()).filter((p) => p !== '');
  const parameters = (list: string[]) => new Map(list.flatMap((p) => (p.includes('=') ? [[p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()] as const] : [])));
  const [expectedType = '', ...expectedParameters] = parts(expected);
  const [actualType = '', ...actualParameters] = parts(actual);
  if (expectedType !== actualType) return false;
  const actualMap = parameters(actualParameters);
  return [...parameters(expectedParameters)].every(([name, value]) => actualMap.get(name)?.toLowerCase() === value.toLowerCase());
}

/**
 * A content type as Pact's body comparison holds it (pact_models' `ContentType`): type and subtype lowercased, each
 * parameter's name lowercased and its value as written but a charset's, lowercased; parameters by name, sorted, as
 * Pact writes it in its words (`application/json;charset=utf-8;ieee754compatible=false;...`).
 */
function pactContentType(value: string): { base: string; parameters: Map<string, string>; shown: string } {
  const [type = '', ...rest] = value.split(';').map((p) => p.trim());
  const parameters = new Map<string, string>();
  for (const p of rest) {
    const at = p.indexOf('=');
    if (at <= 0) continue;
    const name = p.slice(0, at).trim().toLowerCase();
    const v = p.slice(at + 1).trim();
    parameters.set(name, name === 'charset' ? v.toLowerCase() : v);
  }
  const sorted = [...parameters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const base = type.toLowerCase();
  return { base, parameters: new Map(sorted), shown: [base, ...sorted.map(([n, v]) => `${n}=${v}`)].join(';') };
}

/**
 * Whether Pact compares a response's body at all, its content type taken from the expected `Content-Type` and the
 * actual one (pact_matching's match_body, decision 1000): the two equivalent (same type, the same parameters, by name,
 * each value equal as written but a charset's), or the expected one a plain type equal to the actual one's, or else a
 * Content-Type matcher (`rule`, judged by `admits`) taking the actual one as Pact writes it, parameters sorted. Any
 * other expected content type is Pact's `Expected a body of '...' but the actual content type was '...'`.
 * Answers Pact's own words of the actual content type when it does not, undefined when it does.
 */
export function pactBodyContentTypeRefused(expected: string, actual: string, admits?: (shown: string) => boolean): string | undefined {
  const e = pactContentType(expected);
  const a = pactContentType(actual);
  const same = e.base === a.base && (e.parameters.size === 0 || isDeepStrictEqual(e.parameters, a.parameters));
  if (same || (admits && admits(a.shown))) return undefined;
  return a.shown;
}
