import type { VppToken } from '../generated/types';
import { VPP_TOKEN_TYPE } from '../graph';
import { DEFAULT_PAGE_SIZE, orderValues, type ODataQuery } from '../judgement';
import { HttpError, type Answer } from './answer';
import type { Profile } from '../schemas';
import type { VppTokenStore } from './store';

/** Where the answers point: the provider's base URL, the request's version prefix, and its `@odata.context`. */
export interface Links {
  base: string;
  version: string;
  context: string;
}

/** The Graph profile a read speaks: each vppToken is shown as that version has it (decision 0474). */
type Read = Links & { profile: Profile };

/**
 * A vppToken as answered: all of it with its `@odata.type`, or only the properties `$select`ed (OData 4.01 §5.1.3:
 * exactly those; the type annotation is left to the context URL, which names the selection).
 */
function shaped(token: VppToken, query: ODataQuery): Record<string, unknown> {
  if (!query.select) return { '@odata.type': VPP_TOKEN_TYPE, ...token };
  const fields = token as unknown as Record<string, unknown>;
  return Object.fromEntries(query.select.filter((name) => name in fields).map((name) => [name, fields[name]]));
}

/** The context URL of an answer, with the `$select` list when there is one (OData 4.01 §10.9, §10.10). */
const contextOf = (context: string, query: ODataQuery): string => `${context}${query.selectList ?? ''}`;

/** GET of one vppToken by id: 200 with it (`$select`ed), or Graph's 404. */
export function readVppToken(vppTokens: VppTokenStore, id: string, query: ODataQuery, { context, profile }: Read): Answer {
  const found = vppTokens.getAs(id, profile);
  if (!found) throw new HttpError(404, 'ResourceNotFound', `No vppToken with id '${id}'.`);
  return { status: 200, body: { '@odata.context': `${contextOf(context, query)}/$entity`, ...shaped(found, query) } };
}

/**
 * GET of the collection's `/$count`: the number of vppTokens `$filter` matches, as `text/plain` (OData 4.01 URL
 * Conventions §4.8, Protocol §11.2.10; Graph answers `text/plain` with the bare number).
 */
export function countVppTokens(vppTokens: VppTokenStore, query: ODataQuery, profile: Profile): Answer {
  const count = query.filter ? [...vppTokens.valuesAs(profile)].filter((token) => query.filter!(token as unknown as Record<string, unknown>)).length : vppTokens.size;
  return { status: 200, body: count, headers: { 'Content-Type': 'text/plain' } };
}

/** An ordering of vppTokens by `$orderby`: each key in turn, by OData's one ordering of values (orderValues: null first when ascending, an enum by its members' values, a date by its instant). */
function ordering(orderby: NonNullable<ODataQuery['orderby']>): (a: VppToken, b: VppToken) => number {
  return (a, b) => {
    for (const { property, descending, type, value } of orderby) {
      // A key that is an expression (tolower(displayName)) is ordered by its value (decision 1242).
      const key = (token: VppToken) => (value ? value(token as unknown as Record<string, unknown>) : (token as unknown as Record<string, unknown>)[property]);
      const order = orderValues(key(a), key(b), type) ?? 0;
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}

/**
 * GET of the collection: the vppTokens `$filter` matches, in `$orderby`'s order (else creation order), from `$skip`
 * (then the provider's `$skiptoken`), a page of `$top` (default 100) and the page's byte budget, each `$select`ed;
 * `@odata.count` with `$count=true`, and a nextLink carrying the same query while more remain.
 */
export function listVppTokens(vppTokens: VppTokenStore, query: ODataQuery, { base, version, context, profile }: Read): Answer {
  const top = query.top ?? DEFAULT_PAGE_SIZE;
  const start = query.skiptoken ?? query.skip;
  let ids: readonly string[] | undefined;
  if (query.filter || query.orderby) {
    const matching = [...vppTokens.valuesAs(profile)].filter((token) => query.filter?.(token as unknown as Record<string, unknown>) ?? true);
    if (query.orderby) matching.sort(ordering(query.orderby));
    ids = matching.map((token) => token.id!);
  }
  const total = ids?.length ?? vppTokens.size;
  const held = vppTokens.page(start, top, undefined, ids, profile);
  const page = held.map((token) => shaped(token, query));
  // A page may hold fewer than $top (its byte budget): the next one starts after what this one holds.
  const after = start + page.length;
  const next = new URLSearchParams();
  for (const [name, value] of query.options) if (!['$skip', '$skiptoken', '$top'].includes(name.toLowerCase())) next.append(name, value);
  next.set('$top', String(top));
  next.set('$skiptoken', String(after));
  const nextLink = after < total ? { '@odata.nextLink': `${base}${version}/deviceAppManagement/vppTokens?${next.toString().replace(/%24/g, '$')}` } : {};
  return { status: 200, body: { '@odata.context': contextOf(context, query), ...(query.count ? { '@odata.count': total } : {}), value: page, ...nextLink }, listed: held.map((token) => token.id!) };
}
