// A create that sets what the service sets (outside finding M17, decision 0341): the rule is validation's, placed in the body here.
import { readOnlyPropertyProblems } from '../validation';
import type { Profile } from '../schemas';
import { atBody, type Placed } from '../wire';

/**
 * The read-only properties a create sets (readOnlyPropertyProblems, src/validation), each at its place in the body.
 * A client that sends one depends on what a correct service may refuse: its verdict fails it (check-client, the
 * proxy). A service that ignores it (201) and one that refuses it (400, Graph's error body) are both correct
 * (`setsReadOnly`). A value of the wrong type is the schema's problem, not said twice.
 */
export function readOnlyProblems(body: unknown, profile: Profile = 'beta', schemaProblems: readonly { pointer?: string }[] = []): (Placed & { message: string })[] {
  return readOnlyPropertyProblems(body, profile, schemaProblems).map((p) => ({ ...atBody(p.pointer), message: p.message }));
}

/** Whether a create sets a read-only property: a 400 to it is as fair as a 201 (readOnlyProblems). */
export const setsReadOnly = (body: unknown, profile: Profile = 'beta'): boolean => readOnlyPropertyProblems(body, profile).length > 0;
