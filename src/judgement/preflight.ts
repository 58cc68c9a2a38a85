import { at, atHeader, headerLines, headerValues, type HeaderSource } from '../wire';
import type { RequestProblem } from './request';
import type { RequestTarget } from './target';

/**
 * The methods each vppTokens resource takes: the 405's `Allow`, and what a CORS preflight may ask for. HEAD is a
 * GET without its body (RFC 9110 §9.3.2); OPTIONS asks what the resource takes (§9.3.7). See docs/decisions/0147.
 */
export function methodsOf(names: RequestTarget['names']): readonly string[] {
  return names.kind === 'collection' ? ['GET', 'HEAD', 'OPTIONS', 'POST'] : ['GET', 'HEAD', 'OPTIONS'];
}

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
  if (target.names.kind === 'none') return [{ ...at('path'), message: `must be a vppTokens path for a preflight (got ${path})` }];
  const asked = headerValues(headerLines(headers), 'Access-Control-Request-Method');
  const methods = methodsOf(target.names);
  if (asked.length > 1) return [{ ...atHeader('Access-Control-Request-Method'), message: `is given ${asked.length} times: it takes one method (Fetch §3.2.2)` }];
  if (asked.length === 1 && !methods.includes(asked[0])) {
    return [{ ...atHeader('Access-Control-Request-Method'), message: `asks for ${JSON.stringify(asked[0])}, which ${path} does not take (it takes ${methods.join(', ')})` }];
  }
  return [];
}

/** The headers of a preflight's answer: what the resource takes, and the request headers asked for (Fetch §3.2.3). */
export function preflightHeaders(headers: HeaderSource, names: RequestTarget['names']): Record<string, string> {
  const lines = headerLines(headers);
  const methods = methodsOf(names).join(', ');
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
