import type { VppTokenCreateRequest } from '../generated/types';
import { pointerSegment, sameDateTimeOffset } from '../validation';
import { RESPELLED_STOKEN, sameJson, tokenGivenBack, valuesThatComeBack } from './answer';

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
 * OData control information (`@odata.context`, `@odata.etag`, ...) and a withheld token. A DateTimeOffset is
 * compared as the instant it names (another offset, more fraction digits). The token is never shown.
 */
export function judgeReadBack(sent: VppTokenCreateRequest, created: Record<string, unknown>, read: unknown): ReadBackProblem[] {
  if (read === null || typeof read !== 'object' || Array.isArray(read)) return [atValue('', `must be the vppToken as a JSON object (got ${show(read)})`)];
  const got = read as Record<string, unknown>;
  const problems: ReadBackProblem[] = [];
  const set = valuesThatComeBack(sent) as Record<string, unknown>;
  for (const [key, value] of Object.entries(set)) {
    if (!sameJson(got[key], value)) problems.push(atValue(`/${pointerSegment(key)}`, `must be ${show(value)}, as the client set it (got ${show(got[key])})`));
  }
  const mayChange = new Set<string>(SERVICE_OWNED_PROPERTIES);
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
    // A DateTimeOffset is the instant it names, whichever offset each answer writes it in.
    const sameInstant = typeof before === 'string' && typeof after === 'string' && sameDateTimeOffset(before, after);
    if (!sameJson(before, after) && !sameInstant) problems.push(atValue(`/${pointerSegment(key)}`, `was ${show(before)} in the 201, is ${show(after)} when read back`));
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
  const context = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)['@odata.context'] : undefined;
  try {
    const base = typeof context === 'string' ? new URL(context, requestUrl) : requestUrl;
    return new URL(link, base);
  } catch {
    return undefined;
  }
}
