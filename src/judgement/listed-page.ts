// One reader of a page of the vppTokens list for what it shows is held: seed's read-back before --retry-unknown and
// the proxy's page after a create of unknown outcome read it alike (decision 0810).
import { headerLines, headerValues } from '../wire';
import { appleTokenFingerprint, controlInformation, tokenFingerprint } from '../validation';
import { answerJson, vppTokenAsRead, type ObservedAnswer } from './answer';
import { createPreferences, omittedNullWords } from './preferences';

/**
 * A vppToken a page lists: its id as written and its token's fingerprint (tokenFingerprint: never the token);
 * `noSToken` when that token is no Apple sToken (`***`, `[redacted]`, cut, the inner Apple token alone, the sToken with
 * whitespace around it): withheld, it proves no token but the very string a caller sent (decision 1090).
 */
export interface ListedVppToken {
  id: string;
  token: string;
  noSToken?: true;
  /** Of an sToken, its Apple token's fingerprint (appleTokenFingerprint): rewrappedIn finds a sent one in another sToken. */
  apple?: string;
}

/**
 * A list page as read for what it shows the target holds: each vppToken listed with its id and its token, and the
 * words for the first one listed that shows neither (`untold`: its token withheld or left out, no id), its
 * `@odata.nextLink` as written and the page's body (a relative link is resolved against its context URL); or why it
 * is no list (`failure`, words after "answered 200 ").
 */
export type VppTokenPage = { listed: ListedVppToken[]; untold?: string; nextLink?: unknown; count?: number; body: Record<string, unknown> } | { failure: string };

/**
 * Reads a list page answered 200 by the kit's one reader (content coding, strict UTF-8, strict JSON: a list naming
 * `value` twice is refused, not read as its last value), and each vppToken in it as the run's reads read it (with
 * `Prefer: omit-values=nulls` asked and `Preference-Applied` saying it, a token left out is null: decision 0682).
 * A vppToken counts as listed when its token and its id are non-empty strings: its token is what a create is found
 * by (a 504 names no id), its id what a record or a create is then known by. How strict a caller is with the rest
 * is its own (decision 0810): seed fails the read on an `untold` vppToken (it might be a record's, which would be
 * sent again), the proxy lets it show nothing (the create stays unknown, the cautious verdict).
 */
export function readVppTokenPage(answer: ObservedAnswer, prefer: readonly string[]): VppTokenPage {
  const json = answerJson(answer);
  if ('missing' in json && json.missing.startsWith('a body it c')) return { failure: `with ${json.missing}` };
  const body = 'value' in json ? (json.value as { value?: unknown } | null) : undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(body.value)) return { failure: 'without the list ({ "value": [...] })' };
  const listed: ListedVppToken[] = [];
  let untold: string | undefined;
  for (const item of body.value as unknown[]) {
    const read = vppTokenAsRead(item, answer, prefer) as { id?: unknown; token?: unknown } | null;
    const token = read !== null && typeof read === 'object' ? read.token : undefined;
    const id = read !== null && typeof read === 'object' ? read.id : undefined;
    if (typeof token !== 'string' || token === '') untold ??= withoutToken(item, token, prefer, answer);
    else if (typeof id !== 'string' || id === '') untold ??= id === '' ? 'whose id is empty' : id === undefined || id === null ? 'without its id' : 'whose id is not a string';
    else {
      const apple = appleTokenFingerprint(token);
      listed.push({ id, token: tokenFingerprint(token), ...(apple === undefined ? { noSToken: true as const } : { apple }) });
    }
  }
  // Under either spelling, @odata.nextLink or OData 4.01's @nextLink (decision 1220, outside attacker R140): a page
  // whose link is read under one name only is taken as the last, and a record on the next page is sent again. Written
  // twice with different values, which page follows cannot be told.
  const linkRead = controlInformation(body, 'nextLink');
  const countRead = controlInformation(body, 'count');
  const conflict = [linkRead, countRead].find((read) => read !== undefined && 'conflict' in read);
  if (conflict && 'conflict' in conflict) return { failure: `with a list that ${conflict.conflict}` };
  const nextLink = linkRead && 'value' in linkRead ? linkRead.value : undefined;
  const count = countOf(countRead && 'value' in countRead ? countRead.value : undefined);
  return { listed, ...(untold === undefined ? {} : { untold }), ...(nextLink === undefined || nextLink === null ? {} : { nextLink }), ...(count === undefined ? {} : { count }), body: body as Record<string, unknown> };
}

/**
 * A page's `@odata.count` as the number of vppTokens it says the whole list holds: an Edm.Int64, a JSON number, or a
 * string of digits under `IEEE754Compatible=true` (OData JSON 4.01 §4.5.5, §3.2); undefined for anything else.
 */
function countOf(value: unknown): number | undefined {
  const count = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

/**
 * What one page of a list said of the list's size: the vppTokens it listed (`listed`: ids told apart without case,
 * each once), those ids (`ids`, lower-case) and its `@odata.count` (`count`). `ids` may be left out where a caller
 * keeps no more of them (the proxy past MAX_TALLIED_IDS, decision 1170): the pages then add up only as far as
 * `listed` proves (whyListIsShort).
 */
export interface ListTally {
  listed: number;
  count?: number;
  ids?: readonly string[];
}

/** A page's tally (ListTally) from what readVppTokenPage read of it: seed's read-back and the proxy take it alike. */
export function pageTally(page: { listed: readonly ListedVppToken[]; count?: number }): ListTally {
  const ids = [...new Set(page.listed.map((listed) => listed.id.toLowerCase()))];
  return { listed: ids.length, ...(page.count === undefined ? {} : { count: page.count }), ids };
}

/**
 * Why a list read to its last page is no whole list by its own count; undefined when it may be (decision 1101, outside
 * finding R133): `@odata.count` is the number of items in the whole collection (OData JSON 4.01 §4.5.5, Protocol
 * §11.2.6.5 `$count`), so pages that list fewer vppTokens than a page's count did not list them all: the vppToken a
 * create of unknown outcome made may be among those not listed. A count below what was listed hides nothing. The pages
 * (`pages`, each one's tally) add up by their ids, without case, each once (decision 1170): a vppToken a target lists
 * on two pages is one. Where a page's ids were not kept, what the pages listed is known only between the most one
 * page or the ids kept told apart and the sum: a count within that cannot be told met, and is taken as not met (the
 * cautious verdict). The one rule seed's read-back (which would send a record again) and the proxy's proof of "never
 * created" (0880) read a list by; words after the list's name.
 */
export function whyListIsShort(pages: readonly ListTally[]): string | undefined {
  const counts = pages.flatMap((page) => (page.count === undefined ? [] : [page.count]));
  if (counts.length === 0) return undefined;
  const count = Math.max(...counts);
  const ids = new Set<string>();
  let untold = 0;
  let most = 0;
  for (const page of pages) {
    most = Math.max(most, page.listed);
    if (page.ids === undefined) untold += page.listed;
    else for (const id of page.ids) ids.add(id);
  }
  if (count <= Math.max(most, ids.size)) return undefined;
  const known = `@odata.count is the whole list's, OData JSON 4.01 §4.5.5`;
  const atMost = ids.size + untold;
  if (untold === 0 || atMost < count) return `says @odata.count ${count}, but its pages listed ${untold === 0 ? '' : 'at most '}${atMost} vppToken${atMost === 1 ? '' : 's'} (${known}): it was not read whole`;
  return `says @odata.count ${count}, and its pages listed from ${Math.max(most, ids.size)} to ${atMost} vppTokens (the ids of some pages were not kept, so one listed twice cannot be told): whether it was read whole cannot be told`;
}

/**
 * Why a page read by readVppTokenPage cannot tell which vppTokens the target holds, in words after the page's name
 * (`answered 200 with ...`, `lists a vppToken without its token`); undefined when it can: a list, each vppToken in it
 * with its token and its id, each token an Apple sToken or a string the caller sent (`sent`, by fingerprint). A
 * string that is no sToken (`***`, `[redacted]`, a cut `eyJ0...`, the inner Apple token alone, the sToken with a line
 * break after it) proves no other token: it is a token withheld, any vppToken's for all the page says (decision
 * 1090, outside findings R126, R127); only the very string a create sent (a service that takes any token) is that
 * create's; so is a vppToken listed under the id a create was answered with (`created`, any case: decisions 1140,
 * 1171), whatever its token reads. The one rule of what a page proves held or not held (decision 0880): seed's read-back stops on such a
 * page (a record might be sent again), and the proxy takes no page that cannot tell as the proof that a create of
 * unknown outcome made nothing. Whether later pages follow (`nextLink`) is each caller's: seed follows them; the proxy
 * reads those the client reads through it, and no others (they go around it, 0813).
 */
export function whyPageCannotTell(page: VppTokenPage, sent: (fingerprint: string) => boolean = () => false, created: (id: string) => boolean = () => false): string | undefined {
  if ('failure' in page) return `answered 200 ${page.failure}`;
  if (page.untold !== undefined) return `lists a vppToken ${page.untold}`;
  return page.listed.some((listed) => listed.noSToken && !sent(listed.token) && !created(listed.id.toLowerCase())) ? `lists a vppToken ${WITHHELD}` : undefined;
}

/**
 * Whether a page lists the Apple token of `token` (a token sent) inside another sToken: the same credential with
 * another expDate or orgName around it (decision 1093; re-encoded, its members in another order or spacing, it is the
 * same sToken: 1260). Which vppToken that is cannot be told: the create's, stored as the service rewrote it, or another
 * of one Apple token; neither "this one" nor "not this one" is proven.
 */
export function rewrappedIn(listed: readonly ListedVppToken[], token: string): boolean {
  const apple = appleTokenFingerprint(token);
  const fingerprint = tokenFingerprint(token);
  return apple !== undefined && listed.some((l) => l.apple === apple && l.token !== fingerprint);
}

/** The words for a record seed leaves unknown because a page lists its Apple token inside another sToken (rewrappedIn). */
export const REWRAPPED = 'lists a vppToken of its Apple token inside another sToken (another expDate or orgName around it), so whether it was created cannot be told';

/** A listed token that is no sToken, in words: never shown (it may be a masked or cut credential). */
const WITHHELD = "whose token is no sToken (withheld: masked, cut or otherwise changed, it may be any vppToken's)";

/**
 * How a listed vppToken is without a token it can be found by: withheld (null, said or left out under both halves of
 * omit-values=nulls), left out with one half of OData's rule missing (omittedNullWords, the create's words), or left
 * out, or not a string.
 */
function withoutToken(listed: unknown, token: unknown, prefer: readonly string[], answer: ObservedAnswer): string {
  const leftOut = listed === null || typeof listed !== 'object' || !('token' in listed);
  if (token === null) return leftOut ? 'whose token is null (withheld: left out under Preference-Applied: omit-values=nulls, it reads as null)' : 'whose token is null (withheld)';
  if (!leftOut || token !== undefined) return token === '' ? 'whose token is empty' : 'whose token is not a string';
  const applied = createPreferences(headerValues(headerLines(answer.rawHeaders ?? []), 'Preference-Applied'), 'Preference-Applied').omitNulls;
  const why = omittedNullWords(createPreferences(prefer).omitNulls, applied);
  return `without its token${why ? ` (left out: ${why})` : ''}`;
}
