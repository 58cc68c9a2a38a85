import type { Matchers as PactMatchers } from '@pact-foundation/pact';

/**
 * pact-js's `Matchers` (its V3 matchers), loaded from their own module: pact-js's root also loads its V4, GraphQL,
 * message and verifier DSLs and the native core (848 modules, 0.5 s of CPU in a plain Node, against 376 modules and
 * 0.09 s), which what only builds matchers (the contract's interactions, `matchersFor`) never uses. The root's
 * `Matchers` is this module in pact-js 16.4 and 17.1 (`src/v3/matchers`); tests/contract/matchers.test.ts fails if a
 * pact-js release moves it (decision 0160).
 */
export const Matchers: typeof PactMatchers = require('@pact-foundation/pact/src/v3/matchers');
