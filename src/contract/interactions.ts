import type { VppTokenCreateRequest } from '../generated/types';
import { REFERENCE_DATE, SEED_PAGE_EXAMPLE_REQUEST, createRequestFactory, createdVppToken, graphErrorFactory } from '../fixtures';
import { DEFAULT_PROFILE, derefSchema, schemaFor, type JsonSchema, type Profile } from '../schemas';
import { Matchers } from '@pact-foundation/pact';
import { matchersFor, matchersForInvalid, matchersForSchema } from './matchers';

/** The path of the create operation, without a version prefix (a provider's base URL carries /beta or /v1.0). */
export const VPP_TOKENS_PATH = '/deviceAppManagement/vppTokens';
/** The provider name every vppkit contract uses, so one verification job serves every consumer. */
export const VPP_TOKENS_PROVIDER = 'microsoft-graph-vpptokens';
export const CANONICAL_CONSUMER = 'vppkit-canonical-consumer';
/** The consumer name of a profile's canonical contract: beta keeps the original name, v1.0 adds `-v1.0`. */
export const canonicalConsumer = (profile: Profile = DEFAULT_PROFILE): string =>
  profile === DEFAULT_PROFILE ? CANONICAL_CONSUMER : `${CANONICAL_CONSUMER}-${profile}`;
/** The one provider state of the canonical contract: a stateless server can be verified without handlers. */
export const PROVIDER_STATE = 'a tenant that can add VPP tokens';
export const JSON_CONTENT_TYPE_PATTERN = '^application/json(;.*)?$';
export const BEARER_PATTERN = '^Bearer .+$';
/** A placeholder access token for examples (an unsigned, empty JWT): any Bearer token matches. */
export const EXAMPLE_AUTHORIZATION = 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.';
/** The seed the canonical contract's examples are built with. */
export const CONTRACT_SEED = 4242;

/** One interaction as plain data: what the consumer sends and what the provider must answer. */
export interface InteractionSpec {
  description: string;
  providerState: string;
  request: { method: 'POST'; path: string; headers: Record<string, unknown>; body: unknown };
  response: { status: number; headers: Record<string, unknown>; body: unknown };
}

const requestHeaders = (authenticated: boolean): Record<string, unknown> => ({
  'Content-Type': Matchers.regex(JSON_CONTENT_TYPE_PATTERN, 'application/json'),
  ...(authenticated ? { Authorization: Matchers.regex(BEARER_PATTERN, EXAMPLE_AUTHORIZATION) } : {}),
});

const responseHeaders = (): Record<string, unknown> => ({
  'Content-Type': Matchers.regex(JSON_CONTENT_TYPE_PATTERN, 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'),
});

function allowsNull(schema: JsonSchema): boolean {
  const type = derefSchema(schema).type;
  return Array.isArray(type) ? type.includes('null') || type.includes('array') : type === 'array';
}

/**
 * The 201 body a correct server must answer to `request`: every required property that can be neither null
 * nor an empty list (id, lastModifiedDateTime, the booleans, dates and enums), each matched by the schema.
 * Nullable strings and lists are left out: a correct server may answer null or [] for what the request can't
 * determine, and Pact has no "string or null" matcher.
 */
export function createdResponseBody(request: VppTokenCreateRequest, profile?: Profile): unknown {
  const schema = schemaFor('response', profile);
  const properties = schema.properties as Record<string, JsonSchema>;
  const example = createdVppToken(request, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: REFERENCE_DATE, profile }) as unknown as Record<string, unknown>;
  const expected = Object.fromEntries(
    (schema.required as string[]).filter((key) => !allowsNull(properties[key])).map((key) => [key, example[key]]),
  );
  return matchersForSchema(schema, expected);
}

/** An interaction in which a valid create succeeds with 201 and the created vppToken. */
export function createInteraction(description: string, request: VppTokenCreateRequest, providerState = PROVIDER_STATE, profile?: Profile): InteractionSpec {
  return {
    description,
    providerState,
    request: { method: 'POST', path: VPP_TOKENS_PATH, headers: requestHeaders(true), body: matchersFor('request', request, profile) },
    response: { status: 201, headers: responseHeaders(), body: createdResponseBody(request, profile) },
  };
}

/**
 * An interaction in which the provider refuses a create with `status` and Graph's error body. The invalid
 * values of the body stay literal; the rest is matched by the schema.
 */
export function rejectedCreateInteraction(
  description: string,
  body: unknown,
  { status, authenticated = true, providerState = PROVIDER_STATE, profile }: { status: 400 | 401 | 415; authenticated?: boolean; providerState?: string; profile?: Profile },
): InteractionSpec {
  const example = graphErrorFactory.withSeed(CONTRACT_SEED).withTraits(status === 401 ? 'unauthorized' : 'badRequest').buildAt(0);
  return {
    description,
    providerState,
    request: { method: 'POST', path: VPP_TOKENS_PATH, headers: requestHeaders(authenticated), body: matchersForInvalid('request', body, profile) },
    response: { status, headers: responseHeaders(), body: matchersFor('error', { error: { code: example.error.code, message: example.error.message } }) },
  };
}

/**
 * The canonical contract of POST /deviceAppManagement/vppTokens that every provider of Graph `profile`
 * (default beta) must honour: the same interactions in both, with each profile's records and schemas.
 */
export function canonicalInteractions(profile: Profile = DEFAULT_PROFILE): InteractionSpec[] {
  const requests = createRequestFactory.withProfile(profile).withSeed(CONTRACT_SEED);
  const { token: _token, ...withoutToken } = requests.buildAt(0);
  const state = PROVIDER_STATE;
  return [
    createInteraction('a request to create a vppToken with every property', requests.withTraits('full').buildAt(0), state, profile),
    createInteraction('a request to create a vppToken with only its token', requests.withTraits('minimal').buildAt(0), state, profile),
    createInteraction('a request to create a vppToken with its nullable properties set to null', requests.withTraits('nulls').buildAt(0), state, profile),
    rejectedCreateInteraction('a request to create a vppToken without a token', withoutToken, { status: 400, profile }),
    rejectedCreateInteraction('a request to create a vppToken with the seed page\'s "String" enum values', SEED_PAGE_EXAMPLE_REQUEST, { status: 400, profile }),
    rejectedCreateInteraction('a request to create a vppToken without an Authorization header', requests.withTraits('minimal').buildAt(1), { status: 401, authenticated: false, profile }),
  ];
}
