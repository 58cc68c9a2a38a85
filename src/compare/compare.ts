// A static, bi-directional check of any consumer pact against the kit's contract, without running anything: each
// request one Graph accepts (or refuses with the status the pact expects), each expected answer one Graph could
// give, each matcher one that some answer of Graph satisfies. The kit's own judgement decides; PactFlow's
// openapi-pact-comparator, on the exported OpenAPI document, adds what it finds (docs/decisions/0071).
import { isDeepStrictEqual } from 'node:util';
import type { VppTokenCreateRequest } from '../generated/types';
import { FAILED_DEPENDENCY, QueryOptionError, VPP_TOKENS_PATH, batchedAnswer, batchedCreates, failedDependencyAnswer, checkBatchRequest, isBatchTarget, checkCreateRequest, checkReadRequest, createPreferences, credentialEchoProblems, isJsonMediaType, ownBearerIn, ownBearerOfHeaders, readOnlyProblems, readQueryOptions, readRequestTarget, refusalStatus, versionAtStart, resourceIdentityProblems, valuesBackProblems, valuesGivenBack, versionGivenTwice, vppTokenIn, vppTokenKeyOf, type RequestProblem, type RequestTarget } from '../judgement';
import { GRAPH_HOSTS, GRAPH_JSON, GRAPH_REFUSAL_CODES, NEVER, createdVppToken, intuneRefusesToken } from '../graph';
import { ERROR_RESPONSES, openApiDocument } from '../openapi';
import { DEFAULT_PROFILE, schemaFor, toProfile, type JsonSchema, type Profile } from '../schemas';
import { aWholeTurn } from '../net/clock';
import { escapeData, hideSecrets } from '../net/redact';
import { headerLines, readMessage, type Placed } from '../wire';
import { allowedListedOnce, isNoSToken, pointerSegment, problemsOf, repeatedTokenChecker } from '../validation';
import { describeRule, describeStatusRule, leastItems, pactBodyContentTypeRefused, pactRefusal, pactTakesParameterHeader, pathSegments, pointerOf, refusedValue, ruleAt, schemaAt, statusRuleAdmits, takesNull, unjudgedMatchers, unreadRegexes, unsatisfiableRule, valueAt } from './matchers';
import { PactFileError, pactFileText, pactFilesOf, plainBody, readPactFile, unreadablePactFile, type PactFile, type PactInteraction, type PactRule } from './pact-file';
import { argumentProblem, optionsObjectProblem, refuseArguments, membersProblem } from '../net/option';
import { readInputFile } from '../validation/stream-file';
import { withSeconds } from '../validation/date-time';
import { pactsByProfile, type CheckedPact } from '../verification/setup';

/** What a finding is about: the request Graph must accept, the status it gives, the answer it could give, a matcher. */
export type CompareCheck = 'request Graph accepts' | 'status Graph gives' | 'answer Graph could give' | 'values back' | 'matcher satisfiable';

export interface CompareFinding {
  interaction: string;
  side: 'request' | 'response';
  check: CompareCheck;
  /** A JSON pointer into the side's body (`/state`, `` for the whole body), or `status`, `method`, `path`, `header X`. */
  pointer: string;
  message: string;
  /** The value the message shows, `(got ...)` at its end, as a field (a finding of vppkit's made from a problem). */
  got?: string;
  /** The names allowed where the message lists them, `(allowed: ...)`, as a field: the text report says a list once. */
  allowed?: string[];
  /** vppkit's judgement, or PactFlow's comparator (with its result code). */
  source: 'vppkit' | 'openapi-pact-comparator';
  code?: string;
}

export interface CompareInteraction {
  description: string;
  /** False when it is not the create (nor a read of a vppToken): left alone. */
  judged: boolean;
  passed: boolean;
  findings: CompareFinding[];
  /** What of the interaction was not judged, and why (a matcher's regex the kit cannot read as Pact reads it). */
  notes?: string[];
  /** With a V4 status rule: the status the interaction was judged by, the first the rule admits that Graph gives. */
  status?: number;
}

export interface ComparePact {
  file: string;
  consumer: string;
  provider: string;
  specification: string;
  /** The Graph profile the pact was judged by: the one it records, else the options' (--profile). */
  profile: Profile;
  /** The Graph profile the file records in its metadata (`vppkit.profile`); undefined when it records none. */
  recordedProfile?: Profile;
  passed: boolean;
  interactions: CompareInteraction[];
  /** The comparator's warnings (not failures), and interactions left alone. */
  warnings: string[];
}

export interface CompareResult {
  /** The profile of the pacts that record none (--profile); each pact's own is its `profile`. */
  profile: Profile;
  /** What the pacts were judged against, as the summary says it: `Graph beta`, or each recorded version with its pacts. */
  against: string;
  passed: boolean;
  pacts: ComparePact[];
  summary: string;
  /** Set when the run found no failure and judged nothing (why): no verdict, exit code 2 (decision 0220). */
  nothingJudged?: string;
  /** A note per pact file named again, judged once (`p.json is pacts/p.json again: read once`; decision 0485). */
  again?: string[];
}

export interface CompareOptions {
  /** The Graph profile of pacts that record none (default beta); a pact that records one is judged by it (decision 0231). */
  profile?: Profile;
  /** Run PactFlow's openapi-pact-comparator too (default true). */
  comparator?: boolean;
  /**
   * Take any non-empty token in a create, as the schema does (`--schema-tokens`): a pact whose tokens are placeholders
   * may expect 201. By default a create's token is held to Intune's rule, an Apple sToken, as check-client holds it.
   */
  schemaTokens?: boolean;
  /** The time an sToken's expiry is judged at (default: now): Intune refuses an sToken that has expired. */
  now?: Date;
  /** Ends the wait for a pact file that is a FIFO with no writer yet (decision 0530). */
  signal?: AbortSignal;
  /** Called when a pact file is a FIFO no process has open for writing: compare waits for a writer, or `signal`. */
  onNoWriter?: (path: string) => void;
}

/** The names CompareOptions takes: any other is refused, never left without a word (decision 0408). */
const COMPARE_OPTION_NAMES = Object.keys({ profile: true, comparator: true, schemaTokens: true, now: true, signal: true, onNoWriter: true } satisfies Record<keyof CompareOptions, true>);

/** How a create's token is judged: Intune's sToken rule unless schemaTokens, and the time expiry is judged at. */
interface TokenRules {
  schemaTokens: boolean;
  now: Date;
}

/** The statuses Graph answers a create with (the exported document's responses). */
const GRAPH_STATUSES = [201, ...Object.keys(ERROR_RESPONSES).map(Number)];
/** Statuses Graph gives for reasons of its own, whatever the request: permissions, size, throttling, outages. */
const GRAPH_OWN_STATUSES = GRAPH_STATUSES.filter((s) => ![201, 400, 401, 415].includes(s));

/** A finding's pointer: a value's JSON pointer in the body, or the place as shown (`path`, `header Content-Type`, `body` as a whole). */
const pointerIn = (p: Placed): string => (p.part === 'body' && p.pointer !== undefined ? p.pointer : p.where);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A header's value (or a header's matching rule) by its name, in any case. */
const headerOf = <T>(headers: Record<string, T>, name: string): T | undefined => Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/**
 * The path without the profile's version prefix (another profile's prefix is a finding), and what it names as Graph
 * routes it, by the one reading of a request target (readRequestTarget, decision 0145): the collection, one vppToken
 * (`/{id}` or `('{id}')`), or else; any case, a trailing slash and `%73` for `s` alike (outside attacker K4, K16).
 */
function unprefixed(path: string, profile: Profile): { path: string; otherProfile?: Profile; names: RequestTarget['names']['kind'] } {
  // The version segment read as any other, its escapes decoded (`/%62eta/` is `/beta/`: versionAtStart, decision 0952).
  const split = versionAtStart(path);
  const rest = split.version && split.rest.startsWith('/') ? split.rest : path;
  const names = readRequestTarget(rest.split('?')[0]).names.kind;
  if (rest === path) return { path, names };
  const version = split.version.slice(1) as Profile;
  return version === profile ? { path: rest, names } : { path: rest, otherProfile: version, names };
}

/** A problem as a finding takes it: where, what, and the value and list its message shows. */
interface Told {
  pointer: string;
  message: string;
  got?: string;
  allowed?: string[];
}

/** An expected body judged as Graph could answer it: the kit's schema, but a pact may expect only some properties. */
function answerProblems(kind: 'response' | 'error', body: unknown, profile: Profile): Told[] {
  const problems = problemsOf(kind, body, profile).filter((p) => p.keyword !== 'required');
  const found: Told[] = problems.map(({ pointer, message, got, allowed }) => ({ pointer, message, got, allowed }));
  // The kit tolerates properties it does not know in an answer; an expectation of one is one Graph never meets.
  const known = Object.keys((schemaFor(kind, profile).properties ?? {}) as object);
  if (isObject(body)) {
    for (const key of Object.keys(body).filter((k) => !known.includes(k) && !k.startsWith('@odata.'))) {
      // A property of the other version is said once, by the schema's words (`is a Graph beta property, not one of v1.0's`).
      if (found.some((f) => f.pointer === `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)) continue;
      found.push({ pointer: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `is not a property of Graph's ${kind === 'response' ? 'vppToken' : 'error body'}: Graph never answers it (allowed: ${known.join(', ')})`, allowed: known });
    }
  }
  return found;
}

/**
 * The notes of the interaction's regexes found too slow while it was judged (decision 0841): a matcher is noted not
 * judged where it is read, but a pattern is known slow only once a value ran out of time on it.
 */
function slowRegexNotes(interaction: PactInteraction, notes: readonly string[]): string[] {
  const found: string[] = [];
  for (const side of ['request', 'response'] as const) {
    const rules = interaction[side].rules;
    const places = [...Object.entries(rules.body).map(([path, rule]) => [path, rule] as const), ...Object.entries(rules.header ?? {}).map(([name, rule]) => [`header ${name}`, rule] as const)];
    for (const [place, rule] of places) {
      for (const why of [...unreadRegexes(rule), ...unjudgedMatchers(rule)]) {
        const note = `${side} ${place}: ${why}`;
        if (why.includes('could not be judged in time') && !notes.includes(note) && !found.includes(note)) found.push(note);
      }
    }
  }
  return found;
}

function matcherFindings(interaction: PactInteraction, side: 'request' | 'response', schema: JsonSchema | undefined, notes: string[]): CompareFinding[] {
  const message = side === 'request' ? interaction.request : interaction.response;
  const findings: CompareFinding[] = [];
  for (const [path, rule] of Object.entries(message.rules.body)) {
    const segments = pathSegments(path);
    if (!segments) continue;
    const unread = [...unreadRegexes(rule), ...unjudgedMatchers(rule)];
    if (unread.length > 0) {
      notes.push(...unread.map((why) => `${side} ${path}: ${why}`));
      continue;
    }
    const why = unsatisfiableRule(rule, schema ? schemaAt(schema, segments) : undefined, valueAt(message.body, segments));
    if (why) findings.push({ interaction: interaction.description, side, check: 'matcher satisfiable', pointer: pointerOf(segments), message: `the ${describeRule(rule)} matcher on ${path} can never be satisfied: ${why}`, source: 'vppkit' });
  }
  const contentType = headerOf(message.rules.header, 'Content-Type');
  const unreadType = contentType ? unreadRegexes(contentType) : [];
  notes.push(...unreadType.map((why) => `${side} header Content-Type: ${why}`));
  const expectedType = headerOf(message.headers, 'Content-Type');
  let typeFound = false;
  if (side === 'response' && contentType && unreadType.length === 0) {
    // What Graph sends: a consumer's matcher must take it.
    const why = unsatisfiableRule(contentType, { type: 'string', enum: [GRAPH_JSON] }, { found: false });
    if (why) findings.push({ interaction: interaction.description, side, check: 'matcher satisfiable', pointer: 'header Content-Type', message: `the ${describeRule(contentType)} matcher refuses the Content-Type Graph sends: ${why}`, source: 'vppkit' });
    typeFound = why !== undefined;
  }
  // Without a matcher, Pact compares the media type as written and each parameter named (outside tester M10): one
  // Graph's own never matches (`Application/JSON`, `charset=utf-16`, `odata.metadata=full`) fails every correct provider.
  if (side === 'response' && !contentType && expectedType !== undefined && message.body !== undefined && isJsonMediaType(expectedType) && !pactTakesParameterHeader(expectedType, GRAPH_JSON)) {
    findings.push({
      interaction: interaction.description,
      side,
      check: 'matcher satisfiable',
      pointer: 'header Content-Type',
      message: `is expected to be ${JSON.stringify(expectedType)} without a matcher (Pact then compares the media type as written and each parameter it names), but Graph sends ${GRAPH_JSON}: write application/json, with any of those parameters, or match it by a regex`,
      source: 'vppkit',
    });
    typeFound = true;
  }
  // Pact compares the body only when its content type (a V4 body's own, else the header's) is the answer's whole, or
  // plain, or a Content-Type matcher takes the answer's as Pact writes it, parameters sorted (outside attacker R116, 1000).
  const bodyType = message.bodyContentType ?? (expectedType !== undefined && isJsonMediaType(expectedType) ? expectedType : undefined);
  if (side === 'response' && !typeFound && unreadType.length === 0 && bodyType !== undefined && message.body !== undefined) {
    const admits = contentType && ((shown: string) => unsatisfiableRule(contentType, { type: 'string', enum: [shown] }, { found: false }) === undefined);
    const refused = pactBodyContentTypeRefused(bodyType, GRAPH_JSON, admits || undefined);
    const rule = contentType ? `and the ${describeRule(contentType)} matcher refuses it as Pact writes it` : 'and no matcher takes it';
    if (refused) {
      findings.push(
        message.bodyContentType !== undefined
          ? { interaction: interaction.description, side, check: 'matcher satisfiable', pointer: 'body', message: bodyTypeRefused(`the body's contentType is ${JSON.stringify(bodyType)}, which Pact takes for the body's content type before the header's`, refused, rule), source: 'vppkit' }
          : { interaction: interaction.description, side, check: 'matcher satisfiable', pointer: 'header Content-Type', message: bodyTypeRefused(`is expected to be ${JSON.stringify(bodyType)}, from which Pact takes the body's content type`, refused, rule), source: 'vppkit' },
      );
    }
  }
  return findings;
}

/**
 * Pact's body comparison refusing Graph's content type (decision 1000): the header passes, but Pact reads the body's
 * content type from it and compares that whole, so it never compares the body of a correct provider's answer.
 */
const bodyTypeRefused = (expected: string, actual: string, rule: string): string =>
  `${expected} and compares it whole with the answer's (every parameter, by name, each value as written), but Graph's is ${actual} as Pact writes it, ${rule}: Pact fails every correct provider with "Expected a body of ..."; write application/json with no parameter, Graph's whole Content-Type, or a regex that takes ${actual}`;

/** Times as Graph and other correct servers write a DateTimeOffset they set: seven fraction digits, three, none. */
const SERVICE_TIMES = ['2026-12-02T20:24:51.7343210Z', '2026-12-02T20:24:51.734Z', '2026-12-02T20:24:51Z'];

/**
 * What the service itself sets in the vppToken it answers (its id and time, and its own sync properties:
 * SERVICE_OWNED_PROPERTIES), with values a correct Graph gives there, and how to say them: a consumer's pact that
 * expects one of them must take each (outside tester I11). Values the client set come back as set, and may be pinned.
 */
function serviceValues(profile: Profile): { name: string; values: string[]; what: string }[] {
  const schema = schemaFor('response', profile);
  const members = (name: string): string[] => ((schemaAt(schema, [name])?.enum as unknown[] | undefined) ?? []).filter((m): m is string => typeof m === 'string');
  return [
    { name: 'id', values: ['7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', 'c93f2a51-0e6d-4b7a-8f21-3d5e9a0b7c14'], what: 'a new GUID for each vppToken, lowercase as Graph writes it' },
    { name: 'lastModifiedDateTime', values: SERVICE_TIMES, what: 'the time of the create, a DateTimeOffset with up to 7 fraction digits (none when they are 0)' },
    { name: 'lastSyncDateTime', values: [NEVER, ...SERVICE_TIMES], what: `its last sync with Apple, ${NEVER} (never) on a new token` },
    ...['state', 'lastSyncStatus'].map((name) => ({ name, values: members(name), what: `what it reads from Apple and the token, any of ${members(name).join(', ')}` })),
    // OData control information the service writes from the host asked and the version of the request (outside
    // tester J9: a v1.0 context pinned on a beta create passed compare, and verify failed it against any provider).
    {
      name: '@odata.context',
      values: GRAPH_HOSTS.slice(0, 2).map((host) => `https://${host}/${profile}/$metadata#deviceAppManagement/vppTokens/$entity`),
      what: `the context of the host asked and the version the request was sent to, such as https://graph.microsoft.com/${profile}/$metadata#deviceAppManagement/vppTokens/$entity`,
    },
  ].filter((s) => s.values.length > 0);
}

/**
 * The expected 201 (or read) body's properties the service sets, matched so that a value a correct Graph gives there
 * fails Pact's own comparison: a regex or an equality that pins one, or an example left without a matcher (Pact then
 * compares it as it is). verify of such a pact fails against any correct provider, the kit's reference provider too.
 */
function serviceValueFindings(interaction: PactInteraction, profile: Profile, read: boolean): CompareFinding[] {
  const { response } = interaction;
  const findings: CompareFinding[] = [];
  for (const { name, values, what } of serviceValues(profile)) {
    if (read && name === 'id') continue; // a read by id is answered with the id it asked for
    const example = valueAt(response.body, [name]);
    if (!example.found || typeof example.value !== 'string') continue; // not expected, or the schema's problem already
    const found = ruleAt(response.rules.body, [name]);
    const refused = found ? refusedValue(found.rule, values, example.value) : values.find((v) => v !== example.value);
    if (refused === undefined) continue;
    const message = found
      ? `the ${describeRule(found.rule)} matcher on ${found.path} refuses ${JSON.stringify(refused)}, a value Graph gives: the service sets ${name} (${what})`
      : `is expected to be ${JSON.stringify(example.value)} exactly (no matcher: Pact compares it as it is), but the service sets ${name} and gives ${JSON.stringify(refused)} too (${what}): match it by type or by its pattern`;
    findings.push({ interaction: interaction.description, side: 'response', check: 'matcher satisfiable', pointer: pointerOf([name]), message, source: 'vppkit' });
  }
  return findings;
}

/**
 * Properties of the 201 the create did not set, whose value Graph gives whatever the consumer hoped for (outside
 * attacker K19): a nullable one (`displayName`, `locationName`, `appleId`...: `token` aside, which the create always
 * sets) is `null` until the service has one, so its matcher must take null (`like("Sugar Land Campus")` refuses it);
 * a collection is the one Graph's model gives a new vppToken (`tokenActionResults: []`), so a `min` above its size
 * (`eachLike(...)`) refuses it. verify fails every correct provider on either; the kit's own pacts match them by type
 * or null (decision 0217).
 */
function unsetValueFindings(interaction: PactInteraction, profile: Profile, sent: Record<string, unknown>): CompareFinding[] {
  const { response } = interaction;
  if (!isObject(response.body)) return [];
  const schema = schemaFor('response', profile);
  const graph = createdVppToken(sent as unknown as VppTokenCreateRequest, { id: SERVICE_IDS[0], now: new Date(Date.UTC(2026, 11, 2)), profile }) as unknown as Record<string, unknown>;
  const findings: CompareFinding[] = [];
  // What the service reads from the request's sToken (organizationName, expirationDateTime) is a value given back,
  // judged there with its null or never not yet read (decision 0783), not a value Graph has none of.
  const given = valuesGivenBack(sent as unknown as VppTokenCreateRequest);
  for (const name of Object.keys(response.body)) {
    if (name in sent || name in given) continue;
    const at = schemaAt(schema, [name]);
    const nullable = Array.isArray(at?.type) && (at.type as unknown[]).includes('null');
    const collection = at?.type === 'array' && Array.isArray(graph[name]);
    if (!nullable && !collection) continue;
    const example = response.body[name];
    const found = ruleAt(response.rules.body, [name]);
    if (found && [...unreadRegexes(found.rule), ...unjudgedMatchers(found.rule)].length > 0) continue; // noted already
    const add = (message: string) => findings.push({ interaction: interaction.description, side: 'response', check: 'matcher satisfiable', pointer: pointerOf([name]), message, source: 'vppkit' });
    if (nullable) {
      if (example === null) continue;
      const taken = found ? found.rule.matchers.map((m) => takesNull(m, example)) : [false];
      if (found?.rule.combine === 'OR' ? taken.some(Boolean) : taken.every(Boolean)) continue;
      add(
        found
          ? `the ${describeRule(found.rule)} matcher on ${found.path} refuses null, which Graph gives: the create does not set ${name}, and Graph answers null until it has one (match it by type or null, "combine": "OR")`
          : `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares it as it is), but the create does not set ${name}, and Graph answers null until it has one (match it by type or null, "combine": "OR")`,
      );
    } else {
      // The collection Graph gives a new vppToken, through Pact's own comparison (pactRefusal): the list's rule for
      // its length, and each member by its own rule or the list's (outside check Y1, decision 0780).
      const given = graph[name] as unknown[];
      const refusal = pactRefusal(response.rules.body, [name], example, given);
      if (!refusal) continue;
      const fresh = `the create does not set ${name}, and Graph gives a new vppToken ${JSON.stringify(given)}`;
      const min = refusal.rule && refusal.at.length === 1 ? refusal.rule.matchers.map(leastItems).find((n) => n > given.length) : undefined;
      if (!refusal.rule) add(`is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares a list's length and each member with the one at its place), but ${fresh}`);
      else if (min !== undefined) add(`the ${describeRule(refusal.rule)} matcher on ${refusal.path} asks for at least ${min} item${min === 1 ? '' : 's'}, but ${fresh}`);
      else {
        const member = refusal.at.length > 1 ? ` at ${pointerOf(refusal.at)}` : '';
        const cascade = refusal.cascaded ? ` (a member without a rule of its own is judged by the list's: Pact applies ${refusal.path}'s rule to it)` : '';
        add(`the ${describeRule(refusal.rule)} matcher on ${refusal.path} refuses ${JSON.stringify(refusal.value)}${member}, which Graph gives: ${fresh}${cascade}`);
      }
    }
  }
  return findings;
}

/**
 * Values of the 201 Pact compares as written (no matcher, or equality) whose text Graph chooses (outside attacker
 * R119, R120; decision 1010): the expiry, given back as the create set it (its seconds always, 0500) or as the
 * request's sToken names it, written in UTC, where the create set none: another spelling of the same instant is
 * another text; and a non-nullable property the create did not set, which Graph answers with its default
 * (`automaticallyUpdateApps` false, `vppTokenAccountType` business...), under any matcher Pact applies. The model
 * answer is the reference provider's (createdVppToken), so verify against it agrees.
 */
function graphWritesFindings(interaction: PactInteraction, profile: Profile, sent: Record<string, unknown>): CompareFinding[] {
  const { response } = interaction;
  if (!isObject(response.body)) return [];
  const body = response.body;
  const schema = schemaFor('response', profile);
  const graph = createdVppToken(sent as unknown as VppTokenCreateRequest, { id: SERVICE_IDS[0], now: new Date(Date.UTC(2026, 11, 2)), profile }) as unknown as Record<string, unknown>;
  const given = valuesGivenBack(sent as unknown as VppTokenCreateRequest);
  const owned = new Set(serviceValues(profile).map((s) => s.name));
  const findings: CompareFinding[] = [];
  const add = (name: string, message: string) => findings.push({ interaction: interaction.description, side: 'response', check: 'matcher satisfiable', pointer: pointerOf([name]), message, source: 'vppkit' });
  for (const name of Object.keys(body)) {
    if (owned.has(name) || name.startsWith('@') || !(name in graph)) continue;
    const found = ruleAt(response.rules.body, [name]);
    if (found && [...unreadRegexes(found.rule), ...unjudgedMatchers(found.rule)].length > 0) continue; // noted already
    const example = body[name];
    if (name === 'expirationDateTime' && given[name]) {
      // Under a matcher other than equality, the values given back are judged (0783); the text only where Pact compares it.
      if (found && !found.rule.matchers.every((m) => m.match === 'equality' || m.match === 'values')) continue;
      if (typeof example !== 'string' || example === graph[name]) continue;
      const rounded = name in sent && typeof sent[name] === 'string' && graph[name] !== withSeconds(sent[name] as string);
      const what = !(name in sent) ? "the expDate of the request's sToken" : rounded ? 'the value the create set, its fraction rounded to the 7 digits Graph holds, as its reader rounds it: decision 1032' : 'the value the create set, as it was sent';
      add(name, `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares the text, not the instant), but Graph writes ${JSON.stringify(graph[name])} there (${what}): match it by its date pattern, as the kit's own pacts do`);
      continue;
    }
    // Graph's default for a property the create did not set; a nullable one or a collection is unsetValueFindings'.
    if (name in sent || name in given) continue;
    const at = schemaAt(schema, [name]);
    if (!at || Array.isArray(at.type) || at.type === 'array' || graph[name] === null || typeof graph[name] === 'object') continue;
    // Where Graph's value is not known, the example must be refused by each value it may give to fail (decision 1113).
    const unknown = UNSET_VALUE_NOT_KNOWN[name];
    if (unknown) {
      const refusals = unknown.map((value) => pactRefusal(response.rules.body, [name], example, value));
      if (refusals.some((r) => r === undefined)) continue;
      const values = unknown.map((v) => JSON.stringify(v)).join(' and ');
      const rule = refusals[0]!.rule;
      add(
        name,
        rule
          ? `the ${describeRule(rule)} matcher on ${refusals[0]!.path} refuses ${values}, which Graph gives: the create does not set ${name}, and its value is one of them (which one is documented nowhere: decision 1113)`
          : `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares it as it is), but the create does not set ${name}, and Graph gives ${unknown.map((v) => JSON.stringify(v)).join(' or ')} (which one is documented nowhere: decision 1113)`,
      );
      continue;
    }
    const refusal = pactRefusal(response.rules.body, [name], example, graph[name]);
    if (!refusal) continue;
    add(
      name,
      refusal.rule
        ? `the ${describeRule(refusal.rule)} matcher on ${refusal.path} refuses ${JSON.stringify(graph[name])}, which Graph gives: the create does not set ${name}, and its default is ${JSON.stringify(graph[name])}`
        : `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares it as it is), but the create does not set ${name}, and Graph gives its default ${JSON.stringify(graph[name])}`,
    );
  }
  return findings;
}

/**
 * The values Graph may give a property the create does not set where which one it gives is documented nowhere:
 * `appleDeviceAppDeliveryProtocolType` (beta), whose CSDL member 0 is `default` and which the reference provider
 * answers `mobileDeviceManagement` (0404: not held to a value when unset; outside attacker R137, decision 1113).
 */
const UNSET_VALUE_NOT_KNOWN: Record<string, readonly unknown[]> = { appleDeviceAppDeliveryProtocolType: ['default', 'mobileDeviceManagement'] };

/** Ids a correct service gives new vppTokens: a new GUID each, lowercase as Graph writes it. */
const SERVICE_IDS = ['7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', 'c93f2a51-0e6d-4b7a-8f21-3d5e9a0b7c14'];

/**
 * Headers the service writes anew in every answer, with values Graph gives: Graph's `request-id` (a new GUID per
 * request, as innerError's) and `Date` (the answer's own time, RFC 9110 §6.6.1). A pact can never know them.
 */
const FRESH_HEADERS: Record<string, { why: string; values: readonly string[]; regex: string }> = {
  'request-id': { why: 'Graph writes a new request-id, a GUID, in every answer', values: SERVICE_IDS, regex: '^[0-9a-f-]{36}$' },
  date: { why: "Date is the answer's own time (RFC 9110 §6.6.1)", values: ['Thu, 03 Dec 2026 12:00:00 GMT', 'Fri, 04 Dec 2026 08:30:15 GMT'], regex: '^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$' },
};

/**
 * An answer's headers that the service writes anew in every answer (outside tester M11): expected without a matcher,
 * Pact compares them as they are and fails every provider; a matcher must take what Graph writes.
 */
function freshHeaderFindings(interaction: PactInteraction, notes: string[]): CompareFinding[] {
  const { response } = interaction;
  const findings: CompareFinding[] = [];
  for (const [written, example] of Object.entries(response.headers)) {
    const fresh = FRESH_HEADERS[written.toLowerCase()];
    if (!fresh) continue;
    const rule = headerOf(response.rules.header, written);
    const unread = rule ? [...unreadRegexes(rule), ...unjudgedMatchers(rule)] : [];
    if (unread.length > 0) {
      notes.push(...unread.map((why) => `response header ${written}: ${why}`));
      continue;
    }
    const refused = rule ? refusedValue(rule, fresh.values, example) : fresh.values.find((v) => v !== example);
    if (refused === undefined) continue;
    findings.push({
      interaction: interaction.description,
      side: 'response',
      check: 'matcher satisfiable',
      pointer: `header ${written}`,
      message: rule
        ? `the ${describeRule(rule)} matcher on header ${written} refuses ${JSON.stringify(refused)}, a value Graph gives: ${fresh.why}`
        : `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares it as it is), but ${fresh.why}: match it by a regex, such as ${fresh.regex}, or leave it out`,
      source: 'vppkit',
    });
  }
  return findings;
}

/**
 * A refused create's Graph error body where the service writes anew or in its own words (outside attacker R121,
 * decision 1011), as freshHeaderFindings holds the same values in headers: innerError's request-id, client-request-id
 * (the request's own, where it sent one) and date; Graph's prose (error.message, a detail's message), which the
 * contract holds to a string alone (0360); and the code Graph answers the status with (GRAPH_REFUSAL_CODES, the
 * reference provider's), under any matcher Pact applies.
 */
function errorBodyFindings(interaction: PactInteraction, status: number, notes: string[]): CompareFinding[] {
  const { request, response } = interaction;
  const error = isObject(response.body) && isObject(response.body.error) ? response.body.error : undefined;
  if (!error) return [];
  const findings: CompareFinding[] = [];
  const add = (segments: string[], message: string) => findings.push({ interaction: interaction.description, side: 'response', check: 'matcher satisfiable', pointer: pointerOf(segments), message, source: 'vppkit' });
  const pinned = (example: unknown) => `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares it as it is)`;
  /** The rule Pact applies there, or undefined where it compares the example (no rule, or equality); null when unread. */
  const ruleOf = (segments: string[]) => {
    const found = ruleAt(response.rules.body, segments);
    if (!found) return undefined;
    const unread = [...unreadRegexes(found.rule), ...unjudgedMatchers(found.rule)];
    if (unread.length > 0) {
      notes.push(...unread.map((why) => `response ${found.path}: ${why}`));
      return null;
    }
    return found.rule.matchers.every((m) => m.match === 'equality' || m.match === 'values') ? undefined : found;
  };
  const sentId = headerOf(request.headers, 'client-request-id');
  const fresh: Record<string, { why: string; values: string[]; regex: string }> = {
    'request-id': { why: 'Graph writes a new request-id, a GUID, in every answer', values: SERVICE_IDS, regex: '^[0-9a-f-]{36}$' },
    'client-request-id': { why: "Graph writes the request's client-request-id, or a new GUID where it sent none, in every answer", values: sentId === undefined ? SERVICE_IDS : [sentId], regex: '^[0-9a-f-]{36}$' },
    date: { why: "innerError's date is the time of the answer", values: ['2026-12-03T12:00:00', '2026-12-04T08:30:15'], regex: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d$' },
  };
  if (isObject(error.innerError)) {
    for (const [name, { why, values, regex }] of Object.entries(fresh)) {
      const example = error.innerError[name];
      if (typeof example !== 'string') continue;
      const segments = ['error', 'innerError', name];
      const found = ruleOf(segments);
      if (found === null) continue;
      const refused = found ? refusedValue(found.rule, values, example) : values.find((v) => v !== example);
      if (refused === undefined) continue;
      add(segments, found ? `the ${describeRule(found.rule)} matcher on ${found.path} refuses ${JSON.stringify(refused)}, a value Graph gives: ${why}` : `${pinned(example)}, but ${why}: match it by a regex, such as ${regex}, or leave it out`);
    }
  }
  const prose = [['error', 'message'], ...(Array.isArray(error.details) ? error.details.map((_, i) => ['error', 'details', String(i), 'message']) : [])];
  for (const segments of prose) {
    const example = valueAt(response.body, segments);
    if (!example.found || typeof example.value !== 'string' || ruleOf(segments) !== undefined) continue;
    add(segments, `${pinned(example.value)}, but the message is Graph's own prose, which the contract holds to a string alone: match it by type`);
  }
  const code = GRAPH_REFUSAL_CODES[status as keyof typeof GRAPH_REFUSAL_CODES];
  if (code !== undefined && typeof error.code === 'string') {
    const found = ruleOf(['error', 'code']);
    if (found !== null) {
      const refusal = pactRefusal(response.rules.body, ['error', 'code'], error.code, code);
      if (refusal) add(['error', 'code'], refusal.rule ? `the ${describeRule(refusal.rule)} matcher on ${refusal.path} refuses ${JSON.stringify(code)}, the code Graph answers a ${status} with` : `${pinned(error.code)}, but Graph answers a ${status} with the code ${JSON.stringify(code)}`);
    }
  }
  return findings;
}

/**
 * The headers of a 201 that name the created vppToken (RFC 9110 §10.2.2 Location, OData 4.01 Protocol §8.3.3
 * OData-EntityId): the service writes them from the host asked and the id it gives the new vppToken, so a pact can
 * never know them. Judged as serviceValueFindings judges the body (outside tester J9, its second half): a pinned one
 * fails, a matcher must take what Graph gives, and the example (what the consumer's own test was answered) must name
 * this vppToken by the one resource-identity rule, the example's own host standing for the host asked.
 */
function serviceHeaderFindings(interaction: PactInteraction, profile: Profile, notes: string[]): CompareFinding[] {
  const { response } = interaction;
  const findings: CompareFinding[] = [];
  const body = isObject(response.body) ? response.body : {};
  for (const name of ['Location', 'OData-EntityId']) {
    const header = Object.entries(response.headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (!header) continue;
    const [written, example] = header;
    const rule = headerOf(response.rules.header, name);
    const unread = rule ? [...unreadRegexes(rule), ...unjudgedMatchers(rule)] : [];
    if (unread.length > 0) {
      notes.push(...unread.map((why) => `response header ${written}: ${why}`));
      continue;
    }
    const add = (message: string) => findings.push({ interaction: interaction.description, side: 'response', check: 'matcher satisfiable', pointer: `header ${written}`, message, source: 'vppkit' });
    const graph = GRAPH_HOSTS.slice(0, 2).flatMap((host) => SERVICE_IDS.map((id) => `https://${host}/${profile}/deviceAppManagement/vppTokens('${id}')`));
    const refused = rule ? refusedValue(rule, graph, example) : graph.find((v) => v !== example);
    const what = `the service sets ${written} from the host asked and the id it gives the new vppToken`;
    if (refused !== undefined) {
      add(
        rule
          ? `the ${describeRule(rule)} matcher on header ${written} refuses ${JSON.stringify(refused)}, a value Graph gives: ${what}`
          : `is expected to be ${JSON.stringify(example)} exactly (no matcher: Pact compares it as it is), but ${what}, and gives ${JSON.stringify(refused)} too: match it by a regex, such as ^https://[^/]+/${profile.replace('.', '\\.')}/deviceAppManagement/vppTokens\\('[0-9a-f-]{36}'\\)$`,
      );
      continue;
    }
    let asked: URL;
    try {
      asked = new URL(`/${profile}/deviceAppManagement/vppTokens`, new URL(example, `https://${GRAPH_HOSTS[0]}`));
    } catch {
      asked = new URL(`https://${GRAPH_HOSTS[0]}/${profile}/deviceAppManagement/vppTokens`);
    }
    const id = typeof body.id === 'string' ? body.id : vppTokenKeyOf(example);
    const problem = resourceIdentityProblems({ ...body, id: id ?? SERVICE_IDS[0] }, [{ name: written, value: example }], { target: asked, profile }).find((p) => p.part === 'header');
    if (problem) add(`its example ${problem.message}: the consumer's own test was answered a ${written} no correct service gives`);
  }
  return findings;
}

/** Whether an interaction is a JSON batch (`POST /{version}/$batch`), read as Graph routes a target. */
const isBatchInteraction = (interaction: PactInteraction): boolean => isBatchTarget(interaction.request.method, readRequestTarget(interaction.request.path));

/** A JSONPath for segments, as pathSegments reads it back (`$.displayName`, `$['a b']`, `$[0]`, `$[*]`). */
const pathOf = (segments: readonly string[]): string =>
  `$${segments.map((s) => (s === '*' ? '[*]' : /^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z0-9_@$-]+$/.test(s) ? `.${s}` : `['${s.replace(/['\\]/g, '\\$&')}']`)).join('')}`;

/**
 * The rules of one request (or answer) inside a JSON batch, as rules of a message of its own: the body rules under
 * `$.requests[N].body` (or `[*]`) at the body's root, the ones under `$.requests[N].headers.X` as X's header rules.
 * A rule above the body (on `$`, the list, or the member: `$.responses` by type) is an ancestor of every value in it,
 * and Pact applies the heaviest rule that leads to a value (pact_models' max_by_path, 0730, 0780): the one of them that
 * weighs most at the member's body is its root's rule, and at a header of the member, that header's (decision 1111).
 */
function memberRules(rules: PactInteraction['request']['rules'], list: 'requests' | 'responses', index: number, read: Set<string>, headerNames: readonly string[] = []): PactInteraction['request']['rules'] {
  const body: Record<string, PactRule> = {};
  const header: Record<string, PactRule> = {};
  for (const [path, rule] of Object.entries(rules.body)) {
    const segments = pathSegments(path);
    if (!segments || segments[0] !== list || (segments[1] !== String(index) && segments[1] !== '*')) continue;
    if (segments[2] === 'body') body[pathOf(segments.slice(3))] = rule;
    else if (segments[2] === 'headers' && segments.length === 4) header[segments[3]] = rule;
    else continue;
    read.add(`${list} ${path}`);
  }
  // The ancestors' rules: those on `$`, the list or the member (a member's own body or header rule outweighs them). An
  // arrayContains on the list is no ancestor's rule: Pact matches its variants, each by its own rules (noted below).
  const above = Object.fromEntries(Object.entries(rules.body).filter(([path, rule]) => (pathSegments(path)?.length ?? Infinity) < 3 && !rule.matchers.some((m) => m.match === 'arrayContains')));
  const cascaded = (segments: readonly string[]): PactRule | undefined => {
    const found = ruleAt(above, segments);
    if (found) read.add(`${list} ${found.path}`);
    return found?.rule;
  };
  const root = body.$ === undefined ? cascaded([list, String(index), 'body']) : undefined;
  if (root) body.$ = root;
  for (const name of headerNames) {
    const own = Object.keys(header).some((h) => h.toLowerCase() === name.toLowerCase());
    const rule = own ? undefined : cascaded([list, String(index), 'headers', name]);
    if (rule) header[name] = rule;
  }
  return { body, header, path: {}, query: {} };
}

/** A finding of a request (or answer) inside a batch, placed in the batch's body: `/requests/0/body/displayName`, `/responses/1/status`. */
function placedInBatch(pointer: string, at: string): string {
  if (pointer === '' || pointer.startsWith('/')) return `${at}/body${pointer}`;
  if (pointer === 'body' || pointer === 'status' || pointer === 'method') return `${at}/${pointer}`;
  if (pointer === 'path' || pointer === 'query') return `${at}/url`;
  const header = /^header (.+)$/.exec(pointer);
  return header ? `${at}/headers/${pointerSegment(header[1])}` : `${at} ${pointer}`;
}

/** A body's text as a pact holds its example: JSON parsed, else the text; undefined when empty. */
function exampleOf(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Header lines as a pact's headers (a name given twice: its last value, as a pact can hold one). */
const headersRecord = (raw: readonly string[] | undefined): Record<string, string> => Object.fromEntries(headerLines(raw ?? []).map((l) => [l.name, l.value]));

/** Graph's answer to a JSON batch whose envelope it takes: 200, each request inside it answered with its own status. */
const BATCH_STATUS = 200;

/**
 * A JSON batch interaction (outside tester R10: a pact whose batch carried a broken create, or a broken 201 for it,
 * passed compare, "left alone"): the batch as Graph takes one (checkBatchRequest, the mock's one judgement of a batch:
 * refused as a whole, 400, 401 or 415, or answered 200), then each create inside it judged as a create interaction
 * of its own (judgeInteraction), its answer the one the expected batch answer gives its id (batchedAnswer, as the
 * proxy reads one: by id, in any order). A batch holding no create is left alone, as any other interaction.
 */
function judgeBatchInteraction(interaction: PactInteraction, profile: Profile, recorded: boolean, tokens: TokenRules): CompareInteraction {
  const { description, request, response } = interaction;
  const batch = { method: request.method, path: request.path, headers: request.headers, body: request.bodyText ?? '' };
  const { creates } = batchedCreates(batch);
  if (creates.length === 0) return { description, judged: false, passed: true, findings: [] };
  const findings: CompareFinding[] = [];
  const notes: string[] = [];
  const add = (side: CompareFinding['side'], check: CompareCheck, pointer: string, message: string) => findings.push({ interaction: description, side, check, pointer, message, source: 'vppkit' });
  const admits = (status: number) => (response.statusRule ? statusRuleAdmits(response.statusRule, status, response.status) : response.status === status);
  const shown = response.statusRule ? `${response.status}, its status rule admitting ${describeStatusRule(response.statusRule, response.status)}` : String(response.status);
  // Statuses Graph gives a batch for reasons of its own (throttled, down), or for a bearer it does not take (0211):
  // the pact then says nothing of the creates' answers, as for a create expecting one of them.
  const ownStatus = [...GRAPH_OWN_STATUSES, ...(headerOf(request.headers, 'Authorization') !== undefined ? [401] : [])].find((status) => admits(status) && !admits(BATCH_STATUS));
  const refused = checkBatchRequest(batch).problems;
  const refusal = refusalStatus(refused);
  if (refusal !== undefined && admits(refusal)) return { description, judged: true, passed: true, findings: [], notes: [`the batch is refused as a whole (${refusal}): the creates inside it are not run, nor judged`] };
  if (ownStatus !== undefined) return { description, judged: true, passed: true, findings: [], notes: [`the batch is expected ${shown} as a whole: the creates inside it are not judged`] };
  if (refusal !== undefined) {
    for (const p of refused) add('request', 'request Graph accepts', pointerIn(p), `${p.message} (Graph refuses the batch as a whole with ${refusal}, not ${shown})`);
    return { description, judged: true, passed: false, findings };
  }
  if (!admits(BATCH_STATUS)) {
    add('response', 'status Graph gives', 'status', `must be ${BATCH_STATUS}: Graph takes this batch and answers each request inside it with its own status in {"responses": [...]} (the pact expects ${shown})`);
    return { description, judged: true, passed: false, findings };
  }
  // Graph lists a batch's answers in any order, each named by its request's id (json-batching; OData JSON Format
  // 4.01 §19.2): Pact compares an array element by element, so a pact that lists two or more without a matcher on
  // the list fails a correct provider that answers in another order (outside tester R11).
  const responses = isObject(response.body) && Array.isArray(response.body.responses) ? response.body.responses : [];
  if (responses.length > 1 && ruleAt(response.rules.body, ['responses']) === undefined) {
    add('response', 'matcher satisfiable', '/responses', `lists ${responses.length} answers, which Pact matches in the order written, but Graph lists a batch's answers in any order, each named by its id: match the list with an arrayContains matcher (Pact V4), or put one request in each batch`);
  }
  const prefix = versionAtStart(request.path).version;
  // The matchers read as a create's (below), and the list's own, read for the order: any other is noted, never passed in silence (0403).
  const read = new Set<string>();
  const asAnswer = { status: BATCH_STATUS, headers: response.headers, body: response.bodyText ?? '' };
  for (const { id, index, dependsOn, request: one } of creates) {
    const answer = batchedAnswer(asAnswer, id);
    if (typeof answer === 'string') {
      add('response', 'answer Graph could give', '/responses', `${answer}: Graph answers each request of a batch, the create with the id ${JSON.stringify(id)} too`);
      continue;
    }
    const at = responses.findIndex((r: unknown) => isObject(r) && String(r.id) === id);
    const [path, query = ''] = one.path.split(/\?(.*)/s);
    const sentText = Buffer.from(one.bytes ?? new Uint8Array()).toString('utf8');
    const answerText = Buffer.from(answer.bytes ?? new Uint8Array()).toString('utf8');
    const member: PactInteraction = {
      index: interaction.index,
      description: `${description} ($batch id ${JSON.stringify(id)})`,
      providerStates: interaction.providerStates,
      request: { method: 'POST', path: `${prefix}${path}`, query, headers: headersRecord(one.rawHeaders as string[]), body: exampleOf(sentText), bodyText: sentText, rules: memberRules(request.rules, 'requests', index, read, Object.keys(headersRecord(one.rawHeaders as string[]))), ...(one.batchAuthorization === undefined ? {} : { batchAuthorization: one.batchAuthorization }) },
      response: { status: answer.status, headers: headersRecord(answer.rawHeaders as string[]), body: exampleOf(answerText), bodyText: answerText === '' ? undefined : answerText, rules: memberRules(response.rules, 'responses', at, read, Object.keys(headersRecord(answer.rawHeaders as string[]))) },
      raw: interaction.raw,
    };
    const judged = judgeInteraction(member, profile, recorded, tokens, { dependsOn, failed: failedDependencyAnswer(asAnswer, dependsOn) });
    for (const f of judged.findings) findings.push({ ...f, interaction: description, pointer: placedInBatch(f.pointer, f.side === 'request' ? `/requests/${index}` : `/responses/${at}`) });
    notes.push(...(judged.notes ?? []).map((note) => `($batch id ${JSON.stringify(id)}) ${note}`));
  }
  for (const [side, list, rules] of [['request', 'requests', request.rules], ['response', 'responses', response.rules]] as const) {
    for (const [path, rule] of Object.entries(rules.body)) {
      if (read.has(`${list} ${path}`)) continue;
      const onList = side === 'response' && pathSegments(path)?.join('/') === 'responses';
      if (onList && !rule.matchers.some((m) => m.match === 'arrayContains')) continue;
      notes.push(`${side} ${path}: ${onList ? 'its arrayContains variants are not judged (each create inside the batch is judged with the answer the example gives its id)' : 'not judged: it is not on a create inside the batch, nor on the answer the batch gives one'}`);
    }
  }
  return { description, judged: true, passed: findings.length === 0, findings, ...(notes.length ? { notes } : {}) };
}

/** A create inside a JSON batch, by its dependencies: those it names, and the one the expected batch answer fails, if any. */
interface BatchDependency {
  dependsOn: readonly string[];
  failed: { id: string; status: number } | undefined;
}

/** What a list rule's min or max asks that a list of `length` items is not (`it asks for at most 1 item`), or undefined. */
function countRefused(rule: PactRule, length: number): string | undefined {
  const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  for (const m of rule.matchers) {
    if (leastItems(m) > length) return `it asks for at least ${items(leastItems(m))}`;
    if (m.max !== undefined && Number(m.max) < length) return `it asks for at most ${items(Number(m.max))}`;
  }
  return undefined;
}

/** The kit's own judgement of one interaction (`dependency` for a create inside a JSON batch). */
function judgeInteraction(interaction: PactInteraction, pactProfile: Profile, recorded: boolean, tokens: TokenRules, dependency?: BatchDependency): CompareInteraction {
  const { description, request, response } = interaction;
  if (isBatchInteraction(interaction)) return judgeBatchInteraction(interaction, pactProfile, recorded, tokens);
  const findings: CompareFinding[] = [];
  // A problem's value and list go with its message as fields (decision 0166).
  const add = (side: CompareFinding['side'], check: CompareCheck, pointer: string, message: string, told: Pick<Told, 'got' | 'allowed'> = {}) =>
    findings.push({ interaction: description, side, check, pointer, message, ...(told.got === undefined ? {} : { got: told.got }), ...(told.allowed ? { allowed: told.allowed } : {}), source: 'vppkit' });
  const { path, otherProfile, names } = unprefixed(request.path, pactProfile);
  const read = request.method === 'GET' && names === 'entity';
  if (!(request.method === 'POST' && names === 'collection') && !read) {
    return { description, judged: false, passed: true, findings: [] };
  }
  // A path that names its Graph version is a request to that version: Pact sends it there, and verify judges its answer
  // by it (decision 0723), so compare judges the interaction by it too, and says where it differs from the pact's
  // version or --profile; a note, not a finding: Graph answers the path it is sent (outside check Y4, decision 0781).
  const profile = otherProfile ?? pactProfile;
  const versionNotes = otherProfile
    ? [`request path: is a Graph ${otherProfile} path, ${recorded ? `in a pact that records Graph ${pactProfile} (its metadata vppkit.profile)` : `compared as ${pactProfile}`}: judged as Graph ${otherProfile}, the version Pact sends it to and verify judges its answer by`]
    : [];
  // What a matcher refuses of the values the kit takes but has seen in no Graph answer (decision 0783).
  const givenNotes: string[] = [];
  // The version twice reaches no resource (decision 0348): the path is all there is to judge, and the 404 Graph gives is right.
  const twice = versionGivenTwice(request.path);
  if (twice) {
    const notFound = response.statusRule ? statusRuleAdmits(response.statusRule, 404, response.status) : response.status === 404;
    if (!notFound) add('request', 'request Graph accepts', 'path', `${twice.message} (Graph answers 404, not ${response.status})`);
    return { description, judged: true, passed: findings.length === 0, findings, ...(versionNotes.length ? { notes: versionNotes } : {}) };
  }
  let sent: unknown;
  let refusal: 400 | 401 | 415 | undefined;
  let selected: string[] | undefined;
  let requestProblems: RequestProblem[] = [];
  let queryRefused: QueryOptionError | undefined;
  let pathRefused: string | undefined;
  // A read-only property the create sets (decision 0341): a correct provider may ignore it (201) or refuse it (400).
  let readOnly: (Placed & { message: string })[] = [];
  if (read) {
    requestProblems = checkReadRequest({ method: request.method, path, headers: request.headers, body: undefined });
    // Its query options as Graph reads them on a read of one vppToken (src/judgement/query.ts, as the reference
    // provider answers by them): one Graph refuses is no 200, and $select says which properties come back (outside
    // tester K14; OData 4.01 Part 2 §5.1.3: only those selected).
    // The request's own access token in its path or query, and any sToken, as the mock refuses them (decisions 0327, 0340).
    const bearer = ownBearerOfHeaders(request.headers);
    pathRefused = ownBearerIn('path', [path], bearer) ?? vppTokenIn('path', [path]);
    try {
      selected = readQueryOptions(new URLSearchParams(request.query), 'read', profile, bearer).select;
    } catch (error) {
      if (!(error instanceof QueryOptionError)) throw error;
      queryRefused = error;
    }
  } else {
    // The whole target and the body's bytes, as the mock reads them: a query Graph refuses on a create, and a
    // Content-Encoding that the bytes Pact sends are not, are refusals too (outside attacker J6, J7).
    const target = request.query ? `${path}?${request.query}` : path;
    // A create's token is held to Intune's rule, an Apple sToken, as check-client's mock holds it (decision 0216),
    // unless --schema-tokens (outside tester K5).
    requestProblems = checkCreateRequest({ method: request.method, path: target, headers: request.headers, body: undefined, ...(request.bodyText === undefined ? {} : { bytes: Buffer.from(request.bodyText) }) }, profile, { requireSTokens: !tokens.schemaTokens });
    refusal = refusalStatus(requestProblems);
    sent = request.body;
    readOnly = readOnlyProblems(sent, profile, requestProblems);
  }
  const token = isObject(sent) ? sent.token : undefined;
  /** What is wrong with expecting `expected` for this request: the findings of the request and of the status. */
  const statusFindings = (expected: number, shown: string): Parameters<typeof add>[] => {
    const out: Parameters<typeof add>[] = [];
    // Inside a JSON batch Graph answers a create whose dependency failed 424 Failed Dependency, without running it, and
    // answers 424 to no other (learn.microsoft.com/graph/json-batching; failedDependencyAnswer, the mock's and the
    // proxy's rule too: outside attacker R100, decision 0950).
    if (dependency?.failed) {
      const { id, status } = dependency.failed;
      if (expected !== FAILED_DEPENDENCY) out.push(['response', 'status Graph gives', 'status', `must be ${FAILED_DEPENDENCY}: the request it depends on (${JSON.stringify(id)}) is expected ${status}, and Graph runs no request whose dependency failed, answering it ${FAILED_DEPENDENCY} Failed Dependency (got ${shown})`]);
      return out;
    }
    if (dependency && expected === FAILED_DEPENDENCY) {
      const names = dependency.dependsOn.length === 0 ? 'this one depends on none' : `the requests this one depends on (${dependency.dependsOn.map((d) => JSON.stringify(d)).join(', ')}) are expected to succeed`;
      out.push(['response', 'status Graph gives', 'status', `must be ${refusal ?? 201}: Graph answers ${FAILED_DEPENDENCY} Failed Dependency only to a request whose dependsOn names a request that failed, and ${names} (got ${shown})`]);
      return out;
    }
    if (read) {
      // A 401 to a read that carries a bearer is Graph's answer to one it refuses (decision 0211).
      if (expected === 200) for (const p of requestProblems) out.push(['request', 'request Graph accepts', pointerIn(p), `${p.message} (Graph answers 401, not 200)`]);
      else if (expected !== 404 && expected !== 401 && !GRAPH_OWN_STATUSES.includes(expected)) out.push(['response', 'status Graph gives', 'status', `must be 200 (or 404 for an id Graph does not have) for a read of a vppToken (got ${shown})`]);
      if (pathRefused && expected === 200) out.push(['request', 'request Graph accepts', 'path', `${pathRefused} (Graph answers 400, not 200)`]);
      if (queryRefused && expected === 200) out.push(['request', 'request Graph accepts', 'query', `${queryRefused.message} (Graph answers ${queryRefused.status}, not 200)`]);
    } else if (expected >= 200 && expected < 300) {
      // A 204 to a create that asks return=minimal is OData's (decision 0590), but Graph may ignore the preference: the
      // pact's claim is about Graph, so it stays a finding, said with why.
      const prefer = headerOf(request.headers, 'Prefer');
      const minimal = expected === 204 && createPreferences(prefer === undefined ? [] : [prefer]).minimal;
      const why = minimal ? ': the request asks Prefer: return=minimal, which a service may answer with 204 No Content (OData 4.01 Part 1 §11.4.2) or ignore (RFC 7240 §2), and Graph documents 201 for this create; a consumer that needs the 204 fails against a Graph that ignores it (expect 201, and take either in the client)' : '';
      if (expected !== 201) out.push(['response', 'status Graph gives', 'status', `must be 201: Graph answers a create with 201 Created (got ${shown})${why}`]);
      for (const p of requestProblems) {
        const placeholder = pointerIn(p) === '/token' && isNoSToken(token) ? ': if the pact\'s tokens are placeholders, compare with --schema-tokens' : '';
        out.push(['request', 'request Graph accepts', pointerIn(p), `${p.message} (Graph answers ${refusal}, not ${shown})${placeholder}`, p]);
      }
    } else if (expected === 400 && refusal === undefined && (intuneRefusesToken(token, { at: tokens.now }) || readOnly.length > 0)) {
      // Intune refuses a token that is no sToken, an sToken that has expired or names no expiry, with 400 and its error body: as
      // fair an answer as the 201 of a service that keeps an expired one (decisions 0195, 0209), whatever
      // --schema-tokens says of the pact's own tokens.
    } else if (expected === 401 && refusal === undefined && headerOf(request.headers, 'Authorization') !== undefined) {
      // Graph answers a bearer that has expired, is wrong or is for another resource with 401 and its error body;
      // whether the pact's bearer is such a one is not in the pact (decision 0211).
    } else if (expected === 400 || expected === 401 || expected === 415) {
      if (refusal === undefined) out.push(['response', 'status Graph gives', 'status', `must be 201: Graph accepts this request and creates the vppToken (the pact expects ${shown})`]);
      else if (refusal !== expected) out.push(['response', 'status Graph gives', 'status', `must be ${refusal}: Graph refuses this request with ${refusal} for ${requestProblems[0].where}: ${requestProblems[0].message} (the pact expects ${shown})`]);
    } else if (!GRAPH_OWN_STATUSES.includes(expected)) {
      out.push(['response', 'status Graph gives', 'status', `must be one of ${GRAPH_STATUSES.join(', ')}: Graph never answers a create with ${shown}`]);
    }
    return out;
  };
  // A V4 status rule (`statusCode`: success, clientError, a list...) admits more than the example's status, as Pact
  // reads it (outside tester M9): the status judged is the one it admits with the fewest findings, the status Graph
  // gives this request first; the example's status only when the rule admits none Graph gives.
  let expected = response.status;
  if (response.statusRule) {
    const rule = response.statusRule;
    const graphGives = read ? 200 : (refusal ?? 201);
    const admitted = [...new Set([graphGives, 200, 201, 400, 401, 404, 415, ...GRAPH_OWN_STATUSES, ...(dependency?.failed ? [FAILED_DEPENDENCY] : [])])].filter((status) => statusRuleAdmits(rule, status, response.status));
    let fewest = Infinity;
    for (const status of admitted) {
      const count = statusFindings(status, String(status)).length;
      if (count < fewest) [expected, fewest] = [status, count];
    }
  }
  const shown = response.statusRule && expected === response.status ? `${expected}, its status rule admitting ${describeStatusRule(response.statusRule, response.status)}` : String(expected);
  for (const finding of statusFindings(expected, shown)) add(...finding);
  // Either answer is correct, so a pact that expects one holds a provider that gives the other wrong.
  if (refusal === undefined && (expected === 400 || expected === 201)) {
    for (const p of readOnly) add('request', 'request Graph accepts', pointerIn(p), `${p.message}: a correct provider may ignore it (201) or refuse the create (400), and the pact expects ${shown}`);
  }
  const contentType = headerOf(response.headers, 'Content-Type');
  if (contentType !== undefined && response.body !== undefined && !isJsonMediaType(contentType)) {
    add('response', 'answer Graph could give', 'header Content-Type', `must be application/json, parameters allowed: Graph answers JSON (the pact expects ${JSON.stringify(contentType)})`);
  }
  const success = expected >= 200 && expected < 300;
  if (response.body !== undefined) {
    const kind = success ? 'response' : 'error';
    for (const p of answerProblems(kind, response.body, profile)) add('response', 'answer Graph could give', p.pointer, p.message, p);
    if (success && read && selected && isObject(response.body)) {
      for (const key of Object.keys(response.body).filter((k) => !k.startsWith('@') && !selected!.includes(k))) {
        add('response', 'answer Graph could give', `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, `is not selected ($select=${selected.join(',')}): Graph answers only the properties selected`);
      }
    }
    if (success && !read && refusal === undefined && isObject(sent) && isObject(response.body)) {
      const body = response.body;
      const given = valuesGivenBack(sent as unknown as VppTokenCreateRequest);
      const refusalsBack = (name: string, found: { path: string; rule: PactRule } | undefined) =>
        (given[name]?.values ?? []).flatMap((value) => {
          const refusal = pactRefusal(response.rules.body, [name], body[name], value);
          return refusal ? [{ value, by: refusal.rule ? { path: refusal.path!, rule: refusal.rule } : found }] : [];
        });
      const refusedBack = (name: string, found: { path: string; rule: PactRule } | undefined) => refusalsBack(name, found)[0];
      // Under a matcher Pact compares the provider's value with the matcher, never with the example (Pact
      // specification V3, matchingRules; outside finding R60): unless it compares the example (equality), the matcher
      // must admit each value Graph gives back, whatever the example (decision 0783: the verdict asked only where the
      // example was wrong hung on a value Pact does not compare). A value the kit takes but has seen in no Graph
      // answer (the token withheld, an orgName or expiry not read yet: `unseen`) is said as a note where the matcher
      // refuses it, not failed: `like(body)` with Graph's own values passes verify against Graph's documented answer.
      const matched = (name: string) => {
        const found = ruleAt(response.rules.body, [name]);
        return found && !found.rule.matchers.some((m) => m.match === 'equality' || m.match === 'values') ? found : undefined;
      };
      const wrong = valuesBackProblems(sent as unknown as VppTokenCreateRequest, body);
      // The example's values-back problems said: those Pact compares (no matcher, or equality); under a matcher the
      // example is not compared, and the matcher is judged against the values Graph gives back below.
      const said = new Set<string>();
      for (const p of wrong) {
        const name = pointerIn(p).slice(1);
        if (!(name in body) || (matched(name) && given[name])) continue;
        add('response', 'values back', pointerIn(p), p.message);
        said.add(pointerIn(p));
      }
      for (const [name, back] of Object.entries(given)) {
        const found = matched(name);
        if (!(name in body) || Array.isArray(back.values[0]) || !found) continue;
        const refused = refusalsBack(name, found);
        const own = refused.find((r) => !(back.unseen ?? []).some((v) => isDeepStrictEqual(v, r.value)));
        // A matcher refusing its own example is said by matcherFindings, in its words ("its own example ...").
        if (own && isDeepStrictEqual(own.value, body[name])) continue;
        // The token sent is a credential: named, never shown.
        const shown = (value: unknown) => (name === 'token' && typeof value === 'string' ? 'the token this request sent (not shown)' : JSON.stringify(value));
        if (own) add('response', 'matcher satisfiable', pointerOf([name]), `the ${describeRule(own.by!.rule)} matcher on ${own.by!.path} refuses ${shown(own.value)}, a value Graph gives back: ${back.words}`);
        else if (refused.length > 0) {
          const { value, by } = refused[0];
          givenNotes.push(`response ${pointerOf([name])}: the ${describeRule(by!.rule)} matcher on ${by!.path} refuses ${JSON.stringify(value)}, which the kit takes from a provider but has seen in no Graph answer (${back.words}): verify fails a provider that gives it; not failed here`);
        }
      }
      // A collection given back (roleScopeTagIds) comes back in any order, or each member once (0600), whatever the
      // example: Pact compares a list as its rules say, or without one member by member in the order written, so each
      // list a correct Graph gives must pass that comparison (outside attacker R75, decision 0731), its rule's min and
      // max too, whatever the example (outside attacker R99, decision 0951).
      for (const [name, back] of Object.entries(given)) {
        if (!(name in body) || !Array.isArray(back.values[0]) || said.has(pointerOf([name]))) continue;
        const found = ruleAt(response.rules.body, [name]);
        const refused = refusedBack(name, found);
        if (!refused) continue;
        const count = refused.by && Array.isArray(refused.value) ? countRefused(refused.by.rule, refused.value.length) : undefined;
        add(
          'response',
          'matcher satisfiable',
          pointerOf([name]),
          refused.by
            ? `the ${describeRule(refused.by.rule)} matcher on ${refused.by.path} refuses ${JSON.stringify(refused.value)}${count ? ` (${count})` : ''}, a value Graph gives back: ${back.words}`
            : `is compared by Pact in the order written (no matcher: Pact compares a list's length and each member with the one at its place), but Graph may give ${JSON.stringify(refused.value)} back: ${back.words}: match the list by type, and its members by a regex of those sent, as the kit's own pacts do`,
        );
      }
    }
  }
  // No answer carries a credential of its request (decision 0151), in a header or the body, in any spelling: an
  // expectation of one is one Graph never meets, and verify fails every correct provider on it (outside attacker K6).
  const authorization = headerOf(request.headers, 'Authorization');
  const echoed = credentialEchoProblems(readMessage({ headers: response.headers, text: response.bodyText }), { authorization, batchAuthorization: request.batchAuthorization, sent: read ? undefined : request.body }, success && !read, false);
  for (const p of echoed) if (!findings.some((f) => f.side === 'response' && f.pointer === pointerIn(p))) add('response', 'answer Graph could give', pointerIn(p), p.message);
  // A matcher on a value already found wrong is not reported again.
  const notes: string[] = [...versionNotes, ...givenNotes];
  const matchers = [
    ...matcherFindings(interaction, 'request', read ? undefined : schemaFor('request', profile), notes),
    ...matcherFindings(interaction, 'response', schemaFor(success ? 'response' : 'error', profile), notes),
    ...(success && (read || refusal === undefined) ? serviceValueFindings(interaction, profile, Boolean(read)) : []),
    ...(success && !read && refusal === undefined ? serviceHeaderFindings(interaction, profile, notes) : []),
    ...freshHeaderFindings(interaction, notes),
    ...(!success && response.body !== undefined ? errorBodyFindings(interaction, expected, notes) : []),
    ...(success && !read && refusal === undefined && isObject(sent) ? unsetValueFindings(interaction, profile, sent) : []),
    ...(success && !read && refusal === undefined && isObject(sent) ? graphWritesFindings(interaction, profile, sent) : []),
  ];
  for (const m of matchers) if (!findings.some((f) => f.side === m.side && f.pointer === m.pointer)) findings.push(m);
  notes.push(...slowRegexNotes(interaction, notes));
  return { description, judged: true, passed: findings.length === 0, findings, ...(notes.length ? { notes } : {}), ...(response.statusRule ? { status: expected } : {}) };
}

interface ComparatorResult {
  code: string;
  message: string;
  type: 'error' | 'warning';
  mockDetails?: { interactionDescription?: string | null; location: string };
}

/** `[root].interactions[3].response.body.tokenActionResults[0].actionState` as a side and a JSON pointer. */
function comparatorLocation(location: string): { side: 'request' | 'response'; pointer: string } {
  const match = /^\[root\]\.interactions\[\d+\]\.(request|response)\.?(.*)$/.exec(location);
  if (!match) return { side: 'response', pointer: location };
  const rest = match[2];
  const body = /^body(.*)$/.exec(rest);
  if (body) return { side: match[1] as 'request' | 'response', pointer: body[1].replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean).map((s) => `/${s}`).join('') };
  const header = /^headers\.(.*)$/.exec(rest);
  return { side: match[1] as 'request' | 'response', pointer: header ? `header ${header[1]}` : rest || 'status' };
}

interface Comparator {
  compare(pact: unknown): AsyncIterable<ComparatorResult>;
}

/**
 * PactFlow's comparator on a profile's exported document, with the version prefix taken off its path (pacts name the
 * path without it, as the kit's do), made once per profile and process: it compiles a validator for each schema of
 * the document it is asked about and keeps it for the next pact (its schema ids are the document's places), which a
 * comparator made for every pact compiled again each time (about 0.1-0.2 s of CPU a pact, five to ten times the
 * kit's own judgement of the canonical pact; decision 0350). The document is the kit's own and the same for every
 * pact; a compare keeps no other state between pacts.
 */
function comparatorOf(profile: Profile): Comparator {
  let comparator = comparators.get(profile);
  if (!comparator) {
    // Loaded only when compare runs: an 8 MB bundle (its types need moduleResolution node16, which the kit does not use).
    const { Comparator } = require('@pactflow/openapi-pact-comparator') as { Comparator: new (oas: unknown) => Comparator };
    const document = openApiDocument(profile) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    document.paths = Object.fromEntries(Object.entries(document.paths as object).map(([path, item]) => [path.replace(/^\/(beta|v1\.0)/, ''), item]));
    comparator = new Comparator(document);
    comparators.set(profile, comparator);
  }
  return comparator;
}
const comparators = new Map<Profile, Comparator>();

/** PactFlow's comparator's findings in the pact, its paths without the version prefix, as the kit judges them. */
async function comparatorFindings(pact: PactFile, profile: Profile, judged: Map<string, CompareInteraction>): Promise<{ findings: CompareFinding[]; warnings: string[] }> {
  // No HTTP interaction (a V3 message pact, whose `messages` the comparator cannot read; one of V4 messages only): nothing for it to compare.
  if (pact.interactions.length === 0) return { findings: [], warnings: [] };
  const raw = JSON.parse(JSON.stringify(pact.raw)) as { interactions: { description?: string; request?: { path?: string; body?: unknown }; response?: { status?: number; body?: unknown } }[] };
  const read = new Map(pact.interactions.map((i) => [i.index, i]));
  // Each interaction against the document of the Graph version its path names, else the pact's (decision 0781), as
  // the kit judges it and verify sends it.
  const byVersion = new Map<Profile, typeof raw.interactions>();
  for (const [index, interaction] of raw.interactions.entries()) {
    const version = (interaction.request?.path && unprefixed(interaction.request.path, profile).otherProfile) || profile;
    if (!byVersion.has(version)) byVersion.set(version, []);
    byVersion.get(version)!.push(interaction);
    // A status rule's status as the kit judged it (outside tester M9): the comparator reads a response by its example's status only.
    const status = judged.get(interaction.description ?? '')?.status;
    if (status !== undefined && interaction.response) interaction.response.status = status;
    // The document names the collection once: a create at `.../vppTokens/` or `.../vppToken%73` is the create.
    if (interaction.request?.path) {
      const routed = unprefixed(interaction.request.path, profile);
      interaction.request.path = routed.names === 'collection' ? VPP_TOKENS_PATH : routed.path;
    }
    // The comparator reads a body only written plainly: an encoded one, or one written as a string of JSON text, is
    // handed to it as the JSON the kit reads (and Pact sends).
    const kit = read.get(index);
    if (interaction.request && 'body' in interaction.request) interaction.request.body = plainBody(interaction.request.body, kit && headerOf(kit.request.headers, 'Content-Type'));
    if (interaction.response && 'body' in interaction.response) interaction.response.body = plainBody(interaction.response.body, kit && headerOf(kit.response.headers, 'Content-Type'));
  }
  const findings: CompareFinding[] = [];
  const warnings: string[] = [];
  const results = async function* () {
    for (const [version, interactions] of byVersion) yield* comparatorOf(version).compare({ ...raw, interactions });
  };
  for await (const result of results()) {
    const description = result.mockDetails?.interactionDescription ?? '';
    const interaction = judged.get(description);
    const { side, pointer } = comparatorLocation(result.mockDetails?.location ?? '');
    if (result.type === 'warning') {
      warnings.push(`${description}: ${result.message} (${result.code})`);
      continue;
    }
    // The document describes the create only: a read of a vppToken is the kit's to judge, a JSON batch too (its creates
    // are judged by the kit, each as a create; the document has no $batch).
    const source = pact.interactions.find((i) => i.description === description);
    if (!interaction?.judged || (source && isBatchInteraction(source)) || unprefixed(source?.request.path ?? '', profile).names === 'entity') continue;
    const expected = interaction.status ?? source?.response.status ?? 0;
    // A request the pact means Graph to refuse is refused by the document too: not a finding.
    if (side === 'request' && !(expected >= 200 && expected < 300)) continue;
    // What the kit already found on this side is not said twice; the comparator's own findings are kept once.
    if (interaction.findings.some((f) => f.side === side || (f.check === 'status Graph gives' && result.code === 'response.status.unknown'))) continue;
    if (findings.some((f) => f.interaction === description && f.code === result.code && f.pointer === pointer)) continue;
    findings.push({ interaction: description, side, check: side === 'request' ? 'request Graph accepts' : 'answer Graph could give', pointer, message: result.message, source: 'openapi-pact-comparator', code: result.code });
  }
  return { findings, warnings };
}

/**
 * Compares each pact file with the kit's contract of the Graph profile it records (`metadata.vppkit.profile`), or of
 * `profile` (default beta) for one that records none, as verify does (pactsByProfile, decision 0231). A file that is
 * not a pact throws PactFileError.
 */
export async function comparePacts(files: readonly string[], options: CompareOptions = {}): Promise<CompareResult> {
  // Its arguments' shapes by the library's one rule (src/net/option.ts, decisions 0408 and 0760), before any file is read.
  const shape = optionsObjectProblem('comparePacts', options, COMPARE_OPTION_NAMES) ?? membersProblem(options, { comparator: 'boolean', schemaTokens: 'boolean', now: 'date', signal: 'signal', onNoWriter: 'function' });
  if (shape) throw new TypeError(shape);
  const byDefault = toProfile(options.profile ?? DEFAULT_PROFILE);
  const tokens: TokenRules = { schemaTokens: options.schemaTokens === true, now: options.now ?? new Date() };
  // Folders and globs expanded, each file once, by verify's rule (a pact named twice was judged twice).
  const given = pactFilesOf(files, (message) => new PactFileError(message));
  // Read by the event loop, one after another (a FIFO waits for its writer, as long as `signal` lets it): then judged.
  const read: PactFile[] = [];
  for (const file of given.files) {
    let bytes: Buffer;
    try {
      bytes = await readInputFile(file, { signal: options.signal, onNoWriter: options.onNoWriter });
    } catch (error) {
      throw unreadablePactFile(file, error);
    }
    read.push(readPactFile(file, pactFileText(file, bytes)));
  }
  const checked: CheckedPact[] = read.map((pact) => ({ file: pact.file, provider: pact.provider, descriptions: pact.interactions.map((i) => i.description), profile: pact.profile }));
  const judgedBy = new Map<CheckedPact, Profile>();
  for (const [profile, group] of pactsByProfile(checked, byDefault)) for (const pact of group) judgedBy.set(pact, profile);
  const pacts: ComparePact[] = [];
  for (const [index, pact] of read.entries()) {
    const profile = judgedBy.get(checked[index])!;
    const interactions: CompareInteraction[] = [];
    for (const interaction of pact.interactions) {
      interactions.push(judgeInteraction(interaction, profile, pact.profile !== undefined, tokens));
      // A whole turn of the event loop between interactions: an interrupt (Ctrl-C, SIGTERM, a signal's abort) is taken
      // between them, so one that comes while regexes run out of their time (up to 1 s each, decision 0841) ends the
      // run before the next interaction (one setImmediate resumed before the loop's timers and signals: 1211).
      await aWholeTurn();
      options.signal?.throwIfAborted();
    }
    const comparatorWarnings: string[] = [];
    if (options.comparator !== false) {
      const judged = new Map(interactions.map((i) => [i.description, i]));
      const extra = await comparatorFindings(pact, profile, judged);
      for (const finding of extra.findings) {
        const interaction = judged.get(finding.interaction)!;
        interaction.findings.push(finding);
        interaction.passed = false;
      }
      comparatorWarnings.push(...extra.warnings);
    }
    repeatedTokenFindings(pact, interactions, profile);
    // Each interaction's own bearer is a credential, wherever else its pact put it (outside tester N14: the same value
    // in the request's body came back whole in `got`): hidden from its findings and notes, whoever wrote them.
    pact.interactions.forEach((i, n) => hideOwnBearer(interactions[n], ownBearerOfHeaders(i.request.headers)));
    const warnings = [...pact.skipped, ...interactions.filter((i) => !i.judged).map((i) => `${i.description}: not the create nor a read of a vppToken, left alone`), ...interactions.flatMap((i) => (i.notes ?? []).map((note) => `${i.description}: ${note}`)), ...comparatorWarnings];
    pacts.push({ file: pact.file, consumer: pact.consumer, provider: pact.provider, specification: pact.specification, profile, ...(pact.profile ? { recordedProfile: pact.profile } : {}), passed: interactions.every((i) => i.passed), interactions, warnings });
  }
  const judgedCount = pacts.flatMap((p) => p.interactions).filter((i) => i.judged);
  const failed = judgedCount.filter((i) => !i.passed).length;
  // Nothing judged is no verdict (decisions 0175, 0191; outside tester H26): a run whose pacts hold no create nor read
  // of a vppToken does not pass.
  const passed = judgedCount.length > 0 && pacts.every((p) => p.passed);
  const nothingJudged = judgedCount.length === 0 ? 'no interaction creates or reads a vppToken (POST .../deviceAppManagement/vppTokens, GET of one by id)' : undefined;
  const against = againstWhat(pacts, byDefault);
  const counted = `${plural(pacts.length, 'pact')}, ${plural(judgedCount.length, 'interaction')} against ${against}`;
  const summary =
    judgedCount.length === 0
      ? `vppkit compare: ${counted}: nothing judged, no verdict: ${nothingJudged}, see the notes`
      : `vppkit compare: ${counted}: ${judgedCount.length - failed} passed, ${failed} failed`;
  return { profile: byDefault, against, passed, pacts, summary, ...(nothingJudged ? { nothingJudged } : {}), ...(given.again.length ? { again: given.again } : {}) };
}

/**
 * The creates of an interaction a pact expects to succeed, each with its body, its name in a finding's words and
 * where its token is: the
 * interaction's own, or each create inside a JSON batch expected 200 whose answer in the batch is 2xx.
 */
function successfulCreates(interaction: PactInteraction, verdict: CompareInteraction, profile: Profile): { body: unknown; name: string; pointer: string }[] {
  const { description, request, response } = interaction;
  const expected = verdict.status ?? response.status;
  const success = (status: number) => status >= 200 && status < 300;
  if (isBatchInteraction(interaction)) {
    if (expected !== BATCH_STATUS) return [];
    const answers = { status: BATCH_STATUS, headers: response.headers, body: response.bodyText ?? '' };
    return batchedCreates({ method: request.method, path: request.path, headers: request.headers, body: request.bodyText ?? '' }).creates.flatMap(({ id, index, request: one }) => {
      const answer = batchedAnswer(answers, id);
      if (typeof answer === 'string' || !success(answer.status)) return [];
      return [{ body: exampleOf(Buffer.from(one.bytes ?? new Uint8Array()).toString('utf8')), name: `the create with $batch id ${JSON.stringify(id)} in interaction ${JSON.stringify(description)}`, pointer: `/requests/${index}/body/token` }];
    });
  }
  if (request.method !== 'POST' || unprefixed(request.path, profile).names !== 'collection' || !success(expected)) return [];
  return [{ body: request.body, name: `interaction ${JSON.stringify(description)}`, pointer: '/token' }];
}

/**
 * Each token created once, by the one rule of a data set of creates (repeatedTokenChecker: validate, seed; check-client
 * holds a client to it as `no duplicate`; decision 0205), where the creates meet one store: inside one interaction (a
 * JSON batch), a create expected to succeed whose token (one sToken however its base64 is written) an earlier create
 * of the batch created is a finding at its token, naming that one (outside attacker R82, decision 0733). Interactions
 * are apart: Pact verifies each from its own provider state set-up, which its verifier runs before every interaction
 * (with an empty state where it names none), so a provider that keeps each token once clears them there, as 0205 says
 * of a replayed run, and two interactions creating one token are two scenarios (round 16's outside check Y2, decision
 * 0782), as two pact files are.
 */
function repeatedTokenFindings(pact: PactFile, verdicts: CompareInteraction[], profile: Profile): void {
  pact.interactions.forEach((interaction, n) => {
    const verdict = verdicts[n];
    if (!verdict.judged) return;
    const names: string[] = [];
    const repeated = repeatedTokenChecker({ named: (index) => names[index] });
    for (const create of successfulCreates(interaction, verdict, profile)) {
      const problem = repeated(names.length, create.body);
      names.push(create.name);
      if (!problem || verdict.findings.some((f) => f.side === 'request' && f.pointer === create.pointer)) continue;
      verdict.findings.push({ interaction: verdict.description, side: 'request', check: 'request Graph accepts', pointer: create.pointer, message: problem.message, source: 'vppkit' });
      verdict.passed = false;
    }
  });
}

/** `interaction`'s findings and notes with `bearer` (its request's own, ownBearerOfHeaders) hidden, in any spelling. */
function hideOwnBearer(interaction: CompareInteraction, bearer: string | undefined): void {
  if (bearer === undefined) return;
  const hide = (text: string) => hideSecrets(text, { bearer });
  interaction.findings = interaction.findings.map((f) => ({ ...f, message: hide(f.message), ...(f.got === undefined ? {} : { got: hide(f.got) }) }));
  if (interaction.notes) interaction.notes = interaction.notes.map(hide);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The Graph version the pacts were judged against, as the summary and JUnit say it: `Graph beta` when every pact was
 * judged by one, else each version with its pacts and interactions
 * (`each pact's recorded Graph version (beta: 1 pact, 18 interactions; v1.0: 1 pact, 18 interactions)`).
 */
function againstWhat(pacts: readonly Pick<ComparePact, 'profile' | 'interactions'>[], byDefault: Profile): string {
  const profiles = [...new Set(pacts.map((p) => p.profile))];
  if (profiles.length <= 1) return `Graph ${profiles[0] ?? byDefault}`;
  const each = profiles.map((profile) => {
    const of = pacts.filter((p) => p.profile === profile);
    return `${profile}: ${plural(of.length, 'pact')}, ${plural(of.flatMap((p) => p.interactions).filter((i) => i.judged).length, 'interaction')}`;
  });
  return `each pact's recorded Graph version (${each.join('; ')})`;
}

/** The result as people read it: each failed interaction with its findings (side, JSON pointer, what), then the summary. */
export function formatCompareResult(result: CompareResult): string {
  refuseArguments(argumentProblem('result', result, 'object', "compare's result, such as comparePacts(files)'s"));
  // The members it reads by the one rule (outside check Y3: `formatCompareResult({})` failed on `result.pacts is not iterable`).
  refuseArguments(argumentProblem('result.pacts', result.pacts, 'array', "an array of compare's pacts, such as (await comparePacts(files)).pacts"), argumentProblem('result.summary', result.summary, 'string'));
  const lines: string[] = [];
  // A list of what is allowed is read once: later findings say "as above".
  const lists = new Set<string>();
  for (const pact of result.pacts) {
    const verdict = !pact.interactions.some((i) => i.judged) ? 'nothing judged' : pact.passed ? 'passed' : 'FAILED';
    lines.push(`${pact.file} (${pact.consumer} -> ${pact.provider}, Pact ${pact.specification}): ${verdict}`);
    for (const interaction of pact.interactions.filter((i) => !i.passed)) {
      lines.push(`  ${interaction.description}:`);
      for (const f of interaction.findings) lines.push(`    ${f.side} ${f.pointer || '(body)'}: ${allowedListedOnce(f, lists)}${f.source === 'vppkit' ? '' : ` [${f.source} ${f.code}]`}`);
    }
    for (const warning of pact.warnings) lines.push(`  note: ${warning}`);
  }
  lines.push(result.summary);
  // A pact's names, descriptions and values are someone else's data: no control character of theirs reaches the
  // terminal (outside tester K10); the kit's own lines carry none.
  return lines.map(escapeData).join('\n');
}
