// The kit's contract as an OpenAPI 3.1 document, generated from schemas/ (never written by hand), for the tools
// that take OpenAPI: Prism, Schemathesis, PactFlow's bi-directional contract testing (docs/decisions/0070).
import { join } from 'node:path';
import {
  FIXTURE_SEED,
  createRequestFactory,
  errorExampleName,
  errorExampleTraits,
  graphErrorFactory,
  graphErrorKinds,
  requestExampleTraits,
  vppTokenFactory,
  responseExampleTraits,
  type VppTokenTrait,
} from '../fixtures';
import { VPP_TOKENS_PATH } from '../judgement';
import { DEFAULT_PROFILE, loadSchemas, profileBaseUri, SCHEMA_BASE_URI, toProfile, type JsonSchema, type Profile } from '../schemas';
import { toProfileRecord } from '../graph';
import { DATE_TIME_OFFSET_BOUNDS, boundedDateTimeOffsetPattern, problemsOf } from '../validation';
import { CHALLENGE_LINE_PATTERN } from '../wire';

/** The committed documents, one per profile (`npm run generate:openapi`). */
export const OPENAPI_DIR = join(__dirname, '..', '..', 'openapi');
export const openApiFile = (profile: Profile = DEFAULT_PROFILE): string => `vpptokens-${toProfile(profile)}.openapi.json`;

/** The permissions Graph's docs list for the operation, least privileged first (README "The operation"). */
export const PERMISSIONS = ['DeviceManagementServiceConfig.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All'] as const;

/**
 * The statuses a client must be ready for, each with Graph's error body: the 400s the contract itself
 * produces, and those Graph answers for reasons of its own (permissions, size, throttling, outages). Graph sends
 * Retry-After with 429 and 503.
 */
export const ERROR_RESPONSES = {
  400: { name: 'BadRequest', description: 'The body is not a valid vppToken (Graph lists every problem in error.details), or not JSON.' },
  401: { name: 'Unauthorized', description: 'No Authorization header, or a token Graph does not accept.', challenge: true },
  403: { name: 'Forbidden', description: `The caller lacks ${PERMISSIONS.join(' and ')}.` },
  413: { name: 'PayloadTooLarge', description: 'The body is over Graph\'s write limit (4 MB).' },
  415: { name: 'UnsupportedMediaType', description: 'The Content-Type is not application/json.' },
  429: { name: 'TooManyRequests', description: 'Throttled: wait as Retry-After says, then send again.', retryAfter: true },
  503: { name: 'ServiceUnavailable', description: 'Graph is unavailable for a while: wait as Retry-After says.', retryAfter: true },
  504: { name: 'GatewayTimeout', description: 'Graph did not answer in time. The vppToken may have been created: read before you create it again (a POST is not idempotent).' },
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

export type OpenApiDocument = { openapi: '3.1.0' } & Record<string, unknown>;

const componentRef = (name: string) => `#/components/schemas/${name}`;

/** A schema document as an OpenAPI component: `$schema`, `$id` and the type generator's hints dropped, `$ref`s to components. */
function toComponent(schema: JsonSchema, nameOf: (ref: string) => string): JsonSchema {
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (node === null || typeof node !== 'object') return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === '$id' || key === 'tsType') continue;
      out[key] = key === '$ref' && typeof value === 'string' ? componentRef(nameOf(value)) : convert(value);
    }
    return out;
  };
  return convert(schema) as JsonSchema;
}

/** Every schema of the profile as components, named by their titles (VppToken, VppTokenState, ...). */
function components(profile: Profile): Record<string, JsonSchema> {
  const schemas = loadSchemas(profile);
  const base = profileBaseUri(profile);
  const titleOf = new Map([...schemas].map(([file, schema]) => [file, String(schema.title)]));
  const nameOf = (ref: string) => {
    const file = ref.startsWith(base) ? ref.slice(base.length) : ref.startsWith(SCHEMA_BASE_URI) ? ref.slice(SCHEMA_BASE_URI.length) : ref;
    const name = titleOf.get(file);
    if (!name) throw new Error(`the schemas of ${profile} reference ${ref}, which they do not have`);
    return name;
  };
  const out: Record<string, JsonSchema> = Object.fromEntries([...schemas.values()].map((schema) => [String(schema.title), toComponent(schema, nameOf)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  // A tool that reads only this document applies ajv-formats' date-time, which knows no ±14:00 and no year 0000: the
  // pattern carries the bounds isDateTimeOffset holds, made from the same rule (outside tester R56, decision 0601).
  const dates = out.DateTimeOffset;
  if (dates) out.DateTimeOffset = { ...dates, description: `${String(dates.description)} ${DATE_TIME_OFFSET_BOUNDS}`, pattern: boundedDateTimeOffsetPattern(String(dates.pattern)) };
  return out;
}

/** Named examples from the fixtures' catalog (the same records as fixtures/<folder>/valid-<name>.json), kept only when valid in the profile. */
function examples(profile: Profile, kind: 'request' | 'response'): Record<string, { summary: string; value: unknown }> {
  const traits = kind === 'request' ? requestExampleTraits : responseExampleTraits;
  const factory = kind === 'request' ? createRequestFactory : vppTokenFactory;
  const out: Record<string, { summary: string; value: unknown }> = {};
  for (const [name, list] of Object.entries(traits) as [string, VppTokenTrait[]][]) {
    if (profile !== 'beta' && list.includes('withActionResults')) continue;
    const value = toProfileRecord(factory.withSeed(FIXTURE_SEED).withTraits(...list).buildAt(0), profile);
    if (problemsOf(kind, value, profile).length > 0) throw new Error(`the ${name} example is not a valid ${kind} in ${profile}`);
    const folder = kind === 'request' ? 'create-request' : 'create-response';
    out[name] = { summary: `fixtures/${folder}/valid-${name}.json${profile === 'beta' ? '' : `, without what ${profile} lacks`}`, value };
  }
  return out;
}

const jsonContent = (schemaName: string, named?: Record<string, unknown>) => ({
  'application/json': { schema: { $ref: componentRef(schemaName) }, ...(named && Object.keys(named).length > 0 ? { examples: named } : {}) },
});

function errorResponses(): Record<string, unknown> {
  const exampleOf = new Map<number, Record<string, unknown>>();
  for (const trait of errorExampleTraits) {
    exampleOf.set(graphErrorKinds[trait].status, {
      [errorExampleName(trait)]: { summary: `fixtures/graph-error/valid-${errorExampleName(trait)}.json`, value: graphErrorFactory.withSeed(FIXTURE_SEED).withTraits(trait).buildAt(0) },
    });
  }
  return Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, r]) => [
      r.name,
      {
        description: `${status}: ${r.description}`,
        headers: {
          'request-id': { $ref: '#/components/headers/request-id' },
          'client-request-id': { $ref: '#/components/headers/client-request-id' },
          ...('retryAfter' in r ? { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } : {}),
          ...('challenge' in r ? { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } } : {}),
        },
        content: jsonContent('GraphError', exampleOf.get(Number(status))),
      },
    ]),
  );
}

/**
 * The OpenAPI 3.1 document of POST /{version}/deviceAppManagement/vppTokens for a Graph profile, built from
 * the profile's schemas and the fixtures' examples: the same input gives the same document, byte for byte.
 */
export function openApiDocument(profile: Profile = DEFAULT_PROFILE): OpenApiDocument {
  const chosen = toProfile(profile);
  const path = `/${chosen}${VPP_TOKENS_PATH}`;
  return {
    openapi: '3.1.0',
    info: {
      title: `Microsoft Graph ${chosen}: create a vppToken`,
      version: chosen,
      summary: 'POST /deviceAppManagement/vppTokens, as the vpptokens-contract-kit contract describes it.',
      description:
        'Generated by `vppkit openapi` from the JSON Schemas of vpptokens-contract-kit (schemas/); do not edit. ' +
        'It follows Graph\'s metadata where Microsoft\'s own OpenAPI does not: open types are `additionalProperties: true` ' +
        'rather than `{type: object}`, the response never requires @odata.type, and only token is required in a create.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'https://graph.microsoft.com', description: 'Microsoft Graph' }],
    security: PERMISSIONS.map((permission) => ({ bearer: [permission] })),
    paths: {
      [path]: {
        post: {
          operationId: 'deviceAppManagement_CreateVppToken',
          summary: 'Create a vppToken',
          description: `Adds an Apple VPP token to Intune. Permissions (delegated work or school, or application): ${PERMISSIONS.join(' (least privileged) or ')}; personal Microsoft accounts are not supported.`,
          tags: ['deviceAppManagement.vppToken'],
          requestBody: { required: true, description: 'One vppToken: only token is required.', content: jsonContent('VppTokenCreateRequest', examples(chosen, 'request')) },
          responses: {
            201: {
              description: 'Created: the vppToken with its id and every property, null where nullable.',
              headers: {
                'request-id': { $ref: '#/components/headers/request-id' },
                'client-request-id': { $ref: '#/components/headers/client-request-id' },
              },
              content: jsonContent('VppToken', examples(chosen, 'response')),
            },
            ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, r]) => [status, { $ref: `#/components/responses/${r.name}` }])),
          },
        },
      },
    },
    components: {
      schemas: components(chosen),
      responses: errorResponses(),
      headers: {
        'request-id': { description: 'Graph\'s id of the request, for support.', schema: { type: 'string' } },
        'client-request-id': { description: 'The client-request-id the client sent, or Graph\'s own.', schema: { type: 'string' } },
        // RFC 9110 §15.5.2: a 401 MUST carry it; the pacts hold it by the same pattern (decision 0361).
        'WWW-Authenticate': {
          description: 'The challenge: Bearer, as Graph sends it (RFC 9110 §11.6.1, RFC 6750 §3); another scheme may come beside it.',
          required: true,
          schema: { type: 'string', pattern: CHALLENGE_LINE_PATTERN },
        },
        'Retry-After': {
          description: 'Seconds to wait before sending again (or an HTTP date).',
          schema: { type: 'string', pattern: '^([0-9]+|(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT)$' },
        },
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `A Microsoft Entra access token for Graph with ${PERMISSIONS.join(' or ')}.`,
        },
      },
    },
  };
}

/** The document as the committed file holds it: JSON, two-space indented, one final newline. */
export function openApiText(profile: Profile = DEFAULT_PROFILE): string {
  return `${JSON.stringify(openApiDocument(profile), null, 2)}\n`;
}
