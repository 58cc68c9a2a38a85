// What a create asked of its answer with `Prefer` (RFC 7240) and what the answer says it applied
// (`Preference-Applied`): OData gives two of them a meaning an answer is judged by (docs/decisions/0590).
import { preferencesOf, type HeaderLine } from '../wire';
import type { Problem } from '../validation';

/** The two preferences of a create that change what its answer may be (OData 4.01 Part 1 §8.2.8.6, §8.2.8.7). */
export interface CreatePreferences {
  /** `return=minimal`: the service may answer 204 No Content, the created vppToken named by Location and OData-EntityId (§11.4.2). */
  minimal: boolean;
  /** `omit-values=nulls`: the service may leave out properties whose value is null, and then says so (§8.2.8.6). */
  omitNulls: boolean;
  /**
   * `respond-async`: the service may answer 202 Accepted with a Location of a status monitor, the create not done
   * yet (RFC 7240 §4.1; OData 4.01 Part 1 §8.2.8.8, §11.6); its outcome is then unknown (decision 1131).
   */
  async: boolean;
}

const lines = (values: readonly string[] | undefined, name: string): HeaderLine[] => (values ?? []).map((value) => ({ name, value }));

/** What `Prefer` values (a request's, every line) or `Preference-Applied` values (an answer's) name of the two. */
export function createPreferences(values: readonly string[] | undefined, field: 'Prefer' | 'Preference-Applied' = 'Prefer'): CreatePreferences {
  const named = preferencesOf(lines(values, field), field);
  return { minimal: named.get('return') === 'minimal', omitNulls: named.get('omit-values') === 'nulls', async: named.has('respond-async') };
}

/** The value an answer's `Preference-Applied` gives `return`, when it names one. */
export function appliedReturn(values: readonly string[]): string | undefined {
  return preferencesOf(lines(values, 'Preference-Applied'), 'Preference-Applied').get('return');
}

/** A problem of a body judged by the response schema, and the place it is at (a JSON pointer). */
type Omitted = Pick<Problem, 'pointer' | 'keyword'>;

/** The properties a body leaves out that the schema requires: `is required` at a pointer below the body's root. */
export const leftOut = (problems: readonly Omitted[]): string[] => problems.filter((p) => p.keyword === 'required').map((p) => p.pointer);

/**
 * The body with `null` at each pointer of `pointers` (properties it left out): what a client reads when the service
 * applied `omit-values=nulls` ("the service MAY omit properties containing null values from the response, in which
 * case it MUST specify the Preference-Applied response header with omit-values=nulls", OData 4.01 Part 1 §8.2.8.6).
 */
export function withNulls(body: unknown, pointers: readonly string[]): unknown {
  const copy = structuredClone(body);
  for (const pointer of pointers) {
    const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = copy;
    for (const segment of segments.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>)[segments[segments.length - 1]] = null;
  }
  return copy;
}

/**
 * Why a property the 201 left out is not read as null, in words that say which half of OData's rule is missing
 * (§8.2.8.6): the request did not ask `Prefer: omit-values=nulls`, or the answer did not say
 * `Preference-Applied: omit-values=nulls`. Undefined when neither was said: the plain "is required" stands.
 */
export function omittedNullWords(asked: boolean, applied: boolean): string | undefined {
  if (asked && !applied) return 'the request asked Prefer: omit-values=nulls, but an answer that leaves out null properties must say Preference-Applied: omit-values=nulls (OData 4.01 Part 1 §8.2.8.6), and this one does not: a client cannot tell a property left out from one the service lacks';
  if (!asked && applied) return 'the answer says Preference-Applied: omit-values=nulls, but the request did not ask Prefer: omit-values=nulls: a service applies only a preference it was asked (RFC 7240 §3), and a client that did not ask reads every property';
  return undefined;
}

/**
 * Whether an answer to a create says the service created the vppToken: 201 Created, or 204 No Content to a create
 * that asked `Prefer: return=minimal` (OData 4.01 Part 1 §11.4.2). `prefer` is the request's `Prefer` values. What
 * the proxy and seed count as created; the judgement of the answer says whether it named it rightly.
 */
export function answerSaysCreated(status: number, prefer: readonly string[] | undefined): boolean {
  return status === 201 || (status === 204 && createPreferences(prefer).minimal);
}
