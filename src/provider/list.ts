import { VPP_TOKEN_TYPE } from '../graph';
import { HttpError, type Answer } from './answer';
import type { VppTokenStore } from './store';

const DEFAULT_PAGE_SIZE = 100;
const MAX_TOP = 999;

/** Where the answers point: the provider's base URL, the request's version prefix, and its `@odata.context`. */
export interface Links {
  base: string;
  version: string;
  context: string;
}

/** GET of one vppToken by id: 200 with it, or Graph's 404. */
export function readVppToken(vppTokens: VppTokenStore, id: string, { context }: Links): Answer {
  const found = vppTokens.get(id);
  if (!found) throw new HttpError(404, 'ResourceNotFound', `No vppToken with id '${id}'.`);
  return { status: 200, body: { '@odata.context': `${context}/$entity`, '@odata.type': VPP_TOKEN_TYPE, ...found } };
}

/** GET of the collection: a page of `$top` (default 100, at most 999) from `$skiptoken`, and a nextLink while more remain. */
export function listVppTokens(vppTokens: VppTokenStore, query: Map<string, string>, { base, version, context }: Links): Answer {
  const topText = query.get('$top') ?? null;
  const top = topText === null ? DEFAULT_PAGE_SIZE : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw new HttpError(400, 'BadRequest', `Invalid value for $top: ${JSON.stringify(topText)}; it must be a whole number from 1 to ${MAX_TOP}.`);
  }
  const skipText = query.get('$skiptoken') ?? '0';
  const skip = Number(skipText);
  if (!Number.isInteger(skip) || skip < 0) throw new HttpError(400, 'BadRequest', `Invalid $skiptoken ${JSON.stringify(skipText)}.`);
  const page = vppTokens.page(skip, top).map((token) => ({ '@odata.type': VPP_TOKEN_TYPE, ...token }));
  // A page may hold fewer than $top (its byte budget): the next one starts after what this one holds.
  const after = skip + page.length;
  const next = after < vppTokens.size ? { '@odata.nextLink': `${base}${version}/deviceAppManagement/vppTokens?$top=${top}&$skiptoken=${after}` } : {};
  return { status: 200, body: { '@odata.context': context, value: page, ...next } };
}
