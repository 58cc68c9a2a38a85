import { queryCredentialProblem } from './url-vpp-tokens';
import type { Profile } from '../schemas';
import { compileFilter, compileOrderKey, OWN_TYPE, splitItems, type VppTokenPredicate } from './filter';
import { QueryOptionError, unknownProperty, vppTokenProperties, type EdmType } from './odata';
export { QueryOptionError } from './odata';

/**
 * OData system query options, judged as Graph's OData service reads them, once for the mock (which answers by
 * them) and check-client's verdict (which fails a client for them): the options Graph's OpenAPI gives each route
 * (the Kiota builders' `{?%24select,%24expand}` for one vppToken, `$count, $expand, $filter, $orderby, $search,
 * $select, $skip, $top` for the list, `$skiptoken` from the list's own nextLink), each value read strictly. An
 * option the route does not take, or given twice, is refused with 400 in ASP.NET OData's words. Names are
 * case-insensitive; parameters without `$` are not OData options and are ignored. See docs/decisions/0146.
 */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  $filter: 'Filter',
  $skip: 'Skip',
  $top: 'Top',
  $skiptoken: 'SkipToken',
  $deltatoken: 'DeltaToken',
  $orderby: 'OrderBy',
  $select: 'Select',
  $expand: 'Expand',
  $search: 'Search',
  $count: 'Count',
  $format: 'Format',
  $apply: 'Apply',
  $compute: 'Compute',
  $levels: 'Levels',
  $index: 'Index',
  $schemaversion: 'SchemaVersion',
  $id: 'Id',
};

/** What a request does with the vppTokens: list the collection, count it, read one, or create one. */
export type QueryRoute = 'list' | 'count' | 'read' | 'create';

const ROUTE_OPTIONS: Readonly<Record<QueryRoute, readonly string[]>> = {
  list: ['$top', '$skip', '$skiptoken', '$filter', '$orderby', '$select', '$expand', '$count', '$format', '$search'],
  // Graph's OpenAPI gives GET /deviceAppManagement/vppTokens/$count these two (its `ODataCountResponse`).
  count: ['$filter', '$search'],
  read: ['$select', '$expand', '$format'],
  create: [],
};

/** The largest page a list answers ($top), and the page it answers without one. */
export const MAX_TOP = 999;
export const DEFAULT_PAGE_SIZE = 100;

/** The query options of a request, read and checked. */
export interface ODataQuery {
  /** The page size asked ($top), when asked. */
  top?: number;
  /** How many matching vppTokens to pass over ($skip, then the provider's own $skiptoken). */
  skip: number;
  skiptoken?: number;
  /** The properties asked for ($select), as Graph spells them; undefined for all. */
  select?: string[];
  /** The $select list as written in the context URL, `(id,displayName)`. */
  selectList?: string;
  filter?: VppTokenPredicate;
  /**
   * $orderby's keys, each with its property's type: an enum orders by its members' values, a date by its instant
   * (orderValues). A key that is an expression (`tolower(displayName)`) has its text as `property` and its value by
   * `value` (decision 1242).
   */
  orderby?: { property: string; descending: boolean; type?: EdmType; value?: (vppToken: Readonly<Record<string, unknown>>) => unknown }[];
  /** $count=true: the answer carries `@odata.count`, the number of matching vppTokens. */
  count: boolean;
  /** The OData options as given (name, value), for a nextLink that carries them on. */
  options: readonly [string, string][];
}

/**
 * The OData options of a query string, lower-cased, once each, every one of them in `allowed`. A bearer in the
 * query (`access_token`, or a `Bearer …` or an sToken under any name: RFC 6750 §2.3) is refused too: Graph takes
 * the bearer only in the Authorization header and the VPP token only in the body, and a URL is logged where a header
 * or a body is not. So is `ownBearer`, the request's own access token (ownBearerOf its Authorization header), in any
 * spelling, without its scheme too (decision 0327). The value is never shown. Under beta an option may be written without its `$` ("On the beta
 * endpoint, the $ prefix is optional", Graph's query parameters page): `filter` is `$filter`. Under v1.0, where Graph
 * takes that spelling for some APIs only, it is not modelled (501), never ignored (docs/decisions/0182).
 */
export function judgeQueryOptions(params: URLSearchParams, allowed: readonly string[], profile: Profile = 'beta', ownBearer?: string, batchBearer?: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const [rawName, value] of params) {
    // A credential in the query (an access_token, a Bearer value or an sToken under any name, the request's own
    // access token): the one rule the proxy reads a read's query by as well (decision 0683).
    const credential = queryCredentialProblem(rawName, value, ownBearer, batchBearer);
    if (credential) throw new QueryOptionError(credential);
    const bare = !rawName.startsWith('$') && OPTION_NAMES[`$${rawName.toLowerCase()}`] !== undefined;
    if (bare && profile !== 'beta') {
      throw new QueryOptionError(`The option '${rawName}' without its $ is not modelled by the mock under ${profile}: Graph ${profile} takes the $-less spelling for some APIs only; write $${rawName} (docs/decisions/0182).`, 501);
    }
    if (!rawName.startsWith('$') && !bare) continue;
    const name = bare ? `$${rawName.toLowerCase()}` : rawName.toLowerCase();
    const label = OPTION_NAMES[name] ?? rawName;
    if (!allowed.includes(name)) throw new QueryOptionError(`The query specified in the URI is not valid. Query option '${label}' is not allowed.`);
    if (options.has(name)) throw new QueryOptionError(`The query specified in the URI is not valid. Query option '${label}' was specified more than once, but it must be specified at most once.`);
    options.set(name, value);
  }
  return options;
}

/**
 * A $select or $orderby item with a type segment naming the vppToken's own type read as the property after it (decision
 * 1286): OData's ABNF `selectItem = [ qualifiedEntityTypeName "/" ] selectProperty` (URL Conventions 4.01 §5.1.3) and
 * Graph's SelectPathSegmentTokenBinder take a cast to the resource's own type, so `microsoft.graph.vppToken/displayName`
 * is `displayName` (it was read as one property name, refused 400); the one reading of the type name, OWN_TYPE, which
 * $filter's paths read too (1280). A cast to another type (a vppToken has no derived type) is not modelled: the property after it
 * read, and `unmodelled` for the caller's 501.
 */
function withoutTypeSegment(option: string, item: string): { item: string; unmodelled?: string } {
  const slash = item.indexOf('/');
  const segment = slash < 0 ? '' : item.slice(0, slash);
  if (OWN_TYPE.test(segment)) return { item: item.slice(slash + 1) };
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(segment)) return { item };
  // The property after it still read (400 when the vppToken has none), the 501 answered once nothing is refused.
  return { item: item.slice(slash + 1), unmodelled: `The type-cast segment ${segment} in ${option} is not modelled by the mock: only the vppToken's own type, microsoft.graph.vppToken (or graph.vppToken by its alias), is (docs/decisions/0146).` };
}

function wholeNumber(option: string, text: string, min: number, max: number, range: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new QueryOptionError(`Invalid value for ${option}: ${JSON.stringify(text)}; it must be ${range}.`);
  return n;
}

/** A comma-separated list of OData items, trimmed; an empty item is a syntax error. */
function items(option: string, text: string): string[] {
  const list = text.split(',').map((item) => item.trim());
  if (list.some((item) => item === '')) throw new QueryOptionError(`Syntax error in ${option}: an empty item in ${JSON.stringify(text)}.`);
  return list;
}

/**
 * Reads the query string of a request on `route` as Graph would, for the vppToken of `profile`: which options
 * the route takes (judgeQueryOptions) and what each value may be. Throws QueryOptionError, with the status Graph
 * answers, for the first thing wrong.
 */
export function readQueryOptions(params: URLSearchParams, route: QueryRoute, profile: Profile, ownBearer?: string, batchBearer?: string): ODataQuery {
  return readOptions(params, route, profile, ownBearer, batchBearer, true);
}

/**
 * A list read's options as readQueryOptions reads them, refused for the same things, but for its `$filter`, which is
 * taken as given and not compiled: what a reader of a page the target answered needs ($top: whether the page may end
 * short of the list), at a cost in step with the query's length whatever the filter holds (decision 1192: the proxy
 * compiled a 1.8 MB filter for seconds to learn a $top). Whoever evaluates the filter reads it with readQueryOptions.
 */
export function readListOptionsButFilter(params: URLSearchParams, profile: Profile): Omit<ODataQuery, 'filter'> {
  return readOptions(params, 'list', profile, undefined, undefined, false);
}

function readOptions(params: URLSearchParams, route: QueryRoute, profile: Profile, ownBearer: string | undefined, batchBearer: string | undefined, compile: boolean): ODataQuery {
  const options = judgeQueryOptions(params, ROUTE_OPTIONS[route], profile, ownBearer, batchBearer);
  const properties = vppTokenProperties(profile);
  const property = (name: string): string => {
    const found = properties.byName.get(name.toLowerCase());
    if (!found) throw unknownProperty(name);
    return found;
  };
  // The options as read ($-less ones under beta by their $ name), for a nextLink that carries them on.
  const query: ODataQuery = { skip: 0, count: false, options: [...options] };
  const format = options.get('$format');
  // json, or application/json with parameters (OData 4.01 §11.2.11); Graph writes nothing else.
  if (format !== undefined && !/^(json|application\/json)(\s*;.*)?$/i.test(format.trim())) {
    throw new QueryOptionError(`The $format ${JSON.stringify(format)} is not supported: Graph answers only JSON ($format=json or application/json).`, 406);
  }
  const top = options.get('$top');
  if (top !== undefined) query.top = wholeNumber('$top', top, 1, MAX_TOP, `a whole number from 1 to ${MAX_TOP}`);
  const skip = options.get('$skip');
  if (skip !== undefined) query.skip = wholeNumber('$skip', skip, 0, Number.MAX_SAFE_INTEGER, 'a whole number of 0 or more');
  const skiptoken = options.get('$skiptoken');
  if (skiptoken !== undefined) {
    if (!/^\d+$/.test(skiptoken) || !Number.isSafeInteger(Number(skiptoken))) throw new QueryOptionError(`Invalid $skiptoken ${JSON.stringify(skiptoken)}.`);
    query.skiptoken = Number(skiptoken);
  }
  const count = options.get('$count');
  if (count !== undefined) {
    if (!/^(true|false)$/i.test(count)) throw new QueryOptionError(`Invalid value for $count: ${JSON.stringify(count)}; it must be true or false.`);
    query.count = count.toLowerCase() === 'true';
  }
  // What the mock does not model in $select and $orderby, answered 501 once the other options are read and nothing is
  // refused (1242, 1286).
  let unmodelled: string | undefined;
  const typed = (option: string, item: string): string => {
    const read = withoutTypeSegment(option, item);
    unmodelled ??= read.unmodelled;
    return read.item;
  };
  const select = options.get('$select');
  if (select !== undefined && select.trim() !== '') {
    const list = items('$select', select).map((item) => typed('$select', item));
    query.select = list.includes('*') ? undefined : [...new Set(list.map(property))];
    query.selectList = `(${list.map((item) => (item === '*' ? '*' : property(item))).join(',')})`;
  }
  const expand = options.get('$expand');
  if (expand !== undefined && expand.trim() !== '') {
    // A vppToken has no navigation property: `*` expands nothing; tokenActionResults (complex) is always inline.
    for (const item of items('$expand', expand)) {
      const name = item.replace(/\(.*$/s, '').trim();
      if (name === '*') continue;
      const found = property(name);
      if (found !== 'tokenActionResults' || name !== item) {
        throw new QueryOptionError(`Property '${found}' on type 'microsoft.graph.vppToken' is not a navigation property or complex property. Only navigation properties can be expanded.`);
      }
    }
  }
  const orderby = options.get('$orderby');
  if (orderby !== undefined && orderby.trim() !== '') {
    // Items split outside parentheses and strings: `concat(displayName,'a')` is one (outside finding R148).
    const list = splitItems(orderby);
    if (list.some((item) => item === '')) throw new QueryOptionError(`Syntax error in $orderby: an empty item in ${JSON.stringify(orderby)}.`);
    query.orderby = list.map((item) => {
      const [, written, direction] = /^(.*?)(?:\s+(asc|desc))?$/is.exec(item)!;
      const expression = typed('$orderby', written);
      const descending = direction?.toLowerCase() === 'desc';
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expression)) {
        const name = property(expression);
        if (properties.collections.has(name)) throw new QueryOptionError(`The $orderby expression must evaluate to a single value of primitive type: ${name} is a collection.`);
        return { property: name, descending, type: properties.types.get(name) };
      }
      // An expression (OData's orderbyItem is a commonExpr; Graph's OrderByBinder binds any single value).
      const key = compileOrderKey(expression, properties);
      unmodelled ??= key.unmodelled;
      return { property: expression, descending, type: key.type, value: key.evaluate };
    });
  }
  const filter = options.get('$filter');
  if (filter !== undefined && compile) query.filter = compileFilter(filter, properties);
  if (unmodelled !== undefined) throw new QueryOptionError(unmodelled, 501);
  if (options.has('$search')) {
    throw new QueryOptionError('$search is not modelled by the mock: Graph may answer it, the reference provider cannot answer it truly (docs/decisions/0146).', 501);
  }
  return query;
}
