import type { InteractionSpec } from 'vpptokens-contract-kit/pact';

// What a client meets: every create, a missing token, the seed page's body and a missing Authorization. The
// other refusals (an unknown property, a string boolean, a malformed date...) are there to catch providers; a
// typed SDK could not even send them (Kiota parses each body into its model), and each costs a client process.
export const clientFacing = (spec: InteractionSpec): boolean =>
  spec.response.status !== 400 || ['a request to create a vppToken without a token', 'a request to create a vppToken with the seed page\'s "String" enum values'].includes(spec.description);
