import { createHash } from 'node:crypto';
import type { VppTokenCreateRequest } from '../generated/types';
import { createdVppToken } from '../graph';
import { acceptedUnlistedWhy, profileOfVersion, readQueryOptions, readRequestTarget, valuesThatComeBack, whyListIsShort, type ODataQuery } from '../judgement';
import { DEFAULT_PROFILE, type Profile } from '../schemas';
import { createBodyOf, requestName, type TrafficEntry } from './traffic';

/** A read (GET) of the collection or of one vppToken. */
export const isRead = (entry: TrafficEntry): boolean => entry.method === 'GET' && readRequestTarget(entry.path).names.kind !== 'none';

/** The OData options of a list read as the mock read them; undefined when they can't be read (a target's own options: given the benefit of the doubt). */
function queryOf(entry: TrafficEntry, profile: Profile): ODataQuery | undefined {
  try {
    const { names, query } = readRequestTarget(entry.path);
    return readQueryOptions(new URLSearchParams(query), names.kind === 'count' ? 'count' : 'list', profile);
  } catch {
    return undefined;
  }
}

/** The vppToken the create would have made, as the mock makes it: what a `$filter` is evaluated on. */
function madeBy(sent: Record<string, unknown>, create: TrafficEntry, profile: Profile): Record<string, unknown> | undefined {
  try {
    return createdVppToken(sent as unknown as VppTokenCreateRequest, { id: '00000000-0000-0000-0000-000000000000', now: new Date(create.startedAt), profile }) as unknown as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Why a count of the list (`/$count`) cannot tell whether `create` happened; undefined when it can (outside tester
 * K15, decision 0247). A count is a number: it tells of the vppToken sent only when its `$filter` picks out that
 * vppToken alone: the vppToken the create would have made matches it, and the same vppToken with its token and every
 * value the create set made different does not (then the count is 1 when the create happened, 0 when not). Without
 * a `$filter`, or with one that any vppToken may match, the count tells nothing of which vppTokens are in the list.
 */
function whyCountShowsNothing(entry: TrafficEntry, create: TrafficEntry, query: ODataQuery | undefined, sent: Record<string, unknown> | undefined, profile: Profile): string | undefined {
  const nothing = `${requestName(entry)} read only the count of the list ($count)`;
  if (query?.filter === undefined) return `${nothing}: it tells nothing of which vppTokens are in it`;
  const made = sent === undefined ? undefined : madeBy(sent, create, profile);
  if (made === undefined || sent === undefined) return undefined;
  if (!query.filter(made)) return `${requestName(entry)} counted a list filtered ($filter) so that the vppToken sent is not in it`;
  const other: Record<string, unknown> = { ...made };
  for (const name of ['token', ...Object.keys(valuesThatComeBack(sent as unknown as VppTokenCreateRequest))]) other[name] = unlike(made[name]);
  if (query.filter(other)) return `${nothing}, filtered ($filter) by nothing that picks out the vppToken sent: other vppTokens count the same`;
  return undefined;
}

/**
 * Whether `filter`, as it decides on `made`, reads only values the create set that the service holds as sent (its
 * token and valuesThatComeBack: decision 1091, outside finding R122): a property read is traced as evaluated, so
 * `displayName eq 'x' or state eq 'valid'` decided by the displayName reads no state. A filter that reads a value the
 * service sets or syncs (`state`, `lastSyncStatus`, `organizationName` from the sToken, an `appleId` the create left
 * out: VALUES_NOT_HELD_TO) matched the mock's value, not what Graph may hold: the vppToken may be stored and not listed.
 */
function readsOnlyHeld(filter: NonNullable<ODataQuery['filter']>, made: Record<string, unknown>, sent: Record<string, unknown>): boolean {
  const held = new Set(['token', ...Object.keys(valuesThatComeBack(sent as unknown as VppTokenCreateRequest))]);
  let others = false;
  filter(
    new Proxy(made, {
      get(target, name, receiver) {
        if (typeof name === 'string' && !held.has(name)) others = true;
        return Reflect.get(target, name, receiver) as unknown;
      },
    }),
  );
  return !others;
}

/** A value unlike `value`, of its type: what another create would have set. */
function unlike(value: unknown): unknown {
  if (typeof value === 'string') return `${value}\u0000another`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return [...value, `another`];
  return value === null ? 'another' : null;
}

/** The OData options of a URL or request target, decoded, in a stable order: two spellings of one page compare equal. */
function optionsKey(target: string): string | undefined {
  const read = readRequestTarget(target);
  if (read.names.kind !== 'collection') return undefined;
  return [...new URLSearchParams(read.query)].map(([name, value]) => `${name.toLowerCase()}=${value}`).sort().join('&');
}

/**
 * A page's OData options (optionsKey) hashed: how the proxy keeps a page's `@odata.nextLink` (`nextPage`, never the
 * link: it may carry what the target put in it) and how a later read is matched to it (decision 0880). Undefined for
 * a target that is no list of the collection.
 */
export function pageKey(target: string): string | undefined {
  const key = optionsKey(target);
  return key === undefined ? undefined : createHash('sha256').update(key).digest('hex');
}

/**
 * Whether the pages from `first` on were read to the last: each `@odata.nextLink` followed (by a later read of the
 * same options, answered 200, and answered before `resend` was sent) to a page that has none.
 */
function readToTheLastPage(first: TrafficEntry, reads: readonly TrafficEntry[], resend: TrafficEntry | undefined): boolean {
  let page = first;
  while (page.answer?.nextLink !== undefined) {
    const wanted = optionsKey(page.answer.nextLink);
    const next = reads.find((e) => e.sequence > page.sequence && e.answer?.status === 200 && wanted !== undefined && optionsKey(e.path) === wanted && !(resend && sentBeforeEnded(resend, e)));
    if (!next) return false;
    page = next;
  }
  return true;
}

/**
 * True when `later` (a read, or a create of the same token again) was sent before `create` ended (its answer's last
 * byte, or its connection's end), so the client could not have known how it ended: it had arrived by then, as the
 * provider counted (`arrivedByEnd`), or, without that count, it started before the create ended. One that started
 * in the same millisecond the create ended, and is not counted as arrived, is taken as sent after (the benefit of
 * the doubt: a fast client reads back within the millisecond).
 */
export function sentBeforeEnded(later: TrafficEntry, create: TrafficEntry): boolean {
  if (later.sequence < create.sequence) return false;
  return create.arrivedByEnd !== undefined ? later.sequence <= create.arrivedByEnd : later.startedAt < create.endedAt;
}

/** Why a list's `$select` keeps nothing the create set (the token, or a value that comes back); undefined when it keeps something. */
function selectHidesIt(entry: TrafficEntry, query: ODataQuery, sent: Record<string, unknown>): string | undefined {
  if (!query.select) return undefined;
  const telling = ['token', ...Object.keys(valuesThatComeBack(sent as unknown as VppTokenCreateRequest))];
  if (query.select.some((name) => telling.includes(name))) return undefined;
  const named = telling.length > 3 ? `${telling.slice(0, 3).join(', ')}, ...` : telling.join(', ');
  return `${requestName(entry)} selected only ${query.select.join(', ')} ($select): nothing the create set (${named}) comes back to tell its vppToken from another`;
}

/**
 * Whether `entry`, a list page answered 200, held the vppToken `create` made (its id among the page's, any case) in
 * a form the client can recognise (its `$select` keeps something the create set): then it shows that the create
 * happened, whenever it was sent and whatever pages follow it (outside finding R61, decision 0641). A page that does
 * not hold it shows nothing unless it is the whole list (whyReadShowsNothing).
 */
export function pageHolds(entry: TrafficEntry, create: TrafficEntry, profile: Profile = DEFAULT_PROFILE): boolean {
  const id = create.createdId?.toLowerCase();
  if (id === undefined || entry.answer?.status !== 200 || !entry.answer.listed?.some((listed) => listed.toLowerCase() === id)) return false;
  const version = profileOfVersion(readRequestTarget(entry.path).version) ?? profile;
  const query = queryOf(entry, version);
  const sent = createBodyOf(create);
  return query === undefined || sent === undefined || selectHidesIt(entry, query, sent) === undefined;
}

/**
 * The creates of one token whose outcome was unknown (`storedUnknown`: no answer, or a 500, 502 or 504) that a later
 * list page shows were stored after all: a page answered 200, sent once the create had ended, that held a vppToken of
 * that token (by its fingerprint, `tokensListed`) whose id is no other create's of the token, nor one a page answered
 * before the create was sent listed (`listedBefore`, an earlier run's: decision 0813). A 504 names no id, so the
 * page's vppToken is the proof, as seed's read-back takes it (decision 0671; 0641 reads a page by the id a create
 * made). Each vppToken listed is taken as one create's, in order: two listed after a blind re-send of an unknown
 * create are two vppTokens of the token. Gives each create seen so the id it made and the page that showed it.
 */
export function seenByARead(creates: readonly TrafficEntry[], reads: readonly TrafficEntry[], fingerprint: string): Map<TrafficEntry, { id: string; page: TrafficEntry }> {
  const seen = new Map<TrafficEntry, { id: string; page: TrafficEntry }>();
  const taken = new Set(creates.flatMap((e) => (e.stored && e.createdId !== undefined ? [e.createdId.toLowerCase()] : [])));
  for (const create of creates) {
    if (create.stored || create.storedUnknown === undefined) continue;
    // Those a page listed before this create was sent are not its (an earlier run's, or an earlier create's: 0813).
    const before = new Set((create.listedBefore ?? []).map((id) => id.toLowerCase()));
    for (const page of reads) {
      if (page.sequence <= create.sequence || page.answer?.status !== 200 || sentBeforeEnded(page, create)) continue;
      const listed = page.answer.tokensListed?.find((held) => held.token === fingerprint && !taken.has(held.id.toLowerCase()) && !before.has(held.id.toLowerCase()));
      if (listed === undefined) continue;
      taken.add(listed.id.toLowerCase());
      seen.set(create, { id: listed.id, page });
      break;
    }
  }
  return seen;
}

/**
 * What a read tells of `create`, whose outcome the client did not get: why it shows nothing (`why`), or that it
 * could show it, `sure` when every rule was judged, not when the read was given the benefit of the doubt (options the
 * kit's reader does not take, a body it cannot read, a `$filter` it cannot evaluate on the vppToken sent).
 */
type ReadBack = { why: string } | { sure: boolean };

/**
 * Why a read cannot tell the client whether `create`, whose outcome it did not get, happened; undefined when it can
 * (decision 0149, 0180). Only a list of the collection answered 200 can show a vppToken whose id the client never
 * got, and only when, had the vppToken been stored, the list would hold it in a form the client can recognise: its
 * `$filter` matches the vppToken the create would have made (as the mock makes it), its `$select` keeps something the
 * create set (the token, or a value that comes back), and it is the whole list: from the first page (no `$skip` or
 * `$skiptoken`) with every `@odata.nextLink` followed to the last page among `reads`; and, given the `resend` it
 * would excuse, answered (each page) before that was sent. A page that holds the vppToken the create made shows it,
 * whatever else (pageHolds).
 */
export function whyReadShowsNothing(entry: TrafficEntry, create: TrafficEntry, reads: readonly TrafficEntry[], profile: Profile = DEFAULT_PROFILE, resend?: TrafficEntry): string | undefined {
  const told = readBack(entry, create, reads, profile, resend);
  return 'why' in told ? told.why : undefined;
}

/**
 * Whether `entry`, a read after `create` (whose outcome was unknown: `storedUnknown`), shows that the create made no
 * vppToken (decision 0880, outside finding R85): it is a read that could show it by whyReadShowsNothing's rules, each
 * judged, none given the benefit of the doubt; the page was read whole (`readWhole`: every vppToken on it told, the
 * proxy's), and so was each page its `@odata.nextLink` led to through the proxy (`nextPage`), to the last; and none
 * of them holds a vppToken of the create's token (`fingerprint`). The very read that
 * lets a client send the token again without a duplicate (`no duplicate`) and that seed's read-back re-sends a record
 * on: a whole list that does not hold it. A page that holds an earlier vppToken of the token proves nothing here: the
 * target holds the token (0813), so "never created" would fail a client that found it there. Nor does any read after
 * a create the provider never answered (`unanswered`: the proxy's --timeout, a dropped connection): its exchange there
 * has not ended, and the vppToken may be stored after the read (decision 1092); nor after a create accepted for
 * processing (`accepted`, a 202) until its status monitor, read in `traffic`, said it ended (monitorSaidDone): it may
 * run after the read (decision 1270).
 */
export function readShowsNoneMade(entry: TrafficEntry, create: TrafficEntry, reads: readonly TrafficEntry[], fingerprint: string, profile: Profile = DEFAULT_PROFILE, traffic: readonly TrafficEntry[] = reads): boolean {
  const holdsNone = (page: TrafficEntry) => page.answer?.status === 200 && page.answer.readWhole === true && !page.answer.tokensListed?.some((held) => held.token === fingerprint);
  // A create the provider never answered is still in flight there as far as anyone can tell (decision 1092): the list
  // read after it may be read before it is stored.
  // Nor is one accepted for processing (202) whose status monitor had not said it ended when the list was read
  // (`traffic`, the monitor's reads among it): it may run after the read (decision 1270).
  const ran = create.accepted === true && monitorSaidDone(traffic, create, entry);
  if (create.unanswered || (create.accepted && !ran) || entry.sequence <= create.sequence || !holdsNone(entry)) return false;
  const told = readBack(entry, create, reads, profile, undefined, ran);
  if (!('sure' in told && told.sure)) return false;
  // Its later pages, each the read of the options its page's @odata.nextLink named, through the proxy, to the last.
  const followed = new Set<TrafficEntry>([entry]);
  for (let page = entry; page.answer!.nextPage !== undefined; ) {
    const wanted = page.answer!.nextPage;
    // Read again, the page may have failed first (0180): any read of it whole that holds none will do.
    const next: TrafficEntry | undefined = reads.find((e) => e.sequence > page.sequence && !followed.has(e) && holdsNone(e) && pageKey(e.path) === wanted);
    if (next === undefined) return false;
    followed.add(next);
    page = next;
  }
  // The pages, to the last, listed at least what a page's @odata.count says the list holds: else the vppToken may be
  // one they did not list (decision 1101, outside finding R133; seed's rule, whyListIsShort), told apart by their ids
  // across pages (1170). A page built without a tally (traffic a caller wrote) lists nothing that could make up a count.
  return whyListIsShort([...followed].map((page) => page.answer!.tally ?? { listed: 0, ids: [] })) === undefined;
}

function readBack(entry: TrafficEntry, create: TrafficEntry, reads: readonly TrafficEntry[], profile: Profile, resend?: TrafficEntry, ran = false): ReadBack {
  if (pageHolds(entry, create, profile) && !(resend && sentBeforeEnded(resend, entry))) return { sure: true };
  // Sent while the create was in flight, it cannot show it: the create may be stored after the read, which is why
  // its outcome is unknown at all (outside tester L5). Only a read sent once the unknown outcome came counts.
  if (sentBeforeEnded(entry, create)) return { why: `${requestName(entry)} was sent before ${requestName(create)} ${create.answer === null ? 'ended' : 'was answered'}: the vppToken may have been stored after the list was read` };
  // Nor one whose answer had not come when the token was sent again: the client could not have acted on it (Q9).
  if (resend && sentBeforeEnded(resend, entry)) return { why: `${requestName(entry)} was not yet answered when ${requestName(resend)} was sent: the client could not know what it would show` };
  if (entry.answer === null) return { why: `${requestName(entry)} got no answer` };
  if (entry.answer.status !== 200) return { why: `${requestName(entry)} got ${entry.answer.status}` };
  const { names } = readRequestTarget(entry.path);
  if (names.kind !== 'collection' && names.kind !== 'count') return { why: `${requestName(entry)} read one vppToken by id, not the list (the unknown outcome gave no id to read)` };
  // Accepted for processing (202), the create may not have run when the list was read (decision 1270, R154), unless
  // its status monitor said it had (`ran`).
  if (create.accepted && !ran) return { why: `${requestName(entry)} could not show it: ${acceptedUnlistedWhy(requestName(create))}` };
  // The read's own version prefix says which vppToken it lists; else the profile the client is checked as.
  const version = profileOfVersion(readRequestTarget(entry.path).version) ?? profile;
  const query = queryOf(entry, version);
  const sent = createBodyOf(create);
  if (names.kind === 'count') {
    const why = whyCountShowsNothing(entry, create, query, sent, version);
    // A count is a number: the proxy reads none, so it is never the proof that a create made nothing.
    return why === undefined ? { sure: false } : { why };
  }
  if (query === undefined || sent === undefined) return { sure: false };
  let sure = true;
  if (query.filter) {
    const made = madeBy(sent, create, version);
    if (made === undefined) sure = false;
    else if (!query.filter(made)) return { why: `${requestName(entry)} filtered the list ($filter) so that the vppToken sent is not in it` };
    // Matched on the mock's own values of what the service sets or syncs (state, lastSyncStatus, organizationName):
    // Graph may hold others, so the page may lack it; no proof (decision 1091), the doubt 0180 gives a read left.
    else if (!readsOnlyHeld(query.filter, made, sent)) sure = false;
  }
  const hidden = selectHidesIt(entry, query, sent);
  if (hidden) return { why: hidden };
  if (query.skip > 0 || query.skiptoken !== undefined) return { why: `${requestName(entry)} started past the first vppTokens ($skip or $skiptoken), so it is not the whole list` };
  if (!readToTheLastPage(entry, reads, resend)) return { why: `${requestName(entry)} read one page and its @odata.nextLink was not followed to the last page` };
  return { sure };
}

/**
 * Whether the status monitor of `create`, accepted for processing (`accepted`, a 202), answered that its processing
 * ended before `resend` was sent: a GET of its path (`monitor`) answered 200, 201, 204 or 303, not 202 (OData 4.01
 * Part 1 §11.6: 202 while it runs, 200 once done; the others as other APIs end one), once the create's answer had come
 * (without `resend`: by the traffic's end). That answer told the client the create's outcome, as a read of the list
 * that could show it does after any other (decision 1270): a re-send after it is no blind one, nor a success reported.
 */
export function monitorSaidDone(traffic: readonly TrafficEntry[], create: TrafficEntry, resend?: TrafficEntry): boolean {
  if (!create.accepted || create.monitor === undefined) return false;
  const before = (e: TrafficEntry) => resend === undefined || (e.sequence < resend.sequence && !sentBeforeEnded(resend, e));
  return traffic.some((e) => e.sequence > create.sequence && before(e) && e.method === 'GET' && e.path === create.monitor && e.answer !== null && [200, 201, 204, 303].includes(e.answer.status) && !sentBeforeEnded(e, create));
}

/**
 * The traffic with each create accepted for processing (`accepted`, a 202) read by what its status monitor's final
 * answer said became of it (`answer.told`, monitorOutcomeOf: decision 1315, outside finding W6), the first GET of its
 * `monitor` sent once the 202 came that told one: said created, it is `stored` with the id named (`createdId`) and
 * `createdPerMonitor`, that read's sequence, and keeps `accepted`, `monitor` and `storedUnknown` (a re-send before that
 * read was still a blind one, decision 1270); said not created, it is an answer that made nothing (no `storedUnknown`,
 * `accepted` or `monitor`), as a 400 to the create would be. The one outcome rule read from the create's own answer,
 * which the monitor carried (1130).
 */
export function toldByMonitors(ordered: readonly TrafficEntry[]): TrafficEntry[] {
  return ordered.map((create) => {
    if (!create.accepted || create.monitor === undefined || create.stored) return create;
    const read = ordered.find((e) => e.sequence > create.sequence && e.method === 'GET' && e.path === create.monitor && e.answer?.told !== undefined && !sentBeforeEnded(e, create));
    const told = read?.answer?.told;
    if (read === undefined || told === undefined) return create;
    if (told.created) return { ...create, stored: true, createdId: told.createdId, ...(told.heldAlready ? { heldAlready: true as const } : {}), createdPerMonitor: read.sequence };
    const { storedUnknown: _unknown, accepted: _accepted, monitor: _monitor, ...made } = create;
    return made;
  });
}
