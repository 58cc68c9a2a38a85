/**
 * vpptokens-contract-kit: schemas, types, validators, fixtures and Pact contracts for Microsoft Graph's
 * POST /deviceAppManagement/vppTokens.
 */
export type * from './generated/types';
export * from './schemas';
export * from './validation';
export * from './fixtures';
export * from './judgement';
export * from './contract';
export * from './provider';
export * from './verification';
export * from './client-check';
export * from './seed';
export * from './conform';
