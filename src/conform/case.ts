// One request conform sends, as data: kept apart from fast-check so that the package's public types (the
// findings' requests) load no fast-check declarations in a user's project.
import { createHash } from 'node:crypto';
import { sizeReason, type BodySize } from '../judgement/body-size';
import { readAppleSToken } from '../validation/stoken';

/** What a case expects: a 201 with the values it sent (valid), or one of `statuses` with Graph's error body. */
export type CaseKind = 'valid' | 'invalid' | 'transport';

/** One request to send, and what it is. */
export interface ConformCase {
  kind: CaseKind;
  /** The family it was drawn from, e.g. `valid`, `enum /state=expired`, `wrong type /displayName`. */
  family: string;
  /** The fault, in words (invalid and transport cases). */
  fault?: string;
  /** The JSON value sent, when the body is JSON that vppkit built (undefined for raw bodies). */
  request?: unknown;
  headers: Record<string, string>;
  /** Header lines sent after `headers`, a second line of one of them included (a repeated Authorization). */
  extraHeaderLines?: [string, string][];
  /** The body text sent; undefined for none. */
  body?: string;
  /** How the body text becomes bytes (default utf8); latin1 sends each character as one byte (not UTF-8). */
  bodyEncoding?: 'utf8' | 'latin1';
  /** A shorter shell expression producing the same body, for the reproduction of very large bodies. */
  curlBody?: string;
  /** The statuses a refused case must get. */
  statuses?: number[];
  /**
   * A refused case a correct provider may also take (decision 0212): why. A 2xx to it is then judged as the create
   * of `request`, as a valid case's is (201, the values sent come back); any other status as a refusal.
   */
  mayCreate?: string;
  /** A valid case sent at a size the provider must take (decision 0171). */
  size?: CaseSize;
}

/** A valid create's size, the body limit it was sized against, and why this size (the judgement's, src/judgement/body-size.ts). */
export type CaseSize = BodySize;
export { sizeReason };

/** A case's header lines as one value per name, a repeated line as an array (Node sends one line per value). */
export function headersOf(c: ConformCase): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { ...c.headers };
  for (const [name, value] of c.extraHeaderLines ?? []) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    const had = headers[key];
    headers[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  return headers;
}

/** The bytes a case's body is sent as. */
export const bodyBytesOf = (c: ConformCase): Buffer | undefined => (c.body === undefined ? undefined : Buffer.from(c.body, c.bodyEncoding ?? 'utf8'));

/**
 * The case with its sToken's token proper made new from `nonce` (same length, so a sized body keeps its size; the
 * expiry and the organisation's name kept): a create conform sends again, to shrink a finding or replay a report, is
 * a create of its own, and a provider that takes each VPP token once (Intune refuses a token uploaded twice) would
 * refuse the same token again (outside tester K17). A case that can't create, or whose token is no sToken
 * (--schema-tokens) or is not in its body as sent, is sent as it is.
 */
export function withNewToken(c: ConformCase, nonce: string): ConformCase {
  if (c.kind !== 'valid' && c.mayCreate === undefined) return c;
  const request = c.request as { token?: unknown } | undefined;
  const token = typeof request?.token === 'string' ? request.token : undefined;
  const sToken = token === undefined ? undefined : readAppleSToken(token);
  if (token === undefined || sToken === undefined || c.body === undefined || !c.body.includes(token)) return c;
  let inner = '';
  for (let i = 0; inner.length < sToken.token.length; i++) inner += createHash('sha256').update(`${nonce}\u0000${i}`).digest('base64').replace(/=+$/, '');
  const fresh = Buffer.from(JSON.stringify({ token: inner.slice(0, sToken.token.length), expDate: sToken.expDate, orgName: sToken.orgName }), 'utf8').toString('base64');
  if (fresh.length !== token.length) return c;
  return { ...c, request: { ...request, token: fresh }, body: c.body.split(token).join(fresh) };
}
