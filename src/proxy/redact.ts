// What a proxy writes down (HAR, pact, report, log) never holds a credential: every header not known to carry none
// loses its value, every `token` property of a JSON body its value; then the kit's one redaction (src/net) hides
// every bearer and VPP token the proxy saw wherever else they may be.
import { trafficSecrets } from '../behaviour';
import { isCredentialKey, isPlainHeader, isSToken, redact, redactTargetQuery, type Secrets } from '../net';
import { trafficEntryOf } from './traffic';
import type { ProxiedExchange } from './types';
import { argumentProblem, refuseArguments } from '../net/option';

export const REDACTED = '[redacted]';

/** Fields known to carry no credential whose value is a URL: its query may carry one all the same (decision 0196). */
const URL_FIELDS = new Set(['location', 'content-location', 'odata-entityid']);

/**
 * A header value as it may be written: a field known to carry no credential keeps its value (isPlainHeader);
 * Authorization and Proxy-Authorization keep their scheme (`Bearer [redacted]`), every other field nothing: its
 * value may be a credential whose name no list holds (outside tester I1: `X-Functions-Key`, `X-Auth-Token`).
 */
export function redactHeader(name: string, value: string): string {
  // A URL a plain field carries (Location, Content-Location, OData-EntityId) keeps OData's query options only (K13).
  if (isPlainHeader(name)) return URL_FIELDS.has(name.toLowerCase()) ? redactTargetQuery(value, REDACTED) : value;
  const scheme = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +\S/.exec(value);
  return scheme && name.toLowerCase().endsWith('authorization') ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/**
 * A JSON value with every credential replaced, at any depth: a `token` property's value in any letter case (a
 * vppToken's token is Apple's credential) and any string that is an sToken, whatever its key.
 */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return isSToken(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isCredentialKey(k) && v !== null && v !== '' ? REDACTED : redactJson(v)]));
}

/**
 * Every bearer and VPP token the exchanges carried, a token under a mis-cased key or none included, and every
 * credential in a request's query (an access_token, a Bearer value, an sToken: outside tester H9).
 */
export function secretsOf(exchanges: readonly ProxiedExchange[]): Secrets {
  refuseArguments(argumentProblem('exchanges', exchanges, 'array', "an array of the proxy's exchanges, such as proxy.exchanges"));
  return trafficSecrets(exchanges.map(trafficEntryOf));
}

/** A text to write, with every secret the exchanges carried hidden (the kit's one redaction). */
export const withoutSecrets = (text: string, exchanges: readonly ProxiedExchange[]): string => {
  refuseArguments(argumentProblem('text', text, 'string'));
  return redact(text, secretsOf(exchanges));
};
