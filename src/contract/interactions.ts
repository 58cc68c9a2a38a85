import type { VppTokenCreateRequest } from '../generated/types';
import { SEED_PAGE_EXAMPLE_REQUEST, createRequestFactory, graphErrorFactory } from '../fixtures';
import { NEVER } from '../graph';
import { DEFAULT_PROFILE, betaOnlyEnumMembers, schemaFor, type Profile } from '../schemas';
import { createdExpectation } from './expectation';
import { Matchers } from './pact-matchers';
import { matchersFor, matchersForInvalid, matchersForSchema } from './matchers';
import { BEARER_PATTERN, VPP_TOKENS_PATH } from '../judgement';
import { CHALLENGE_LINE_PATTERN, JSON_ANSWER_MEDIA_TYPE_PATTERN, JSON_REQUEST_MEDIA_TYPE_PATTERN } from '../wire';
import { CONTRACT_SEED } from './seed';
import { argumentProblem, refuseArguments, membersProblem, shownOption, optionsObjectProblem } from '../net/option';

/** The one provider state of the canonical contract: a stateless server can be verified without handlers. */
export const PROVIDER_STATE = 'a tenant that can add VPP tokens';
/** A placeholder access token for examples (an unsigned, empty JWT): any Bearer token matches. */
export const EXAMPLE_AUTHORIZATION = 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.';
/**
 * A placeholder VPP token for pacts written from a real client's requests (check-client): schema-valid, shaped
 * like an Apple sToken, made up by the fixtures. A client's own token is a credential and never goes in a pact.
 */
export const EXAMPLE_VPP_TOKEN: string = createRequestFactory.withSeed(CONTRACT_SEED).withTraits('minimal').buildAt(0).token;

/** Past the indexes the canonical interactions draw their tokens from, so a placeholder is none of theirs but the first. */
const PLACEHOLDER_INDEX = 1000;

/**
 * The placeholders of a pact written from a real client's requests (check-client, `proxy --record`): each distinct
 * VPP token the client sent gets its own, EXAMPLE_VPP_TOKEN the first, so a provider that creates each token once
 * passes the pact as it passed the client (outside tester I28); the same token sent twice keeps one placeholder.
 * Never the client's own token. Call it once per pact.
 */
export function placeholderTokens(): (clientToken: string) => string {
  const given = new Map<string, string>();
  return (clientToken) => {
    let placeholder = given.get(clientToken);
    if (placeholder === undefined) {
      placeholder = given.size === 0 ? EXAMPLE_VPP_TOKEN : createRequestFactory.withSeed(CONTRACT_SEED).withTraits('minimal').buildAt(PLACEHOLDER_INDEX + given.size).token;
      given.set(clientToken, placeholder);
    }
    return placeholder;
  };
}

/**
 * Creates in the order a pact written from a real client's requests takes them (check-client, `proxy --record`): by
 * their shape's description (the order the pact is written in, so the first interaction holds EXAMPLE_VPP_TOKEN), then
 * their bodies' values, then their tokens, never by the order they arrived in. The placeholders are handed out, and
 * each shape's one example chosen, in this order, so the same creates give the same bytes whatever order a client's
 * workers sent them in (outside tester P10). `bodyOf` gives the body as its shape is described (undefined: no JSON
 * object).
 */
export function inPactOrder<T>(items: readonly T[], bodyOf: (item: T) => Record<string, unknown> | undefined): T[] {
  refuseArguments(argumentProblem('items', items, 'array'), argumentProblem('bodyOf', bodyOf, 'function'));
  const keyOf = (item: T): string => {
    const body = bodyOf(item);
    if (body === undefined) return '';
    const rest = Object.keys(body)
      .sort()
      .map((key) => [key, key === 'token' ? null : body[key]]);
    return `${describeCreate(body)}\u0000${JSON.stringify(rest)}\u0000${typeof body.token === 'string' ? body.token : ''}`;
  };
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  // Code-unit order, the same on every machine and in every locale; a stable sort keeps equal keys as they came.
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ item }) => item);
}

/** One interaction as plain data: what the consumer sends and what the provider must answer. */
export interface InteractionSpec {
  description: string;
  providerState: string;
  request: { method: 'POST'; path: string; headers: Record<string, unknown>; body: unknown };
  response: { status: number; headers: Record<string, unknown>; body: unknown };
  /** The Graph profile whose schemas judge it (default beta); the rules written into the pact file follow it. */
  profile?: Profile;
}

const requestHeaders = (authenticated: boolean): Record<string, unknown> => ({
  // The judgement's rule for a request's media type (src/wire, RFC 9110 §8.3.1): any case, each letter spelt in both
  // (Pact's Rust regexes and JavaScript's share no inline case flag), and a charset, if any, UTF-8 (decision 0148).
  'Content-Type': Matchers.regex(JSON_REQUEST_MEDIA_TYPE_PATTERN, 'application/json'),
  ...(authenticated ? { Authorization: Matchers.regex(BEARER_PATTERN, EXAMPLE_AUTHORIZATION) } : {}),
});

const responseHeaders = (status?: number): Record<string, unknown> => ({
  // An answer's media type is Graph's lowercase one, nothing before its `;`: the judgement's rule (outside tester I6).
  'Content-Type': Matchers.regex(JSON_ANSWER_MEDIA_TYPE_PATTERN, 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'),
  // A 401 carries a challenge on every WWW-Authenticate line (RFC 9110 §11.6.1, §15.5.2), as the judgement requires
  // (outside finding N2, decision 0361); that one of them is Bearer, a rule across lines, is verify's.
  ...(status === 401 ? { 'WWW-Authenticate': Matchers.regex(CHALLENGE_LINE_PATTERN, 'Bearer') } : {}),
});

/**
 * The 201 body of an interaction, through Pact's DSL: the example of createdExpectation with the matchers the DSL
 * can say. addInteraction and writePact then write the schema's full rules into the pact file (strengthenPact).
 */
export function createdResponseBody(request: VppTokenCreateRequest, profile?: Profile): unknown {
  refuseArguments(argumentProblem('request', request, 'object', 'a create request, an object'));
  return matchersForSchema(schemaFor('response', profile), createdExpectation(request, profile).body);
}

/**
 * A description Pact can tell apart, from a request body's shape: which properties it has, and which of them are
 * null ("a request to create a vppToken with token, displayName (null)"). Recorded pacts (check-client, proxy)
 * hold one interaction per description.
 */
export function describeCreate(body: Record<string, unknown>): string {
  refuseArguments(argumentProblem('body', body, 'object', "a create request's body, an object"));
  const keys = Object.entries(body).map(([k, v]) => (v === null ? `${k} (null)` : k));
  return `a request to create a vppToken with ${keys.length ? keys.join(', ') : 'no property'}`;
}

/** What createInteraction takes besides the description and request: both optional. */
export interface CreateInteractionOptions {
  /** The provider state (default PROVIDER_STATE, "a tenant that can add VPP tokens"). */
  providerState?: string;
  /** The Graph profile whose schemas give the rules (default beta); recorded in the interaction. */
  profile?: Profile;
}

/**
 * An interaction in which a valid create succeeds with 201 and the created vppToken:
 * `createInteraction('create an education token', body, { profile: 'v1.0' })`.
 */
export function createInteraction(description: string, request: VppTokenCreateRequest, options: CreateInteractionOptions = {}): InteractionSpec {
  refuseArguments(argumentProblem('description', description, 'string'));
  // A profile given where the provider state went before (`createInteraction(d, body, 'v1.0')`) is not a state.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`createInteraction: the third argument is an options object such as { profile: "v1.0" } or { providerState: "..." } (got ${shownOption(options)})`);
  }
  refuseArguments(optionsObjectProblem('createInteraction', options, ['providerState', 'profile']), membersProblem(options, { providerState: 'string' }));
  const { providerState = PROVIDER_STATE, profile } = options;
  return {
    description,
    providerState,
    request: { method: 'POST', path: VPP_TOKENS_PATH, headers: requestHeaders(true), body: matchersFor('request', request, profile) },
    response: { status: 201, headers: responseHeaders(), body: createdResponseBody(request, profile) },
    ...(profile === undefined ? {} : { profile }),
  };
}

/**
 * An interaction in which the provider refuses a create with `status` and Graph's error body. The invalid
 * values of the body stay literal; the rest is matched by the schema.
 */
export function rejectedCreateInteraction(
  description: string,
  body: unknown,
  options: { status: 400 | 401 | 415; authenticated?: boolean; providerState?: string; profile?: Profile },
): InteractionSpec {
  refuseArguments(argumentProblem('description', description, 'string'), argumentProblem('options', options, 'object', 'an object of status, at least'));
  refuseArguments(
    optionsObjectProblem('rejectedCreateInteraction', options, ['status', 'authenticated', 'providerState', 'profile']),
    ([400, 401, 415] as unknown[]).includes(options.status) ? undefined : `status must be one of 400, 401, 415 (got ${shownOption(options.status)})`,
    membersProblem(options, { authenticated: 'boolean', providerState: 'string' }),
  );
  const { status, authenticated = true, providerState = PROVIDER_STATE, profile } = options;
  const example = graphErrorFactory.withSeed(CONTRACT_SEED).withTraits(status === 401 ? 'unauthorized' : 'badRequest').buildAt(0);
  return {
    description,
    providerState,
    request: { method: 'POST', path: VPP_TOKENS_PATH, headers: requestHeaders(authenticated), body: matchersForInvalid('request', body, profile) },
    response: { status, headers: responseHeaders(status), body: matchersFor('error', { error: { code: example.error.code, message: example.error.message } }) },
    ...(profile === undefined ? {} : { profile }),
  };
}

/** Does the profile's create request have tokenActionResults (beta does, v1.0 does not)? */
const hasActionResults = (profile: Profile): boolean => 'tokenActionResults' in ((schemaFor('request', profile).properties ?? {}) as object);

/**
 * A derived action result relabelled as the base type: the base type's @odata.type with the license counts only
 * vppTokenRevokeLicensesActionResult has. Graph refuses it; a provider that takes it fails.
 */
export const BASE_ITEM_WITH_DERIVED_PROPERTY = {
  '@odata.type': '#microsoft.graph.vppTokenActionResult',
  actionName: 'RevokeLicenses',
  actionState: 'done',
  startDateTime: '2026-05-04T10:00:00Z',
  lastUpdatedDateTime: '2026-05-04T10:05:00Z',
  failedLicensesCount: 0,
  totalLicensesCount: 12,
} as const;

/**
 * The canonical contract of POST /deviceAppManagement/vppTokens that every provider of Graph `profile`
 * (default beta) must honour: the same interactions in both, with each profile's records and schemas.
 */
export function canonicalInteractions(profile: Profile = DEFAULT_PROFILE): InteractionSpec[] {
  const requests = createRequestFactory.withProfile(profile).withSeed(CONTRACT_SEED);
  const { token: _token, ...withoutToken } = requests.buildAt(0);
  const token = (i: number) => requests.withTraits('minimal').buildAt(i).token;
  const invalid = (what: string, body: unknown) => rejectedCreateInteraction(`a request to create a vppToken with ${what}`, body, { status: 400, profile });
  const created = (description: string, request: VppTokenCreateRequest) => createInteraction(description, request, { profile });
  // Each create that must succeed carries its own token: a provider may keep each token once, as the kit's own rule
  // does for clients (decision 0205; outside tester I12: three 201 interactions shared record 0's token).
  return [
    created('a request to create a vppToken with every property', requests.withTraits('full').buildAt(0)),
    created('a request to create a vppToken with only its token', { token: token(30) }),
    created('a request to create a vppToken with its nullable properties set to null', { ...requests.withTraits('nulls').buildAt(0), token: token(31) }),
    // What providers get wrong about Edm.DateTimeOffset: Graph's "never", seven fraction digits, offsets other than Z.
    created('a request to create a vppToken with Graph\'s "never" dates', { token: token(2), expirationDateTime: NEVER, lastSyncDateTime: NEVER }),
    created('a request to create a vppToken with seven-digit dates and offsets other than Z', {
      token: token(3),
      expirationDateTime: '2027-03-14T15:10:04.3355154+05:30',
      lastSyncDateTime: '2025-12-09T06:52:04.2321007-08:00',
    }),
    rejectedCreateInteraction('a request to create a vppToken without a token', withoutToken, { status: 400, profile }),
    rejectedCreateInteraction('a request to create a vppToken with the seed page\'s "String" enum values', SEED_PAGE_EXAMPLE_REQUEST, { status: 400, profile }),
    // Each class of invalid body Graph refuses with 400.
    invalid('an unknown property', { token: token(4), friendlyName: 'Fleet A' }),
    invalid('an empty token', { token: '' }),
    invalid('a null token', { token: null }),
    invalid('a boolean sent as a string', { token: token(5), automaticallyUpdateApps: 'true' }),
    invalid('an account type that is not a member of the enum', { token: token(6), vppTokenAccountType: 'enterprise' }),
    invalid('a malformed date', { token: token(7), expirationDateTime: '2027-03-14 15:10:04' }),
    invalid('an @odata.type naming another type', { '@odata.type': '#microsoft.graph.vppTokenActionResult', token: token(8) }),
    // What a DateTimeOffset's pattern allows and RFC 3339 does not: a day that does not exist, an offset that is none.
    invalid('a date that does not exist (February 30th)', { token: token(9), expirationDateTime: '2027-02-30T00:00:00Z' }),
    invalid('an offset out of range (+25:00)', { token: token(10), lastSyncDateTime: '2027-03-01T00:00:00+25:00' }),
    // An enum member beta has and this profile lacks (docs/decisions/0081).
    ...betaOnlyEnumMembers(profile).map(({ property, member }, i) => invalid(`a ${property} only Graph beta has (${member})`, { token: token(11 + i), [property]: member })),
    // A base-typed action result with a derived type's property (decision 0105): only where the profile has them.
    ...(hasActionResults(profile)
      ? [invalid('an action result of the base type carrying a derived type\'s property', { token: token(20), tokenActionResults: [BASE_ITEM_WITH_DERIVED_PROPERTY] })]
      : []),
    rejectedCreateInteraction('a request to create a vppToken without an Authorization header', requests.withTraits('minimal').buildAt(1), { status: 401, authenticated: false, profile }),
  ];
}
