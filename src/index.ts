/**
 * vpptokens-contract-kit: schemas, types, validators and fixtures for Microsoft Graph's
 * POST /deviceAppManagement/vppTokens. This entry loads neither Pact nor an HTTP server; those come from the
 * subpaths `vpptokens-contract-kit/pact` (Pact helpers), `/provider` (reference provider, verification,
 * check-client), `/seed`, `/conform` and `/jest` (docs/decisions/0051).
 */
export type * from './generated/types';
export * from './schemas';
export * from './validation';
export * from './fixtures';
export * from './judgement';
export * from './behaviour';
export * from './wire';
