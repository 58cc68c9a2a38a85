import { readFileSync } from 'node:fs';
import { PROFILES, type Profile } from '../schemas/profiles';
import { otherEncodingOfFile } from '../validation/json-file';
import { findTooDeep, PACT_FILE_DEPTH } from '../wire/depth';
import { TOO_DEEP, decodeUtf8, parseJson } from '../wire/body';
import { findJsonSyntaxError } from '../validation/json-syntax';
import { distinctFiles, expandFileArguments, matchesNothing, type DistinctFiles } from '../validation/files';
import { pointerSegment } from '../validation/problems';
import { StringEnds } from '../wire/strings';
import { argumentProblem, pathListProblem, pathProblem, refuseArguments } from '../net/option';
import { cannotReadText } from '../net/system-error';

/** A matcher of a pact file and the rules of one path (V3/V4 `{combine, matchers}`; V2's single rule folded in). */
export interface PactRule {
  combine: 'AND' | 'OR';
  matchers: ({ match: string } & Record<string, unknown>)[];
}

/** One side of an interaction as the pact holds it: example values, and the matching rules by category and path. */
export interface PactMessage {
  headers: Record<string, string>;
  /** The example body: parsed JSON, or the text when it is not JSON, or undefined when there is none. */
  body: unknown;
  /** The body's text as it would be sent (JSON.stringify of a JSON body). */
  bodyText: string | undefined;
  /** A V4 body's own `contentType`, which Pact takes for the body's content type before the header's (decision 1000). */
  bodyContentType?: string;
  rules: { body: Record<string, PactRule>; header: Record<string, PactRule>; path: Record<string, PactRule>; query: Record<string, PactRule> };
}

export interface PactInteraction {
  index: number;
  description: string;
  providerStates: string[];
  /** `batchAuthorization`: a create inside a JSON batch's, the batch's Authorization (decision 0540). */
  request: PactMessage & { method: string; path: string; query: string; batchAuthorization?: string };
  /** `statusRule`: the response's V4 status rule (`statusCode` matchers), when it has one. */
  response: PactMessage & { status: number; statusRule?: PactRule };
  /** The interaction as the file holds it, for tools that read pacts themselves. */
  raw: Record<string, unknown>;
}

export interface PactFile {
  file: string;
  consumer: string;
  provider: string;
  specification: string;
  interactions: PactInteraction[];
  /** Interactions that are not synchronous HTTP (V4 messages), each as its note says it (notHttpNote): left alone. */
  skipped: string[];
  /** The Graph profile the file records in its metadata (`vppkit.profile`); undefined when it records none. */
  profile?: Profile;
  raw: Record<string, unknown>;
}

/**
 * The Graph profile a parsed pact records in its metadata (`vppkit.profile`, which the kit writes into every pact it
 * writes: generate:pacts, check-client, proxy --record, a consumer test's addInteraction), when it is one the kit
 * knows; undefined for a pact that records none (written by hand, or by another tool).
 */
export function recordedProfile(pact: unknown): Profile | undefined {
  const recorded = (pact as { metadata?: { vppkit?: { profile?: unknown } } } | null)?.metadata?.vppkit?.profile;
  return typeof recorded === 'string' && (PROFILES as readonly string[]).includes(recorded) ? (recorded as Profile) : undefined;
}

export class PactFileError extends Error {
  override readonly name = 'PactFileError';
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function headersOf(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!isObject(value)) return headers;
  for (const [name, v] of Object.entries(value)) headers[name] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  return headers;
}

function queryOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return '';
  return Object.entries(value)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`))
    .join('&');
}

/** A V4 body's own content type (`{content, contentType}`), when it names one. */
const v4ContentType = (value: unknown): { bodyContentType?: string } =>
  isObject(value) && 'content' in value && typeof value.contentType === 'string' && value.contentType.trim() !== '' ? { bodyContentType: value.contentType } : {};

/** The body of a V4 (`{content, contentType, encoded}`) or V2/V3 (the value itself) interaction. */
function bodyOf(value: unknown, contentType: string | undefined): { body: unknown; text: string | undefined } {
  if (value === undefined || value === null) return { body: undefined, text: undefined };
  if (isObject(value) && 'content' in value && ('contentType' in value || 'encoded' in value)) {
    const content = value.content;
    // V4's encodings (pact-reference reads each): `true` or "base64", the bytes in base64; "json", the body as a
    // JSON string (outside tester J25: compare judged that string itself, "must be an object").
    const encoded = typeof value.encoded === 'string' ? value.encoded.toLowerCase() : value.encoded;
    if ((encoded === 'base64' || encoded === true || encoded === 'json') && typeof content === 'string') return textBody(encoded === 'json' ? content : Buffer.from(content, 'base64').toString('utf8'));
    if (typeof content === 'string' && !/json/i.test(String(value.contentType ?? contentType ?? ''))) return { body: content, text: content };
    // Not encoded, a string under a JSON content type is a JSON string: the Pact verify runs sends it so (decision 0732).
    return { body: content, text: jsonText(content) };
  }
  if (typeof value === 'string' && (!/json/i.test(contentType ?? '') || value === '')) return { body: value, text: value };
  // A V2/V3 body written as a string under a JSON content type (pact-python's json.dumps(body); outside attacker R76,
  // decision 0732), as pact_models' body_from_json reads it: one holding a JSON object or string is the body's text;
  // any other is the body as a JSON string, the string written within quotes as it is.
  if (typeof value === 'string') {
    const held = textBody(value).body;
    return textBody(held !== value && (isObject(held) || typeof held === 'string') ? value : `"${value}"`);
  }
  return { body: value, text: jsonText(value) };
}

/** A body from its text: the JSON it holds, or the text itself when it holds none. */
function textBody(text: string): { body: unknown; text: string } {
  try {
    return { body: JSON.parse(text), text };
  } catch {
    return { body: text, text };
  }
}

/**
 * A body's JSON text, however deep (the file's own depth is bounded by PACT_FILE_DEPTH before any body is read): the
 * one reader then refuses a request past MAX_NESTING_DEPTH as Graph does (decision 0473).
 */
const jsonText = (value: unknown): string | undefined => JSON.stringify(value);

/**
 * A body written in an encoding (V4's base64 or JSON string, or a V2/V3 body written as a string of JSON text under a
 * JSON content type `contentType`, the one its headers give) as the same body written plainly,
 * for a reader that takes only the plain form (PactFlow's comparator failed a base64 create, or one written as JSON
 * text, as "must be object": outside tester J25, attacker R76). Other bodies are returned as they are.
 */
export function plainBody(value: unknown, contentType?: string): unknown {
  if (typeof value === 'string') return bodyOf(value, contentType).body;
  if (!isObject(value) || !('content' in value) || value.encoded === false || value.encoded === undefined) return value;
  const { body } = bodyOf(value, contentType);
  return { ...value, content: body, encoded: false };
}

/** A whole number as Pact's core reads a matcher's `min` or `max` (pact_models json_to_num): a number, or one in a string. */
const wholeNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? Math.trunc(value) : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  return n !== undefined && n >= 0 ? n : undefined;
};

/** The attributes from which Pact's core tells a matcher written without `match` (pact_models MatchingRule::from_json), in its order. */
const GUESSED = ['regex', 'min', 'max', 'timestamp', 'time', 'date'] as const;

/**
 * The matchers Pact's core loads (pact_models MatchingRule::create), by every name it takes, each with what it needs:
 * the kit's name for it (one spelling for all that judge it) and why a matcher of that name would not load.
 */
const PACT_MATCHERS: Record<string, { name: string; problem?: (m: Obj) => string | undefined }> = (() => {
  const needs = (attribute: string) => (m: Obj) => (attribute in m ? undefined : `has no ${JSON.stringify(attribute)}`);
  const needsNumber = (attribute: string) => (m: Obj) => (wholeNumber(m[attribute]) === undefined ? `has no ${JSON.stringify(attribute)} that is a whole number` : undefined);
  const rulesOf = (m: Obj, at: string): string | undefined => {
    if (m.rules === undefined) return undefined;
    if (!Array.isArray(m.rules)) return `${at}: its "rules" must be a list of matchers`;
    for (const [i, rule] of m.rules.entries()) {
      const why = matcherProblem(rule);
      if (why) return `${at}/rules/${i}${why.startsWith('/') ? '' : ': '}${why}`;
    }
    return undefined;
  };
  const table: Record<string, { name: string; problem?: (m: Obj) => string | undefined }> = {};
  const add = (names: string[], name: string, problem?: (m: Obj) => string | undefined) => names.forEach((n) => (table[n] = { name, ...(problem ? { problem } : {}) }));
  add(['regex'], 'regex', needs('regex'));
  add(['equality'], 'equality');
  add(['include'], 'include', needs('value'));
  add(['type'], 'type');
  add(['number'], 'number');
  add(['integer'], 'integer');
  add(['decimal', 'real'], 'decimal');
  add(['boolean'], 'boolean');
  add(['min', 'min-type'], 'type', needsNumber('min'));
  add(['max', 'max-type'], 'type', needsNumber('max'));
  add(['timestamp'], 'timestamp');
  add(['datetime'], 'datetime');
  add(['date'], 'date');
  add(['time'], 'time');
  add(['null'], 'null');
  add(['contentType', 'content-type'], 'contentType', needs('value'));
  add(['arrayContains', 'array-contains'], 'arrayContains', (m) => (Array.isArray(m.variants) ? undefined : 'has no "variants" list'));
  add(['values'], 'values');
  // pact_models HttpStatus::from_json: a class by its name, or a list of codes (numbers, or numbers in strings).
  const STATUS = ['info', 'success', 'redirect', 'clientError', 'serverError', 'nonError', 'error'];
  add(['statusCode', 'status-code'], 'statusCode', ({ status }) =>
    status === undefined || (typeof status === 'string' && STATUS.includes(status)) || (Array.isArray(status) && status.every((c) => typeof c === 'number' || (typeof c === 'string' && /^\d{1,5}$/.test(c) && Number(c) <= 65535)))
      ? undefined
      : `has a "status" that is no status Pact reads (${STATUS.join(', ')}, or a list of codes)`);
  add(['notEmpty', 'not-empty'], 'notEmpty');
  add(['semver'], 'semver');
  add(['eachKey', 'each-key'], 'eachKey', (m) => rulesOf(m, ''));
  add(['eachValue', 'each-value'], 'eachValue', (m) => rulesOf(m, ''));
  return table;
})();

/** The matchers Pact's core knows, as a message lists them (one spelling each: Pact also takes `real`, `min-type`...). */
const KNOWN_MATCHERS = [...new Set(Object.values(PACT_MATCHERS).map((m) => m.name))].join(', ');

/** `match` as Pact's core reads it: the field (or `pact:matcher:type`), as text; else guessed from the attributes; else undefined. */
function matchOf(m: Obj): string | undefined {
  const given = m.match ?? m['pact:matcher:type'];
  if (given !== undefined) return typeof given === 'string' ? given : JSON.stringify(given);
  const by = GUESSED.find((attribute) => attribute in m && (attribute === 'min' || attribute === 'max' ? wholeNumber(m[attribute]) !== undefined : true));
  return by;
}

/**
 * Why Pact's core would not load a matcher (and so no pact holding it: outside tester N19), or undefined when it
 * would; a pointer below the matcher when the problem is in a matcher inside it.
 */
export function matcherProblem(matcher: unknown): string | undefined {
  if (!isObject(matcher)) return 'must be an object';
  const match = matchOf(matcher);
  if (match === undefined) return `has no "match", and none of ${GUESSED.join(', ')} to tell it by`;
  const known = PACT_MATCHERS[match];
  if (!known) return `${JSON.stringify(match)} is no matcher Pact knows (it knows ${KNOWN_MATCHERS})`;
  const why = known.problem?.(matcher);
  return why === undefined ? undefined : why.startsWith('/') ? why : `the ${match} matcher ${why}`;
}

/** A matcher as the kit judges it: `match` in the kit's one spelling of Pact's name (`real` is `decimal`, `min` is `type`...). */
function normalMatcher(m: Obj): PactRule['matchers'][number] {
  const match = matchOf(m);
  const known = match === undefined ? undefined : PACT_MATCHERS[match];
  return { ...m, match: known?.name ?? match ?? '' };
}

const ruleOf = (value: unknown): PactRule | undefined => {
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.matchers)) return { combine: value.combine === 'OR' ? 'OR' : 'AND', matchers: value.matchers.filter(isObject).map(normalMatcher) };
  if (matchOf(value) !== undefined) return { combine: 'AND', matchers: [normalMatcher(value)] };
  return undefined;
};

/** Why some matcher of an interaction's side would not load in Pact's core, with its pointer; undefined when all would. */
function matchingRulesProblem(side: Obj, at: string): string | undefined {
  const rules = side.matchingRules;
  if (!isObject(rules)) return undefined;
  const here = (...segments: string[]) => `${at}/matchingRules/${segments.map(pointerSegment).join('/')}`;
  const ofList = (list: unknown, ...segments: string[]): string | undefined => {
    if (!isObject(list) || !Array.isArray(list.matchers)) return undefined; // Pact loads no rule from it either
    for (const [i, matcher] of list.matchers.entries()) {
      const why = matcherProblem(matcher);
      if (why) return `${here(...segments, 'matchers', String(i))}${why.startsWith('/') ? '' : ': '}${why}`;
    }
    return undefined;
  };
  for (const [key, entry] of Object.entries(rules)) {
    if (key.startsWith('$')) {
      // Pact V2: one matcher per path.
      const why = matcherProblem(entry);
      if (why) return `${here(key)}${why.startsWith('/') ? '' : ': '}${why}`;
      continue;
    }
    if (!isObject(entry)) continue;
    const why = 'matchers' in entry ? ofList(entry, key) : Object.entries(entry).reduce<string | undefined>((found, [path, list]) => found ?? ofList(list, key, path), undefined);
    if (why) return why;
  }
  return undefined;
}

/** A response's V4 status rule (its `status` category), when it has one. */
function statusRuleOf(value: unknown): { statusRule?: PactRule } {
  const rule = isObject(value) ? ruleOf(value.status) : undefined;
  return rule ? { statusRule: rule } : {};
}

/** V3/V4 rules by category, or V2's flat `$.body.x` / `$.headers.X` keys, as one shape. */
function rulesOf(value: unknown): PactMessage['rules'] {
  const rules: PactMessage['rules'] = { body: {}, header: {}, path: {}, query: {} };
  if (!isObject(value)) return rules;
  for (const [key, entry] of Object.entries(value)) {
    if (key.startsWith('$.')) {
      // Pact V2: `$.body.a`, `$.headers.Content-Type`, `$.path`, `$.query.x`.
      const rule = ruleOf(entry);
      if (!rule) continue;
      if (key === '$.body' || key.startsWith('$.body.') || key.startsWith('$.body[')) rules.body[`$${key.slice('$.body'.length)}`] = rule;
      else if (key.startsWith('$.headers.')) rules.header[key.slice('$.headers.'.length)] = rule;
      else if (key === '$.path') rules.path[''] = rule;
      else if (key.startsWith('$.query.')) rules.query[key.slice('$.query.'.length)] = rule;
      continue;
    }
    const category = key === 'headers' ? 'header' : key;
    if (!(category in rules) || !isObject(entry)) continue;
    if (category === 'path') {
      const rule = ruleOf(entry);
      if (rule) rules.path[''] = rule;
      continue;
    }
    for (const [path, rule] of Object.entries(entry)) {
      const parsed = ruleOf(rule);
      if (parsed) rules[category as 'body' | 'header' | 'query'][path] = parsed;
    }
  }
  return rules;
}

/**
 * What makes an HTTP interaction of a pact (V2, V3, or V4's `Synchronous/HTTP`) no interaction Pact can verify, or
 * undefined when it is one: a request with a method and a path, a response with an integer status (the Pact
 * specification), and every matcher one Pact's core loads (matcherProblem). Pact's core panics on a string status and fills in `GET /` for a missing request (outside
 * attacker J23, J24): verify and compare say it first, in one line. `index` counts from 0.
 */
export function httpInteractionProblem(entry: Record<string, unknown>, index: number): string | undefined {
  const name = `interaction ${index + 1}${typeof entry.description === 'string' ? ` (${JSON.stringify(entry.description.slice(0, 100))})` : ''}`;
  const shown = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 40));
  if (!isObject(entry.request)) return `${name}: has no request`;
  if (!isObject(entry.response)) return `${name}: has no response`;
  for (const key of ['method', 'path'] as const) {
    if (typeof entry.request[key] !== 'string') return `${name}: /request/${key} must be a string (got ${shown(entry.request[key])})`;
  }
  const status = entry.response.status;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) return `${name}: /response/status must be an integer from 100 to 599 (got ${shown(status)})`;
  // An answer no reader of it takes (the one reader's depth rule): no provider could meet the interaction. A request
  // that deep is the interaction's to judge, as any request the contract refuses: Graph answers it 400, and a pact may
  // say so (outside tester R7, decision 0473); the file itself is bounded by what Pact loads (pactJsonOf).
  const deep = findTooDeep(bodyOf(entry.response.body, undefined).body);
  if (deep !== undefined) return `${name}: its response body ${deep} ${TOO_DEEP}`;
  const matchers = matchingRulesProblem(entry.request, '/request') ?? matchingRulesProblem(entry.response, '/response');
  return matchers === undefined ? undefined : `${name}: ${matchers}`;
}

/**
 * Whether an interaction of a pact is an HTTP one (V2, V3, or V4's `Synchronous/HTTP`): the one rule by which compare
 * and verify leave a V4 message (`Asynchronous/Messages`, `Synchronous/Messages`) alone, with a note (outside finding
 * R31; decision 0511). A V2 or V3 interaction has no `type`.
 */
export function isHttpInteraction(entry: Record<string, unknown>): boolean {
  return typeof entry.type !== 'string' || entry.type === 'Synchronous/HTTP';
}

/** The type a V3 message pact's messages are named by in the kit's notes (they carry no `type` of their own). */
export const V3_MESSAGE = 'V3 message';

/**
 * The version a pact's metadata gives its Pact specification, as Pact's loader looks for it (pact_models
 * `determine_spec_version`: `pact-specification` first, then `pactSpecification`; the kit's readers also take
 * V1's `pactSpecificationVersion`), or undefined.
 */
export function specificationOf(raw: Record<string, unknown>): unknown {
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  const spec = isObject(metadata['pact-specification']) ? metadata['pact-specification'] : isObject(metadata.pactSpecification) ? metadata.pactSpecification : undefined;
  return spec ? spec.version : metadata.pactSpecificationVersion;
}

/**
 * A pact's interactions as Pact's loader reads them (pact_models `load_pact_from_json`), the one rule of compare and
 * verify (outside finding R86, decision 0792): a pact whose specification is not 4 and that has a `messages` key is a
 * V3 message pact (pact-js's MessageConsumerPact, pact-jvm's and PactNet's message pacts write one): its `messages`
 * are its interactions, each a message (`messages: true`: none is HTTP); any other pact's are its `interactions`.
 * Why it is no pact the kit reads, in words that follow its name, when that list is missing or not an array, or when
 * a message pact has `interactions` too (Pact would read its messages and never its interactions); `noList` when it
 * has neither list.
 */
export function pactInteractionsOf(raw: Record<string, unknown>): { entries: unknown[]; messages: boolean } | { problem: string; noList?: true } {
  const major = /^\s*(\d+)/.exec(String(specificationOf(raw) ?? ''))?.[1];
  if (major !== '4' && 'messages' in raw) {
    if (!Array.isArray(raw.messages)) return { problem: 'its "messages" is not a list' };
    if ('interactions' in raw) return { problem: `it has both "interactions" and "messages": Pact reads a pact of specification ${major ?? '3'} with "messages" as a message pact and never its interactions (a message pact and an HTTP pact are two files)` };
    return { entries: raw.messages, messages: true };
  }
  return Array.isArray(raw.interactions) ? { entries: raw.interactions, messages: false } : { problem: 'it has no "interactions" list', noList: true };
}

/** The note for an interaction that is not HTTP, left alone (compare's warning, verify's summary and JUnit). */
export const notHttpNote = (description: string, type: string): string => `${description}: not an HTTP interaction (${type}), left alone`;

/**
 * A pact file's text with only its HTTP interactions (isHttpInteraction), each kept byte for byte as the file writes
 * it (a number such as `1.0`, an escape, the order of names: what Pact reads from them stays the same), or undefined
 * when every interaction is HTTP. The text must be a pact the one reader takes (pactJsonOf: no name given twice,
 * decision 0691): its top-level `interactions` is the array whose elements are left out.
 */
export function httpInteractionsOnly(text: string): string | undefined {
  const interactions = (JSON.parse(text) as { interactions: unknown[] }).interactions;
  // What is no object is no interaction of any kind: kept, for Pact to say what it makes of it.
  const kept = (entry: unknown) => !isObject(entry) || isHttpInteraction(entry);
  if (interactions.every(kept)) return undefined;
  const array = interactionsArray(text);
  if (array.elements.length !== interactions.length) throw new Error(`internal error: read ${array.elements.length} interactions of ${interactions.length}`);
  const http = array.elements.filter((_, i) => kept(interactions[i])).map(([start, end]) => text.slice(start, end));
  return `${text.slice(0, array.open + 1)}${http.join(',')}${text.slice(array.close)}`;
}

/** Where the top-level `interactions` array of a pact's text stands: its brackets, and each element's first and after-last index. */
function interactionsArray(text: string): { open: number; close: number; elements: [number, number][] } {
  const ends = new StringEnds(text);
  let depth = 0;
  let key: string | undefined;
  let found: { open: number; close: number; elements: [number, number][] } | undefined;
  let current: { open: number; close: number; elements: [number, number][] } | undefined;
  let start = -1;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (current && depth === 2 && start < 0 && c !== ']' && c !== ',') start = i;
    if (c === '"') {
      const { end, escaped } = ends.of(i);
      if (depth === 1) {
        // A name of the top-level object (a string followed by its colon), not a value.
        let after = end + 1;
        while (after < text.length && ' \t\n\r'.includes(text[after])) after++;
        if (text[after] === ':') key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
      }
      i = end;
      last = end;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (depth === 2 && c === '[' && key === 'interactions') current = { open: i, close: -1, elements: [] };
    } else if (c === '}' || c === ']') {
      if (current && depth === 2 && start >= 0) {
        current.elements.push([start, last + 1]);
        start = -1;
      }
      if (current && depth === 2) {
        current.close = i;
        found = current;
        current = undefined;
      }
      depth--;
    } else if (c === ',' && current && depth === 2) {
      current.elements.push([start, last + 1]);
      start = -1;
      continue;
    }
    last = i;
  }
  if (!found) throw new Error('internal error: no interactions array');
  return found;
}

/**
 * The pact files of a command's arguments, one rule for verify and compare: files, folders (their *.json files) and
 * globs the shell did not expand, expanded as `validate` expands its arguments, then each file once (distinctFiles,
 * decision 0485: a file named twice, by a folder and its name, or through a link, with a note per name given again).
 * A pattern or folder that gives no file is an error, made by `fail`.
 */
export function pactFilesOf(args: readonly string[], fail: (message: string) => Error, name = 'files'): DistinctFiles {
  // A library caller's one path as a string, or a list holding something else, is said in the argument's words
  // (`files must be an array of paths (got "p.json")`), never Node's error from inside (outside finding R83).
  const shape = pathListProblem(name, args);
  if (shape) throw new TypeError(shape);
  return distinctFiles(
    args.flatMap((arg) => {
      if (matchesNothing(arg)) throw fail(`no pact file matches ${arg}`);
      const files = expandFileArguments([arg], { folders: '*.json' });
      if (files.length === 0) throw fail(`the folder ${arg} holds no pact files (*.json)`);
      return files;
    }),
  );
}

/**
 * A pact file's text; one in UTF-16 or UTF-32 is refused in the words of every reader of JSON files (decision 0384),
 * and bytes that are not UTF-8 where they are (Pact's loader reads UTF-8 text: decision 0691), never turned into
 * U+FFFD. A leading byte-order mark is read past (decision 0484: verify says it, Pact's loader refuses it).
 */
export function pactFileText(file: string, given?: Buffer): string {
  const bytes = given ?? readPactBytes(file);
  const other = otherEncodingOfFile(bytes);
  if (other) throw new PactFileError(`${file} ${other}`);
  const marked = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = decodeUtf8(marked ? bytes.subarray(3) : bytes);
  if (!text.ok) throw new PactFileError(`${file} ${text.problem.message}`);
  return text.value;
}

/**
 * Why a pact file cannot be read, in the words of every file the kit reads (the one table, decision 0355): `cannot
 * read p.json: no such file or folder (ENOENT)`, never Node's `ENOENT: no such file or directory, open ...` (outside
 * finding R83). An interrupted wait (AbortError) is given back as it is.
 */
export function unreadablePactFile(file: string, error: unknown): Error {
  if ((error as Error)?.name === 'AbortError') return error as Error;
  return new PactFileError(cannotReadText(file, error));
}

function readPactBytes(file: string): Buffer {
  const shape = pathProblem('file', file);
  if (shape) throw new TypeError(shape);
  try {
    return readFileSync(file);
  } catch (error) {
    throw unreadablePactFile(file, error);
  }
}

/**
 * Why a pact file's text is no pact the kit reads, as words that follow its name, or its JSON value: read by the one
 * reader of every JSON input (src/wire's parseJson, decision 0691), nested as deep as Pact's parser reads
 * (PACT_FILE_DEPTH). `syntax`: not JSON (`line L, column C: what`); `value`: JSON no Pact parser takes (a number no
 * double holds, an unpaired surrogate: serde_json refuses both) or that says one name twice (`pactReads`: Pact takes
 * the last), at its JSON pointer. compare and verify say it each in their words.
 */
export function pactJsonOf(text: string): { value: unknown } | { syntax: string } | { refused: string; pactReads: boolean } {
  const read = parseJson(text, PACT_FILE_DEPTH);
  if (read.ok) return { value: read.value };
  const { problem } = read;
  if (problem.rule === 'json syntax' || problem.rule === 'trailing data') {
    // Where and what, as every other reader of JSON says it (one line: JSON.parse's own message may quote lines).
    const at = findJsonSyntaxError(text);
    return { syntax: at ? `line ${at.line}, column ${at.column}: ${at.message}` : problem.message };
  }
  const pointer = problem.pointer ?? '';
  const words: Partial<Record<string, string>> = {
    'nesting depth': `is nested deeper than ${PACT_FILE_DEPTH} levels, where Pact's parser stops (serde_json's recursion limit)`,
    'number range': `${problem.message}; Pact's parser (serde_json) refuses it too, "number out of range"`,
    'lone surrogate': `${problem.message}; Pact's parser (serde_json) refuses it too`,
    'duplicate name': "is given twice: a name takes one value in a JSON object (RFC 8259 §4); Pact's parser keeps the last without a word, so which one the pact means is not said",
  };
  return { refused: `${pointer}: ${words[problem.rule] ?? problem.message}`, pactReads: problem.rule === 'duplicate name' };
}

/** Reads a pact file as pact-js, PactNet, pact-jvm or a Pact Broker writes it (specification 2, 3 or 4). */
export function readPactFile(file: string, text: string = pactFileText(file)): PactFile {
  // Decision 1041: `readPactFile(file, {})` failed `text.replace is not a function`.
  refuseArguments(argumentProblem('text', text, 'string', "the pact file's text, a string (or left out: the file is read)"));
  const read = pactJsonOf(text.replace(/^\uFEFF/, ''));
  if ('syntax' in read) throw new PactFileError(`${file} is not JSON: ${read.syntax}`);
  if ('refused' in read) throw new PactFileError(`${file} is not a pact ${read.pactReads ? 'the kit takes' : 'Pact can read'}: ${read.refused}`);
  const raw = read.value;
  if (!isObject(raw)) throw new PactFileError(`${file} is not a pact: it has no "interactions" list`);
  const listed = pactInteractionsOf(raw);
  if ('problem' in listed) throw new PactFileError(`${file} is not a pact: ${listed.problem}`);
  const spec = specificationOf(raw);
  const name = (party: unknown) => (isObject(party) && typeof party.name === 'string' ? party.name : '(unnamed)');
  const interactions: PactInteraction[] = [];
  const skipped: string[] = [];
  const kind = listed.messages ? 'message' : 'interaction';
  listed.entries.forEach((entry, index) => {
    if (!isObject(entry)) throw new PactFileError(`${file}: ${kind} ${index + 1} is not an object`);
    const description = typeof entry.description === 'string' ? entry.description : `${kind} ${index + 1}`;
    if (listed.messages || !isHttpInteraction(entry)) {
      skipped.push(notHttpNote(description, listed.messages ? V3_MESSAGE : String(entry.type)));
      return;
    }
    const malformed = httpInteractionProblem(entry, index);
    if (malformed) throw new PactFileError(`${file} is not a pact: ${malformed}`);
    const request = isObject(entry.request) ? entry.request : {};
    const response = isObject(entry.response) ? entry.response : {};
    const requestHeaders = headersOf(request.headers);
    const responseHeaders = headersOf(response.headers);
    const contentTypeOf = (h: Record<string, string>) => Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const requestBody = bodyOf(request.body, contentTypeOf(requestHeaders));
    const responseBody = bodyOf(response.body, contentTypeOf(responseHeaders));
    const states = Array.isArray(entry.providerStates)
      ? entry.providerStates.map((s) => (isObject(s) && typeof s.name === 'string' ? s.name : String(s)))
      : typeof entry.providerState === 'string'
        ? [entry.providerState]
        : [];
    interactions.push({
      index,
      description,
      providerStates: states,
      request: {
        method: String(request.method ?? 'GET').toUpperCase(),
        path: String(request.path ?? '/'),
        query: queryOf(request.query),
        headers: requestHeaders,
        body: requestBody.body,
        bodyText: requestBody.text,
        ...v4ContentType(request.body),
        rules: rulesOf(request.matchingRules),
      },
      response: { status: Number(response.status ?? 200), ...statusRuleOf(response.matchingRules), headers: responseHeaders, body: responseBody.body, bodyText: responseBody.text, ...v4ContentType(response.body), rules: rulesOf(response.matchingRules) },
      raw: entry,
    });
  });
  const profile = recordedProfile(raw);
  return { file, consumer: name(raw.consumer), provider: name(raw.provider), specification: String(spec ?? 'unknown'), interactions, skipped, ...(profile ? { profile } : {}), raw };
}
