import type { VppToken, VppTokenCreateRequest } from '../generated/types';
import { controlInformation, isDateTimeOffset, isNoSToken, problemsOf, pointerSegment, readAppleSToken, sameAtGraphPrecision, sameDateTimeOffset, tokenIdentity } from '../validation';
import type { Profile } from '../schemas';
import { at, atBody, atHeader, atInterim, challengeSchemes, charsetProblem, headerLines, headerValues, isAtHeader, isJsonMediaType, readMessage, singleHeader, type HeaderLine, type HeaderPairs, type HeaderSource, type InterimHead, type RawHeaders, type ReadMessage, type WireProblem, type WireRule } from '../wire';
import { BODY_TEXT_WORDS } from '../wire/message';
import { credentialEchoProblems, credentialsOf, timestampProblems, type AnswerContext } from './graph-model';
import { answerContextOfLines } from './header-credentials';
import { readContextProblems, resourceIdentityProblems, vppTokenKeyOf, type ContextKind, type ServiceOfCreate } from './resource-identity';
import { answerSaysCreated, appliedReturn, createPreferences, leftOut, omittedNullWords, withNulls } from './preferences';
import { redact, redactTargetQuery, shownApart } from '../net/redact';
import type { AnswerProblem } from './answer-problem';
import { NEVER, intuneRefusesToken, sTokenExpiryOf } from '../graph/values';
import { setsReadOnly } from './read-only';
import { mayOmitODataPrefix, unprefixedControlInformationProblems } from './control-information';
import { trailerFieldProblems } from './trailers';
import { argumentProblem, refuseArguments } from '../net/option';

/** An answer as a client saw it. `body` is the text (undefined when there was none). */
export interface ObservedAnswer {
  status: number;
  /** The headers as a record, or a Fetch API `Headers` (a fetch() Response's) or a `Map`; with `rawHeaders`, only those are read. */
  headers: Record<string, string | string[] | number | undefined> | HeaderPairs;
  /** Node's `res.rawHeaders`: every header line, repeats kept. Judged instead of `headers` when given. */
  rawHeaders?: RawHeaders;
  body: string | undefined;
  /** The body bytes as received, content coding included: judged strictly instead of `body` when given. */
  bytes?: Uint8Array;
  /** Bytes the connection carried after this answer, before any other request (the kit's HTTP client counts them). */
  extraBytes?: number;
  /** The connection closed before the answer's framing ended (a chunked body without its last chunk): the kit's HTTP client says so. */
  cut?: boolean;
  /** Node's `res.rawTrailers`: the trailer fields after a chunked body, judged as fields of the answer (RFC 9110 §6.5). */
  rawTrailers?: RawHeaders;
  /** Node's `res.statusMessage`: the status line's reason phrase (RFC 9112 §4), which clients show and log. */
  statusText?: string;
  /** Node's `res.httpVersion` (`1.1`, `1.0`): an HTTP/1.0 answer carries no Transfer-Encoding (RFC 9112 §6.1; decision 0492). */
  httpVersion?: string;
  /** The interim 1xx answers before this one (Node's 'information' events), judged as part of the answer (RFC 9110 §15.2). */
  interim?: readonly InterimHead[];
}

/**
 * The properties an admin sets when adding a VPP token in Intune, which Graph stores as the client sent them
 * (docs/decisions/0012; the delivery protocol, 0404). Every other property is in VALUES_NOT_HELD_TO, with why.
 */
export const VALUES_THAT_COME_BACK = [
  'displayName',
  'appleId',
  'countryOrRegion',
  'vppTokenAccountType',
  'automaticallyUpdateApps',
  'dataSharingConsentGranted',
  'claimTokenManagementFromExternalMdm',
  'roleScopeTagIds',
  'appleDeviceAppDeliveryProtocolType',
] as const satisfies readonly (keyof VppTokenCreateRequest)[];

/**
 * The vppToken's other properties, and why a 201 is not held to what the client sent for them (docs/decisions/0012):
 * a test requires every property of the schema to be in exactly one of the two lists (decision 0404).
 */
export const VALUES_NOT_HELD_TO = {
  id: 'the service assigns it',
  token: 'it may come back withheld (null); when given, it is the one sent (tokenGivenBack)',
  organizationName: "Apple's sToken names it (organizationFromToken, when the client set none)",
  expirationDateTime: "Apple's sToken says when it expires",
  locationName: "Apple's VPP service returns it for the token",
  state: "the service's reading of the token",
  lastSyncStatus: "the service's own sync with Apple",
  lastSyncDateTime: "the service's own sync with Apple",
  lastModifiedDateTime: 'the time the service stored the create',
  tokenActionResults: "the service's own actions on the token",
} as const satisfies Partial<Record<keyof VppToken, string>>;

/**
 * What must come back in the 201 body for `sent`: every property of VALUES_THAT_COME_BACK the client set,
 * with the value it set. An empty `roleScopeTagIds` is not held to: Intune assigns the Default scope tag.
 */
export function valuesThatComeBack(sent: VppTokenCreateRequest): Partial<VppTokenCreateRequest> {
  refuseArguments(argumentProblem('sent', sent, 'object', 'the create request sent, an object'));
  const expected: Record<string, unknown> = {};
  for (const key of VALUES_THAT_COME_BACK) {
    if (!(key in sent) || sent[key] === undefined) continue;
    if (key === 'roleScopeTagIds' && Array.isArray(sent[key]) && sent[key]!.length === 0) continue;
    expected[key] = sent[key];
  }
  return expected as Partial<VppTokenCreateRequest>;
}

/**
 * The organisation a 201 must name for `sent`, or undefined when it is not held to one: when the client set no
 * `organizationName` and its token is an Apple sToken, Intune reads the organisation from the token (its
 * `orgName`; decision 0217, outside tester I11), so the answer names that one, or none yet (`null`). A client that
 * set its own is not held to either (Graph documents no rule between the two).
 */
export function organizationFromToken(sent: VppTokenCreateRequest): string | undefined {
  if (sent.organizationName !== undefined || typeof sent.token !== 'string') return undefined;
  return readAppleSToken(sent.token)?.orgName;
}

/**
 * The expiry a 201 must name for `sent` (decision 0396, outside tester N15), or undefined when it is not held to one:
 * when the create's token is an Apple sToken whose `expDate` names an instant, Intune reads the token's expiry from
 * it, as it reads the organisation (0217), so the answer's `expirationDateTime` is that instant (in any spelling:
 * compared as instants at Graph's 100 ns), or Graph's "never" (not read yet), or the value the create set, which a
 * service may keep as sent (the reference provider does): readFromSToken and valuesBackProblems judge them (0563,
 * 0564). `expiry` is the instant as RFC 3339 in UTC, its fraction as the token writes it.
 */
export function expiryFromToken(sent: VppTokenCreateRequest): { expiry: string } | undefined {
  const expiry = sTokenExpiryOf(sent.token);
  return expiry ? { expiry } : undefined;
}

/** A property Intune reads from the create's sToken: the value it has before it read it, and the one it reads. */
export interface ReadFromSToken {
  key: 'organizationName' | 'expirationDateTime';
  /** True for the value a 201 gives before the service read the sToken (null; Graph's "never"). */
  notReadYet: (value: unknown) => boolean;
  /** True for the value the sToken names (its orgName; its expDate, compared as instants). */
  named: (value: unknown) => boolean;
  /** The value the sToken names, and its name there, as a message says them. */
  words: string;
  /** The values a 201 gives, as Graph writes them: the one the sToken names, then the one before it is read (null; Graph's "never"). */
  values: readonly [named: unknown, notReadYet: unknown];
}

/**
 * What Intune reads from the create's sToken (organizationFromToken, decision 0217; expiryFromToken, 0396), each
 * with its "not read yet" value, which values back takes in a 201: a later read of the same vppToken (read-back) may
 * move a property from that value to the one the sToken names, and nowhere else (outside tester R48). One rule for
 * both checks.
 */
export function readFromSToken(sent: VppTokenCreateRequest): ReadFromSToken[] {
  const read: ReadFromSToken[] = [];
  const organization = organizationFromToken(sent);
  if (organization !== undefined) read.push({ key: 'organizationName', notReadYet: (value) => value === null, named: (value) => value === organization, words: `${JSON.stringify(organization)}, the orgName of the request's sToken`, values: [organization, null] });
  const expiry = expiryFromToken(sent);
  if (expiry) {
    // Compared as instants, at the 100 ns Graph holds (sameAtGraphPrecision, outside tester R49).
    const instant = (value: unknown, of: string) => typeof value === 'string' && sameAtGraphPrecision(value, of);
    read.push({ key: 'expirationDateTime', notReadYet: (value) => instant(value, NEVER), named: (value) => instant(value, expiry.expiry), words: `${expiry.expiry}, the expDate of the request's sToken`, values: [expiry.expiry, NEVER] });
  }
  return read;
}

/** What a correct service gives back in a 201 at one property: the values values back takes there, with what they are. */
export interface GivenBack {
  values: readonly unknown[];
  /**
   * Those of `values` the kit takes from a provider but has seen in no Graph answer (decision 0783): the token withheld
   * (null), an organisation or expiry the service has not read yet (null, Graph's never), and the sToken's expDate
   * where the create set an expiry of its own (Graph's answer gives the one set). A judge of an expectation
   * says a matcher that refuses one of these, and fails only one that refuses a value Graph's answer gives.
   */
  unseen?: readonly unknown[];
  words: string;
}

/**
 * What a correct service gives back in a 201 for `sent`, property by property: the values values back takes there
 * (valuesBackProblems), as values, with what they are. A judge of an expectation asks this where Pact compares the
 * provider's value with a matcher, never with the example (compare, outside finding R60): the matcher must admit each.
 */
export function valuesGivenBack(sent: VppTokenCreateRequest): Record<string, GivenBack> {
  const given: Record<string, GivenBack> = {};
  // The token as values back takes it: the one sent, or withheld (null, 0012, 0331), a value Graph gives (decision 0691).
  if (typeof sent.token === 'string') given.token = { values: [sent.token, null], unseen: [null], words: 'the token this request sent, or null (withheld: Graph need not give a credential back)' };
  for (const [key, value] of Object.entries(valuesThatComeBack(sent))) {
    if (!Array.isArray(value)) given[key] = { values: [value], words: 'the value the create set' };
    else {
      const once = distinctMembers(value).length < value.length ? ', each as often as sent or once' : '';
      given[key] = { values: collectionsGivenBack(value), words: `the members the create set, in any order${once} (${key} is an unordered collection: Collection(Edm.String) without Core.Ordered in Graph's metadata)` };
    }
  }
  for (const read of readFromSToken(sent)) {
    const set = read.key === 'expirationDateTime' && typeof sent.expirationDateTime === 'string' ? [sent.expirationDateTime] : [];
    given[read.key] = { values: [...read.values, ...set], unseen: set.length ? [...read.values] : [read.values[1]], words: `${read.words}, or ${JSON.stringify(read.values[1])} until the service has read it${set.length ? ', or the value the create set' : ''}` };
  }
  return given;
}

/**
 * What each answer was read as, with what it was read from: conform's HTTP client reads an answer (its text and JSON)
 * and the judgement then reads the same answer, as seed's and verify's do; the second reading is the first one's
 * result while those parts are the same values (decision 0306). Callers only read a ReadMessage.
 */
const answersRead = new WeakMap<ObservedAnswer, { from: readonly unknown[]; read: ReadMessage }>();
const readFrom = (answer: ObservedAnswer): unknown[] => [answer.status, answer.rawHeaders ?? answer.headers, answer.bytes, answer.bytes === undefined ? answer.body : undefined, answer.cut, answer.rawTrailers, answer.statusText, answer.httpVersion, answer.interim];

/**
 * Why `answer` is no answer as observed (decision 1041): the members the one reader reads, each asked by the one rule
 * before it is read and named by its path; its headers are the one reader's to ask (`headers must be Node's
 * rawHeaders ...`, which names every shape it takes).
 */
export function observedAnswerProblem(answer: unknown, name = 'answer'): string | undefined {
  const { status, body, bytes } = (answer ?? {}) as Partial<Record<keyof ObservedAnswer, unknown>>;
  return (
    argumentProblem(name, answer, 'object', 'an answer as observed, an object of status, rawHeaders and body') ??
    argumentProblem(`${name}.status`, status, 'number', 'a number, the status') ??
    argumentProblem(`${name}.body`, body, 'string', BODY_TEXT_WORDS, 'optional') ??
    argumentProblem(`${name}.bytes`, bytes, 'bytes', undefined, 'optional')
  );
}

/** The answer read once, by the one reader: header lines, then the body from its bytes when they are known. */
export function readAnswer(answer: ObservedAnswer): ReadMessage {
  refuseArguments(observedAnswerProblem(answer));
  const from = readFrom(answer);
  const known = answersRead.get(answer);
  if (known && known.from.every((part, i) => part === from[i])) return known.read;
  const message = readMessage({
    headers: answer.rawHeaders ?? answer.headers,
    ...(answer.bytes !== undefined ? { bytes: answer.bytes } : { text: answer.body }),
    ...(answer.cut ? { cut: true } : {}),
    ...(answer.rawTrailers?.length ? { trailers: answer.rawTrailers } : {}),
    ...(answer.httpVersion ? { httpVersion: answer.httpVersion } : {}),
    ...(answer.interim?.length ? { interim: answer.interim } : {}),
    ...(bodiless(answer.status) ? { noBody: true } : {}),
  });
  const read = answer.statusText ? { ...message, reason: answer.statusText } : message;
  answersRead.set(answer, { from, read });
  return read;
}

/**
 * An answer's body as JSON, read by the one reader (content coding, strict UTF-8, strict JSON); or what the body is
 * instead, in words a user can act on (seed says them: a created vppToken's answer, a list read back).
 */
export function answerJson(answer: ObservedAnswer): { value: unknown } | { missing: string } {
  const read = readAnswer(answer);
  const transfer = read.problems.find((p) => p.rule === 'transfer coding');
  if (transfer) return { missing: `a body it could not read: ${transfer.where} ${transfer.message}` };
  const cut = read.problems.find((p) => p.rule === 'content length');
  if (cut) return { missing: `a body that ${cut.message}` };
  // JSON that the strict reader refuses (a name given twice, data after the value, not UTF-8) is said for what it is:
  // a user opening the answer sees JSON and could not tell why it was not trusted (outside tester J19).
  const refused = read.problems.find(isBodyProblem);
  if (refused && refused.rule !== 'json syntax') return { missing: `a body it cannot take: ${refused.where} ${refused.message}` };
  if (refused || (!read.empty && !read.json)) return { missing: 'a body that is not JSON' };
  if (read.empty || !read.json) return { missing: 'an empty body' };
  return { value: read.json.value };
}

/**
 * Answers to a create after which it may exist all the same (decision 0008): a gateway timed out (504, 502), or the
 * service failed after committing (500); or a 303 See Other, which says the POST was processed and its result is the
 * resource its Location names, one it made or one it held (RFC 9110 §9.3.3, §15.4.4; decision 1230, outside finding
 * R141): no refusal, so neither "failed" nor "never created". The one rule of seed's `unknown`, the behaviour checks'
 * unknown outcome and the proxy's count of a create the target answered so (decision 0642).
 */
export const UNKNOWN_OUTCOME_STATUSES: readonly number[] = [303, 500, 502, 504];

/** Why a 303 See Other leaves a create's outcome unknown, in seed's and the proxy's words (decision 1230). */
export const SEE_OTHER_WHY =
  'answered 303 See Other: the create was processed, and its result is the resource the Location names, one it made or one it already held (RFC 9110 §9.3.3; Graph answers 201 Created with the vppToken); it may have been created';

/**
 * The id of the vppToken a 2xx to a create carries (Graph answers 201 with the created entity), or what the body
 * is instead: a caller that records creates (seed) must not take the status line's word for one.
 */
export function createdIdOf(answer: ObservedAnswer, sent?: VppTokenCreateRequest, prefer?: readonly string[]): { id: string; state?: string } | { missing: string } {
  // A 204 No Content names what it created in its headers when the create asked for it (decision 0590, R45).
  if (answer.status === 204) {
    if (!createPreferences(prefer).minimal) return { missing: 'a 204 No Content, which answers only a create that asked Prefer: return=minimal (OData 4.01 Part 1 §11.4.2)' };
    const wrong = minimalAnswerProblems(readAnswer(answer), {})[0];
    if (wrong) return { missing: `a 204 No Content that does not name the vppToken it created: ${wrong.where} ${wrong.message}` };
    return minimalCreatedId(readAnswer(answer).lines) as { id: string };
  }
  const read = answerJson(answer);
  if ('missing' in read) return read;
  const body = read.value;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { missing: 'a body that is not a JSON object' };
  if ('error' in body && !('id' in body)) return { missing: "Graph's error body" };
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') return { missing: 'no id' };
  // An id the response schema refuses (not a GUID), or another request's token: not this create's vppToken, for
  // all the status line says (outside tester G11; the same rules as verify's and conform's).
  const schema = problemsOf('response', body);
  const wrongId = schema.find((p) => p.pointer === '/id');
  if (wrongId) return { missing: `an id that is not one Graph gives (/id ${wrongId.message})` };
  // A body that says it is another entity (`#microsoft.graph.iosVppApp`) is no vppToken, whatever its id (outside tester J18).
  // Its OData 4.01 `@type` says it as much (decision 1310), a conflict with `@odata.type` leaves it open: no proof either.
  const wrongType = schema.find((p) => p.pointer === '/@odata.type' || p.pointer === '/@type');
  if (wrongType) return { missing: `a body that is not a vppToken (${wrongType.pointer} ${wrongType.message})` };
  // This request's own sToken in another spelling is this create's vppToken still (decision 0325); values back fails it.
  const token = (body as { token?: unknown }).token;
  if (sent && token !== undefined && token !== null && tokenGivenBack(sent.token, token) === 'another') return { missing: 'another vppToken: its token is not the one this request sent (not shown)' };
  // The Location (and OData-EntityId) of a 201 identifies what was created (RFC 9110 §15.3.2): one that names another
  // vppToken than the body's id leaves which one open (outside tester K7).
  for (const name of ['Location', 'OData-EntityId']) {
    const named = headerValues(readAnswer(answer).lines, name).map(vppTokenKeyOf).find((key) => key !== undefined && key.toLowerCase() !== id.toLowerCase());
    if (named !== undefined) return { missing: `a ${name} naming another vppToken, ${JSON.stringify(named.slice(0, 100))}, than its body's id, ${id}: which one was created is not said (RFC 9110 §15.3.2)` };
  }
  // Its state, which says whether the service already held the token (beta's duplicateLocationId, decision 0251).
  const state = (body as { state?: unknown }).state;
  return typeof state === 'string' ? { id, state } : { id };
}

/**
 * What a create's answer says became of it: the one outcome rule of seed's report and the proxy's count (decision
 * 1130, outside findings R138, R139). `created` when a 2xx names the vppToken createdIdOf takes (a 200 with the
 * created vppToken as well as Graph's 201: its id is right there); `unknown` for a 202 Accepted ("accepted for
 * processing, not completed", RFC 9110 §15.3.3: it may be created later, or not), for any other 2xx that names none
 * (`missing` says what it held instead: quoted from the answer, so redact it before it is shown), for a 500, 502
 * or 504 (decision 0008) and for a 303 See Other (`seeOther`: processed, its result elsewhere, RFC 9110 §9.3.3;
 * decision 1230); `not created` for any other answer. `saysCreated` is the status line's word alone
 * (answerSaysCreated): a 201, or a 204 to a create that asked return=minimal.
 */
export type CreateOutcome =
  | { outcome: 'created'; id: string; state?: string }
  | { outcome: 'unknown'; saysCreated: boolean; accepted?: true; seeOther?: true; missing?: string }
  | { outcome: 'not created' };

export function createOutcomeOf(answer: ObservedAnswer, sent?: VppTokenCreateRequest, prefer?: readonly string[]): CreateOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    const saysCreated = answerSaysCreated(status, prefer);
    if (acceptedForProcessing(status)) return { outcome: 'unknown', saysCreated, accepted: true };
    const named = createdIdOf(answer, sent, prefer);
    if ('id' in named) return { outcome: 'created', ...named };
    return { outcome: 'unknown', saysCreated, missing: named.missing };
  }
  if (UNKNOWN_OUTCOME_STATUSES.includes(status)) return { outcome: 'unknown', saysCreated: false, ...(status === 303 ? { seeOther: true as const } : {}) };
  return { outcome: 'not created' };
}

/** What a create's answer of `status` with no headers and no body says of it, by the one rule (createOutcomeOf). */
export const outcomeOfStatus = (status: number): CreateOutcome => createOutcomeOf({ status, headers: {}, rawHeaders: [], body: undefined, bytes: new Uint8Array() });

/**
 * What became of a create inside a JSON batch whose answer gives it no answer of its own (decision 1250, outside
 * finding R149): the batch answered as a whole (a status other than 200: a 202 Accepted with a status monitor, a 504,
 * a 400), or a 200 that is no batch answer the one reader reads, or holds no answer with its id (batchedAnswer). The
 * one rule (createOutcomeOf) reads the batch's status as the answer each create inside got, an answer that names no
 * vppToken: a 202 unknown (accepted, its creates may run later: RFC 9110 §15.3.3, OData 4.01 Part 1 §11.6), any other
 * 2xx unknown (the batch was processed, and nothing says this create was not: `missing` says so), a 303, 500, 502 or
 * 504 unknown (0642, 1230), any other status not created (the batch refused whole, 4xx or 503). Never `created`: a
 * batch's own status names no create's vppToken, and no 2xx of it says this one was made (`saysCreated` false).
 */
export function wholeBatchOutcomeOf(status: number): CreateOutcome {
  const read = outcomeOfStatus(status);
  if (read.outcome !== 'unknown') return read;
  const { missing, ...rest } = read;
  return { ...rest, saysCreated: false, ...(missing === undefined ? {} : { missing: `the batch's answer as a whole, ${status}, giving this create no answer of its own` }) };
}

/**
 * What a status monitor's final answer says became of the create it watches (decision 1315, outside finding W6): the
 * create's own answer, read by the one outcome rule (createOutcomeOf), not the monitor's status. OData 4.01 Part 1
 * §11.6 (4.0 §9.1.3): once the request has run, the monitor answers `200 OK` whose body is "the response to the
 * original request" as `application/http` (RFC 9112's message: status line, header lines, a blank line, the body):
 * a `201 Created` naming the vppToken is `created` with its id (RFC 9110 §15.3.2), a 400 `not created`, a 500 or a
 * 2xx naming none `unknown`. A `303 See Other` whose Location names one vppToken by its key (RFC 9110 §15.4.4, "an
 * indirect response to the original request": the create's result is that vppToken) is `created` with that id.
 * Undefined when it tells no outcome: still running (202), an answer it holds that is not one HTTP response, or
 * another ending (a 200 of another type, a 201, a 204, a 303 to anything else): the processing ended, its outcome not
 * told (decision 1270 reads those as the end all the same).
 */
export function monitorOutcomeOf(answer: ObservedAnswer, sent?: VppTokenCreateRequest): CreateOutcome | undefined {
  const lines = answer.rawHeaders ? headerLines(answer.rawHeaders) : readAnswer({ ...answer, body: undefined, bytes: new Uint8Array() }).lines;
  if (answer.status === 303) {
    const id = headerValues(lines, 'Location').map(vppTokenKeyOf).find((key) => key !== undefined && GUID.test(key));
    return id === undefined ? undefined : { outcome: 'created', id };
  }
  const type = headerValues(lines, 'Content-Type');
  if (answer.status !== 200 || type.length !== 1 || !/^\s*application\/http\s*(;|$)/i.test(type[0])) return undefined;
  const inner = embeddedAnswerOf(answer.bytes ?? (answer.body === undefined ? undefined : new TextEncoder().encode(answer.body)));
  // A 202 inside is no final answer: the create is still accepted, not done.
  if (inner === undefined || acceptedForProcessing(inner.status)) return undefined;
  return createOutcomeOf(inner, sent);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The HTTP response an `application/http` body holds (RFC 9112 §2.1: a status line, header lines, an empty line, the
 * content; CRLF, or a bare LF as §2.2 lets a recipient read it), as an observed answer; undefined when it holds none.
 */
function embeddedAnswerOf(bytes: Uint8Array | undefined): ObservedAnswer | undefined {
  if (bytes === undefined) return undefined;
  const text = Buffer.from(bytes).toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  if (end === null) return undefined;
  const [statusLine, ...fieldLines] = text.slice(0, end.index).split(/\r?\n/);
  const status = /^HTTP\/1\.[01] ([1-5]\d\d)(?: [^\r\n]*)?$/.exec(statusLine);
  if (status === null) return undefined;
  const rawHeaders: string[] = [];
  for (const line of fieldLines) {
    const field = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (field === null) return undefined;
    rawHeaders.push(field[1], Buffer.from(field[2], 'latin1').toString('utf8'));
  }
  return { status: Number(status[1]), headers: {}, rawHeaders, body: undefined, bytes: Buffer.from(bytes).subarray(Buffer.byteLength(text.slice(0, end.index + end[0].length), 'latin1')) };
}

/** Why a 202 Accepted leaves a create's outcome unknown, in seed's and the proxy's words. */
export const ACCEPTED_WHY = 'answered 202 Accepted: the create was accepted for processing, not done (RFC 9110 §15.3.3; Graph answers 201 Created); it may be created later, or not';

/**
 * Whether a create's answer says it was accepted for processing and not done yet: a 202 Accepted (RFC 9110 §15.3.3,
 * "the processing has not been completed"; OData 4.01 Part 1 §8.2.8.8, §11.6: the request runs later, and its status
 * monitor, the 202's Location, tells its outcome). createOutcomeOf reads it `accepted` (unknown), and no read of the
 * list proves such a create made nothing (decision 1270, outside finding R154): a list shows a vppToken only once its
 * create has run, so one read that lacks it may have been read before it ran, as one read while a create was in
 * flight (1092). A list that holds its vppToken still shows it created (0671). The one rule of seed's read-back
 * (`--retry-unknown` does not send such a record again on a list that lacks it: acceptedUnlistedWhy) and of the
 * proxy's count and `no duplicate` (readShowsNoneMade, whyReadShowsNothing, by the traffic's `accepted`).
 */
export const acceptedForProcessing = (status: number | null | undefined): boolean => status === 202;

/**
 * Why a list that lacks the vppToken of a create answered 202 Accepted proves nothing (acceptedForProcessing), in seed's
 * words (`its create`) and the proxy's (the request named).
 */
export const acceptedUnlistedWhy = (create = 'its create'): string =>
  `${create} was answered 202 Accepted, accepted for processing and not done (RFC 9110 §15.3.3), and a list shows a vppToken only once its create has run: a list that lacks it may have been read before it ran (poll the status monitor the 202 named in its Location, OData 4.01 Part 1 §11.6, or read the list again later)`;

/**
 * What a create's 2xx says it made, for the traffic the behaviour checks read: the id of the vppToken, as createdIdOf
 * reads it, and whether the service already held its token (its state `duplicateLocationId`: a second vppToken of it,
 * decisions 0251, 0652). Empty for any other answer, and for one createdIdOf does not take. One reading of a create
 * sent alone and of a create inside a JSON batch, whose answer is read from the batch's (decision 0670).
 */
export function createdVppTokenOf(answer: ObservedAnswer, sent?: VppTokenCreateRequest, prefer?: readonly string[]): { createdId?: string; heldAlready?: true } {
  return createdVppTokenIn(createOutcomeOf(answer, sent, prefer));
}

/** createdVppTokenOf for an outcome already read (createOutcomeOf): a caller that reads the outcome reads the answer once. */
export function createdVppTokenIn(named: CreateOutcome): { createdId?: string; heldAlready?: true } {
  if (named.outcome !== 'created') return {};
  return { createdId: named.id, ...(named.state === 'duplicateLocationId' ? { heldAlready: true as const } : {}) };
}

/**
 * Bytes after the answer on its connection, before any other request: a server sends one answer per request,
 * in order (RFC 9112 §9.3), and a client that reads on (Python's http.client, Go's pipelines, a gateway) takes
 * them as its next request's answer, another create's id and token. Judged with the answer's framing.
 */
export function connectionProblems(answer: Pick<ObservedAnswer, 'extraBytes'>): AnswerProblem[] {
  if (!answer.extraBytes) return [];
  const bytes = `${answer.extraBytes} byte${answer.extraBytes === 1 ? '' : 's'}`;
  return [{ check: 'response headers', ...at('connection'), message: `must carry one answer per request: ${bytes} came after the answer, before any request; a client reading on takes them as its next request's answer (RFC 9112 §9.3)` }];
}

/** An answer status that has no content whatever its head says (RFC 9112 §6.3 rule 1: 1xx, 204, 304). */
const bodiless = (status: number): boolean => (status >= 100 && status < 200) || status === 204 || status === 304;

/** A status as its status line names it, for the words: `204 No Content`, `103 Early Hints`. */
const NO_CONTENT_STATUSES: Readonly<Record<number, string>> = { 100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints', 204: 'No Content' };

/** The framing fields an answer without content must not carry, each with the rule that says so. */
const NO_FRAMING_ON_BODILESS: readonly { field: string; rule: string }[] = [
  { field: 'Content-Length', rule: 'RFC 9110 §8.6' },
  // Outside helper Y6: the sibling of 0722's rule, a framing field that makes a client trusting it read on for chunks.
  { field: 'Transfer-Encoding', rule: 'RFC 9112 §6.1' },
];

/**
 * Framing fields on an answer that has no content: RFC 9110 §8.6, "A server MUST NOT send a Content-Length header
 * field in any response with a status code of 1xx (Informational) or 204 (No Content)", and RFC 9112 §6.1, "A server
 * MUST NOT send a Transfer-Encoding header field in any response with a status code of 1xx (Informational) or 204 (No
 * Content)". The final answer when it is a 1xx or 204, and each interim 1xx before any answer (judged as part of it,
 * RFC 9110 §15.2). One rule for every answer the kit judges (outside finding R79, decision 0722; the 204 to
 * return=minimal of 0590 among them).
 */
export function bodilessFramingProblems(answer: ObservedAnswer): AnswerProblem[] {
  const read = readAnswer(answer);
  const said = (status: number, lines: readonly HeaderLine[], where: (field: string) => ReturnType<typeof atHeader>): AnswerProblem[] =>
    NO_FRAMING_ON_BODILESS.flatMap(({ field, rule }) => {
      const given = headerValues(lines, field);
      if (given.length === 0) return [];
      const named = NO_CONTENT_STATUSES[status] ? `${status} ${NO_CONTENT_STATUSES[status]}` : String(status);
      return [{ check: 'response headers', ...where(field), message: `must not be sent in a ${named}, which has no content (${rule}: a server MUST NOT send it in a 1xx or 204 answer; got ${JSON.stringify(given.join(', ').slice(0, 100))})` }];
    });
  return [
    ...(read.interim ?? []).flatMap((interim) => said(interim.status, interim.lines, (header) => atInterim(interim.status, { header }))),
    // A 304 has no content either, but RFC 9110 §8.6 lets it carry Content-Length (the selected representation's).
    ...(bodiless(answer.status) && answer.status !== 304 ? said(answer.status, read.lines, (header) => atHeader(header)) : []),
  ];
}

/** A problem reading the body: the body's own, or its Content-Encoding that cannot be undone. */
const isBodyProblem = (p: WireProblem): boolean => p.part !== 'header' || isAtHeader(p, 'Content-Encoding');

/** Repeated singleton headers, and trailer fields that belong in the head; a repeated Content-Type is the content type check's. */
function headerProblems(read: ReadMessage): AnswerProblem[] {
  const head = read.problems
    .filter((p) => !isBodyProblem(p))
    .map((p) => ({ ...p, check: isAtHeader(p, 'Content-Type') ? ('content type' as const) : ('response headers' as const) }));
  // Fields in the trailer section that must stay in the head, by the rule a request's trailer is held to (decision 0489).
  return [...head, ...trailerFieldProblems(read.trailers).map((p) => ({ ...p, check: 'response headers' as const }))];
}

/**
 * What every JSON answer is held to, whatever its status and request: a JSON media type as Graph writes it and a
 * charset that does not lie, no singleton header twice and no framing fault, and a body read strictly (a name given
 * twice, a byte order mark, data after the value, bytes that are not UTF-8, a coding that lies), onto `problems`;
 * the body's JSON value when it could be read. A create's 201 and a read's 200 are judged by it alike (decision 0366);
 * a refusal by the same parts, its challenge between them.
 */
function jsonAnswer(read: ReadMessage, problems: AnswerProblem[]): unknown {
  problems.push(...contentTypeProblems(read), ...headerProblems(read));
  return jsonBody(read, problems);
}

/** The JSON body, or a problem: empty, not decodable, not UTF-8, not one strict JSON value. */
function jsonBody(read: ReadMessage, problems: AnswerProblem[]): unknown {
  // A transfer coding besides chunked left the bytes coded: the header's problem says so, the body is not read.
  if (read.problems.some((p) => p.rule === 'transfer coding')) return undefined;
  const bodyProblems = read.problems.filter(isBodyProblem);
  if (bodyProblems.length > 0) {
    problems.push(...bodyProblems.map((p) => ({ ...p, check: 'response schema' as const })));
    return undefined;
  }
  if (read.empty || !read.json) {
    problems.push({ check: 'response schema', ...atBody(), message: 'is empty: a JSON body is required' });
    return undefined;
  }
  return read.json.value;
}

function contentTypeProblems(read: ReadMessage): AnswerProblem[] {
  if (read.problems.some((p) => isAtHeader(p, 'Content-Type'))) return [];
  const contentType = singleHeader(read.lines, 'Content-Type');
  if (!isJsonMediaType(contentType)) {
    return [{ check: 'content type', ...atHeader('Content-Type'), rule: 'media type', message: `must be application/json, parameters allowed (got ${contentType === undefined ? 'none' : JSON.stringify(contentType)})` }];
  }
  // An answer stands in for Graph's, which is lowercase: Microsoft's Graph JavaScript client 3.x reads a body as
  // JSON only when the media type is exactly `application/json`, and gives back an unread stream otherwise. A
  // request may use any case (RFC 9110 §8.3.1), an answer may not (docs/decisions/0130).
  // The client compares what comes before the first `;` with `application/json` as it is, so no whitespace may
  // stand before the `;` either, though RFC 9110 §5.6.6 allows it (outside tester G7).
  const type = contentType!.replace(/^[ \t]+/, '');
  if (!/^application\/json(?=[ \t;]|$)/.test(type)) {
    return [{ check: 'content type', ...atHeader('Content-Type'), message: `must be application/json in lowercase, as Graph answers: Microsoft's Graph JavaScript client 3.x reads JSON only then, though RFC 9110 §8.3.1 lets the case vary (got ${JSON.stringify(contentType)})` }];
  }
  if (!/^application\/json(?:;|$)/.test(type.replace(/[ \t]+$/, ''))) {
    return [{ check: 'content type', ...atHeader('Content-Type'), message: `must be application/json with nothing between it and ";", as Graph answers: Microsoft's Graph JavaScript client 3.x reads JSON only then, though RFC 9110 §5.6.6 allows whitespace there (got ${JSON.stringify(contentType)})` }];
  }
  // The charset a request may not lie with, an answer may not either (.NET's ReadAsStringAsync decodes by it).
  const charset = charsetProblem(contentType!);
  if (charset) return [{ check: 'content type', ...atHeader('Content-Type'), rule: 'charset', message: charset }];
  return [];
}

/**
 * A 401 without a Bearer challenge: "the server generating a 401 response MUST send a WWW-Authenticate header
 * field containing at least one challenge" (RFC 9110 §11.6.1, §15.5.2), and a resource server protected by
 * bearer tokens challenges with the `Bearer` scheme (RFC 6750 §3), as Graph does; the Graph SDKs' auth handlers
 * read it (claims challenges). Other challenges beside it are allowed.
 */
function challengeProblems(status: number, read: ReadMessage): AnswerProblem[] {
  if (status !== 401) return [];
  const schemes = challengeSchemes(read.lines);
  if (schemes.includes('bearer')) return [];
  const got = schemes.length === 0 ? 'none' : `only ${schemes.map((s) => JSON.stringify(s)).join(', ')}`;
  return [{ check: 'response headers', ...atHeader('WWW-Authenticate'), message: `must carry a Bearer challenge on a 401 (RFC 9110 §11.6.1, RFC 6750 §3; got ${got})` }];
}

/**
 * A JSON value as a key that two values share when sameJson holds for them (members' names sorted), so that the members
 * of a collection are counted in one pass: a create may send 100,000 tag ids.
 */
function jsonKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(jsonKey).join(',')}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${jsonKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** How often each member of a collection occurs, by jsonKey. */
function memberCounts(list: readonly unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of list.map(jsonKey)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/**
 * Whether two collections hold the same members as often each, in any order: the value of an OData collection that is
 * not annotated `Org.OData.Core.V1.Ordered` (Core vocabulary: "Collection has a stable order"), as none of the
 * vppToken's is in Graph's metadata (decision 0600, outside tester R44).
 */
export function sameMembers(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  const counts = memberCounts(a);
  for (const [key, count] of memberCounts(b)) if (counts.get(key) !== count) return false;
  return true;
}

/** The members of a collection, each once, in the order first given. */
export function distinctMembers(list: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return list.filter((member) => {
    const key = jsonKey(member);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/**
 * Whether `got` is the value the client set (`sent`) come back (VALUES_THAT_COME_BACK): the same JSON, and for a
 * collection (roleScopeTagIds) the same members in any order (sameMembers), or each member once, as a service that
 * keeps the tag ids as a set gives a member sent twice: Graph documents neither (decision 0600). One rule for values
 * back and read-back, whose words valueBackWords gives.
 */
export function comesBack(got: unknown, sent: unknown): boolean {
  if (!Array.isArray(sent)) return sameJson(got, sent);
  return Array.isArray(got) && (sameMembers(got, sent) || sameMembers(got, distinctMembers(sent)));
}

/**
 * What a value the client set must be, in words (`must be ... as the client set it`), `show` writing a value as the
 * caller shows values; a collection's words say that its order is free, and why.
 */
export function valueBackWords(key: string, sent: unknown, got: unknown, show: (value: unknown) => string): string {
  if (!Array.isArray(sent)) {
    const [shownSent, shownGot] = shownApart(sent, got, show);
    return `must be ${shownSent}, as the client set it (got ${shownGot})`;
  }
  const distinct = distinctMembers(sent);
  const once = distinct.length < sent.length ? `, or its members each once (${show(distinct)})` : '';
  return `must be ${show(sent)} in any order${once} (${key} is an unordered collection: Collection(Edm.String) without Core.Ordered in Graph's metadata), as the client set it (got ${show(got)})`;
}

/**
 * Lists a correct service gives back for a collection the client set, as comesBack takes them (decision 0600), for a
 * judge of an expectation that must take each (compare, decision 0731): as sent, in other orders (its members sorted
 * each way, so a list of two distinct members or more comes back in an order other than sent), and each member once.
 */
export function collectionsGivenBack(sent: readonly unknown[]): unknown[][] {
  const sorted = [...sent].sort((a, b) => (jsonKey(a) < jsonKey(b) ? -1 : jsonKey(a) > jsonKey(b) ? 1 : 0));
  const distinct = distinctMembers(sent);
  const lists = [[...sent], sorted, [...sorted].reverse(), distinct, [...distinct].reverse()];
  return lists.filter((list, i) => lists.findIndex((other) => jsonKey(other) === jsonKey(list)) === i);
}

/** Deep equality of JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * How a token given back (`got`, neither null nor left out) differs from the one it must be: `respelled` when it
 * is the same sToken written differently (other base64 padding or alphabet, its JSON re-encoded: `tokenIdentity`,
 * decisions 0205, 1260), which is the caller's own credential, not another's (decision 0325); `another` for any other
 * value; undefined when it is the very string.
 */
export function tokenGivenBack(expected: unknown, got: unknown): 'respelled' | 'another' | undefined {
  if (got === expected) return undefined;
  return typeof got === 'string' && typeof expected === 'string' && tokenIdentity(got) === tokenIdentity(expected) ? 'respelled' : 'another';
}

/** A token given back in another spelling, in the words of every check that meets one (the value never shown). */
export const RESPELLED_STOKEN = 'sToken written differently (other base64 padding or alphabet, RFC 4648 §5, or its JSON re-encoded, RFC 8259 §1-2';

/**
 * Problems of a 201 body's values against what `sent` set (VALUES_THAT_COME_BACK), and its `token`: the created
 * vppToken's own is the one this request sent, or withheld (`null`, docs/decisions/0012); any other
 * value hands the caller a credential that is not its own (docs/decisions/0125), and this request's own sToken in
 * another spelling is said to be that (decision 0325). Values are shown, never a token.
 */
export function valuesBackProblems(sent: VppTokenCreateRequest, body: unknown): AnswerProblem[] {
  refuseArguments(argumentProblem('sent', sent, 'object', 'the create request sent, an object'));
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const problems: AnswerProblem[] = [];
  const token = (body as Record<string, unknown>).token;
  const differs = token === undefined || token === null ? undefined : tokenGivenBack(sent.token, token);
  if (differs) {
    problems.push({
      check: 'values back',
      ...atBody('/token'),
      message:
        differs === 'respelled'
          ? `must be the token this request sent, exactly as sent, or null (withheld): it is this request's own ${RESPELLED_STOKEN}; neither shown), and a token comes back as it was sent`
          : 'must be the token this request sent, or null (withheld): it is another value (neither shown), and an answer carries only its own request\'s credential',
    });
  }
  // What Intune reads from the sToken: not read yet, or what it names (readFromSToken, the rule read-back uses too).
  const fromSToken = readFromSToken(sent);
  const [fromOrganization, fromExpiry] = (['organizationName', 'expirationDateTime'] as const).map((key) => fromSToken.find((property) => property.key === key));
  const organization = organizationFromToken(sent);
  const named = (body as Record<string, unknown>).organizationName;
  if (fromOrganization && named !== undefined && !fromOrganization.notReadYet(named) && !fromOrganization.named(named)) {
    const [shownOrganization, shownNamed] = shownApart(organization, named, (value) => JSON.stringify(value));
    problems.push({
      check: 'values back',
      ...atBody('/organizationName'),
      message: `must be ${shownOrganization}, the organisation the request's sToken names (its orgName), or null (got ${shownNamed})`,
    });
  }
  const expiry = expiryFromToken(sent);
  const expires = (body as Record<string, unknown>).expirationDateTime;
  // A value that is no DateTimeOffset is the response schema's to say.
  const setItself = typeof sent.expirationDateTime === 'string' && typeof expires === 'string' && sameAtGraphPrecision(expires, sent.expirationDateTime);
  if (expiry && fromExpiry && typeof expires === 'string' && isDateTimeOffset(expires) && !fromExpiry.notReadYet(expires) && !fromExpiry.named(expires) && !setItself) {
    const set = typeof sent.expirationDateTime === 'string' && !sameDateTimeOffset(sent.expirationDateTime, expiry.expiry) ? `, or ${sent.expirationDateTime} as the client set it` : '';
    problems.push({
      check: 'values back',
      ...atBody('/expirationDateTime'),
      message: `must be ${expiry.expiry}, the expiry the request's sToken names (its expDate), or ${NEVER} (Graph's "never": not read yet)${set}, compared as instants at Graph's 100 ns (got ${JSON.stringify(expires)})`,
    });
  }
  for (const [key, value] of Object.entries(valuesThatComeBack(sent))) {
    const got = (body as Record<string, unknown>)[key];
    if (!comesBack(got, value)) {
      problems.push({
        check: 'values back',
        ...atBody(`/${pointerSegment(key)}`),
        message: valueBackWords(key, value, got, (shown) => (shown === undefined ? 'nothing' : JSON.stringify(shown))),
      });
    }
  }
  return problems;
}


/**
 * Judges the answer to a valid create request: 201, a JSON content type, no ambiguous header, a body read
 * strictly and valid by the response schema, control information and headers that point at this vppToken,
 * a plausible lastModifiedDateTime, the values the client set back, and no credential of the request echoed.
 */
export function judgeCreatedAnswer(sent: VppTokenCreateRequest, answer: ObservedAnswer, profile?: Profile, context: AnswerContext = {}): AnswerProblem[] {
  refuseArguments(argumentProblem('sent', sent, 'object', 'the create request sent, an object'), observedAnswerProblem(answer), argumentProblem('context', context, 'object', 'an AnswerContext, an object'));
  // Intune refuses an sToken Apple reports expired (decision 0195): for a create whose sToken had expired when the
  // answer came, a refusal with Graph's error body is as fair as the 201 of a service that keeps it as expired. So
  // is a refusal of a token that is no Apple sToken at all, which Intune does not take (decision 0209, outside
  // tester I8); a service that takes either passes too.
  // So is a refusal of a create that sets a read-only property (`id`, `lastModifiedDateTime`: decision 0341), and of
  // an sToken whose expDate names no instant (February 30th, past year 9999: outside tester R4).
  if (answer.status === 400 && (intuneRefusesToken(sent?.token, { at: context.receivedAt, anyToken: context.takesAnyToken }) || setsReadOnly(sent, profile))) {
    return judgeRejectedAnswer([400], answer, context);
  }
  const problems: AnswerProblem[] = connectionProblems(answer);
  const asked = createPreferences(context.prefer);
  const read = readAnswer(answer);
  // OData's answer to a create that asked `Prefer: return=minimal`: 204 No Content naming the created vppToken (decision 0590).
  if (answer.status === 204 && asked.minimal) {
    problems.push(...minimalAnswerProblems(read, { target: context.target, publicHosts: context.publicHosts, profile }), ...bodilessFramingProblems(answer));
    return withoutCredentials([...problems, ...credentialEchoProblems(read, { sent, ...context }, false)], { sent, ...context });
  }
  // A 202 Accepted to a create that asked `Prefer: respond-async` is a fair answer (RFC 7240 §4.1; OData 4.01 Part 1
  // §8.2.8.8, §11.6: "202 Accepted ... a Location header ... of a status monitor"); its outcome is unknown (1130, 1131).
  if (answer.status === 202 && asked.async) {
    if (headerValues(read.lines, 'Location').length === 0) problems.push({ check: 'status', ...at('status'), message: 'a 202 Accepted to a create that asked Prefer: respond-async must give the Location of its status monitor (OData 4.01 Part 1 §11.6): a client cannot learn whether the vppToken was created' });
    return withoutCredentials([...problems, ...credentialEchoProblems(read, { sent, ...context }, false)], { sent, ...context });
  }
  if (answer.status >= 500) problems.push({ check: 'not a server error', ...at('status'), message: `must not be a server error (got ${answer.status})` });
  else if (answer.status === 204) problems.push({ check: 'status', ...at('status'), message: `must be 201 Created for a valid request (got 204): 204 No Content answers only a create that asked Prefer: return=minimal (OData 4.01 Part 1 §11.4.2), and this one did not` });
  else if (answer.status !== 201) problems.push({ check: 'status', ...at('status'), message: `must be 201 Created for a valid request (got ${answer.status})` });
  problems.push(...bodilessFramingProblems(answer));
  const echoed = credentialEchoProblems(read, { sent, ...context }, answer.status === 201);
  if (answer.status !== 201) return withoutCredentials([...problems, ...echoed], { sent, ...context });
  const json = jsonAnswer(read, problems);
  if (json !== undefined) {
    const { body, schema } = withOmittedNulls(json, asked.omitNulls, createPreferences(headerValues(read.lines, 'Preference-Applied'), 'Preference-Applied').omitNulls, profile);
    // The schema's problems hold the 201's `@type` already (problemsOf reads it: decision 1310).
    problems.push(...schema, ...spellingProblems(body, mayOmitODataPrefix(context.odataMaxVersion, headerValues(read.lines, 'OData-Version')), profile, false));
    problems.push(...timestampProblems(body, context), ...resourceIdentityProblems(body, read.lines, { target: context.target, publicHosts: context.publicHosts, profile }), ...valuesBackProblems(sent, body));
  }
  return withoutCredentials([...problems, ...echoed], { sent, ...context });
}

/**
 * A 201's body judged by the response schema, and the body the other checks read: with `omit-values=nulls` asked and
 * applied, a property left out is null (OData 4.01 Part 1 §8.2.8.6), so it is judged as null (one the schema does
 * not let be null still fails), and values back reads it as null; asked or applied alone, each property left out
 * fails with words that say which half is missing (omittedNullWords). Decision 0590, outside tester R51.
 */
function withOmittedNulls(body: unknown, asked: boolean, applied: boolean, profile: Profile | undefined): { body: unknown; schema: AnswerProblem[] } {
  const found = problemsOf('response', body, profile);
  const omitted = leftOut(found);
  const judged = (problems: typeof found, said: (p: (typeof found)[number]) => string) => problems.map((p) => ({ check: 'response schema' as const, ...atBody(p.pointer), message: said(p) }));
  if (omitted.length === 0) return { body, schema: judged(found, (p) => p.message) };
  if (asked && applied) {
    const filled = withNulls(body, omitted);
    const again = problemsOf('response', filled, profile);
    const words = (p: (typeof found)[number]) => (omitted.includes(p.pointer) ? `is required: left out under Preference-Applied: omit-values=nulls it reads as null (OData 4.01 Part 1 §8.2.8.6), and null is not a value it may take (${p.message})` : p.message);
    return { body: filled, schema: judged(again, words) };
  }
  const why = omittedNullWords(asked, applied);
  return { body, schema: judged(found, (p) => (why && p.keyword === 'required' ? `${p.message}: ${why}` : p.message)) };
}

/**
 * A vppToken's body as a client that asked `prefer` reads it: with `omit-values=nulls` asked and the answer's
 * `Preference-Applied` saying it, a property the schema requires that the body left out is null (OData 4.01 Part 1
 * §8.2.8.6); otherwise the body as it is. What read-back compares, as values back reads it (decision 0590).
 */
export function vppTokenAsRead(body: unknown, answer: ObservedAnswer, prefer: readonly string[] | undefined, profile?: Profile): unknown {
  // Judged again only when both were said: a body of 4 MB is not read by the schema twice for nothing.
  if (body === undefined || !createPreferences(prefer).omitNulls) return body;
  if (!createPreferences(headerValues(readAnswer(answer).lines, 'Preference-Applied'), 'Preference-Applied').omitNulls) return body;
  return withOmittedNulls(body, true, true, profile).body;
}

/**
 * A 204 No Content to a create that asked `Prefer: return=minimal` (OData 4.01 Part 1 §11.4.2: "the service MUST
 * respond with either 201 Created, or 204 No Content if the request included a return Prefer header with a value of
 * return=minimal"): no body (RFC 9110 §15.3.5), a Location and an OData-EntityId (OData 4.0 Part 1 §8.3.3: a 204 to
 * a create MUST carry it) naming one vppToken by an id Graph gives, on the service's own hosts (resourceIdentityProblems,
 * the 201's rule), and no Preference-Applied that names another `return` (§8.2.8.7: it MAY say return=minimal).
 * Decision 0590, outside tester R45.
 */
function minimalAnswerProblems(read: ReadMessage, service: ServiceOfCreate): AnswerProblem[] {
  const problems = headerProblems(read);
  if (!read.empty) problems.push({ check: 'response schema', ...atBody(), message: 'must be empty: a 204 No Content has no content (RFC 9110 §15.3.5)' });
  const applied = appliedReturn(headerValues(read.lines, 'Preference-Applied'));
  if (applied !== undefined && applied !== 'minimal') problems.push({ check: 'response headers', ...atHeader('Preference-Applied'), message: `must not say return=${JSON.stringify(applied).slice(0, 100)} on a 204 No Content: a 204 applies return=minimal (OData 4.01 Part 1 §8.2.8.7)` });
  const id = minimalCreatedId(read.lines);
  for (const name of ['Location', 'OData-EntityId']) {
    if (headerValues(read.lines, name).length === 0) problems.push({ check: 'resource identity', ...atHeader(name), message: `is required on a 204 No Content to a create: it names the created vppToken, which the answer carries no body of (OData 4.01 Part 1 §11.4.2 Location; OData 4.0 Part 1 §8.3.3 OData-EntityId)` });
  }
  if ('missing' in id) {
    if (id.at) problems.push({ check: 'resource identity', ...atHeader(id.at), message: id.missing });
    return problems;
  }
  return [...problems, ...resourceIdentityProblems({ id: id.id }, read.lines, service)];
}

/**
 * The id of the vppToken a 204 No Content to a create names: its Location's key (OData-EntityId's when it has no
 * Location), an id Graph gives (a GUID, by the response schema's rule for `/id`); or what is wrong instead and where.
 */
function minimalCreatedId(lines: readonly HeaderLine[]): { id: string } | { missing: string; at?: string } {
  const name = headerValues(lines, 'Location').length > 0 ? 'Location' : 'OData-EntityId';
  const values = headerValues(lines, name);
  if (values.length !== 1) return { missing: values.length === 0 ? 'no Location or OData-EntityId' : `${name} given ${values.length} times` };
  const key = vppTokenKeyOf(values[0]);
  if (key === undefined) return { missing: `must name the created vppToken, <service root>/deviceAppManagement/vppTokens('<id>') (got ${JSON.stringify(redactTargetQuery(values[0]).slice(0, 200))})`, at: name };
  const wrongId = problemsOf('response', { id: key }).find((p) => p.pointer === '/id');
  if (wrongId) return { missing: `must name the created vppToken by an id Graph gives: its key ${wrongId.message}`, at: name };
  return { id: key };
}

/**
 * Judges the answer to a request Graph refuses: one of `expected` (such as [400]), a JSON content type, no
 * ambiguous header, Graph's error body read strictly, and no credential of the request echoed.
 */
/**
 * Judges the answer to a read (GET of one vppToken, or a page of the collection) answered 200 as an answer, by the
 * rules a 201 is held to for what both are (jsonAnswer): one answer per request on its connection, the media type
 * and charset a Graph client parses by (Kiota picks its parse node by the media type; a charset names the
 * encoding, RFC 9110 §8.3.2), no singleton header twice, and a body read strictly. `body` is its JSON value, or
 * undefined when it could not be read: a body problem (check `response schema`, at `body...`) says why. What the
 * body must hold is the caller's to judge (judgeReadBack for one vppToken). Outside tester N5, N6; decision 0366.
 * Given `read` (what was read, one vppToken or a page, the service asked, and the URL read, which a relative
 * context resolves against: decision 1181), its `@odata.context` is held to the 201's rule too (readContextProblems,
 * check `resource identity`; outside attacker R109, decision 0971).
 */
export function judgeReadAnswer(answer: ObservedAnswer, read?: { kind: ContextKind; service: ServiceOfCreate; url: string | URL; odataMaxVersion?: readonly string[] }): { problems: AnswerProblem[]; body: unknown } {
  const problems = [...connectionProblems(answer), ...bodilessFramingProblems(answer)];
  const message = readAnswer(answer);
  const body = jsonAnswer(message, problems);
  if (read && body !== undefined) problems.push(...readContextProblems(body, read.kind, read.service, read.url), ...spellingProblems(body, mayOmitODataPrefix(read.odataMaxVersion, headerValues(message.lines, 'OData-Version')), read.service.profile));
  return { problems, body };
}

/**
 * An answer's control information in OData 4.01's spelling (`@context`, `@type`, `@nextLink`: decision 1220), refused
 * unless the request asked `OData-MaxVersion: 4.01` and the answer says no OData-Version of 4.0 (mayOmitODataPrefix,
 * unprefixedControlInformationProblems), check `response schema`;
 * and a vppToken's type written `@type` held to the rule `@odata.type` is (the response schema's: another entity's
 * type fails, asked 4.01 or not), as a 4.01 client reads it. Its context is resource identity's (controlInformation).
 */
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function spellingProblems(body: unknown, spelling: ReturnType<typeof mayOmitODataPrefix>, profile: Profile | undefined, typesToo = true): AnswerProblem[] {
  const problems: AnswerProblem[] = unprefixedControlInformationProblems(body, spelling).map((p) => ({ check: 'response schema' as const, ...p }));
  if (!typesToo) return problems;
  // A read's body is judged by no schema here: its `@type` by the response schema's rule (problemsOf, decision 1310).
  const typed = (object: unknown, at: string) => {
    const results = isPlainObject(object) ? object.tokenActionResults : undefined;
    if (controlInformation(object, 'type') === undefined && !(Array.isArray(results) && results.some((item) => isPlainObject(item) && item['@type'] !== undefined))) return;
    for (const p of problemsOf('response', object, profile)) {
      if (/^(?:\/tokenActionResults\/\d+)?\/@type$/.test(p.pointer)) problems.push({ check: 'response schema', ...atBody(`${at}${p.pointer}`), message: p.message });
    }
  };
  if (body !== null && typeof body === 'object' && Array.isArray((body as { value?: unknown }).value)) (body as { value: unknown[] }).value.forEach((item, i) => typed(item, `/value/${i}`));
  else typed(body, '');
  return problems;
}

/**
 * A read's answer (one vppToken by id, or a page of the collection) is an answer to a request that carried the
 * bearer and any other credential of its header lines (a gateway key): it never carries one back, in any spelling
 * (outside tester H32; decision 0900), by the create's rule, its request's lines read as a create's are
 * (answerContextOfLines). Read by id, the vppToken's own sToken may stand at `/token` and no other may; a page lists
 * the tenant's vppTokens with their sTokens, so there only the request's credentials are looked for. `request` is the
 * read's header lines (Authorization among them), `created` the create request of the vppToken read by id, and
 * `batchAuthorization` the bearer of the JSON batch that carries the read (decision 0540), `publicHosts` the run's
 * `--public-host` hosts (a value that is one is no credential: decision 1052).
 */
export function judgeReadEcho(answer: ObservedAnswer, request: HeaderSource, created?: unknown, batchAuthorization?: string, publicHosts?: readonly string[]): AnswerProblem[] {
  return credentialEchoProblems(readAnswer(answer), { ...answerContextOfLines(headerLines(request)), sent: created, ...(batchAuthorization === undefined ? {} : { batchAuthorization }), ...(publicHosts === undefined ? {} : { publicHosts }) }, true, created !== undefined);
}

export function judgeRejectedAnswer(expected: readonly number[], answer: ObservedAnswer, context: AnswerContext = {}): AnswerProblem[] {
  refuseArguments(argumentProblem('expected', expected, 'array', 'an array of the statuses expected, such as [400]'), observedAnswerProblem(answer), argumentProblem('context', context, 'object', 'an AnswerContext, an object'));
  const problems: AnswerProblem[] = connectionProblems(answer);
  const allowed = expected.join(' or ');
  // An expected status, even a 5xx (a 503 with Graph's error body, say), is judged by its headers and body alone.
  if (!expected.includes(answer.status)) {
    const serverError = answer.status >= 500;
    problems.push({ check: serverError ? 'not a server error' : 'status', ...at('status'), message: `must be ${allowed}${serverError ? ', not a server error' : ''} (got ${answer.status})` });
  }
  problems.push(...bodilessFramingProblems(answer));
  const read = readAnswer(answer);
  const echoed = credentialEchoProblems(read, context, false);
  if (!expected.includes(answer.status)) return withoutCredentials([...problems, ...echoed], context);
  problems.push(...contentTypeProblems(read), ...headerProblems(read), ...challengeProblems(answer.status, read));
  const body = jsonBody(read, problems);
  if (body !== undefined) for (const p of problemsOf('error', body)) problems.push({ check: 'response schema', ...atBody(p.pointer), message: p.message });
  return withoutCredentials([...problems, ...echoed], context);
}

/** Problems whose messages quote the answer (a Content-Type, a value) with the request's credentials hidden. */
function withoutCredentials(problems: AnswerProblem[], context: AnswerContext): AnswerProblem[] {
  const values = credentialsOf(context);
  return problems.map((p) => ({ ...p, message: redact(p.message, { values }) }));
}
