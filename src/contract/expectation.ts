// What a 201 interaction demands, as matching rules written into the pact FILE (docs/decisions/0005): Pact's
// DSL (the FFI integration JSON) can only AND matchers, so "string or null" can't be said through it. The kit
// derives the rules from the response schema and writes them after Pact writes the file.
import { readFileSync, writeFileSync } from 'node:fs';
import type { VppTokenCreateRequest } from '../generated/types';
import { REFERENCE_DATE, createRequestFactory } from '../fixtures';
import { createdVppToken } from '../graph';
import { VPP_TOKENS_PATH, distinctMembers, organizationFromToken, valuesThatComeBack } from '../judgement';
import { DEFAULT_PROFILE, derefSchema, discriminatedUnion, flattenUnion, schemaFor, toProfile, type JsonSchema, type Profile } from '../schemas';
import { problemsOf } from '../validation';
import { enumPattern } from './matchers';
import { CONTRACT_SEED } from './seed';
import { pathProblem, argumentProblem, refuseArguments } from '../net/option';
import { cannotReadText } from '../net/system-error';
import { pactJsonOf } from '../compare/pact-file';

/** One matcher of a pact file (`{"match": "type"}`, `{"match": "regex", "regex": ...}`, ...). */
export type PactMatcher = { match: string } & Record<string, unknown>;
/** The rules of one path in a pact file's `matchingRules.body`. */
export interface PactRuleList {
  combine: 'AND' | 'OR';
  matchers: PactMatcher[];
}
export type PactBodyRules = Record<string, PactRuleList>;

/** What a 201 body must be: an example (the type reference of every `type` matcher) and the rules by path. */
export interface CreatedExpectation {
  body: Record<string, unknown>;
  rules: PactBodyRules;
}

/** The id of every 201 example (the id is matched by the GUID pattern, never by value). */
export const EXAMPLE_ID = '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60';
const NON_EMPTY = '^[\\s\\S]+$';

/** A JSONPath of a pact file: `$.a`, `$['@odata.type']`, `$.list[*]`. */
export function pactPath(parent: string, key: string): string {
  refuseArguments(argumentProblem('parent', parent, 'string', 'a Pact path, such as $.body'), argumentProblem('key', key, 'string'));
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}['${key.replace(/'/g, "\\'")}']`;
}

const and = (...matchers: PactMatcher[]): PactRuleList => ({ combine: 'AND', matchers });
/**
 * A string the schema says is not empty (`minLength` 1: an error's `code`, the token): its type beside the regex.
 * Pact's regex matcher reads a number or a boolean by its text (`400` matches `^[\s\S]+$`), so the regex alone
 * passed `"code": 400`, which verify fails (outside finding N1, decision 0360).
 */
const nonEmptyString = (): PactMatcher[] => [{ match: 'type' }, { match: 'regex', regex: NON_EMPTY }];
const orNull = (matcher: PactMatcher): PactRuleList => ({ combine: 'OR', matchers: [matcher, { match: 'null' }] });
const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : []);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rules of one schema node at `path`, and the example value the rules compare types against. `candidates`
 * are example values in order of preference (the body a correct server would answer, then a fuller one): the
 * first one of the right JSON type is the example, so that a nullable string's `type` matcher means "a string".
 */
function derive(node: JsonSchema, candidates: readonly unknown[], path: string, rules: PactBodyRules, presentOnly = false): unknown {
  const resolved = derefSchema(node);
  // A rule of a pact file holds for every element of a list alike: it cannot depend on an item's @odata.type, so a
  // discriminated union's items get every branch's rules (each applies where its property is present), and the
  // union itself (a base item must not carry a derived type's properties) is verify's judgement (decision 0105).
  const union = discriminatedUnion(resolved);
  const schema = union ? flattenUnion(union) : resolved;
  if ('const' in schema) {
    rules[path] = and({ match: 'equality' });
    return schema.const;
  }
  const types = typesOf(schema);
  const nullable = types.includes('null');
  const pick = (test: (v: unknown) => boolean, otherwise: unknown) => candidates.find(test) ?? otherwise;
  let matcher: PactMatcher;
  // More than one matcher, all of which must hold (`combine: AND`); a nullable value's rule holds `matcher` alone.
  let matchers: PactMatcher[] | undefined;
  let example: unknown;
  if (Array.isArray(schema.enum)) {
    const members = schema.enum.filter((m) => m !== null);
    matcher = { match: 'regex', regex: enumPattern(members) };
    example = pick((v) => members.includes(v), members[0]);
  } else if (types.includes('string')) {
    const regex = typeof schema.pattern === 'string' ? schema.pattern : typeof schema.minLength === 'number' && schema.minLength > 0 ? NON_EMPTY : undefined;
    matcher = regex ? { match: 'regex', regex } : { match: 'type' };
    if (regex === NON_EMPTY) matchers = nonEmptyString();
    example = pick((v) => typeof v === 'string' && (!regex || new RegExp(regex).test(v)), 'string');
  } else if (types.includes('boolean')) {
    matcher = { match: 'type' };
    example = pick((v) => typeof v === 'boolean', false);
  } else if (types.includes('integer')) {
    matcher = { match: 'integer' };
    example = pick((v) => Number.isInteger(v), 0);
  } else if (types.includes('number')) {
    matcher = { match: 'number' };
    example = pick((v) => typeof v === 'number', 0);
  } else if (types.includes('array')) {
    // Any length, empty included; one template element carries the element rules.
    matcher = { match: 'type', min: 0 };
    rules[path] = and(matcher); // before its elements' rules, so that the file reads top-down
    const lists = candidates.filter(Array.isArray) as unknown[][];
    const element = derive((schema.items ?? {}) as JsonSchema, lists.flat(), `${path}[*]`, rules, presentOnly);
    const own = lists[0] ?? [];
    // An element template holds only the keys every element of the example has (a base and a derived action
    // result share them), never an annotation: Pact compares every answered element with it. Of a union's items,
    // only keys every type has: a derived type's own key without its @odata.type is an item Graph never gives.
    const union = schema.items ? discriminatedUnion(derefSchema(schema.items as JsonSchema)) : undefined;
    const everyType = union && ((key: string) => union.branches.every((b) => key in ((b.schema.properties ?? {}) as object)));
    example = [isObject(element) ? templateOf(element, own, everyType) : element];
  } else if (types.includes('object') || isObject(schema.properties)) {
    return deriveObject(schema, candidates.filter(isObject), path, rules, Object.keys((schema.properties ?? {}) as object), presentOnly);
  } else {
    return candidates[0];
  }
  // A nullable one can't say both (Pact does not nest an AND in an OR): none of the schemas' nullable strings has a
  // minLength.
  rules[path] = nullable ? orNull(matcher) : and(...(matchers ?? [matcher]));
  return example;
}

function templateOf(element: Record<string, unknown>, examples: unknown[], allowed: (key: string) => boolean = () => true): Record<string, unknown> {
  const objects = examples.filter(isObject);
  const shared = Object.keys(element).filter((k) => !k.startsWith('@') && allowed(k) && objects.length > 0 && objects.every((o) => k in o));
  return Object.fromEntries(shared.map((k) => [k, element[k]]));
}

/**
 * An object: rules for every property of the schema, or with `presentOnly` for those a candidate holds; the example
 * holds `keys` (the required ones at the top).
 */
function deriveObject(schema: JsonSchema, candidates: Record<string, unknown>[], path: string, rules: PactBodyRules, keys: readonly string[], presentOnly = false): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const example: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (presentOnly && !candidates.some((c) => key in c)) continue;
    const value = derive(property, candidates.filter((c) => key in c).map((c) => c[key]), pactPath(path, key), rules, presentOnly);
    if (keys.includes(key)) example[key] = value;
  }
  return example;
}

/**
 * The rules of a collection the client set (roleScopeTagIds), which comes back in any order, a member sent twice
 * perhaps once (the judgement's comesBack, decision 0600): as many members as it has distinct ones at least and as
 * it sent at most (a type matcher's `min` and `max`), each one of those sent (a regex of them, or null where null was
 * sent). Pact's equality would hold the order; `arrayContains` is V4's alone and compare does not read it. For a list
 * of one distinct member, which every list written by the kit's matchers is (copies of its first: 0170), that is
 * exactly the judgement's rule; for more, the file holds the count and the members, and verify's judgement the rest.
 */
function unorderedRules(path: string, sent: readonly unknown[]): PactBodyRules {
  const distinct = distinctMembers(sent);
  const strings = distinct.filter((member): member is string => typeof member === 'string');
  const member = { match: 'regex', regex: enumPattern(strings) };
  const members = strings.length === 0 ? and({ match: 'null' }) : distinct.includes(null) ? orNull(member) : and({ match: 'type' }, member);
  return { [path]: and({ match: 'type', min: distinct.length, max: sent.length }), [`${path}[*]`]: members };
}

const fuller = new Map<Profile, Record<string, unknown>>();

/**
 * What a correct server must answer 201 to `request` (docs/decisions/0005, 0012): every property the response
 * schema requires, each by its schema (nullable ones as type-or-null, lists of any length with rules on their
 * elements, a derived action result's own properties included), the values the client set
 * (VALUES_THAT_COME_BACK) by equality, and the token it sent by equality or null (withheld).
 */
export function createdExpectation(request: VppTokenCreateRequest, profile: Profile = DEFAULT_PROFILE): CreatedExpectation {
  refuseArguments(argumentProblem('request', request, 'object', 'a create request, an object'));
  const schema = schemaFor('response', profile);
  // A full create's answer: a string for every nullable string, an element for every list.
  if (!fuller.has(profile)) {
    const full = createRequestFactory.withProfile(profile).withSeed(CONTRACT_SEED).withTraits('full').buildAt(0);
    fuller.set(profile, createdVppToken(full, { id: EXAMPLE_ID, now: REFERENCE_DATE, profile }) as unknown as Record<string, unknown>);
  }
  const own = createdVppToken(request, { id: EXAMPLE_ID, now: REFERENCE_DATE, profile }) as unknown as Record<string, unknown>;
  const rules: PactBodyRules = {};
  const body = deriveObject(schema, [own, fuller.get(profile)!], '$', rules, schema.required as string[]);
  for (const [key, value] of Object.entries(valuesThatComeBack(request))) {
    const path = pactPath('$', key);
    for (const p of Object.keys(rules)) if (p.startsWith(`${path}[`) || p.startsWith(`${path}.`)) delete rules[p];
    if (Array.isArray(value)) Object.assign(rules, unorderedRules(path, value));
    else rules[path] = and({ match: 'equality' });
    body[key] = value;
  }
  // The created vppToken's own token, or withheld (null): never another value, another caller's credential above all
  // (decision 0125, the judgement's valuesBackProblems). In the file, so that any Pact verifier holds it (0331).
  if (pactPath('$', 'token') in rules) {
    rules[pactPath('$', 'token')] = orNull({ match: 'equality' });
    body.token = request.token;
  }
  // The organisation the sToken names, or none yet (decision 0217): the judgement's organizationFromToken.
  const organization = organizationFromToken(request);
  if (organization !== undefined && pactPath('$', 'organizationName') in rules) {
    rules[pactPath('$', 'organizationName')] = orNull({ match: 'equality' });
    body.organizationName = organization;
  }
  return { body, rules };
}

/**
 * The rules of a refused create's answer (400, 401, 415): Graph's error body (`ODataError`, the error schema), each
 * property `body` holds by its schema, `error.code` a non-empty string (outside finding N1). `body` is the example
 * the interaction answers; properties it lacks get no rule, since Pact applies a rule only where its example has the
 * key.
 */
export function refusedRules(body: Record<string, unknown>, profile: Profile = DEFAULT_PROFILE): PactBodyRules {
  const rules: PactBodyRules = {};
  deriveObject(schemaFor('error', profile), [body], '$', rules, [], true);
  return rules;
}

interface PactFileInteraction {
  type?: string;
  request?: { method?: string; path?: string; body?: unknown };
  response?: { status?: number; body?: unknown; matchingRules?: { body?: unknown } & Record<string, unknown> };
}

/** The JSON a V4 (`{content}`) or V3 (the value itself) pact body holds. */
function contentOf(body: unknown): unknown {
  return isObject(body) && 'content' in body && 'contentType' in body ? (body.encoded ? undefined : body.content) : body;
}

/** Is this interaction a create (POST .../deviceAppManagement/vppTokens)? */
function isCreate(interaction: PactFileInteraction): boolean {
  const path = interaction.request?.path ?? '';
  return interaction.request?.method?.toUpperCase() === 'POST' && path.toLowerCase().endsWith(VPP_TOKENS_PATH.toLowerCase());
}

/** Is this interaction a create that must answer 201? */
const isCreated = (interaction: PactFileInteraction): boolean => isCreate(interaction) && interaction.response?.status === 201;

/** Is this interaction a create refused with a 4xx and Graph's error body? */
const isRefused = (interaction: PactFileInteraction): boolean => {
  const status = interaction.response?.status ?? 0;
  return isCreate(interaction) && status >= 400 && status < 500;
};

/**
 * Writes the schema's rules into every 201 create interaction of a pact file (its response example and
 * `matchingRules.body`), replacing the weaker ones Pact's DSL can express, and the error schema's into every create
 * refused with a 4xx and Graph's error body (its `matchingRules.body`, the example kept: `error.code` by type and
 * regex, decision 0360). Idempotent; returns how many interactions it strengthened. A 201 whose request is not a
 * valid create, and a refusal whose body is not Graph's error, are left alone. The rules
 * come from the schemas of a Graph profile: `profile` when given, else the one the file records, else beta; the
 * profile is recorded in the file's metadata as `vppkit.profile` whenever it is given or its rules are written,
 * beta and v1.0 alike, so verify and compare judge the file by it whatever --profile says (decision 0231).
 */
export function strengthenPact(file: string, profile?: Profile): number {
  const notPath = pathProblem('file', file);
  if (notPath) throw new TypeError(notPath);
  // The profile before the file is read (decision 0941): one the kit does not know was written into the pact.
  if (profile !== undefined) toProfile(profile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // In the one table's words, as every file the kit reads (decision 0355; outside finding R83).
    throw new Error(cannotReadText(file, error));
  }
  // By the one reader of pact files (compare's and verify's, decision 0691), in its words: JSON.parse's own
  // SyntaxError named no file (decision 0800), and took a name given twice as its last value.
  const read = pactJsonOf(text.replace(/^\uFEFF/, ''));
  if ('syntax' in read) throw new Error(`${file} is not JSON: ${read.syntax}`);
  if ('refused' in read) throw new Error(`${file} is not a pact ${read.pactReads ? 'the kit takes' : 'Pact can read'}: ${read.refused}`);
  if (!isObject(read.value) || !(read.value.interactions === undefined || Array.isArray(read.value.interactions))) throw new Error(`${file} is not a pact: it has no "interactions" list`);
  const pact = read.value as {
    interactions?: PactFileInteraction[];
    metadata?: { pactSpecification?: { version?: string }; vppkit?: { profile?: string } };
  };
  const recorded = pact.metadata?.vppkit?.profile;
  const chosen = profile ?? (recorded === undefined ? DEFAULT_PROFILE : toProfile(recorded));
  const v4 = String(pact.metadata?.pactSpecification?.version ?? '').startsWith('4');
  let count = 0;
  for (const interaction of pact.interactions ?? []) {
    if (isRefused(interaction)) {
      const response = interaction.response!;
      const shown = contentOf(response.body);
      if (!isObject(shown) || problemsOf('error', shown, chosen).length > 0) continue;
      response.matchingRules = { ...response.matchingRules, body: refusedRules(shown, chosen) };
      count++;
      continue;
    }
    if (!isCreated(interaction)) continue;
    const sent = contentOf(interaction.request!.body);
    if (!isObject(sent) || problemsOf('request', sent, chosen).length > 0) continue;
    const { body, rules } = createdExpectation(sent as unknown as VppTokenCreateRequest, chosen);
    const response = interaction.response!;
    const held = isObject(response.body) && 'content' in response.body ? response.body : { content: undefined, contentType: 'application/json', encoded: false };
    response.body = v4 ? { ...held, content: body } : body;
    response.matchingRules = { ...response.matchingRules, body: rules };
    count++;
  }
  // The profile whose rules the file holds is recorded, beta and v1.0 alike: given, or its rules written here (a pact
  // of no creates whose profile was not given is left as it is).
  const record = recorded !== chosen && (profile !== undefined || count > 0);
  if (record) pact.metadata = { ...pact.metadata, vppkit: { ...pact.metadata?.vppkit, profile: chosen } };
  if (count > 0 || record) writeFileSync(file, `${JSON.stringify(pact, null, 2)}\n`);
  return count;
}
