import type { IncomingMessage } from 'node:http';
import { batchBearerOf, malformedBearer, refusedBearer, checkPreflight, isBatchTarget, methodsOf, notModelledOperation, openDocumentRead, ownBearerIn, ownBearerOf, profileOfVersion, QueryOptionError, readQueryOptions, readRequestTarget, serverWideOptions, SERVER_METHODS, vppTokenIn, type ODataQuery, type RequestTarget } from '../judgement';
import type { Profile } from '../schemas';
import { headerLines, headerValues, hostProblem, isBearerCredentials } from '../wire';
import { HttpError } from './answer';

const QUERY_CODES = { 400: 'BadRequest', 406: 'NotAcceptable', 501: 'NotImplemented' } as const;

/** What a request names: the collection (list, create), its count (`/$count`), one vppToken by its id (read), or a JSON batch (`POST /$batch`). */
export type Target = { kind: 'collection' } | { kind: 'count' } | { kind: 'entity'; id: string } | { kind: 'batch' };

/** What the provider reads of a request: a request inside a JSON batch is one too, made of the member's fields (decision 0215). */
export type ProviderRequest = Pick<IncomingMessage, 'method' | 'url' | 'rawHeaders' | 'headers' | 'httpVersion'>;

export interface Route {
  method: string;
  /** The Graph version the path starts with, as Graph spells it: '', '/beta' or '/v1.0' (readRequestTarget's). */
  version: string;
  target: Target;
  /** The Graph profile the request speaks: its version prefix's, or the provider's default. */
  profile: Profile;
  /** The query options, read and judged for this target and method (src/judgement/query.ts). */
  query: ODataQuery;
}

/**
 * Routes a request as Graph does: it authenticates before it routes (without a token, every path and method
 * gets 401), then answers 404 for a path that is not a vppToken's, 405 (with Allow) for a method the target does
 * not take, and 400 for a query option it does not take or a value it can't read (406 for a $format other than
 * JSON, 501 for what the mock does not model: docs/decisions/0146).
 */
export function route(req: ProviderRequest, defaultProfile: Profile, batchAuthorization?: string): Route {
  // The one reading of a target (src/judgement/target.ts), check-client's verdict's too: absolute-form, %54, any case.
  const requestTarget = readRequestTarget(req.url ?? '/');
  const { version, query: search, names, problem } = requestTarget;
  const method = req.method ?? 'GET';
  requireHost(req);
  // Graph's metadata and service documents: Graph serves $metadata without a token, so before authentication (decision 0266).
  const open = openDocumentRead(method, requestTarget);
  if (open) throw new HttpError(501, 'NotImplemented', open);
  const authorization = headerValues(headerLines(req.rawHeaders), 'Authorization');
  if (authorization.length !== 1 || !isBearerCredentials(authorization[0])) {
    // Graph's words for no token; a token given twice or not as RFC 6750 writes one is said as such (outside tester I23).
    const message =
      authorization.length > 1
        ? `Authorization is given ${authorization.length} times: give one, "Bearer <access token>".`
        : authorization.length === 0 || /^\s*(bearer\s*)?$/i.test(authorization[0])
          ? 'Access token is empty.'
          : (malformedBearer(authorization[0])?.answer ?? 'Access token is malformed: Authorization must be "Bearer <access token>" with a token as RFC 6750 §2.1 writes one.');
    throw new HttpError(401, 'InvalidAuthenticationToken', message, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  // A VPP token where the access token goes (outside tester K30), a language's word for no value (P9): no token Entra ID issued.
  const refused = refusedBearer(authorization[0]);
  if (refused) throw new HttpError(401, 'InvalidAuthenticationToken', refused.answer, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
  // The request's own access token in its path, without its scheme too, and any sToken (decisions 0327, 0340): refused as in its query.
  const bearer = ownBearerOf(authorization[0]);
  // A request inside a JSON batch that gives its own: the batch's access token in its url too, as its own (decision 0612).
  const batchBearer = batchBearerOf({ batchAuthorization }, bearer);
  const inPath = ownBearerIn('path', [requestTarget.rest], bearer) ?? ownBearerIn('path', [requestTarget.rest], batchBearer, undefined, 'batch') ?? vppTokenIn('path', [requestTarget.rest]);
  if (inPath) throw new HttpError(400, 'BadRequest', inPath);
  // What Graph takes and the mock does not model (a DELETE, an action, $batch): 501 saying so, never a 404 or 405.
  const unmodelled = notModelledOperation(method, requestTarget);
  if (unmodelled) throw new HttpError(501, 'NotImplemented', unmodelled);
  const profile = profileOf(version, defaultProfile);
  // A JSON batch takes no query option (read as a create's are: none is allowed).
  if (isBatchTarget(method, requestTarget)) return { method, version, profile, target: { kind: 'batch' }, query: readQuery(search, 'create', profile, bearer, batchBearer) };
  if (names.kind === 'none') throw notGraphs(requestTarget);
  const methods = methodsOf(requestTarget)!;
  const allowed = methods.join(', ');
  if (!methods.includes(method)) {
    throw new HttpError(405, 'MethodNotAllowed', `The ${method} method is not supported for this resource; use ${allowed}.`, { headers: { Allow: allowed } });
  }
  const query = readQuery(search, method === 'POST' ? 'create' : names.kind === 'collection' ? 'list' : names.kind === 'count' ? 'count' : 'read', profile, bearer, batchBearer);
  const target: Target = names;
  return { method, version, profile, target, query };
}

/** The query options read for a route, an option Graph does not take (or the mock does not model) refused as Graph's error. */
function readQuery(search: string, route: Parameters<typeof readQueryOptions>[1], profile: Profile, ownBearer: string | undefined, batchBearer: string | undefined): ODataQuery {
  try {
    return readQueryOptions(new URLSearchParams(search), route, profile, ownBearer, batchBearer);
  } catch (error) {
    if (error instanceof QueryOptionError) throw new HttpError(error.status, QUERY_CODES[error.status], error.message);
    throw error;
  }
}

/** A request without its one Host line is refused before anything else (src/wire/head.ts: RFC 9112 §3.2 says a server MUST). */
function requireHost(req: ProviderRequest): void {
  const problem = hostProblem(req.httpVersion, req.rawHeaders);
  if (problem) throw new HttpError(400, 'BadRequest', `${problem.where}: ${problem.message}`);
}

/**
 * A CORS preflight (an OPTIONS request) routed: it carries no credentials (Fetch §4.8), so it is answered before
 * authentication, and creates nothing. A target Graph has, and a method asked for that it takes
 * (src/judgement/preflight.ts): the methods its answer lists.
 */
export function routePreflight(req: IncomingMessage): readonly string[] {
  requireHost(req);
  const target = readRequestTarget(req.url ?? '/');
  // `OPTIONS *` asks of the server as a whole (RFC 9112 §3.2.4): what any of its resources takes (outside tester N23).
  if (serverWideOptions('OPTIONS', target)) return SERVER_METHODS;
  const methods = methodsOf(target);
  if (methods === undefined) throw notGraphs(target);
  const [refused] = checkPreflight(req.rawHeaders, target, req.url ?? '/');
  if (refused) throw new HttpError(405, 'MethodNotAllowed', `${refused.where}: ${refused.message}`, { headers: { Allow: methods.join(', ') } });
  return methods;
}

/** The profile a version prefix names (`/beta`, `/V1.0`), or `fallback` when it names none. */
const profileOf = (version: string, fallback: Profile): Profile => profileOfVersion(version) ?? fallback;

/** A target that names nothing of Graph's: 400 when it is no URI a server can take, else 404 for its last segment. */
function notGraphs({ rest, problem }: RequestTarget): HttpError {
  if (problem) return new HttpError(400, 'BadRequest', `The request target ${problem}.`);
  return new HttpError(404, 'ResourceNotFound', `Resource not found for the segment '${rest.split('/').filter(Boolean).pop() ?? ''}'.`);
}
