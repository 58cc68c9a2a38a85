// Graph's own model of a vppToken, beneath the fixtures, the reference provider and the contract: what the
// service answers to a create, its error body, its "never" date, what it reads from an sToken, and a record
// as each Graph profile has it.
export { createdVppToken, type CreatedVppTokenOptions } from './created';
export { GRAPH_REFUSAL_CODES, graphError } from './error';
export { GRAPH_HOSTS } from './hosts';
export { DEVICE_APP_MANAGEMENT_MEMBERS, GRAPH_ROOTS } from './resources';
export { GRAPH_BODY_LIMIT, GRAPH_BODY_LIMIT_DECIMAL, GRAPH_JSON, VPP_TOKEN_TYPE } from './media';
export { toProfileRecord } from './profile';
export { NEVER, VALID_STOKEN_EXPIRY, intuneRefusesToken, readAppleSToken, sTokenExpiredAt, sTokenExpiry } from './values';
