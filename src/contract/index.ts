export { matchersFor, matchersForInvalid, matchersForSchema, enumPattern, exampleOf } from './matchers';
export {
  VPP_TOKENS_PROVIDER,
  CANONICAL_CONSUMER,
  PROVIDER_STATE,
  EXAMPLE_AUTHORIZATION,
  CONTRACT_SEED,
  createInteraction,
  rejectedCreateInteraction,
  createdResponseBody,
  canonicalInteractions,
  type InteractionSpec,
} from './interactions';
export { addInteraction, exampleRequest, settleMockServer, writePact, type WritePactOptions } from './pact';
