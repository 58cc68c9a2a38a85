import { BEARER_CREDENTIALS_PATTERN, JSON_MEDIA_TYPE_PATTERN } from '../wire';
import { versionAtEnd, versionAtStart } from './version';

/** The path of the create operation, without a version prefix (a provider's base URL carries /beta or /v1.0). */
export const VPP_TOKENS_PATH = '/deviceAppManagement/vppTokens';
/** application/json with any parameters, in any case (RFC 9110 §8.3.1): what a request and an answer may carry. */
export const JSON_CONTENT_TYPE_PATTERN = JSON_MEDIA_TYPE_PATTERN;
/** `Bearer <b64token>`, the scheme in any case (RFC 6750 §2.1, RFC 9110 §11.1). */
export const BEARER_PATTERN = BEARER_CREDENTIALS_PATTERN;
/** The vppTokens collection (the create's path), and one vppToken by id (`/{id}`, OData's `('{id}')` or `(id='{id}')`): Graph's paths are case-insensitive. */
export const VPP_TOKENS_COLLECTION = /^\/deviceappmanagement\/vpptokens\/?$/i;
/** The count of the collection, OData's `/$count` segment (URL Conventions §4.8; Kiota's `vppTokens.count.get()`). */
export const VPP_TOKENS_COUNT = /^\/deviceappmanagement\/vpptokens\/\$count\/?$/i;
/**
 * One vppToken's key after `vppTokens`: key-as-segment `/{id}` (URL Conventions §4.3.6), or in parentheses, quoted,
 * by position or by name, `('{id}')` or `(id='{id}')` (§4.3.1: the key `id` is an Edm.String, whose literal is quoted;
 * unquoted, `({id})` is a Guid literal and names no vppToken). Its id is group 1 or 2.
 */
const KEY = String.raw`(?:\/([^/()]+)|\((?:id=)?'([^/()']+)'\))\/?$`;
export const VPP_TOKENS_ENTITY = new RegExp(String.raw`^\/deviceappmanagement\/vpptokens${KEY}`, 'i');
/** One vppToken's key at the end of a longer path or URL (`.../vppTokens('{id}')`), the service root before it not read. */
export const VPP_TOKENS_KEY_AT_END = new RegExp(String.raw`(?:^|\/)vpptokens${KEY}`, 'i');

/**
 * The path a request is sent to under a base path (a provider's or a target's, `/beta`): a path that keeps its own
 * `/beta` or `/v1.0` (a client whose base URL held it, a pact recorded from one) against a base ending in one
 * (versionAtEnd) is sent with its own version, once, never `/beta/beta/...`; any other path goes under the base. The
 * proxy and verify's forwarder alike (outside tester K27). The path's version is read as the judgement reads it
 * (versionAtStart: `/%62eta/`, `/v1%2E0/` are the client's own version, sent as spelled; outside attacker Y3).
 */
export function pathUnderBase(basePath: string, path: string): string {
  const ending = versionAtEnd(basePath);
  return ending && versionAtStart(path).version ? `${ending.base}${path}` : `${basePath.replace(/\/+$/, '')}${path}`;
}
