/** The path of the create operation, without a version prefix (a provider's base URL carries /beta or /v1.0). */
export const VPP_TOKENS_PATH = '/deviceAppManagement/vppTokens';
/** application/json with any parameters: what a request and an answer may carry as Content-Type. */
export const JSON_CONTENT_TYPE_PATTERN = '^application/json(;.*)?$';
export const BEARER_PATTERN = '^Bearer .+$';
/** The vppTokens collection (the create's path), and one vppToken by id (`/{id}` or OData's `('{id}')`): Graph's paths are case-insensitive. */
export const VPP_TOKENS_COLLECTION = /^\/deviceappmanagement\/vpptokens\/?$/i;
export const VPP_TOKENS_ENTITY = /^\/deviceappmanagement\/vpptokens(?:\/([^/()]+)|\('([^/()']+)'\))\/?$/i;

/** Splits `/beta/...` or `/v1.0/...` into the version prefix and the rest. */
export function splitVersion(pathname: string): { version: string; rest: string } {
  const match = /^\/(beta|v1\.0)(?=\/|$)/i.exec(pathname);
  return match ? { version: `/${match[1]}`, rest: pathname.slice(match[0].length) || '/' } : { version: '', rest: pathname };
}
