// A create that sets what the service sets (outside finding M17, decision 0341).
import { isReadOnly, schemaFor, type JsonSchema, type Profile } from '../schemas';
import { atBody, type Placed } from '../wire';

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
 * depends on what a correct service may refuse: its verdict fails it (check-client, the proxy). A service that
 * ignores it (201) and one that refuses it (400, Graph's error body) are both correct (`setsReadOnly`). A value of
 * the wrong type is the schema's problem, not said twice.
 */
export function readOnlyProblems(body: unknown, profile: Profile = 'beta', schemaProblems: readonly { pointer?: string }[] = []): (Placed & { message: string })[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  return readOnlyProperties(profile)
    .filter((name) => Object.hasOwn(body, name) && !schemaProblems.some((p) => p.pointer === `/${name}`))
    .map((name) => ({ ...atBody(`/${name}`), message: READ_ONLY }));
}

/** Whether a create sets a read-only property: a 400 to it is as fair as a 201 (readOnlyProblems). */
export const setsReadOnly = (body: unknown, profile: Profile = 'beta'): boolean => readOnlyProblems(body, profile).length > 0;
