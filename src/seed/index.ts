// Seeding a server under test: send records (seedVppTokens), or a whole run with its report (runSeed).
export { retryAfterMs } from '../net';
export * from './send';
export * from './run';
export * from './report';
export * from './source';
export * from './progress';
