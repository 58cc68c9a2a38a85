import type { ValidateFunction } from 'ajv';
import { DEFAULT_PROFILE, SCHEMA_DIR, profileBaseUri, toSchemaKind, schemaFiles, schemaKindsOf, toProfile, type Profile, type SchemaKind } from '../schemas';
import { propertiesMissingFrom } from '../schemas/profiles';
import type { ValidatorSet } from './compile';
import type { GraphError, VppToken, VppTokenActionResult, VppTokenCreateRequest } from '../generated/types';
import type * as V1 from '../generated/types-v1';
import { formatProblems, pointerSegment, toProblems, type Problem } from './problems';
import { resolveUnions } from './unions';
import { controlInformationValue } from './control-information';
import { asWrittenTypePointer, typeControlProblems, withTypeUrlsRead } from './type-control';
import { findLoneSurrogate, holdsWhatJsonCannot, LONE_SURROGATE_MESSAGE, nonFiniteNumbers, NOT_A_JSON_NUMBER_MESSAGE } from '../wire/surrogates';
import { argumentProblem, refuseArguments } from '../net/option';
import { sentJson, TOO_DEEP, type NotATree } from '../wire/depth';


/** What each schema kind validates to. */
export interface SchemaTypes {
  request: VppTokenCreateRequest;
  response: VppToken;
  actionResult: VppTokenActionResult;
  error: GraphError;
}

/** What each schema kind validates to in Graph v1.0 (which has no vppTokenActionResult). */
export interface SchemaTypesV1 {
  request: V1.VppTokenCreateRequest;
  response: V1.VppToken;
  actionResult: never;
  error: V1.GraphError;
}

/** What each kind validates to, per profile. */
export interface ProfileSchemaTypes {
  beta: SchemaTypes;
  'v1.0': SchemaTypesV1;
}

export type ValidationResult<T> = { valid: true; value: T; problems: [] } | { valid: false; problems: Problem[] };

/** Thrown by the assert* functions; carries every problem, not just the first. */
export class SchemaValidationError extends Error {
  override readonly name = 'SchemaValidationError';
  constructor(
    readonly kind: SchemaKind,
    readonly problems: Problem[],
    readonly profile: Profile = DEFAULT_PROFILE,
  ) {
    super(`invalid ${profile === DEFAULT_PROFILE ? '' : `${profile} `}${kind}:\n${formatProblems(problems)}`);
  }
}

interface Compiled {
  /** Stops at the first error: the fast path for the common, valid case. */
  check: ValidateFunction;
  /** Collects every error with its schema, only run when `check` failed. */
  explain: ValidateFunction;
}

/**
 * A checker for one of vppkit's own input files (a fault profile, a conform report to replay): every problem
 * with a JSON pointer and what is allowed, worded as the Graph schemas' problems are. Compiled when asked for:
 * ajv's compiler is loaded only then (the Graph schemas' validators are generated code).
 */
export function schemaChecker(schema: Record<string, unknown>): (data: unknown) => Problem[] {
  refuseArguments(argumentProblem('schema', schema, 'object', 'a JSON Schema, an object'));
  const { kitAjv } = require('./compile') as typeof import('./compile');
  const explain = kitAjv({ allowUnionTypes: true, allErrors: true, verbose: true }).compile(schema);
  return (data) => (explain(data) ? [] : toProblems((explain.errors ?? []).filter((e) => e.keyword !== 'if'), data));
}

/**
 * The Graph schemas' validators, compiled at build time: ajv's standalone code in src/generated (npm run generate
 * writes it from schemas/, and tests/generated-types.test.ts fails when it is stale). Compiling them in every
 * process cost about 0.1-0.2 s of CPU, in every command's start and every test file that validates
 * (docs/decisions/0186). Each module is loaded when first asked for: `explain` only once a value is invalid.
 */
const GENERATED: Record<Profile, Record<ValidatorSet, () => { validators: Record<string, ValidateFunction> }>> = {
  beta: { check: () => require('../generated/validators-beta-check'), explain: () => require('../generated/validators-beta-explain') },
  'v1.0': { check: () => require('../generated/validators-v1-check'), explain: () => require('../generated/validators-v1-explain') },
};

/**
 * Loads every generated validator now rather than when first asked for: a long run that opens many connections
 * (seed) loads them before it does, so that a module read late cannot meet the process's limit of open files
 * (EMFILE) and end the run with a path inside the kit (outside tester R19, decision 0475).
 */
export function loadValidators(): void {
  for (const sets of Object.values(GENERATED)) for (const load of Object.values(sets)) load();
}

/** The generated validator of `ref` (a schema, or a branch of one's union) in one profile and set, or undefined. */
function generatedValidator(profile: Profile, which: ValidatorSet, ref: string): ValidateFunction | undefined {
  return GENERATED[profile][which]().validators[ref];
}

const compiled = new Map<string, ValidateFunction>();

/**
 * The validator of one kind in one profile, `check` (first error) or `explain` (every error), loaded when first
 * asked for: `vppkit validate` of requests loads the first-error validators, and the every-error ones only when a
 * record is invalid. A RangeError for a kind the profile lacks.
 */
function compiledOf(kind: SchemaKind, profile: Profile, which: ValidatorSet): ValidateFunction {
  const key = `${profile} ${kind} ${which}`;
  let found = compiled.get(key);
  if (!found) {
    toSchemaKind(kind);
    if (!schemaKindsOf(toProfile(profile)).includes(kind)) throw new RangeError(`Graph ${profile} has no ${kind} (kinds: ${schemaKindsOf(profile).join(', ')})`);
    found = generatedValidator(profile, which, `${profileBaseUri(profile)}${schemaFiles[kind]}`)!;
    compiled.set(key, found);
  }
  return found;
}

/** The compiled validators of one kind in one profile. */
function validatorOf(kind: SchemaKind, profile: Profile = DEFAULT_PROFILE): Compiled {
  const check = compiledOf(kind, profile, 'check');
  return {
    check,
    get explain() {
      return compiledOf(kind, profile, 'explain');
    },
  };
}

/**
 * Every problem with `data` as a `kind` of Graph `profile` (default beta), or an empty list when it is valid: first
 * what no JSON text can carry (jsonValueProblems), then the schema's.
 */
export function problemsOf(kind: SchemaKind, data: unknown, profile: Profile = DEFAULT_PROFILE): Problem[] {
  return judgedProblems(kind, data, profile).problems;
}

/** problemsOf, and the value judged (judged: the JSON JSON.stringify sends of what was given). */
function judgedProblems(kind: SchemaKind, given: unknown, profile: Profile = DEFAULT_PROFILE): { value: unknown; problems: Problem[] } {
  const { value: data, problem } = judged(given);
  if (problem) return { value: data, problems: [problem] };
  const json = jsonValueProblems(data);
  const { check, explain } = validatorOf(kind, profile);
  // An answer's type written as a URL into its service's metadata is judged by the name it gives (decision 1310).
  const read = withTypeUrlsRead(kind, data, profile);
  if (check(read)) return { value: data, problems: [...json, ...modelProblems(kind, data, profile)] };
  explain(read);
  const found = toProblems(resolveUnions(explain.errors ?? [], (ref) => generatedValidator(toProfile(profile), 'explain', ref)), read).map((p) => ({ ...p, pointer: kind === 'response' ? asWrittenTypePointer(data, p.pointer) : p.pointer }));
  return { value: data, problems: [...json, ...found, ...modelProblems(kind, data, profile)] };
}

/** The keywords of what no JSON text can carry: the one reader's rules of the same names (src/wire/body.ts). */
export const JSON_VALUE_KEYWORDS: readonly string[] = ['lone surrogate', 'number range'];

/**
 * What a value holds that no JSON text can carry, so that it is not the JSON it is sent as (outside finding R59): a
 * string or name with an unpaired surrogate (a name cut to a length in UTF-16 units, mid-emoji), refused as the one
 * reader refuses one in bytes, in the same words; a NaN or an Infinity (JSON.stringify sends null). Parsed JSON
 * holds these only where the reader refused its bytes; a value built in a program is judged here as `vppkit validate`
 * and check-client's mock judge what it becomes.
 */
function jsonValueProblems(data: unknown): Problem[] {
  if (!holdsWhatJsonCannot(data)) return [];
  const problems: Problem[] = [];
  const lone = findLoneSurrogate(data);
  if (lone !== undefined) problems.push({ pointer: lone, keyword: 'lone surrogate', message: LONE_SURROGATE_MESSAGE });
  for (const { pointer, value } of nonFiniteNumbers(data)) problems.push({ pointer, keyword: 'number range', message: `${NOT_A_JSON_NUMBER_MESSAGE} (got ${value})`, got: String(value) });
  return problems;
}

/** JSON text of an object or an array, as its first and last characters (JSON's whitespace aside) show it. */
const JSON_TEXT = /^[ \t\n\r]*(?:\{[^]*\}|\[[^]*\])[ \t\n\r]*$/;

/**
 * A Graph list page, an OData collection response (OData JSON Format 4.01 §12): an object whose only members are
 * `value`, an array, and annotations (`@odata.context`, `@odata.nextLink`, ...); what `GET .../vppTokens` answers.
 * No record of any kind is one (each is a single object): the one test of readRecords (decision 0803) and problemsOf
 * (0964). Its item count and whether a nextLink says more pages follow, or undefined.
 */
export function graphListPage(value: unknown): { items: number; more: boolean } | undefined {
  const page = loneArrayMember(value);
  if (page?.name !== 'value') return undefined;
  return { items: page.items.length, more: typeof controlInformationValue(page.of, 'nextLink') === 'string' };
}

/**
 * An object whose only member that is no annotation (a name holding `@`) is an array: that member's name and items,
 * and the object; undefined for anything else. The shape of an OData collection response (`value`) and of a JSON
 * batch (`requests`, `responses`), which graphListPage and jsonBatch tell apart by the name.
 */
function loneArrayMember(value: unknown): { name: string; items: unknown[]; of: Record<string, unknown> } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const of = value as Record<string, unknown>;
  const names = Object.keys(of).filter((name) => !name.includes('@'));
  if (names.length !== 1 || !Array.isArray(of[names[0]])) return undefined;
  return { name: names[0], items: of[names[0]] as unknown[], of };
}

/**
 * A JSON batch, what `POST /$batch` sends (`{"requests": [...]}`) or answers (`{"responses": [...]}`, OData JSON
 * Format 4.01 §19, as the Graph SDKs' BatchRequestContent and BatchResponseContent hold it): an object whose only
 * members are that array and annotations. No record of any kind is one; each of its members' `body` may be (outside
 * attacker R135, decision 1161, the neighbour of 0964's list page). Which it is, its member count and the words that
 * name it, or undefined.
 */
export function jsonBatch(value: unknown): { got: string; bodies: string; jq: string } | undefined {
  const batch = loneArrayMember(value);
  const [one, many] = batch?.name === 'requests' ? ['request', 'requests'] : batch?.name === 'responses' ? ['answer', 'answers'] : [];
  if (batch === undefined || one === undefined) return undefined;
  const count = batch.items.length;
  return { got: `a JSON batch ${batch.name === 'requests' ? 'request' : 'answer'} ("${batch.name}" holds its ${count} ${count === 1 ? one : many})`, bodies: `each ${one}'s "body"`, jq: `.${batch.name}[].body` };
}

/**
 * A body given as bytes (a Buffer from `express.raw()` or a collected stream, any typed array, an ArrayBuffer) or as
 * a Map is no parsed JSON value: judged as an object it was "/token: is required", or one problem a byte (outside
 * tester R30). One problem at the root says to parse it first. Objects made by a class are JSON objects as before.
 * So is a string that is the JSON text of an object or an array (what a mocked fetch, axios or got holds as
 * `init.body`, `JSON.stringify(body)`): it said `must be an object (got a string ... that holds a VPP token ...)`,
 * which points at the token (outside finding R87, decision 0802). Told by its first and last characters alone: a
 * text that is not even valid JSON is as much text to parse first, and JSON.parse then says where. Its text is
 * never shown (it holds the token).
 */
function notParsed(data: unknown): Problem | undefined {
  // A list page given where one value goes (the list a test reads back): one problem naming it, not 18 "is required"
  // (outside attacker R107, decision 0964), as readRecords and `vppkit validate` name it (0803).
  const page = graphListPage(data);
  if (page) {
    const got = `a Graph list page (an OData collection: "value" holds its ${page.items} item${page.items === 1 ? '' : 's'})`;
    return { pointer: '', keyword: 'type', got, message: `must be one object, not a list (got ${got}): each item of its "value" is one, judged alone${page.more ? '; its "@odata.nextLink" says more pages follow' : ''}` };
  }
  const batch = jsonBatch(data);
  if (batch) return { pointer: '', keyword: 'type', got: batch.got, message: `must be one object, not a JSON batch (got ${batch.got}): ${batch.bodies} is one, judged alone` };
  if (typeof data === 'string' && JSON_TEXT.test(data)) {
    const got = `a string of ${data.length} characters, the JSON text of ${/^[ \t\n\r]*\{/.test(data) ? 'an object' : 'an array'}`;
    return { pointer: '', keyword: 'type', got, message: `must be an object (got ${got}): JSON text, not the value it holds: parse it first (JSON.parse(text)), or it was encoded twice` };
  }
  const got =
    data instanceof ArrayBuffer
      ? `an ArrayBuffer of ${data.byteLength} bytes`
      : ArrayBuffer.isView(data)
        ? `a ${Buffer.isBuffer(data) ? 'Buffer' : data.constructor.name} of ${data.byteLength} bytes`
        : data instanceof Map || data instanceof Set
          ? `a ${data.constructor.name} of ${data.size} ${data.size === 1 ? 'entry' : 'entries'}`
          : undefined;
  return got === undefined ? undefined : { pointer: '', keyword: 'type', got, message: `must be a parsed JSON value (got ${got}): parse it first, e.g. JSON.parse(new TextDecoder().decode(bytes)), or Object.fromEntries(map)` };
}

/**
 * What the library judges of a value handed to it: the JSON `JSON.stringify` sends of it (outside finding W3, decision
 * 1305: a Date as its ISO string, a toJSON's value, an undefined member left out), or the one problem that stands in
 * place of every other: no parsed value at all (notParsed), or no JSON text (sentAsJson).
 */
function judged(data: unknown): { value: unknown; problem?: Problem } {
  // A getter or Proxy trap that throws reading what notParsed looks at is found, at its place, by sentAsJson (1331).
  let given: Problem | undefined;
  try {
    given = notParsed(data);
  } catch {
    given = undefined;
  }
  if (given) return { value: data, problem: given };
  const sent = sentAsJson(data);
  if ('problem' in sent) return { value: data, problem: sent.problem };
  const after = sent.value === data ? undefined : notParsed(sent.value);
  return after ? { value: data, problem: after } : sent;
}

/**
 * The JSON value `JSON.stringify` sends of `data` (decision 1305, sentJson), or, when it sends none, why, as the one
 * reader refuses its bytes (outside finding R150, decision 1261): nested deeper than 64 levels, in the reader's words
 * at the first place too deep, alone as the reader's is (0385: nothing else reads it); holding itself (an array or
 * object inside itself), which no JSON text is (RFC 8259 §2: a tree) and JSON.stringify throws on: one problem at the
 * root naming where; a BigInt, or a toJSON that throws (outside finding W2), at its place. Each walk ends at once,
 * however deep or cyclic. seedVppTokens sends a caller's own request as this reads it (decisions 1296, 1305).
 */
export function sentAsJson(data: unknown): { value: unknown } | { problem: Problem } {
  const sent = sentJson(data);
  return sent.notATree ? { problem: notATreeProblem(sent.notATree) } : { value: sent.value };
}

/** What sentAsJson says of a value that is no JSON text. */
function notATreeProblem(found: NotATree): Problem {
  if (found.cannot !== undefined) {
    const got = found.cannot;
    // A getter or a Proxy trap that threw (decision 1331): what it would have given is unknown, so only that it threw is told.
    if (got.startsWith('a value whose getter')) return { pointer: found.pointer, keyword: 'type', got, message: `must be a value that can be read (got ${got}): JSON.stringify throws on it, so the value holding it is never sent` };
    return { pointer: found.pointer, keyword: 'type', got, message: `must be a JSON value (got ${got}): JSON has strings, finite numbers, true, false, null, arrays and objects only (RFC 8259 §3), JSON.stringify throws on it, so the value holding it is never sent${got === 'a BigInt' ? '; send Number(n) or String(n)' : ''}` };
  }
  if (found.holds === undefined) return { pointer: found.pointer, keyword: 'nesting depth', message: TOO_DEEP };
  const got = `${found.array ? 'an array' : 'an object'} that holds itself: ${found.pointer} is ${found.holds === '' ? 'the value itself' : found.holds}`;
  return { pointer: '', keyword: 'type', got, message: `must be a parsed JSON value (got ${got}): a JSON text is a tree (RFC 8259 §2), JSON.stringify throws on it, so it is never sent` };
}

/**
 * A property beta has and `profile` lacks, in a vppToken of `profile`: what the kit refuses in a v1.0 request it
 * refuses in a v1.0 answer (docs/decisions/0081), though a response tolerates properties unknown to both. The one
 * rule of validate, the jest matchers and the judgement of an answer (outside tester J13: validate took a v1.0
 * vppToken with every beta property, which verify, conform and the proxy refuse).
 */
function betaOnlyPropertyProblems(kind: SchemaKind, data: unknown, profile: Profile = DEFAULT_PROFILE): Problem[] {
  if (kind !== 'response' || toProfile(profile) === DEFAULT_PROFILE || data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  return propertiesMissingFrom(toProfile(profile), SCHEMA_DIR)
    .filter((name) => Object.hasOwn(data, name))
    .map((name) => ({ pointer: `/${pointerSegment(name)}`, keyword: 'profile', message: `is a Graph beta property, not one of ${profile}'s: a ${profile} answer must not carry it` }));
}

/**
 * What the model says of `data` that its schema cannot: a beta property in another profile's answer, and a create's
 * type control information contradicting its property's declared type (decision 1231). Read by problemsOf and isValid alike.
 */
function modelProblems(kind: SchemaKind, data: unknown, profile?: Profile): Problem[] {
  return [...betaOnlyPropertyProblems(kind, data, profile), ...typeControlProblems(kind, data, profile)];
}

/** Checks `data` against the schema of `kind` in Graph `profile` (default beta) and returns every problem. */
export function validate<K extends SchemaKind, P extends Profile = 'beta'>(kind: K, data: unknown, profile?: P): ValidationResult<ProfileSchemaTypes[P][K]> {
  // The value judged: `data` itself when it is plain JSON data, else the JSON JSON.stringify sends of it (1305).
  const { value, problems } = judgedProblems(kind, data, profile);
  return problems.length === 0 ? { valid: true, value: value as ProfileSchemaTypes[P][K], problems: [] } : { valid: false, problems };
}

/** Throws a SchemaValidationError listing every problem unless `data` is a valid `kind` of `profile`. */
export function assertValid<K extends SchemaKind, P extends Profile = 'beta'>(kind: K, data: unknown, profile?: P): asserts data is ProfileSchemaTypes[P][K] {
  const problems = problemsOf(kind, data, profile);
  if (problems.length > 0) throw new SchemaValidationError(kind, problems, profile);
}

/** A type guard: true when `data` is a valid `kind` of `profile`. The fastest check; it does not say why. */
export function isValid<K extends SchemaKind, P extends Profile = 'beta'>(kind: K, given: unknown, profile?: P): given is ProfileSchemaTypes[P][K] {
  const { value: data, problem } = judged(given);
  return problem === undefined && (validatorOf(kind, profile).check(withTypeUrlsRead(kind, data, profile)) as boolean) && modelProblems(kind, data, profile).length === 0 && !holdsWhatJsonCannot(data);
}

// One argument each, on purpose: they are used as callbacks (`records.filter(isVppToken)`), where a second
// argument would be an index. For v1.0, call validate / isValid / assertValid with the profile.
export const validateCreateRequest = (data: unknown) => validate('request', data);
export const validateVppToken = (data: unknown) => validate('response', data);
export const validateGraphError = (data: unknown) => validate('error', data);
export const validateActionResult = (data: unknown) => validate('actionResult', data);

export const isVppTokenCreateRequest = (data: unknown): data is VppTokenCreateRequest => isValid('request', data);
export const isVppToken = (data: unknown): data is VppToken => isValid('response', data);
export const isGraphError = (data: unknown): data is GraphError => isValid('error', data);

export function assertCreateRequest(data: unknown): asserts data is VppTokenCreateRequest {
  assertValid('request', data);
}
export function assertVppToken(data: unknown): asserts data is VppToken {
  assertValid('response', data);
}
export function assertGraphError(data: unknown): asserts data is GraphError {
  assertValid('error', data);
}
