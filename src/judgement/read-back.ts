import type { VppTokenCreateRequest } from '../generated/types';
import { controlInformationValue, pointerSegment, sameAtGraphPrecision } from '../validation';
import { RESPELLED_STOKEN, comesBack, readFromSToken, sameJson, sameMembers, tokenGivenBack, valueBackWords, valuesThatComeBack } from './answer';
import { argumentProblem, refuseArguments } from '../net/option';

/**
 * The properties the service owns and may change between the create and a later read, without the client doing
 * anything: Intune syncs the token with Apple in the background (lastSyncDateTime, lastSyncStatus, state,
 * tokenActionResults and the lastModifiedDateTime that follows them) and reads the location from Apple
 * (locationName). Graph's vppToken docs describe each as the service's (docs/decisions/0085).
 */
export const SERVICE_OWNED_PROPERTIES = ['lastModifiedDateTime', 'lastSyncDateTime', 'lastSyncStatus', 'state', 'tokenActionResults', 'locationName'] as const;

/** The credential the client sent: a server may withhold it (null or left out) in one answer and not the other. */
const WITHHELD = 'token';

/** One way a read-back differs from the create: where (a JSON pointer into the vppToken read back) and what. */
export interface ReadBackProblem {
  /** The JSON pointer ('' the vppToken as a whole). */
  pointer: string;
  /** The pointer as shown: `(root)` for ''. */
  where: string;
  message: string;
}

/** A read-back problem at a pointer, with its display text. */
const atValue = (pointer: string, message: string): ReadBackProblem => ({ pointer, where: pointer || '(root)', message });

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 120));

/**
 * Judges a vppToken read back (GET .../vppTokens/{id}) against its create: the values the client set come back as
 * set, and every other property is as the 201 gave it, but for the service's own (SERVICE_OWNED_PROPERTIES),
 * OData control information (`@odata.context`, `@odata.etag`, ...), a withheld token, and what the 201 gave as not
 * read from the sToken yet, which may become what the sToken names (readFromSToken). A DateTimeOffset is compared as
 * the instant it names (another offset, more fraction digits). The token is never shown.
 */
export function judgeReadBack(sent: VppTokenCreateRequest, created: Record<string, unknown>, read: unknown): ReadBackProblem[] {
  refuseArguments(argumentProblem('sent', sent, 'object', 'the create request sent, an object'), argumentProblem('created', created, 'object', 'the vppToken the create answered, an object'));
  if (read === null || typeof read !== 'object' || Array.isArray(read)) return [atValue('', `must be the vppToken as a JSON object (got ${show(read)})`)];
  const got = read as Record<string, unknown>;
  const problems: ReadBackProblem[] = [];
  const set = valuesThatComeBack(sent) as Record<string, unknown>;
  for (const [key, value] of Object.entries(set)) {
    if (!comesBack(got[key], value)) problems.push(atValue(`/${pointerSegment(key)}`, valueBackWords(key, value, got[key], show)));
  }
  const mayChange = new Set<string>(SERVICE_OWNED_PROPERTIES);
  const fromSToken = readFromSToken(sent);
  for (const key of new Set([...Object.keys(created), ...Object.keys(got)])) {
    if (key in set || mayChange.has(key) || key.includes('@')) continue;
    const [before, after] = [created[key], got[key]];
    if (key === WITHHELD) {
      const differs = before === undefined || before === null || after === undefined || after === null ? undefined : tokenGivenBack(before, after);
      // The same sToken in another spelling is said to be that, not another token (decision 0325).
      if (differs === 'respelled') problems.push(atValue(`/${key}`, `must be the token of the 201 when both carry it, exactly as the 201 gave it: it is the same ${RESPELLED_STOKEN}; the value is not shown)`));
      else if (differs) problems.push(atValue(`/${key}`, 'must be the token of the 201 when both carry it (the value is not shown)'));
      continue;
    }
    // A DateTimeOffset is the instant it names, whichever offset each answer writes it in, at Graph's 100 ns (R49).
    const sameInstant = typeof before === 'string' && typeof after === 'string' && sameAtGraphPrecision(before, after);
    // A collection is the same value with its members in another order (no vppToken collection is Core.Ordered: 0600).
    const sameCollection = Array.isArray(before) && Array.isArray(after) && sameMembers(before, after);
    if (sameJson(before, after) || sameInstant || sameCollection) continue;
    // What the 201 gave as not read from the sToken yet may since have been read from it (values back's rule, R48).
    const read = fromSToken.find((property) => property.key === key && property.notReadYet(before));
    if (read?.named(after)) continue;
    problems.push(atValue(`/${pointerSegment(key)}`, `was ${show(before)} in the 201, is ${show(after)} when read back${read ? ` (it may become only ${read.words})` : ''}`));
  }
  return problems;
}

/**
 * The absolute URL of a link in an OData payload (`@odata.nextLink`, say): "Relative URLs ... are relative to
 * their base URL, which is the context URL of the payload containing the relative URL, or if no context URL is
 * present, the request URL" (OData JSON Format 4.01 §4.6). A relative context URL is itself read from the request
 * URL. Undefined when the link is not a URL.
 */
export function resolveODataLink(link: string, payload: unknown, requestUrl: URL): URL | undefined {
  const context = controlInformationValue(payload, 'context');
  try {
    const base = typeof context === 'string' ? new URL(context, requestUrl) : requestUrl;
    return new URL(link, base);
  } catch {
    return undefined;
  }
}

/** A link written relative (no scheme, RFC 3986 §4.2), with the page it came on and the base it is resolved against. */
export interface RelativeODataLink {
  /** The page (1 for the first) whose payload held the link. */
  page: number;
  /** The link as written. */
  given: string;
  /** What it is resolved against (resolveODataLink's base): the payload's context URL, or the request URL without one. */
  base: URL;
  fromContext: boolean;
}

/** The link as relative, read as resolveODataLink reads it; undefined for an absolute link or one that is no URL. */
export function relativeODataLink(link: string, payload: unknown, requestUrl: URL, page: number): RelativeODataLink | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return undefined;
  const context = controlInformationValue(payload, 'context');
  try {
    return { page, given: link, base: typeof context === 'string' ? new URL(context, requestUrl) : requestUrl, fromContext: typeof context === 'string' };
  } catch {
    return undefined;
  }
}

/**
 * The words that name a relative link a page could not be read from, as its provider wrote it and as resolved (outside
 * tester R18: a failure named only by the resolved URL points at nothing the user can find in the answer). The caller
 * gives each URL as it shows URLs (its redaction).
 */
export function relativeLinkWords(link: RelativeODataLink, shown: { given: string; base: string; resolved: string }): string {
  return `it is page ${link.page}'s @odata.nextLink as written, ${JSON.stringify(shown.given)}, resolved against ${link.fromContext ? 'its @odata.context' : "the page's URL"}, ${shown.base}, to ${shown.resolved} (OData JSON 4.01 §4.6: a relative link is resolved against the context URL)`;
}
