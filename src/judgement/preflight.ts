import { at, atHeader, headerLines, headerValues, type HeaderSource } from '../wire';
import type { RequestProblem } from './request';
import { BATCH, ENTITY_ACTION } from './not-modelled';
import type { RequestTarget } from './target';

/**
 * The methods Graph takes on a vppTokens target, or undefined for a target Graph has not: the 405's `Allow`, and
 * what a CORS preflight may ask for. The collection: GET, HEAD, OPTIONS, POST; its `$count`: GET, HEAD, OPTIONS; one
 * vppToken: DELETE, GET, HEAD, OPTIONS, PATCH; its syncLicenses and revokeLicenses actions and `$batch`: OPTIONS,
 * POST. What the mock does not model among them it answers 501 (0183), but Graph takes them, so a browser may ask
 * (outside tester H20). HEAD is a GET without its body (RFC 9110 §9.3.2); OPTIONS asks what the resource takes
 * (§9.3.7). See docs/decisions/0147 and 0202.
 */
export function methodsOf(target: Pick<RequestTarget, 'names' | 'rest'>): readonly string[] | undefined {
  const { names } = target;
  if (names.kind === 'collection') return ['GET', 'HEAD', 'OPTIONS', 'POST'];
  if (names.kind === 'count') return ['GET', 'HEAD', 'OPTIONS'];
  if (names.kind === 'entity') return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH'];
  return ENTITY_ACTION.test(target.rest) || BATCH.test(target.rest) ? ['OPTIONS', 'POST'] : undefined;
}

/** What the server as a whole takes (`OPTIONS *`, RFC 9110 §9.3.7): every method some resource of it takes (methodsOf). */
export const SERVER_METHODS: readonly string[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST'];

/** How long a browser may keep a preflight's answer (Access-Control-Max-Age), in seconds. */
const PREFLIGHT_MAX_AGE = '3600';
/** What a browser client may read of an answer besides the CORS-safelisted headers (Fetch §3.2.6). */
const EXPOSED_HEADERS = 'Location, OData-EntityId, Retry-After, request-id, client-request-id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset';

/**
 * Judges an OPTIONS request as what it is: a CORS preflight (Fetch §4.8: Origin and Access-Control-Request-Method,
 * never credentials, so no Authorization is asked for) or a plain OPTIONS. The method it asks for must be one the
 * resource takes; it creates nothing, and is never written to a pact.
 */
export function checkPreflight(headers: HeaderSource, target: RequestTarget, path: string): RequestProblem[] {
  const methods = methodsOf(target);
  if (methods === undefined) return [{ ...at('path'), message: `must be a vppTokens path for a preflight (got ${path})` }];
  const asked = headerValues(headerLines(headers), 'Access-Control-Request-Method');
  if (asked.length > 1) return [{ ...atHeader('Access-Control-Request-Method'), message: `is given ${asked.length} times: it takes one method (Fetch §3.2.2)` }];
  if (asked.length === 1 && !methods.includes(asked[0])) {
    return [{ ...atHeader('Access-Control-Request-Method'), message: `asks for ${JSON.stringify(asked[0])}, which ${path} does not take (it takes ${methods.join(', ')})` }];
  }
  return [];
}

/** The headers of a preflight's answer: what the resource takes (methodsOf), and the request headers asked for (Fetch §3.2.3). */
export function preflightHeaders(headers: HeaderSource, taken: readonly string[]): Record<string, string> {
  const lines = headerLines(headers);
  const methods = taken.join(', ');
  const origin = headerValues(lines, 'Origin')[0];
  const asked = headerValues(lines, 'Access-Control-Request-Headers')[0];
  return {
    Allow: methods,
    ...(origin === undefined
      ? {}
      : {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': methods,
          ...(asked ? { 'Access-Control-Allow-Headers': asked } : {}),
          'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
          Vary: 'Origin',
        }),
  };
}

/** The CORS headers of an answer to a browser's request (one with Origin): the origin allowed, Graph's headers readable. */
export function corsHeaders(headers: HeaderSource): Record<string, string> {
  const origin = headerValues(headerLines(headers), 'Origin')[0];
  return origin === undefined ? {} : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, Vary: 'Origin' };
}
