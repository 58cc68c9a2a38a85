// The request's own access token in its URL (decision 0327): found by its Authorization header, in any spelling.
import { holdsSecret } from '../net/redact';
import { atBody, bearerTokenOf, bodyStrings, headerLines, singleHeader, type HeaderSource, type Placed } from '../wire';
import { worthLookingFor } from './graph-model';

/**
 * The access token of a request's one Authorization line (`Bearer <token>`), to look for in its URL: a `Bearer …`
 * value is found anywhere by its scheme (queryCredentialOf), the token alone only by knowing it. Undefined when
 * it is too short to tell from chance (MIN_CREDENTIAL_LENGTH), a language's word for no value, or a word of Graph's contract or of the route,
 * which a correct URL holds anyway (`$filter=displayName eq 'x'`).
 */
export function ownBearerOf(authorization: string | undefined): string | undefined {
  const bearer = bearerTokenOf(authorization);
  return bearer !== undefined && worthLookingFor(bearer) ? bearer : undefined;
}

/** ownBearerOf the request's headers (raw lines or a record): its one Authorization line's. */
export const ownBearerOfHeaders = (headers: HeaderSource): string | undefined => ownBearerOf(singleHeader(headerLines(headers), 'Authorization'));

/**
 * The problem of a URL part that holds the request's own bearer, in any spelling the redaction knows (percent- or
 * base64-encoded, a long run of it): `where` is `path` or `query`, `name` the query parameter. The mock refuses it
 * with 400 and check-client, the proxy and compare fail it, in these words; the value is never shown (RFC 6750 §2.3:
 * a bearer goes in the Authorization header; §5.3: a URL ends up in logs and Referer headers).
 */
export function ownBearerIn(where: 'path' | 'query', texts: readonly string[], bearer: string | undefined, name?: string, whose: 'own' | 'batch' = 'own'): string | undefined {
  if (bearer === undefined || !texts.some((text) => holdsSecret(text, bearer))) return undefined;
  // The batch's access token in the url of a request inside it (decision 0612): said as the request's own is.
  const token = whose === 'own' ? "the request's own access token" : 'the access token of the JSON batch that carries the request';
  return `The ${where} carries ${token}${name === undefined ? '' : ` in '${name}'`}: send it only in the ${whose === 'own' ? '' : "batch's "}Authorization header (RFC 6750 §2.3; a URL ends up in logs). The value is not shown.`;
}

/**
 * Where the body of a create holds the request's own access token, in any spelling the redaction knows (outside tester
 * P4: `displayName: "Bearer <its bearer>"`, a debug value or a mixed-up field): each string but the VPP token's own,
 * member names too. Graph stores a vppToken's properties and answers them to every reader of the collection, so the
 * client fails (RFC 6750 §5.3: bearer tokens must not be leaked to unintended parties); Graph still creates it, as the
 * mock does. A bearer worth looking for only (worthLookingFor): a word of the contract could not be told from one.
 * `whose` is `batch` for the access token of the JSON batch that carries the request, where it gives its own (0540).
 */
export function ownBearerInBody(text: string | undefined, bearer: string | undefined, whose: 'own' | 'batch' = 'own'): (Placed & { message: string })[] {
  if (text === undefined || bearer === undefined) return [];
  const places = bodyStrings(text).filter((s) => !s.other && !(s.pointer === '/token' && !s.name) && holdsSecret(s.value, bearer));
  const token = whose === 'own' ? "the request's own access token" : 'the access token of the JSON batch that carries the request';
  return places.map((s) => ({
    ...atBody(s.pointer),
    message: `${s.name ? 'has a member name that holds' : 'holds'} ${token}: Graph stores the vppToken's properties and answers them to every reader of deviceAppManagement/vppTokens; send the token only in the Authorization header (RFC 6750 §5.3). The value is not shown.`,
  }));
}
