/** The path of the create operation, without a version prefix (a provider's base URL carries /beta or /v1.0). */
export const VPP_TOKENS_PATH = '/deviceAppManagement/vppTokens';
/** application/json with any parameters: what a request and an answer may carry as Content-Type. */
export const JSON_CONTENT_TYPE_PATTERN = '^application/json(;.*)?$';
export const BEARER_PATTERN = '^Bearer .+$';
