/**
 * `vpptokens-contract-kit/provider`: what runs a server or checks one: the reference provider, verification of a
 * provider against the contracts, and check-client (which stands in for Graph). Loads Pact and node:http.
 */
export * from '../provider';
export * from '../verification';
export * from '../client-check';
