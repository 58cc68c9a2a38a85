/**
 * OData system query options, judged as an ASP.NET OData service such as Intune's does: an option the route does
 * not support is refused with 400 (never silently ignored), as is one given twice. Parameters without `$` are
 * not OData options and are ignored. Names are case-insensitive. See decision 0037.
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

/** A query the route cannot answer: the message is Graph's wording. */
export class QueryOptionError extends Error {
  override readonly name = 'QueryOptionError';
}

/**
 * The OData options of a query string, lower-cased, once each, every one of them in `allowed`. A bearer in the
 * query (`access_token`, RFC 6750 §2.3) is refused too: Graph takes it only in the Authorization header, and a
 * URL is logged where a header is not. The value is never shown.
 */
export function judgeQueryOptions(params: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (const [rawName, value] of params) {
    if (rawName.toLowerCase() === 'access_token') {
      throw new QueryOptionError('The query carries an access_token: send the bearer only in the Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.');
    }
    if (!rawName.startsWith('$')) continue;
    const name = rawName.toLowerCase();
    const label = OPTION_NAMES[name] ?? rawName;
    if (!allowed.includes(name)) throw new QueryOptionError(`The query specified in the URI is not valid. Query option '${label}' is not allowed.`);
    if (options.has(name)) throw new QueryOptionError(`The query specified in the URI is not valid. Query option '${label}' was specified more than once, but it must be specified at most once.`);
    options.set(name, value);
  }
  return options;
}
