import type { Matchers as PactMatchers } from '@pact-foundation/pact';

/**
 * pact-js's `Matchers` (its V3 matchers), loaded from their own module: pact-js's root also loads its V4, GraphQL,
 * message and verifier DSLs and the native core (848 modules, 0.5 s of CPU in a plain Node, against 376 modules and
 * 0.09 s), which what only builds matchers (the contract's interactions, `matchersFor`) never uses. The root's
 * `Matchers` is this module in pact-js 16.4 and 17.1 (`src/v3/matchers`); tests/contract/matchers.test.ts fails if a
 * pact-js release moves it (decision 0160).
 */
export const Matchers: typeof PactMatchers = require('@pact-foundation/pact/src/v3/matchers');

/**
 * A string matched by its type and a regex together (both must hold): Pact applies a regex to a number or a boolean
 * by its text, so `regex` alone let a consumer test's mock take `"token": 123` (round ten's leftover), where the
 * schema and check-client ask for a string. pact-js's DSL has no matcher for two rules, but Pact's core reads a list
 * under `pact:matcher:type` (pact_ffi's matchers_from_integration_json, pact-js 16.4 and 17.1) and writes
 * `[{ match: 'type' }, { match: 'regex', regex }]`, what strengthenPact writes for answers.
 */
export function typedRegex(pattern: string, example: string): ReturnType<typeof Matchers.regex> {
  // `regex` is kept beside the list too, where matchersFor's readers find a regex matcher's (Pact reads the list).
  return { 'pact:matcher:type': [{ 'pact:matcher:type': 'type' }, { 'pact:matcher:type': 'regex', regex: pattern }], regex: pattern, value: example } as unknown as ReturnType<typeof Matchers.regex>;
}
