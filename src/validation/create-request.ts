// The one judgement of a create request's content (decision 0427): check-client's verdict, validate and seed's.
import { isReadOnly, schemaFor, type JsonSchema, type Profile } from '../schemas';
import type { Problem } from './problems';
import { requestTokenProblem } from './stoken';
import { isValid, problemsOf } from './validators';

const READ_ONLY = 'is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out';

/** The create request's read-only properties under a profile (`id`, `lastModifiedDateTime`), read from its schema. */
const readOnlyByProfile = new Map<Profile, readonly string[]>();
function readOnlyProperties(profile: Profile): readonly string[] {
  let names = readOnlyByProfile.get(profile);
  if (!names) {
    const properties = (schemaFor('request', profile).properties ?? {}) as Record<string, JsonSchema>;
    readOnlyByProfile.set(profile, (names = Object.keys(properties).filter((name) => isReadOnly(properties[name]))));
  }
  return names;
}

/**
 * The read-only properties a create sets, each a problem at its pointer: the schema marks them `readOnly` (Graph's
 * entity.id is "Read-only"; the service sets lastModifiedDateTime), and JSON Schema Validation 2020-12 §9.4 says an
 * attempt to set one is "expected to be ignored or rejected by that owning authority". A client that sends one
 * depends on what a correct service may refuse (decision 0341). A value of the wrong type is the schema's problem
 * (`schemaProblems`), not said twice.
 */
export function readOnlyPropertyProblems(request: unknown, profile: Profile = 'beta', schemaProblems: readonly { pointer?: string }[] = []): Problem[] {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return [];
  return readOnlyProperties(profile)
    .filter((name) => Object.hasOwn(request, name) && !schemaProblems.some((p) => p.pointer === `/${name}`))
    .map((name) => ({ pointer: `/${name}`, keyword: 'readOnly', message: READ_ONLY }));
}

export interface CreateRequestRules {
  /** Refuse a token that is no Apple sToken, as Intune does (decision 0216). */
  requireSTokens?: boolean;
  /** Refuse a create that sets a read-only property (decision 0341): what a client sends, not what a service answers. */
  readOnly?: boolean;
}

/**
 * What is wrong with the content of a create request, in one order wherever it is judged: the schema's problems,
 * then the read-only properties it sets (`readOnly`), then a token that is no Apple sToken (`requireSTokens`, unless
 * the schema already refused the token). check-client and the proxy judge a client's create by it
 * (checkCreateRequest), `validate` and `seed` each record of a file (decision 0427): a record the kit's validator
 * passes and its seeder sends is one its client check takes.
 */
export function createRequestProblems(request: unknown, profile?: Profile, rules: CreateRequestRules = {}): Problem[] {
  const schema = isValid('request', request, profile) ? [] : problemsOf('request', request, profile);
  const problems = [...schema];
  if (rules.readOnly) problems.push(...readOnlyPropertyProblems(request, profile, schema));
  const sToken = rules.requireSTokens && !schema.some((p) => p.pointer === '/token') ? requestTokenProblem(request) : undefined;
  if (sToken) problems.push(sToken);
  return problems;
}
